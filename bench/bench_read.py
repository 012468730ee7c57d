"""Benchmark (not a test): reading speed and peak memory for DOCX, text PDF and OCR input.

    .venv/bin/python bench/bench_read.py [--rounds N] [--ocr-pages N]
    .venv/bin/python bench/bench_read.py --long 50,100,200   # N-page ordinary plans: read + extract
    .venv/bin/python bench/bench_read.py --hostile           # each attack under a ceiling

`--long`: ordinary plans of N pages (the samples' paragraphs and tables repeated, as a text
PDF), read and extracted in a fresh process: CPU and wall time of each stage, peak memory.
`--hostile`: the attacks of tests/test_hostile_read.py, each in a child under a 1.2 GB
address-space ceiling (tests/hostile.py): outcome, time and the child's peak resident memory.

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


def long_plan(folder: Path, pages: int) -> Path:
    """An ordinary plan of about `pages` pages: the samples' blocks repeated, as a text PDF."""
    sys.path.insert(0, str(ROOT / "tests"))
    from docgen import make_pdf, seed_blocks, seed_text

    blocks = seed_blocks(seed_text(SEEDS[0]))
    base = seed_blocks(seed_text(SEEDS[0])).body + seed_blocks(seed_text(SEEDS[1])).body
    blocks.body = []
    while len(blocks.body) < pages * len(base) // 30:  # the two samples fill ~30 pages
        blocks.body += base
    return make_pdf(blocks, folder / f"plan-{pages}.pdf")


def measure_long(path: Path) -> dict:
    """In this (fresh) process: read then extract `path`; CPU and wall seconds, peak MB."""
    from kehoach.extract.plan import extract_plan
    from kehoach.read import read_path

    out: dict = {}
    for stage, run in (("read", lambda: read_path(path)), ("extract", None)):
        c, w = time.process_time(), time.perf_counter()
        if run is not None:
            src = run()
            out["pages"], out["chars"] = src.pages, len(src.text)
        else:
            plan = extract_plan(src)
            plan = plan.as_dict() if hasattr(plan, "as_dict") else plan
            out["tasks"] = len(plan["tasks"])
        out[f"{stage}_cpu"], out[f"{stage}_wall"] = time.process_time() - c, time.perf_counter() - w
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


ATTACKS = {
    "flate bomb PDF (1 MB → 1 GB)": ("flate_bomb_pdf", {"inflated_mb": 1024}, "bom.pdf"),
    "lying DOCX (declares 5 KB, 1 GB)": ("lying_docx", {"inflated_mb": 1024}, "noi-doi.docx"),
    "huge image (60000² px PNG)": ("huge_png", {}, "anh.png"),
    "dense PDF (one 0.8-pt page, 6 KB)": ("dense_pdf", {"size": 0.8, "lines": 900,
                                                        "per_line": 200}, "day.pdf"),
    "500-page PDF (80 KB)": ("many_pages_pdf", {"pages": 500}, "500.pdf"),
}


def hostile(folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import hostile_files
    from hostile import run_limited

    print(f"{'attack':<36}{'outcome':<44}{'s':>7}{'peak MB':>9}")
    for label, (maker, kw, name) in ATTACKS.items():
        path = getattr(hostile_files, maker)(folder / name, **kw)
        code = (f"from kehoach.read import read_path\nsrc = read_path({str(path)!r})\n"
                "result = (len(src.text), src.reader)")
        r = run_limited(code, memory_mb=1200, seconds=600)
        outcome = ("timeout" if r.timed_out else f"{r.error_type}: {r.error_attrs.get('reason', r.error)[:34]}"
                   if r.error_type else f"read {r.value[0]:,} chars")
        print(f"{label:<36}{outcome:<44}{r.seconds:>7.1f}{r.peak_mb:>9.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--ocr-pages", type=int, default=4)
    ap.add_argument("--long", metavar="PAGES", help="comma-separated page counts")
    ap.add_argument("--hostile", action="store_true")
    ap.add_argument("--long-one", metavar="PATH", help=argparse.SUPPRESS)
    ap.add_argument("--one", nargs=2, metavar=("PATH", "ROUNDS"), help=argparse.SUPPRESS)
    ap.add_argument("--make", metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.long_one:
        print(json.dumps(measure_long(Path(args.long_one))))
        return
    if args.hostile:
        with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as tmp:
            hostile(Path(tmp))
        return
    if args.long:
        with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as tmp:
            print(f"{'pages':>6}{'chars':>10}{'tasks':>7}{'read cpu':>10}{'wall':>7}"
                  f"{'extract cpu':>13}{'wall':>7}{'peak MB':>9}")
            for n in (int(x) for x in args.long.split(",")):
                path = long_plan(Path(tmp), n)
                out = subprocess.run([sys.executable, __file__, "--long-one", str(path)],
                                     capture_output=True, text=True, check=True, cwd=ROOT)
                r = json.loads(out.stdout)
                print(f"{r['pages']:>6}{r['chars']:>10,}{r['tasks']:>7}{r['read_cpu']:>10.2f}"
                      f"{r['read_wall']:>7.2f}{r['extract_cpu']:>13.2f}{r['extract_wall']:>7.2f}"
                      f"{r['rss_mb']:>9.0f}")
        return
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
