"""The report's form on the web: every field filled with its default from the plan and the
account's province, the office's changes carried into the file, bad input refused with a 422."""

from __future__ import annotations

import copy
import io
from datetime import date

import pytest
from docx import Document
from test_web_kit import TRA_VINH_PLAN, Site, make_site

from kehoach.store import Database


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    return make_site(db, monkeypatch)


def test_the_form_starts_from_the_plan_and_the_accounts_province(site: Site) -> None:
    office = site.client("office_vl")
    form = office.get(f"/api/plans/{site.tra_vinh}/report?period=2025-Q3&form=1&as_of=2025-10-08").json()
    # Trà Vinh's plan, reported after the merger: Vĩnh Long issues it, from Vĩnh Long
    assert (form["issuer"], form["place"], form["date"], form["cutoff"]) == (
        "Ủy ban nhân dân tỉnh Vĩnh Long",
        "Vĩnh Long",
        "08/10/2025",
        "30/09/2025",
    )
    assert form["signature"] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] and form["filing"] == "Lưu: VT, TH"
    assert form["decree09_cutoff"] == "14/09/2025"  # Decree 09's data window, offered beside it
    assert "Văn phòng Ủy ban nhân dân tỉnh" not in form["recipients"]  # the issuer's own office: never
    page = office.get(f"/plans/{site.tra_vinh}/report?as_of=2025-10-08")
    assert page.status_code == 200
    assert 'name="issuer" value="Ủy ban nhân dân tỉnh Vĩnh Long"' in page.text
    assert 'name="place" value="Vĩnh Long"' in page.text and "Nơi nhận" in page.text
    plan = office.get(f"/plans/{site.tra_vinh}").text
    assert f'action="/plans/{site.tra_vinh}/report"' in plan and 'name="form"' in plan


def test_the_offices_choices_go_into_the_report(site: Site) -> None:
    office = site.client("office_vl")
    r = office.get(
        f"/plans/{site.tra_vinh}/report",
        params={
            "period": "Quý III/2025",
            "format": "docx",
            "date": "08/10/2025",
            "number": "215/BC-UBND",
            "signer_title": "Phó Chủ tịch",
            "signer_name": "Nguyễn Quỳnh Thiện",
            "recipients": "Văn phòng Chính phủ\nBộ Tài chính\nỦy ban nhân dân tỉnh Vĩnh Long",
            "filing": "KT",
        },
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"].endswith(f'bao-cao-{site.tra_vinh}-2025-Q3.docx"')
    doc = Document(io.BytesIO(r.content))
    (issuer, _), (number, place) = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert (issuer.strip(), number, place) == (
        "ỦY BAN NHÂN DÂN\nTỈNH VĨNH LONG",
        "Số: 215/BC-UBND",
        "Vĩnh Long, ngày 08 tháng 10 năm 2025",
    )
    recipients, signature = [c.text for c in doc.tables[-1].rows[0].cells]
    assert recipients.split("\n") == ["Nơi nhận:", "- Văn phòng Chính phủ;", "- Bộ Tài chính;", "- Lưu: VT, KT."]
    assert [x for x in signature.split("\n") if x.strip()] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Quỳnh Thiện",
    ]


def test_bad_fields_are_refused_and_other_provinces_kept_out(site: Site) -> None:
    office = site.client("office_vl")
    url = f"/api/plans/{site.tra_vinh}/report"
    bad = office.get(url, params={"period": "2025-Q3", "cutoff": "31/09/2025"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "cutoff"
    outside = office.get(url, params={"period": "2025-Q3", "cutoff": "15/10/2025"})  # after the period
    assert outside.status_code == 422 and "ngoài kỳ" in outside.json()["error"]["message"]
    assert office.get(url, params={"period": "2025-Q3", "signer_name": "x" * 500}).status_code == 422
    assert site.client("office_ag").get(url).status_code in (403, 404)  # another province: not this office's


def test_a_department_of_a_group_duty_records_its_own_report(site: Site) -> None:
    """`Các sở, ban, ngành báo cáo hằng tháng`: each department records its own report, and the
    compliance counts it for that department."""
    plan = copy.deepcopy(TRA_VINH_PLAN) | {"source": "kh-3.txt"}
    plan["document"] = plan["document"] | {"number": "3/KH-UBND"}
    plan["reporting"] = [
        {
            "reporters": ["Các sở, ban, ngành"],
            "recipient": "Văn phòng Ủy ban nhân dân tỉnh",
            "frequency": "monthly",
            "deadlines": [],
            "text": "Các sở, ban, ngành báo cáo hằng tháng.",
        }
    ]
    plan_id = site.db.ingest(plan).plan_id
    duty = site.db.duties(plan=plan_id)[0]["id"]
    assert site.db.owed_by(duty, date(2025, 5, 20)) == ["Sở Tài chính", "Sở Công Thương"]
    officer = site.client("tc_vl")
    r = officer.post(f"/api/duties/{duty}/submissions?as_of=2025-05-20", json={"period": "2025-05"})
    assert r.status_code == 200, r.text
    assert r.json()["agency"] == "Sở Tài chính"
    rows = site.db.calendar(date(2025, 5, 1), date(2025, 5, 31), as_of=date(2025, 5, 31), plan=plan_id)
    assert {(x["agency"], x["state"], x["group"]) for x in rows} == {
        ("Sở Tài chính", "đúng hạn", "Các sở, ban, ngành"),
        ("Sở Công Thương", "quá hạn", "Các sở, ban, ngành"),
    }


def test_a_department_issues_the_report_from_a_place_of_its_choosing(site: Site) -> None:
    """Issuer and place set in the form: the department's heading under the committee, its code
    in the number, its director's signature, the place as typed."""
    office = site.client("office_vl")
    params = {"period": "2025-Q3", "date": "08/10/2025", "issuer": "Sở Tài chính", "place": "Long Châu"}
    r = office.get(f"/plans/{site.tra_vinh}/report", params=params | {"signer_title": "Phó Giám đốc"})
    assert r.status_code == 200, r.text
    doc = Document(io.BytesIO(r.content))
    (issuer, _), (number, place) = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert issuer.strip().split("\n") == ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG", "SỞ TÀI CHÍNH"]
    assert (number, place) == ("Số:      /BC-STC", "Long Châu, ngày 08 tháng 10 năm 2025")
    recipients, signature = [c.text for c in doc.tables[-1].rows[0].cells]
    assert [x for x in signature.split("\n") if x.strip()] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert "- Sở Tài chính;" not in recipients.split("\n")  # never the issuer itself
    texts = [p.text for p in doc.paragraphs]
    assert any(", Sở Tài chính báo cáo kết quả thực hiện quý III năm 2025" in t for t in texts)
