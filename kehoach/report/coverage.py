"""Coverage: which task groups each plan implementing the same resolution covers.

Provincial plans copy the parent resolution's group headings nearly word for word, so groups
are matched by the overlap of their words (Dice coefficient on folded words, function words
left out). Against a loaded parent plan, each parent task is looked for among the child's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..errors import KehoachError
from ..vn import fold

GROUP_THRESHOLD = 0.4  # a child may split a parent's group: each part still shares 0.4
TASK_THRESHOLD = 0.5
ORGANISATION = "to chuc thuc hien"
# Words that say nothing about the subject of a group heading.
# fmt: off
_FILLER = frozenset((
    "nhom", "nhiem", "vu", "giai", "phap", "ve", "va", "cac", "cua", "trong", "de", "voi",
    "tiep", "tuc", "tap", "trung", "day", "manh", "tang", "cuong", "nang", "cao", "bao", "dam",
    "gan", "thuc", "hien", "hieu", "qua", "mot", "so", "chu", "yeu",
))
# fmt: on


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\w+", fold(text)) if w not in _FILLER and len(w) > 1)


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' content words: 1 the same, 0 nothing shared."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def plan_label(plan: dict) -> str:
    doc = plan.get("document") or {}
    number = doc.get("number") or "(chưa số)"
    return f"{number} ({doc.get('province')})" if doc.get("province") else number


@dataclass(frozen=True)
class CoverageRow:
    group: str
    counts: tuple[int, ...]  # tasks per plan, in the order of `Coverage.plans`


@dataclass(frozen=True)
class Coverage:
    plans: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    reference: str | None  # the parent plan whose groups are the rows, if one was given

    def covered(self, plan: int) -> int:
        return sum(1 for r in self.rows if r.counts[plan])


def _sections(plan: dict) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for t in plan.get("tasks") or []:
        s = (t.get("section") or "").strip()
        if s and fold(s) != ORGANISATION:
            counts[s] = counts.get(s, 0) + 1
    return list(counts.items())


def compare_coverage(plans: Sequence[dict], parent: dict | None = None, threshold: float = GROUP_THRESHOLD) -> Coverage:
    """Task groups × plans: how many of each plan's tasks fall in each group (0: not covered).

    The rows are the parent's groups when a parent is given (a child's group matching none
    of them is added below), else the union of the plans' groups in order of appearance.
    """
    groups: list[str] = [s for s, _ in _sections(parent)] if parent else []
    origin: list[int] = [-1] * len(groups)  # which plan brought the group in (-1: the parent)
    counts: list[list[int]] = [[0] * len(plans) for _ in groups]
    for j, plan in enumerate(plans):
        for section, n in _sections(plan):
            best, best_i = threshold, None
            for i, g in enumerate(groups):
                if origin[i] == j:  # a plan's own groups are distinct
                    continue
                score = similarity(section, g)
                if score >= best:
                    best, best_i = score, i
            if best_i is None:
                groups.append(section)
                origin.append(j)
                counts.append([0] * len(plans))
                best_i = len(groups) - 1
            counts[best_i][j] += n
    rows = tuple(CoverageRow(g, tuple(c)) for g, c in zip(groups, counts, strict=True))
    return Coverage(tuple(plan_label(p) for p in plans), rows, plan_label(parent) if parent else None)


@dataclass(frozen=True)
class Gap:
    """A parent task the child plan has no close counterpart for."""

    section: str
    text: str
    best: float  # the closest child task's similarity


def uncovered(parent: dict, child: dict, threshold: float = TASK_THRESHOLD) -> list[Gap]:
    """The parent's tasks with no child task sharing at least `threshold` of their words."""
    child_words = [words(t["text"]) for t in child.get("tasks") or []]
    out = []
    for t in parent.get("tasks") or []:
        w = words(t["text"])
        best = max((2 * len(w & c) / (len(w) + len(c)) for c in child_words if w and c), default=0.0)
        if best < threshold:
            out.append(Gap(t.get("section") or "", t["text"], round(best, 2)))
    return out


def write_coverage_xlsx(coverage: Coverage, out: str | Path, gaps: dict[str, list[Gap]] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Bao quát"
    header = ["STT", "Nhóm nhiệm vụ", *coverage.plans]
    for j, h in enumerate(header, start=1):
        c = ws.cell(1, j, h)
        c.font = Font(name="Times New Roman", bold=True)
        c.alignment = Alignment(wrap_text=True, horizontal="center")
        ws.column_dimensions[get_column_letter(j)].width = 70 if j == 2 else 16
    for i, r in enumerate(coverage.rows, start=2):
        ws.cell(i, 1, i - 1)
        ws.cell(i, 2, r.group).alignment = Alignment(wrap_text=True)
        for j, n in enumerate(r.counts, start=3):
            ws.cell(i, j, n)
    last = len(coverage.rows) + 2
    ws.cell(last, 2, "Số nhóm có nhiệm vụ").font = Font(bold=True)
    for j in range(len(coverage.plans)):
        ws.cell(last, j + 3, coverage.covered(j)).font = Font(bold=True)
    for name, items in (gaps or {}).items():
        gs = wb.create_sheet(f"Chưa có - {name}"[:31].replace("/", "-"))
        for j, h in enumerate(["STT", "Nhóm nhiệm vụ", "Nhiệm vụ của văn bản cấp trên", "Độ giống gần nhất"], start=1):
            gs.cell(1, j, h).font = Font(bold=True)
        for i, g in enumerate(items, start=2):
            for j, v in enumerate([i - 1, g.section, g.text, g.best], start=1):
                gs.cell(i, j, v)
        gs.column_dimensions["B"].width = 40
        gs.column_dimensions["C"].width = 90
    out = Path(out)
    wb.save(out)
    return out


def plans_implementing(db: Any, resolution: str) -> list[tuple[int, dict]]:
    """Plans in the register whose document says it implements `resolution` (`01/NQ-CP`)."""
    want = fold(resolution).replace(" ", "")
    found = []
    for p in db.plans():
        data = db.plan_data(p["id"])
        implements = (data.get("document") or {}).get("implements") or []
        if any(fold(x).replace(" ", "") == want for x in implements):
            found.append((p["id"], data))
    return found


def coverage_from_db(
    db: Any,
    plan_ids: Sequence[int] = (),
    *,
    resolution: str | None = None,
    parent: int | None = None,
) -> tuple[Coverage, dict[str, list[Gap]]]:
    """`kehoach coverage`: the plans given, or all implementing `resolution`, side by side;
    with a parent plan, also each plan's parent tasks without a counterpart."""
    found = [(i, db.plan_data(i)) for i in plan_ids]
    if resolution:
        found += [(i, d) for i, d in plans_implementing(db, resolution) if i not in plan_ids]
    found = [(i, d) for i, d in found if i != parent]
    if not found:
        raise KehoachError(
            "Không có kế hoạch nào để so sánh: nêu id kế hoạch hoặc --resolution với số ký hiệu "
            "văn bản cấp trên (vd 01/NQ-CP); xem `kehoach plans`"
        )
    parent_data = db.plan_data(parent) if parent is not None else None
    coverage = compare_coverage([d for _, d in found], parent_data)
    gaps = {}
    if parent_data is not None:
        gaps = {plan_label(d): uncovered(parent_data, d) for _, d in found}
    return coverage, gaps
