"""Benchmark (not a test): reading speed and peak memory for DOCX, text PDF and OCR input.

    .venv/bin/python bench/bench_read.py [--rounds N] [--ocr-pages N]

Makes the documents from the bundled sample plans (as the reader tests do): a ~30-page
text PDF and the same content as DOCX, a scan of its first pages. Each kind is read in a
fresh process (so its peak memory is its own: max RSS of the process and of its Tesseract
children) and timed N times; prints pages per second and the time per document or page.
Run on demand; the figures go to bench/RESULTS.md ("Reading").
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ["003_230a64e200d485dd.txt", "000_9b195ff9d1fb2156.txt"]


def make_documents(folder: Path, ocr_pages: int) -> dict[str, tuple[Path, int]]:
    """{kind: (path, pages)}; DOCX pages are those of the same content printed as PDF."""
    sys.path.insert(0, str(ROOT / "tests"))
    import pypdfium2 as pdfium
    from docgen import make_docx, make_pdf, make_scan, seed_blocks, seed_text

    blocks = seed_blocks(seed_text(SEEDS[0]))
    blocks.body += seed_blocks(seed_text(SEEDS[1])).body
    pdf = make_pdf(blocks, folder / "plan.pdf")
    docx = make_docx(blocks, folder / "plan.docx")
    tcvn3 = make_docx(blocks, folder / "plan-tcvn3.docx", "tcvn3")
    scan = make_scan(pdf, folder / "plan-scan.pdf", pages=ocr_pages, dpi=200)
    pages = len(pdfium.PdfDocument(str(pdf)))
    return {"docx": (docx, pages), "docx-tcvn3": (tcvn3, pages), "pdf": (pdf, pages),
            "ocr": (scan, ocr_pages)}


def measure(path: Path, rounds: int) -> dict:
    """In this (fresh) process: read `path` `rounds` times; times and peak memory."""
    from kehoach.read import read_path

    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        src = read_path(path)
        times.append(time.perf_counter() - t)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"median": statistics.median(times), "best": min(times), "reader": src.reader,
            "rss_mb": own, "child_rss_mb": children, "notes": src.notes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--ocr-pages", type=int, default=4)
    ap.add_argument("--one", nargs=2, metavar=("PATH", "ROUNDS"), help=argparse.SUPPRESS)
    ap.add_argument("--make", metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(Path(args.one[0]), int(args.one[1]))))
        return
    if args.make:
        docs = make_documents(Path(args.make), args.ocr_pages)
        print(json.dumps({k: [str(p), n] for k, (p, n) in docs.items()}))
        return
    # documents are made and read in child processes: the peak memory of each reading is
    # its own (Linux keeps a process's peak across exec, so this parent stays small)
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as tmp:
        made = subprocess.run([sys.executable, __file__, "--make", tmp, "--ocr-pages",
                               str(args.ocr_pages)], capture_output=True, text=True, check=True)
        docs = {k: (Path(p), n) for k, (p, n) in json.loads(made.stdout).items()}
        print(f"{platform.python_implementation()} {platform.python_version()}, "
              f"{platform.machine()}")
        print(f"{'input':<12}{'pages':>6}{'median s':>10}{'best s':>9}{'pages/s':>9}"
              f"{'s/page':>8}{'RSS MB':>8}{'child MB':>9}")
        for kind, (path, pages) in docs.items():
            rounds = 1 if kind == "ocr" else args.rounds
            out = subprocess.run([sys.executable, __file__, "--one", str(path), str(rounds)],
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            r = json.loads(out.stdout)
            print(f"{kind:<12}{pages:>6}{r['median']:>10.2f}{r['best']:>9.2f}"
                  f"{pages / r['median']:>9.1f}{r['median'] / pages:>8.3f}"
                  f"{r['rss_mb']:>8.0f}{r['child_rss_mb']:>9.0f}")


if __name__ == "__main__":
    main()
