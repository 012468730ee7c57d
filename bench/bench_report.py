"""The synthesis report and the department workbooks: time and memory.

    .venv/bin/python bench/bench_report.py [--runs 3]

Each measurement runs in its own child process (a fresh interpreter: imports included, as a
command would pay them), reporting its CPU time (user + system, the machine is shared: CPU time
is steadier than wall time) and its peak resident memory (ru_maxrss). LibreOffice's CPU time is
counted with the PDF (it is the child's child). Plan 77/QĐ-UBND (83 tasks, 73 indicators) with a
year of progress, on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETUP = r"""
import json, sys
from datetime import date
sys.path.insert(0, "tests")
from conftest import load_plan
from kehoach.store import Database
from kehoach.report.workbook import export_department
db = Database.open(sys.argv[1])
plan = db.ingest(load_plan("002_23dbc6410858588b.json")).plan_id
for n, t in enumerate(db.tasks(plan=plan, as_of=date(2025, 12, 31))):
    if n % 3 == 0:
        db.update_task(t["id"], actor="STC", state="done", product_number="12/BC-STC", on=date(2025, 11, 20),
                       narrative="Đã hoàn thành, có báo cáo kết quả.")
    elif n % 2 == 0:
        db.update_task(t["id"], actor="SXD", state="in_progress", percent=60, on=date(2025, 10, 1),
                       narrative="Đang triển khai.", difficulties="Nguồn vốn bố trí chậm.")
out = export_department(db, plan, "Sở Tài chính", "2025-Q4", sys.argv[2], today=date(2025, 12, 20))
from openpyxl import load_workbook
wb = load_workbook(out); ws = wb["Nhiệm vụ"]
for r in range(2, ws.max_row + 1):
    ws[f"I{r}"] = "đang thực hiện"; ws[f"L{r}"] = "Đã triển khai theo kế hoạch."
wb.save(sys.argv[2])
wb["Nhiệm vụ"]["A1048576"] = "x"; wb.save(sys.argv[3])
print(json.dumps({"plan": plan}))
"""

JOB = r"""
import json, resource, sys, time
from datetime import date
sys.path.insert(0, "tests")
t0, w0 = time.process_time(), time.perf_counter()
kind, url, arg = sys.argv[1], sys.argv[2], sys.argv[3]
from kehoach.store import Database
db = Database.open(url)
error = None
try:
    if kind.startswith("report-"):
        from kehoach.report.build import ReportOptions, make_report
        fmt = kind.split("-", 1)[1]
        make_report(db, int(arg), "2025", f"{sys.argv[4]}.{fmt}", fmt=fmt,
                    options=ReportOptions(report_date=date(2026, 1, 12)))
    else:
        from kehoach.report.workbook_import import Scope, import_workbook
        import_workbook(db, arg, actor="bench", today=date(2025, 12, 20), dry_run=True,
                        scope=Scope("Vĩnh Long", "Sở Tài chính"))
except Exception as e:
    error = f"{type(e).__name__}: {str(e)[:80]}"
self_ = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "cpu_s": round(self_.ru_utime + self_.ru_stime + kids.ru_utime + kids.ru_stime, 2),
    "wall_s": round(time.perf_counter() - w0, 2),
    "peak_mb": round(self_.ru_maxrss / 1024),
    "libreoffice_peak_mb": round(kids.ru_maxrss / 1024),
    "error": error,
}))
"""


def run(code: str, *args: str) -> dict:
    env = dict(os.environ, KEHOACH_DATA_DIR=tempfile.mkdtemp())
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    n = ap.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        filled, far = f"{tmp}/stc.xlsx", f"{tmp}/far.xlsx"
        plan = run(SETUP, url, filled, far)["plan"]
        rows = {}
        jobs = [(f"report-{f}", str(plan)) for f in ("docx", "xlsx", "pdf")]
        jobs += [("import-filled", filled), ("import-far-cell", far)]
        for kind, arg in jobs:
            results = [run(JOB, kind, url, arg, f"{tmp}/r") for _ in range(n)]
            rows[kind] = {
                "cpu_s": statistics.median(r["cpu_s"] for r in results),
                "wall_s": statistics.median(r["wall_s"] for r in results),
                "peak_mb": max(r["peak_mb"] for r in results),
                "libreoffice_peak_mb": max(r["libreoffice_peak_mb"] for r in results),
                "error": results[0]["error"],
            }
            print(f"{kind:<16} {json.dumps(rows[kind], ensure_ascii=False)}", file=sys.stderr)
    print(json.dumps({"load": os.getloadavg(), "runs": n, "results": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
