"""Benchmark ``policydiff report`` on a synthetic 100-document corpus (goal: < 10 s).

The corpus is the bundled one copied 20 times over: each copy of a document gets its
own id, a later date (one series step a month from 2017), a jurisdiction of its own
for a third of the copies, and a closing paragraph of its own (new words and
figures, so terms and figures differ); every alignment member is repeated for each
copy, so a theme chain runs through 100 documents. Markdown and HTML are timed
end to end through the CLI in a fresh process (segmenter load included).

    python benchmarks/bench_report.py            # print the timings
    python benchmarks/bench_report.py --write    # also update "## Report" in RESULTS.md
"""

from __future__ import annotations

import argparse
import copy as copy_module
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HEADING = "## Report"
COPIES = 20
DISTRICTS = ["徐汇区", "闵行区", "嘉定区", "松江区", "静安区", "杨浦区", "长宁区"]


def make_corpus(dest: Path) -> int:
    """Write the synthetic project under ``dest``; return the number of documents."""
    from ruamel.yaml import YAML

    yaml = YAML()
    (dest / "corpus").mkdir(parents=True)
    shutil.copytree(ROOT / "alignments", dest / "alignments")
    (dest / "alignments" / "target-overrides.yaml").unlink(missing_ok=True)  # names real ids
    docs = sorted((ROOT / "corpus").glob("*.md"))
    ids: dict[str, list[str]] = {}
    n = 0
    for k in range(COPIES):
        for src in docs:
            text = src.read_text(encoding="utf-8")
            old = re.search(r"^id: (.+)$", text, re.M).group(1).strip()
            new = f"{old}-v{k:02d}"
            year, month = 2017 + (n // 12), 1 + n % 12
            text = re.sub(r"^id: .+$", f"id: {new}", text, count=1, flags=re.M)
            text = re.sub(r"^date: .+$", f"date: '{year}-{month:02d}-15'", text, count=1,
                          flags=re.M)
            if k % 3 == 2:
                place = DISTRICTS[k % len(DISTRICTS)]
                text = text.replace("\n---\n", f"\njurisdiction: {place}\n---\n", 1)
            text = text.rstrip("\n") + (
                f"\n\n第{k + 1}批补充措施：到{2026 + k % 5}年，培育{10 + k}家数字孪生企业，"
                f"建设{k + 2}个具身智能开放平台，产业规模达到{500 + 50 * k}亿元。\n")
            (dest / "corpus" / f"{new}.md").write_text(text, encoding="utf-8")
            ids.setdefault(old, []).append(new)
            n += 1
    for path in (dest / "alignments").glob("*.yaml"):
        data = yaml.load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "alignments" not in data:
            continue
        for al in data["alignments"]:
            members = []
            for m in al["members"]:
                for copy in ids.get(m["doc"], []):
                    mm = copy_module.deepcopy(dict(m))  # no shared nodes: no YAML aliases
                    mm["doc"] = copy
                    members.append(mm)
            al["members"] = members
        with path.open("w", encoding="utf-8") as fh:
            yaml.dump(data, fh)
    return n


def timed(root: Path, *args: str) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one ``policydiff report`` process.

    CPU time is reported too because the benchmark machine is shared: wall time
    then includes waiting for a core.
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "policydiff", "--root", str(root), "report",
                             *args, "-o", str(root / "out")], capture_output=True, text=True,
                            env=env, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(result.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        n = make_corpus(root)
        md = timed(root, "--format", "md")
        size_md = (root / "out").stat().st_size
        page = timed(root, "--format", "html")
        size_html = (root / "out").stat().st_size
    rows = [("Markdown", md, size_md), ("HTML", page, size_html)]
    table = ["| format | documents | wall time | CPU time | output |", "|---|---:|---:|---:|---:|"]
    table += [f"| {f} | {n} | {t[0]:.2f} s | {t[1]:.2f} s | {s / 1e6:.1f} MB |"
              for f, t, s in rows]
    print("\n".join(table))
    if args.write:
        text = RESULTS.read_text(encoding="utf-8")
        block = (f"{HEADING}\n\n`python benchmarks/bench_report.py --write` on "
                 f"{platform.machine()}, "
                 f"{os.cpu_count()} CPUs, CPython {platform.python_version()}. Synthetic corpus: "
                 f"the bundled one copied {COPIES}× (own ids, dates, some district jurisdictions, "
                 "an extra paragraph each), every alignment member repeated per copy; "
                 "`policydiff report` end to end in a fresh process. Goal: < 10 s. "
                 f"Load average during the run: {os.getloadavg()[0]:.1f} on "
                 f"{os.cpu_count()} CPUs (shared machine): CPU time is the figure to compare."
                 "\n\n"
                 + "\n".join(table) + "\n")
        if HEADING in text:
            text = re.sub(rf"{re.escape(HEADING)}\n.*?(?=\n## |\Z)", block.rstrip("\n"),
                          text, flags=re.S)
        else:
            text = text.rstrip("\n") + "\n\n" + block
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
