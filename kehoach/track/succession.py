"""Agency and province history: who succeeds whom, from which date.

The rules are data (`data/provinces.csv`, `data/succession.csv`, and the same
files in the user's data directory to extend them); this module only reads them
and answers "who owns this today?". Pure: no database.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import DATA
from ..errors import SuccessionError
from ..vn import fold


@dataclass(frozen=True)
class Rule:
    """`predecessor` is succeeded by `successor` from `effective` (in `province`, or anywhere)."""

    predecessor: str
    successor: str
    effective: date
    province: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Step:
    """One link of an agency's history: from (name, province) to (name, province) on a date."""

    on: date
    name: str
    province: str | None
    note: str


@dataclass
class Registry:
    """Province and agency succession rules, with the province aliases."""

    province_rules: list[Rule] = field(default_factory=list)
    agency_rules: list[Rule] = field(default_factory=list)
    province_aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> name
    province_kinds: dict[str, str] = field(default_factory=dict)  # folded name -> "tỉnh" | "thành phố"

    def province(self, name: str | None) -> str | None:
        """The canonical name of a province as written in a document, or the name itself."""
        if not name:
            return None
        return self.province_aliases.get(fold(name), " ".join(name.split()))

    def resolve(self, name: str, province: str | None, on: date) -> tuple[str, str | None, list[Step]]:
        """The agency that holds `name`'s duties in `province` on date `on`, and the steps to it.

        When a province merges, a body named after it takes the successor's name
        (`Ủy ban nhân dân tỉnh Trà Vinh` → `Ủy ban nhân dân tỉnh Vĩnh Long`)."""
        province = self.province(province)
        steps: list[Step] = []
        events = sorted(
            [(r.effective, 0, i, r) for i, r in enumerate(self.agency_rules)]
            + [(r.effective, 1, i, r) for i, r in enumerate(self.province_rules)]
        )
        for effective, kind, _, rule in events:
            if effective > on:
                break
            if kind == 0:
                applies = rule.province is None or self.province(rule.province) == province
                if applies and fold(rule.predecessor) == fold(name):
                    name = rule.successor
                    steps.append(Step(effective, name, province, rule.note))
            elif province is not None and self.province(rule.predecessor) == province:
                old, province = province, self.province(rule.successor)
                name = self.renamed(name, old, province or old)
                steps.append(Step(effective, name, province, rule.note))
        return name, province, steps

    def is_city(self, province: str | None) -> bool:
        """A centrally-run city (thành phố trực thuộc Trung ương), not a province (tỉnh)."""
        return bool(province) and self.province_kinds.get(fold(self.province(province) or "")) == "thành phố"

    def local_name(self, province: str) -> str:
        """`tỉnh Vĩnh Long`, `thành phố Hà Nội`, `Thành phố Hồ Chí Minh`: as a body's name ends."""
        if fold(province).startswith("thanh pho "):
            return province
        return f"{'thành phố' if self.is_city(province) else 'tỉnh'} {province}"

    def renamed(self, name: str, old: str, new: str) -> str:
        """`name` with the province `old` in it replaced by `new` (`Tỉnh ủy` becomes `Thành ủy` in a
        city); unchanged when it does not name `old`."""
        pattern = re.compile(r"(?:\b(?:tỉnh|thành phố|tp\.?)\s+)?" + re.escape(old) + r"(?!\w)", re.IGNORECASE)
        if not pattern.search(name):
            return name
        out = pattern.sub(self.local_name(new), name, count=1)
        if self.is_city(new):
            out = re.sub(r"\bTỉnh ủy\b", "Thành ủy", out)
        return out

    def now(self, name: str, province: str | None, on: date) -> str:
        """The name of whoever holds `name`'s duties on `on`."""
        return self.resolve(name, province, on)[0]

    def formerly(self, name: str, province: str | None, on: date) -> str:
        """`Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)`: the old name where history needs it,
        with today's; the name alone when it has not changed."""
        current = self.now(name, province, on)
        return name if fold(current) == fold(name) else f"{name} (nay là {current})"

    def province_on(self, province: str | None, on: date) -> str | None:
        return self.resolve("", province, on)[1]

    def current_provinces(self, on: date) -> list[str]:
        names = {v for v in self.province_aliases.values()}
        return sorted(p for p in names if self.province_on(p, on) == p)


def _rows(text: str) -> Iterable[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for row in csv.DictReader(lines):
        yield {k.strip(): (v or "").strip() for k, v in row.items() if k}


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SuccessionError(f"{where}: ngày '{value}' không hợp lệ (cần YYYY-MM-DD)") from None


def _need(row: dict[str, str], column: str, where: str) -> str:
    if not row.get(column):
        raise SuccessionError(f"{where}: thiếu cột '{column}' (tiêu đề cần có {', '.join(row) or 'các cột'})")
    return row[column]


def parse(provinces_csv: str, succession_csv: str, registry: Registry | None = None) -> Registry:
    """Add the rules of two CSV texts to `registry` (a new one by default)."""
    reg = registry or Registry()
    for i, row in enumerate(_rows(provinces_csv), 1):
        name = _need(row, "name", f"provinces.csv bản ghi {i}")
        reg.province_aliases[fold(name)] = name
        reg.province_kinds[fold(name)] = row.get("kind") or "tỉnh"
        for alias in filter(None, row.get("aliases", "").split("|")):
            reg.province_aliases[fold(alias)] = name
        if row.get("successor"):
            when = _date(row.get("effective", ""), f"provinces.csv bản ghi {i} ({name})")
            reg.province_rules.append(Rule(name, row["successor"], when, None, row.get("note", "")))
    for i, row in enumerate(_rows(succession_csv), 1):
        where = f"succession.csv bản ghi {i}"
        when = _date(row.get("effective", ""), where)
        reg.agency_rules.append(
            Rule(
                _need(row, "predecessor", where),
                _need(row, "successor", where),
                when,
                row.get("province") or None,
                row.get("note", ""),
            )
        )
    return reg


def load(user_dir: Path | None = None) -> Registry:
    """The packaged rules, extended by `provinces.csv`/`succession.csv` in `user_dir` if present."""
    data = DATA
    reg = parse((data / "provinces.csv").read_text("utf-8"), (data / "succession.csv").read_text("utf-8"))
    if user_dir is not None:
        extra = [user_dir / "provinces.csv", user_dir / "succession.csv"]
        texts = [p.read_text("utf-8") if p.exists() else "" for p in extra]
        if any(texts):
            parse(texts[0], texts[1], reg)
    return reg
