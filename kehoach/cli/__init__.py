"""The command line: thin shells over the library. Each stage registers its commands here."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="kehoach: trích xuất, theo dõi và báo cáo thực hiện kế hoạch của cơ quan nhà nước.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """kehoach: trích xuất, theo dõi và báo cáo thực hiện kế hoạch."""


# Importing the submodules registers their commands on `app`.
from . import admin as _admin  # noqa: E402,F401
from . import extract as _extract  # noqa: E402,F401
from . import report as _report  # noqa: E402,F401
from . import track as _track  # noqa: E402,F401
from . import web as _web  # noqa: E402,F401
