"""Growth-scenario tables: sectors × periods (`Quý I`, `6 tháng`, `Cả năm`) of indices
such as 107.27 (7.27 % above the same period of the previous year)."""

from __future__ import annotations

import re

from ..model import Scenario, ScenarioRow
from .numbers import parse_number
from .structure import Table

PERIOD = re.compile(r"^(?:Quý\s+(?:I|II|III|IV|[1-4])|6\s+tháng|9\s+tháng|Cả\s+năm|Năm\s+\d{4}|Tháng\s+\d+)", re.I)
PERIOD_END = re.compile(r"(?:Quý\s+(?:IV|III|II|I|[1-4])|6\s+tháng|9\s+tháng|Cả\s+năm)$", re.I)
CODE = re.compile(r"^(?:\d{1,2}\.?|[a-zđ]\)|[IVX]+\.?|[-+*•])$")


def is_scenario_table(table: Table) -> bool:
    return any(sum(1 for c in row if PERIOD.match(c)) >= 2 for row in table.rows[:3])


def scenario(table: Table, title: str) -> Scenario:
    head_at = next(i for i, row in enumerate(table.rows[:3]) if sum(1 for c in row if PERIOD.match(c)) >= 2)
    head = table.rows[head_at]
    # a period label may end a merged header cell (`Kịch bản tăng trưởng ... Quý I`)
    columns = [c if PERIOD.match(c) else m.group() for c in head if (m := PERIOD.match(c) or PERIOD_END.search(c))]
    n = len(columns)
    rows = []
    for row in table.rows[head_at + 1 :]:
        # period headers sit under a merged header cell: align the values from the right
        cells = (row + [""] * n)[: max(len(row), n)]
        values = [parse_number(c, decimal_point=True) for c in cells[-n:]]
        if not any(v is not None for v in values):
            continue
        text_cells = [c for c in cells[:-n] if c]
        code = text_cells[0] if len(text_cells) > 1 and CODE.match(text_cells[0]) else None
        name = text_cells[-1] if text_cells else ""
        rows.append(ScenarioRow(code, name, values))
    return Scenario(title, columns, rows)
