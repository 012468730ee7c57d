"""kehoach: make Vietnamese government plans (Kế hoạch) trackable."""

__version__ = "0.1.0"

from pathlib import Path

DATA = Path(__file__).parent / "data"  # data files shipped with the package
