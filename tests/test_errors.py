"""The one hierarchy of errors: each class's status and code, its place in the documented tree,
the web's JSON for each, messages in the user's words (no command line on a page), the command
line's own hints, and raw form input that used to answer 500."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web_kit import Site, make_site
from typer.testing import CliRunner

import kehoach
from kehoach import errors
from kehoach.cli import app as cli
from kehoach.errors import KehoachError, ValidationError, field_label

ROOT = Path(kehoach.__file__).parent


def _modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages([str(ROOT)], "kehoach.")]
    return [n for n in names if ".migrations" not in n and not n.endswith("__main__")]


def _all_error_classes() -> set[type[KehoachError]]:
    for name in _modules():
        importlib.import_module(name)
    found: set[type[KehoachError]] = set()
    todo = [KehoachError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo += cls.__subclasses__()
    return {c for c in found if c.__module__.startswith("kehoach")}


def _tree() -> dict[str, tuple[int, str]]:
    """The tree in kehoach/errors.py's docstring: class → (status, code)."""
    rows = re.findall(r"(\w+Error)\s+(\d{3}) (\w+)", errors.__doc__ or "")
    return {name: (int(status), code) for name, status, code in rows}


def test_the_whole_hierarchy_is_in_errors_and_its_docstring() -> None:
    tree = _tree()
    classes = _all_error_classes()
    own = {c for c in classes if c.__module__ == "kehoach.errors"}
    assert {c.__name__ for c in own} == set(tree), "the docstring's tree and the module's classes differ"
    for cls in own:
        assert (cls.status, cls.code) == tree[cls.__name__], cls.__name__
        assert cls.__doc__, f"{cls.__name__} says what it is"
    # a class defined elsewhere may only add a constructor: its status and code are its parent's
    for cls in classes - own:
        parent = next(b for b in cls.__mro__[1:] if b.__module__ == "kehoach.errors")
        assert (cls.status, cls.code) == (parent.status, parent.code), f"{cls.__module__}.{cls.__name__}"


def test_no_exception_class_outside_the_hierarchy() -> None:
    for name in _modules():
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Exception) and obj.__module__ == name:
                # a private exception may steer a module's own control flow; none other escapes
                assert issubclass(obj, KehoachError) or attr.startswith("_"), f"{name}.{attr} is not a KehoachError"


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("percent", "Tỷ lệ hoàn thành"),
        ("period", "Kỳ báo cáo"),
        ("deadline_due", "Hạn hoàn thành"),
        ("version", "Phiên bản"),
        ("tasks[3].text", "Nội dung (tasks[3])"),
        ("something_new", "something_new"),
    ],
)
def test_fields_are_named_in_vietnamese(field: str, label: str) -> None:
    assert field_label(field) == label
    e = ValidationError(field, "x", "quy tắc")
    assert str(e).startswith(label) and e.as_dict()["field"] == field and e.as_dict()["label"] == label


def test_a_validation_message_says_what_the_value_and_the_rule() -> None:
    assert str(ValidationError("percent", 140.0, "phần trăm phải từ 0 đến 100")) == (
        "Tỷ lệ hoàn thành '140' không hợp lệ: phần trăm phải từ 0 đến 100"
    )
    # a rule that already quotes the value is not repeated after it
    e = ValidationError("period", "Quý V/2026", "'Quý V/2026' không hợp lệ: quý phải từ I đến IV")
    assert str(e) == "Kỳ báo cáo: 'Quý V/2026' không hợp lệ: quý phải từ I đến IV"
    assert str(ValidationError("new_due", None, "cần hạn mới")) == "Hạn mới: cần hạn mới"


# --- the web: one JSON shape from each class's own status and code ---------------------------


def _example(cls: type[KehoachError]) -> KehoachError:
    params = list(inspect.signature(cls.__init__).parameters)[1:]
    if cls is errors.RateLimitedError:
        return cls("thử lại sau", 30)  # type: ignore[call-arg]
    if issubclass(cls, ValidationError) and cls.__module__ == "kehoach.errors":
        return cls("percent", 5, "quy tắc")
    if issubclass(cls, errors.ReadError | errors.BackupError):
        return cls("tep.pdf", "không đọc được")  # type: ignore[call-arg]
    assert params[:1] in ([], ["args"], ["message"]), cls
    return cls("thông báo")


OWN = sorted(
    (c for c in vars(errors).values() if inspect.isclass(c) and issubclass(c, KehoachError) and c is not KehoachError),
    key=lambda c: c.__name__,
)


@pytest.mark.any_database
@pytest.mark.parametrize("cls", OWN, ids=lambda c: c.__name__)
def test_the_web_answers_each_error_with_its_status_and_code(cls: type[KehoachError], site: Site) -> None:
    error = _example(cls)

    def boom() -> None:
        raise error

    site.app.add_api_route("/api/boom", boom)
    r = TestClient(site.app).get("/api/boom")
    assert r.status_code == cls.status
    body = r.json()["error"]
    assert body["code"] == cls.code and body["message"] == str(error)
    if isinstance(error, ValidationError):
        assert (body["field"], body["label"]) == ("percent", "Tỷ lệ hoàn thành")
    if isinstance(error, errors.RateLimitedError):
        assert r.headers["Retry-After"] == "30"


@pytest.fixture
def site(db, monkeypatch) -> Site:
    return make_site(db, monkeypatch)


def test_web_errors_name_fields_in_vietnamese_and_never_the_command_line(site: Site) -> None:
    c = site.client("tc_vl")
    task = site.tasks["tc"]
    r = c.post(f"/api/tasks/{task}/update", json={"percent": "140"})
    body = r.json()["error"]
    assert r.status_code == 422 and body["field"] == "percent"
    assert body["message"].startswith("Tỷ lệ hoàn thành") and "percent" not in body["message"]
    r = c.post(f"/api/tasks/{task}/update", json={"state": "hoàn thành"})
    body = r.json()["error"]
    assert r.status_code == 422 and body["field"] == "product" and body["message"].startswith("Sản phẩm đầu ra")
    assert "--" not in body["message"] and "kehoach" not in body["message"]
    r = c.post("/api/indicators/999999/values", json={"period": "2025-Q1", "value": "1"})
    assert r.status_code == 404 and "kehoach" not in r.json()["error"]["message"]


def test_no_command_line_in_the_messages_of_the_library() -> None:
    """The store, the rules and the web state the fact; only cli/ speaks of commands and options."""
    for folder in ("store", "track", "web"):
        for path in (ROOT / folder).rglob("*.py"):
            for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                if re.search(r"(Error|raise)\b.*`kehoach \w+|\"[^\"]*\(--[a-z]", line):
                    pytest.fail(f"{path.relative_to(ROOT)}:{n} speaks the command line: {line.strip()}")


def test_the_command_line_adds_its_own_hints(db_url: str) -> None:
    run = CliRunner()
    plan = str(Path(__file__).parent / "data" / "plans" / "002_23dbc6410858588b.json")
    assert run.invoke(cli, ["ingest", plan, "--db", db_url]).exit_code == 0
    missing = run.invoke(cli, ["update", "999999", "--percent", "5", "--db", db_url])
    assert missing.exit_code == 1 and "không có nhiệm vụ id 999999 (xem `kehoach tasks`)" in missing.output
    task = run.invoke(cli, ["tasks", "--json", "--db", db_url]).output
    first = re.search(r'"id": (\d+)', task)
    assert first
    done = run.invoke(cli, ["update", first.group(1), "--status", "hoàn thành", "--db", db_url])
    assert done.exit_code == 1 and "(tùy chọn --product SỐ hoặc --file TỆP)" in done.output
    high = run.invoke(cli, ["update", first.group(1), "--percent", "140", "--db", db_url])
    assert "Tỷ lệ hoàn thành '140' không hợp lệ" in high.output and "(tùy chọn --percent)" in high.output


# --- raw form input: a clear 422 naming the field, never a 500 -------------------------------


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/tasks/{tc}/update", {"percent": "10", "version": "abc"}, "version"),
        ("/api/tasks/{tc}/update", {"percent": "nhiều"}, "percent"),
        ("/api/tasks/{tc}/update", {"percent": "10", "on": "31/02/2025"}, "on"),
        ("/api/indicators/{ind}/values", {"period": "2025-Q1", "value": "bảy"}, "value"),
        ("/api/indicators/{ind}/values", {"period": "Quý V/2025", "value": "7"}, "period"),
        ("/api/duties/{duty}/submissions", {"period": "2025-13", "on": "20/06/2025"}, "period"),
        ("/api/duties/{duty}/submissions", {"period": "2025-05", "on": "hôm qua"}, "on"),
    ],
)
def test_bad_form_values_are_422_naming_the_field(site: Site, path: str, payload: dict, field: str) -> None:
    url = path.format(tc=site.tasks["tc"], ind=site.indicators["tc"], duty=site.duties["tv"])
    r = site.client("tc_vl").post(url, json=payload)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [("/api/dashboard", "as_of=31/02/2025", "as_of"), ("/api/plans", "page=x", "page")],
)
def test_bad_query_values_are_422_naming_the_field(site: Site, path: str, query: str, field: str) -> None:
    r = site.client("office_vl").get(f"{path}?{query}")
    assert r.status_code == 422 and r.json()["error"]["field"] == field


def test_forms_accept_what_people_type(site: Site) -> None:
    c = site.client("tc_vl")
    r = c.post(f"/api/tasks/{site.tasks['tc']}/update", json={"percent": "50%", "on": "20/06/2025"})
    assert r.status_code == 200 and r.json()["percent"] == 50
    r = c.post(f"/api/indicators/{site.indicators['tc']}/values", json={"period": "Quý 2/2025", "value": "1.234,5"})
    assert r.status_code == 200, r.text
    assert (r.json()["latest"]["period"], r.json()["latest"]["value"]) == ("2025-Q2", 1234.5)
    half = {"period": "6 tháng cuối năm 2025", "value": "7,5"}
    r = c.post(f"/api/indicators/{site.indicators['tc']}/values", json=half)
    assert r.status_code == 200 and r.json()["latest"]["period"] == "2025-H2"
