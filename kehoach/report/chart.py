"""Charts of growth against the scenario, as PNG bytes (matplotlib, no GUI backend)."""

from __future__ import annotations

import io
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..track.growth import PERIOD_LABELS, PERIODS, GrowthAnalysis
from ..vn import fmt_number

SCENARIO_COLOUR = "#9bb7d4"
ACTUAL_COLOUR = "#1f4e79"


def _vn(value: float, decimals: int = 2) -> str:
    return fmt_number(value, decimals)


def _contributions(analysis: GrowthAnalysis) -> tuple[str | None, list]:
    """The latest cumulative period with sector contributions, and those sectors."""
    total = analysis.total
    period = next((p for p in ("Y", "9M", "H1", "Q1") if p in total.actual and total.contribution), None)
    return period, [r for r in analysis.rows if r.level == 1 and period in r.contribution]


def contributions_shown(analysis: GrowthAnalysis) -> bool:
    """Whether the chart has its second panel (sector contributions): a caption names only that."""
    return bool(_contributions(analysis)[1])


def growth_chart_png(analysis: GrowthAnalysis, dpi: int = 150) -> bytes:
    """GRDP growth by period, scenario beside actual; and the sectors' contributions (pp)."""
    fig = Figure(figsize=(10, 4.2), dpi=dpi)
    FigureCanvasAgg(fig)
    total = analysis.total
    periods = [p for p in PERIODS if p in total.scenario or p in total.actual]
    contrib_period, sectors = _contributions(analysis)
    ax = fig.add_subplot(1, 2 if sectors else 1, 1)
    xs = range(len(periods))
    width = 0.38
    scen = [total.scenario.get(p, 0.0) for p in periods]
    bars = ax.bar([x - width / 2 for x in xs], scen, width, label="Kịch bản", color=SCENARIO_COLOUR)
    ax.bar_label(bars, labels=[_vn(v) for v in scen], fontsize=7, padding=2)
    known = [(x, total.actual[p]) for x, p in zip(xs, periods, strict=True) if p in total.actual]
    if known:
        bars = ax.bar(
            [x + width / 2 for x, _ in known],
            [v for _, v in known],
            width,
            label="Thực hiện",
            color=ACTUAL_COLOUR,
        )
        ax.bar_label(bars, labels=[_vn(v) for _, v in known], fontsize=7, padding=2)
    ax.set_xticks(list(xs), [PERIOD_LABELS[p] for p in periods], fontsize=8)
    ax.set_ylabel("Tăng trưởng so cùng kỳ (%)", fontsize=8)
    ax.set_title("Tăng trưởng GRDP: thực hiện so với kịch bản", fontsize=10)
    ax.margins(y=0.15)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.legend(fontsize=8, loc="lower right")
    ax.tick_params(axis="y", labelsize=8)
    if sectors and contrib_period is not None:
        ax2 = fig.add_subplot(1, 2, 2)
        names = [textwrap.fill(r.name, 22) for r in sectors][::-1]
        values = [r.contribution[contrib_period] for r in sectors][::-1]
        bars = ax2.barh(names, values, color=ACTUAL_COLOUR)
        ax2.bar_label(bars, labels=[_vn(v) for v in values], fontsize=7, padding=2)
        ax2.axvline(0, color="black", linewidth=0.6)
        ax2.set_title(
            f"Đóng góp vào tăng trưởng {PERIOD_LABELS[contrib_period].lower()} (điểm %)",
            fontsize=10,
        )
        ax2.tick_params(labelsize=8)
        ax2.margins(x=0.2)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
