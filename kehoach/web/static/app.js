// htmx leaves the page as it was on an error: say what went wrong (our one JSON error shape).
document.addEventListener("htmx:responseError", function (e) {
  var message = "Lỗi " + e.detail.xhr.status;
  try { message = JSON.parse(e.detail.xhr.responseText).error.message; } catch (_) {}
  window.alert(message);
});

// The review screen: a task's "dòng N" shows its source lines. On a desk the source pane is
// beside the task: the lines are highlighted and scrolled into view inside the pane (and the
// pane into the window when it is not all in sight). On a phone the pane is above, out of
// sight: the lines open under the task itself instead.
function sideBySide() {
  var review = document.getElementById("review");
  return !!review && getComputedStyle(review).gridTemplateColumns.split(" ").length > 1;
}

function highlight(a, b) {
  document.querySelectorAll("#source li.hl").forEach(function (el) { el.classList.remove("hl"); });
  for (var n = a; n <= b; n++) {
    var el = document.getElementById("L" + n);
    if (el) el.classList.add("hl");
  }
}

function scrollPaneTo(box, line) {
  var pane = box.getBoundingClientRect();
  if (pane.top < 0 || pane.bottom > window.innerHeight) {
    box.scrollIntoView({ block: pane.height > window.innerHeight ? "start" : "nearest" });
    pane = box.getBoundingClientRect();
  }
  var at = line.getBoundingClientRect();
  box.scrollTop += at.top - pane.top - Math.max(box.clientHeight / 3, 0);
}

function excerpt(article, a, b) {
  var old = article.querySelector(".excerpt");
  if (old) { old.remove(); if (+old.dataset.from === a) return; }
  var box = document.createElement("div"), list = document.createElement("ol");
  box.className = "excerpt";
  box.dataset.from = a;
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", "Văn bản gốc, dòng " + a + (b > a ? "–" + b : ""));
  list.start = a;
  for (var n = a; n <= b; n++) {
    var src = document.getElementById("L" + n), li = document.createElement("li");
    li.textContent = src ? src.textContent : "";
    list.appendChild(li);
  }
  box.appendChild(list);
  article.querySelector("header").after(box);
}

function showLines(a, b, link) {
  var box = document.getElementById("source"), first = document.getElementById("L" + a);
  if (!box || !first) return true;
  highlight(a, b);
  var article = link && link.closest ? link.closest("article.dtask") : null;
  if (article && !sideBySide()) {
    excerpt(article, a, b);
  } else {
    scrollPaneTo(box, first);
  }
  return false;
}

// Moving through a task's fields (keyboard or pointer) shows its lines beside it, on a desk.
document.addEventListener("focusin", function (e) {
  var art = e.target.closest && e.target.closest("article.dtask");
  if (!art || !art.dataset.lines || !sideBySide()) return;
  var p = art.dataset.lines.split("-"), box = document.getElementById("source");
  var first = document.getElementById("L" + p[0]);
  highlight(+p[0], +p[1]);
  if (box && first) {
    var pane = box.getBoundingClientRect(), at = first.getBoundingClientRect();
    if (at.top < pane.top || at.bottom > pane.bottom) box.scrollTop += at.top - pane.top - box.clientHeight / 3;
  }
});

// The Content-Security-Policy runs no inline script, handler or style: what the pages need of
// them is declared with data- attributes and done here.
function applyDeclaredStyles(root) {
  root.querySelectorAll("[data-alpha]").forEach(function (el) { el.style.setProperty("--a", el.dataset.alpha); });
  root.querySelectorAll("[data-level]").forEach(function (el) {
    el.style.paddingLeft = (0.4 + Number(el.dataset.level)) + "em";
  });
}
document.addEventListener("DOMContentLoaded", function () { applyDeclaredStyles(document); });
document.addEventListener("htmx:load", function (e) { applyDeclaredStyles(e.detail.elt); });

// a form that asks first (`data-confirm`), a link back (`data-back`), a choice that submits (`data-autosubmit`)
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
}, true);
document.addEventListener("click", function (e) {
  var back = e.target.closest && e.target.closest("a[data-back]");
  if (back && window.history.length > 1) { e.preventDefault(); window.history.back(); }
});
document.addEventListener("change", function (e) {
  var select = e.target.closest && e.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});
// a link to a task's source lines (`data-lines="first-last"`)
document.addEventListener("click", function (e) {
  var link = e.target.closest && e.target.closest("a[data-lines]");
  if (!link) return;
  var p = link.dataset.lines.split("-");
  if (showLines(+p[0], +p[1], link) === false) e.preventDefault();
});
