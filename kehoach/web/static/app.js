// htmx leaves the page as it was on an error: say what went wrong (our one JSON error shape).
document.addEventListener("htmx:responseError", function (e) {
  var message = "Lỗi " + e.detail.xhr.status;
  try { message = JSON.parse(e.detail.xhr.responseText).error.message; } catch (_) {}
  window.alert(message);
});
