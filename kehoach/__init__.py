"""kehoach: make Vietnamese government plans (Kế hoạch) trackable."""

__version__ = "0.1.0"

import csv
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"  # data files shipped with the package


@cache
def data_toml(name: str) -> dict[str, Any]:
    """A TOML file of the package's data (`grammar.toml`, `agencies.toml`...), read once."""
    with (DATA / name).open("rb") as f:
        return tomllib.load(f)


@cache
def data_csv(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a CSV file of the package's data (`provinces.csv`...), its `#` comments and blank
    lines left out, read once."""
    text = (DATA / name).read_text("utf-8")
    return tuple(csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#")))
