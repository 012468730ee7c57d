"""kehoach: make Vietnamese government plans (Kế hoạch) trackable."""

__version__ = "0.1.0"
