"""Evidence files (issue 13 point 3): a task's output and an update's attachments, kept outside the
database by content hash, recognised by content, refused past their size while they arrive,
downloaded only by those who may see the task; `kehoach update --product-file`."""

from __future__ import annotations

import copy
import hashlib
import io
import os
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from test_web_kit import AS_OF, TRA_VINH_PLAN, Site, make_site
from typer.testing import CliRunner

from kehoach.store import Database, EvidenceFile
from kehoach.store.files import FileStore, TooLargeError, sniff, update_with_file
from kehoach.track import ConflictError, ValidationError

MB = 2**20


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Site:
    return make_site(db, monkeypatch, max_upload_mb=1, files_dir=tmp_path / "files")


# --- real files of each kind ------------------------------------------------------------------


def pdf_bytes(text: str = "Báo cáo kết quả thực hiện") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text.encode("ascii", "replace").decode())
    return bytes(pdf.output())


def docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Quyết định ban hành quy chế phối hợp.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Chỉ tiêu", "Giá trị"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def image_bytes(fmt: str) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --- the store ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "make", "name"),
    [
        ("pdf", pdf_bytes, "bao-cao.docx"),  # the name lies: the content decides
        ("docx", docx_bytes, "quyet-dinh.pdf"),
        ("xlsx", xlsx_bytes, "so-lieu"),
        ("png", lambda: image_bytes("PNG"), "anh.jpg"),
        ("jpeg", lambda: image_bytes("JPEG"), "anh.png"),
    ],
)
def test_a_file_is_recognised_by_its_content_not_its_name(tmp_path: Path, kind: str, make, name: str) -> None:
    assert sniff(_write(tmp_path, name, make()), name).key == kind


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("bao-cao.pdf", b"<html><script>alert(1)</script></html>", "theo nội dung"),
        ("anh.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "theo nội dung"),
        ("tai-lieu.docx", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "không phải DOCX"),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), ".docx"),
        ("hong.xlsx", b"PK\x03\x04 broken", "bị hỏng"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_anything_else_is_refused_naming_the_file(tmp_path: Path, name: str, data: bytes, said: str) -> None:
    with pytest.raises(ValidationError) as e:
        sniff(_write(tmp_path, "x", data), name)
    assert e.value.field == "file" and name in str(e.value) and said in str(e.value)


def test_a_file_is_refused_as_soon_as_it_passes_its_limit(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    read = []

    def endless() -> Iterator[bytes]:
        while True:
            read.append(1)
            yield b"%PDF-" + bytes(64 * 1024 - 5)

    with pytest.raises(TooLargeError, match="lớn hơn 1 MB"):
        store.put(endless(), "lon.pdf", 1 * MB)
    assert len(read) == 17  # 16 chunks fit in 1 MB: the 17th is refused, nothing more is read
    assert list((tmp_path / "files").rglob("*")) == [tmp_path / "files" / "tmp"]  # no half file anywhere


def test_a_write_that_fails_midway_leaves_no_file(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")

    def broken() -> Iterator[bytes]:
        yield b"%PDF-1.4 first part"
        raise OSError("the connection dropped")

    with pytest.raises(OSError):
        store.put(broken(), "x.pdf", MB)
    assert [p for p in (tmp_path / "files").rglob("*") if p.is_file()] == []


def test_files_are_named_by_their_hash_and_kept_once(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    data = pdf_bytes()
    a = store.put([data[:100], data[100:]], "a.pdf", MB)
    b = store.put([data], "b.pdf", MB)
    assert a.sha256 == b.sha256 == hashlib.sha256(data).hexdigest() and a.size == len(data)
    assert store.path(a.sha256).read_bytes() == data
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [a.sha256]
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")


def test_what_a_killed_process_left_half_written_is_dropped(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    old, fresh = store.tmp / ".up-old", store.tmp / ".up-fresh"
    old.write_bytes(b"%PDF-1.4 half")
    fresh.write_bytes(b"%PDF-1.4 arriving")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert store.drop_partial(3600) == 1
    assert not old.exists() and fresh.exists()  # an upload still arriving is left alone


def _task(db: Database) -> int:
    plan = db.ingest(copy.deepcopy(TRA_VINH_PLAN)).plan_id
    return db.tasks(plan=plan, as_of=AS_OF)[0]["id"]


def _evidence_rows(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(EvidenceFile)).scalar_one()


def test_done_with_a_file_instead_of_a_number(db: Database, tmp_path: Path) -> None:
    task = _task(db)
    path = _write(tmp_path, "Báo cáo tổng kết.pdf", pdf_bytes())
    with pytest.raises(ValidationError, match="sản phẩm"):  # neither a number nor a file
        db.update_task(task, actor="tc", state="done")
    result = update_with_file(db, task, path, root=tmp_path / "files", actor="tc", state="hoàn thành")
    assert result["state"] == "done" and result["product_file"] == "Báo cáo tổng kết.pdf"
    [f] = db.evidence(task)
    assert f["role"] == "output" and f["update_id"] == result["update"]["id"] and f["kind"] == "pdf"
    assert (tmp_path / "files" / f["sha256"][:2] / f["sha256"]).read_bytes() == path.read_bytes()
    assert db.audit(entity="task", entity_id=task)[-1]["action"] == "attach"


def test_an_update_refused_records_no_file(db: Database, tmp_path: Path) -> None:
    task = _task(db)
    path = _write(tmp_path, "sp.pdf", pdf_bytes())
    stale = db.task(task)["version"] - 1
    with pytest.raises(ConflictError):
        update_with_file(db, task, path, root=tmp_path / "files", actor="tc", state="done", expected_version=stale)
    assert _evidence_rows(db) == 0 and db.task(task)["updates"] == [] and db.task(task)["state"] != "done"
    with pytest.raises(ValidationError, match="chỉ nhận tệp"):  # a file of no accepted kind: not even kept
        update_with_file(db, task, _write(tmp_path, "x.pdf", b"just text"), root=tmp_path / "f2", actor="tc")
    assert not [p for p in (tmp_path / "f2").rglob("*") if p.is_file()]


def test_cli_update_with_a_product_file(db: Database, db_url: str, tmp_path: Path, monkeypatch) -> None:
    from kehoach.cli import app

    task = _task(db)
    monkeypatch.setenv("KEHOACH_FILES_DIR", str(tmp_path / "files"))
    path = _write(tmp_path, "kq.xlsx", xlsx_bytes())
    r = CliRunner().invoke(
        app, ["update", str(task), "--status", "hoàn thành", "--product-file", str(path), "--db", db_url, "--by", "tc"]
    )
    assert r.exit_code == 0, r.output
    [f] = db.evidence(task)
    assert (f["name"], f["kind"], db.task(task)["state"]) == ("kq.xlsx", "xlsx", "done")
    assert FileStore(tmp_path / "files").has(f["sha256"])
    bad = _write(tmp_path, "kq2.xlsx", b"<html></html>")
    r = CliRunner().invoke(app, ["update", str(task), "--product-file", str(bad), "--db", db_url])
    assert r.exit_code == 1 and "kq2.xlsx" in r.output and "chỉ nhận tệp" in r.output


def test_the_tables_agree_with_the_migration(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kehoach.store import Base

    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diffs if "evidence_files" in str(d) or "web_jobs" in str(d)] == []


# --- the web ------------------------------------------------------------------------------------


def _post_update(c, task: int, data: dict, files: list[tuple[str, tuple[str, bytes, str]]]):
    return c.post(f"/api/tasks/{task}/update", data=data, files=files)


def test_an_officer_marks_a_task_done_with_its_output_file(site: Site) -> None:
    c = site.client("tc_vl")
    task = site.tasks["tc"]
    data = pdf_bytes()
    r = _post_update(
        c,
        task,
        {"state": "done", "narrative": "Đã ban hành"},
        [
            ("product_file", ("Kết quả giải ngân.pdf", data, "application/pdf")),
            ("attachments", ("anh-hop.png", image_bytes("PNG"), "image/png")),
            ("attachments", ("bien-ban.docx", docx_bytes(), "application/octet-stream")),
        ],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["state"] == "done" and body["product_file"] == "Kết quả giải ngân.pdf"
    assert [(f["name"], f["role"]) for f in body["files"]] == [
        ("Kết quả giải ngân.pdf", "output"),
        ("anh-hop.png", "attachment"),
        ("bien-ban.docx", "attachment"),
    ]
    out = body["files"][0]
    # anyone who may see the task downloads it, as an attachment under its own name
    for who in ("tc_vl", "ct_vl", "leader_vl", "office_vl", "admin"):
        d = site.client(who).get(f"/files/{out['id']}")
        assert d.status_code == 200, who
        assert d.content == data and d.headers["content-type"] == "application/pdf"
        assert d.headers["content-disposition"].startswith("attachment;")
        assert "UTF-8''K%E1%BA%BFt%20qu%E1%BA%A3" in d.headers["content-disposition"]
        assert "sandbox" in d.headers["content-security-policy"]
    # another province's people, and nobody logged in, do not
    assert site.client("tc_ag").get(f"/files/{out['id']}").status_code in (403, 404)
    assert site.client("office_ag").get(f"/api/files/{out['id']}").status_code in (403, 404)
    assert site.client().get(f"/api/files/{out['id']}").status_code == 401
    assert site.client("tc_vl").get("/api/files/999999").status_code == 404
    page = c.get(f"/tasks/{task}").text
    assert "Kết quả giải ngân.pdf" in page and f'href="/files/{out["id"]}"' in page
    assert [f["name"] for f in c.get(f"/api/tasks/{task}").json()["files"]][0] == "Kết quả giải ngân.pdf"


def test_the_task_page_names_who_updated_and_who_sent_each_file(site: Site) -> None:
    """The office reads a person's name, not a login ("tc_vl"); a change made from the command
    line keeps the name it was recorded under."""
    from test_web_kit import PASSWORD, login

    from kehoach.web import accounts

    accounts.create_user(
        site.db, "an.tc", PASSWORD, role="officer", province="Vĩnh Long", agency="Sở Tài chính", name="Nguyễn Văn An"
    )
    task = site.tasks["tc"]
    site.db.update_task(task, actor="nhap-lieu", percent=10.0)
    c = site.client()
    login(c, "an.tc")
    r = _post_update(c, task, {"state": "done"}, [("product_file", ("bao-cao.pdf", pdf_bytes(), "application/pdf"))])
    assert r.status_code == 200, r.text
    page = site.client("office_vl").get(f"/tasks/{task}").text
    updates = page[page.index('id="updates"') :]
    files = page[page.index('id="files"') : page.index('id="updates"')]
    assert "Nguyễn Văn An" in files and "an.tc" not in files
    assert "Nguyễn Văn An" in updates and ">an.tc<" not in updates and ">nhap-lieu<" in updates


@pytest.mark.any_database
def test_a_file_of_another_kind_or_too_large_is_refused_and_nothing_is_recorded(site: Site) -> None:
    c = site.client("tc_vl")
    task = site.tasks["tc"]
    r = _post_update(
        c, task, {"state": "done"}, [("product_file", ("bao-cao.pdf", b"<html>x</html>", "application/pdf"))]
    )
    assert r.status_code == 422 and "bao-cao.pdf" in r.json()["error"]["message"]
    big = b"%PDF-1.4\n" + bytes(2 * MB)  # the site's limit is 1 MB
    r = _post_update(c, task, {"state": "done"}, [("product_file", ("lon.pdf", big, "application/pdf"))])
    assert r.status_code == 413 and "lon.pdf" in r.json()["error"]["message"]
    assert site.db.task(task)["updates"] == [] and _evidence_rows(site.db) == 0
    files = site.app.state.files.root
    assert [p for p in files.rglob("*") if p.is_file()] == []  # neither kept nor left half-written


def test_done_needs_a_number_or_a_file_and_a_file_name_cannot_be_claimed(site: Site) -> None:
    c = site.client("tc_vl")
    task = site.tasks["tc"]
    r = c.post(f"/api/tasks/{task}/update", json={"state": "done", "product_file": "bao-cao.pdf"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "product"
    r = _post_update(c, task, {"state": "done", "product_number": "12/QĐ-UBND"}, [])
    assert r.status_code == 200 and r.json()["state"] == "done" and r.json()["files"] == []


def test_only_the_lead_department_attaches_files(site: Site) -> None:
    r = _post_update(
        site.client("ct_vl"), site.tasks["tc"], {"state": "done"}, [("product_file", ("x.pdf", pdf_bytes(), "a/b"))]
    )
    assert r.status_code == 403
    assert [p for p in site.app.state.files.root.rglob("*") if p.is_file()] == []  # a stranger's bytes are not kept


@pytest.mark.any_database
def test_the_form_on_the_task_page_sends_files(site: Site) -> None:
    c = site.client("tc_vl")
    token = c.headers.pop("X-CSRF-Token")
    page = c.get(f"/tasks/{site.tasks['tc']}").text
    assert 'enctype="multipart/form-data"' in page and 'name="product_file"' in page
    r = c.post(
        f"/tasks/{site.tasks['tc']}/update",
        data={"csrf_token": token, "state": "done", "next": "/tasks/mine"},
        files=[("product_file", ("sp.jpg", image_bytes("JPEG"), "image/jpeg"))],
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/tasks/mine"
    r = c.post(
        f"/tasks/{site.tasks['tc']}/update",
        data={"csrf_token": "wrong", "percent": "10"},
        files=[("attachments", ("a.png", image_bytes("PNG"), "image/png"))],
    )
    assert r.status_code == 403
    assert len(site.db.evidence(site.tasks["tc"])) == 1


# --- indicator values from "Nhiệm vụ của tôi" (issue 13 point 4) ------------------------------------


def test_an_officer_enters_a_value_from_my_tasks_as_people_write_it(site: Site) -> None:
    c = site.client("tc_vl")
    mine, theirs = site.indicators["tc"], site.indicators["ct"]
    page = c.get("/tasks/mine").text
    assert f'action="/indicators/{mine}/values"' in page and f'action="/indicators/{theirs}/values"' not in page
    assert '<datalist id="periods">' in page and 'list="periods"' in page
    token = c.headers.pop("X-CSRF-Token")
    r = c.post(
        f"/indicators/{mine}/values",
        data={"csrf_token": token, "period": "Quý 3/2026", "value": "7,5", "next": f"/tasks/mine#indicator-{mine}"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/tasks/mine#indicator-{mine}"
    latest = site.db.indicator(mine)["latest"]
    assert (latest["period"], latest["value"], latest["kind"]) == ("2026-Q3", 7.5, "estimate")
    c.headers["X-CSRF-Token"] = token
    r = c.post(f"/api/indicators/{mine}/values", json={"period": "năm 2026", "value": "50%", "kind": "official"})
    assert r.status_code == 200, r.text
    latest = site.db.indicator(mine)["latest"]
    assert (latest["period"], latest["value"], latest["kind"]) == ("2026", 50.0, "official")
    r = c.post(f"/api/indicators/{mine}/values", json={"period": "Quý 5/2026", "value": "1"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "period"
    assert "Quý 3/2026" in c.get("/tasks/mine").text or "Quý III năm 2026" in c.get("/tasks/mine").text
    assert (
        site.client("ct_vl").post(f"/api/indicators/{mine}/values", json={"period": "2026", "value": "1"}).status_code
        == 403
    )


def test_an_upload_cut_short_is_refused_and_nothing_is_kept(site: Site) -> None:
    # no closing boundary: the connection dropped mid-file
    cut = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="kh.txt"\r\n\r\n' + "KẾ HOẠCH".encode()
    headers = {"content-type": "multipart/form-data; boundary=xyz"}
    r = site.client("office_vl").post("/api/drafts", content=cut, headers=headers)
    assert r.status_code == 422 and "cắt ngang" in r.json()["error"]["message"]
    r = site.client("tc_vl").post(f"/api/tasks/{site.tasks['tc']}/update", content=cut, headers=headers)
    assert r.status_code == 422 and site.db.task(site.tasks["tc"])["updates"] == []
    assert site.client("office_vl").get("/api/drafts").json()["drafts"] == []
    assert [p for p in site.app.state.files.root.rglob("*") if p.is_file()] == []
