"""The alignment store at scale: ``check``, ``check --fix`` and ``suggest --write``.

Builds temporary projects from the real corpus whose stores hold N alignments (the
bundled alignments repeated under new ids, spread over the theme files as reviewers
would keep them) and times whole processes, each beside a reference in the same
run (runs alternate ours/reference, the ratio is taken pair by pair):

* ``check`` of N alignments (warm: second run) against the lower bound of reading
  the same store with PyYAML's C loader and finding every quote with ``str.find``
  (no schema, no fuzzy anchoring, no problems: what any check must at least do).
* ``check --fix`` after a corpus edit (a sentence added at the top of a document, so
  every anchor after it moved) against ``check`` without ``--fix`` of the same files;
  the store is restored before every run. Growth is reported as time / (n log n).
* ``suggest`` + writing its proposals (what ``--write`` adds: ``store.proposals.record``)
  on a synthetic corpus of D documents (see bench_suggest.py), against ``suggest``
  alone, each in its own process (target: at most 1.5x); and the two commands as the
  user runs them, whole processes alternated.

    python benchmarks/bench_store.py                       # N = 100, 1000, 5000; D = 1000
    python benchmarks/bench_store.py --sizes 100,1000 --docs 100 --runs 3    # quick

Needs nothing beyond the project's own dependencies.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITED_DOC = "2021-14th-plan"

REFERENCE = r"""
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
bodies = {}
for p in (root / "corpus").glob("*.md"):
    text = p.read_text(encoding="utf-8")
    bodies[p.stem] = text.split("\n---\n", 1)[-1]
found = 0
for p in sorted((root / "alignments").glob("*.yaml")):
    data = yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for item in (data or {}).get("alignments") or []:
        for m in item.get("members") or []:
            a = m.get("anchor")
            if a and bodies.get(m["doc"], "").find(a["exact"]) >= 0:
                found += 1
print(found)
"""


def policydiff() -> list[str]:
    exe = shutil.which("policydiff")
    return [exe] if exe else [sys.executable, "-m", "policydiff"]


def wall(cmd: Sequence[str], cwd: Path | None = None, ok: tuple[int, ...] = (0, 1)) -> float:
    t = time.perf_counter()
    done = subprocess.run(list(cmd), capture_output=True, text=True, cwd=cwd, check=False)
    elapsed = time.perf_counter() - t
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def paired(ours: Callable[[], float], ref: Callable[[], float], runs: int,
           before: Callable[[], None] = lambda: None) -> tuple[float, float, float]:
    """Median of ours, of the reference and of the pairwise ratio (``before`` each run)."""
    a, b = [], []
    for _ in range(runs):
        before()
        a.append(ours())
        before()
        b.append(ref())
    return (statistics.median(a), statistics.median(b),
            statistics.median(x / y for x, y in zip(a, b, strict=True)))


def grow_store(folder: Path, n: int) -> int:
    """Rewrite the alignment files in ``folder`` to hold ``n`` alignments in all."""
    files = {}
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "\nalignments:\n" not in text:
            continue
        head, body = text.split("\nalignments:\n", 1)
        items = [i.rstrip("\n") + "\n" for i in re.split(r"(?m)^(?=  - id: )", body)
                 if i.startswith("  - id: ")]
        if items:
            files[path] = (head, items)
    per_round = sum(len(items) for _, items in files.values())
    assert per_round > 0, f"no alignments to repeat in {folder}"
    out: dict[Path, list[str]] = {p: [] for p in files}
    total, k = 0, 0
    while total < n:
        for path, (_, items) in files.items():
            for item in items:
                if total >= n:
                    break
                out[path].append(item.replace("  - id: ", f"  - id: c{k}-", 1))
                total += 1
        k += 1
    for path, (head, _) in files.items():
        path.write_text(head + "\nalignments:\n" + "".join(out[path]), encoding="utf-8")
    return total


def edit_corpus(root: Path) -> None:
    """A corpus edit: a new sentence at the top of one document moves every anchor in it."""
    doc = root / "corpus" / f"{EDITED_DOC}.md"
    text = doc.read_text(encoding="utf-8")
    cut = text.index("\n---\n", 4) + 5
    doc.write_text(text[:cut] + "本文件根据新的要求作了修订。\n\n" + text[cut:], encoding="utf-8")


def store_rows(sizes: Sequence[int], runs: int, tmp: Path) -> list[dict]:
    rows = []
    for n in sizes:
        root = tmp / f"store-{n}"
        shutil.copytree(ROOT / "corpus", root / "corpus")
        shutil.copytree(ROOT / "alignments", root / "alignments")
        shutil.copytree(ROOT / "src" / "policydiff" / "schemas", root / "schemas")
        grow_store(root / "alignments", n)
        # schema line: point at the project's copy, as `policydiff init` does
        for p in (root / "alignments").glob("*.yaml"):
            p.write_text(re.sub(r"\$schema=\S+", lambda m: "$schema=../schemas/" +
                                m.group().rsplit("/", 1)[-1], p.read_text(encoding="utf-8")),
                         encoding="utf-8")
        check = [*policydiff(), "--root", str(root), "check"]
        wall(check)  # warm: token cache, schema cache
        ref = [sys.executable, "-c", REFERENCE, str(root)]
        c_ours, c_ref, c_ratio = paired(lambda check=check: wall(check),
                                        lambda ref=ref: wall(ref), runs)
        # check --fix after a corpus edit, the store restored before every run
        pristine = tmp / f"pristine-{n}"
        shutil.copytree(root / "alignments", pristine)
        edit_corpus(root)
        wall(check)  # tokens of the edited document

        def restore(root: Path = root, pristine: Path = pristine) -> None:
            shutil.rmtree(root / "alignments")
            shutil.copytree(pristine, root / "alignments")

        fix = [*check, "--fix"]
        f_ours, f_ref, f_ratio = paired(lambda fix=fix: wall(fix),
                                        lambda check=check: wall(check), runs, restore)
        restore()
        fixed = subprocess.run(fix, capture_output=True, text=True, check=False).stdout
        rows.append({"n": n, "check": c_ours, "ref": c_ref, "check_ratio": c_ratio,
                     "fix": f_ours, "fix_ref": f_ref, "fix_ratio": f_ratio,
                     "fixed": fixed.count("re-anchored")})
        print(f"N={n}: {rows[-1]}", file=sys.stderr)
        shutil.rmtree(root)
        shutil.rmtree(pristine)
    return rows


SUGGEST_CHILD = r"""
import json, sys, time
from pathlib import Path
from policydiff.core.suggest import suggest
from policydiff.store import token_cache
from policydiff.store.alignments import load_store
from policydiff.store.corpus import load_corpus
from policydiff.store.project import Project
from policydiff.store.proposals import record

project = Project(Path(sys.argv[1]))
token_cache.install(project.root)
corpus = load_corpus(project)
store = load_store(project)
t0 = time.perf_counter()
found = suggest(corpus, store.themes(), top=3)
t1 = time.perf_counter()
written = record(store, corpus, found) if sys.argv[2] == "write" else None
t2 = time.perf_counter()
print(json.dumps({"suggest": t1 - t0, "write": t2 - t1,
                  "written": len(written.added) if written else 0,
                  "members": sum(len(s.members) for s in found)}))
"""


def suggest_row(docs: int, runs: int, tmp: Path) -> dict:
    """``suggest`` then ``record`` (what ``--write`` adds), in one process per run, against
    ``suggest`` alone in another process, alternating (the CLI's own start-up and output
    are the same either way and are left out so the ratio is the write's cost)."""
    import json

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_suggest import synthetic_corpus

    root = tmp / f"suggest-{docs}"
    synthetic_corpus(root / "corpus", docs)
    (root / "alignments").mkdir()
    shutil.copy(ROOT / "alignments" / "themes.yaml", root / "alignments" / "themes.yaml")
    pristine = tmp / "suggest-pristine"
    shutil.copytree(root / "alignments", pristine)

    def restore() -> None:
        shutil.rmtree(root / "alignments")
        shutil.copytree(pristine, root / "alignments")
        # a user's new files were never validated before: no remembered digests
        (root / ".policydiff" / "schema-valid.txt").unlink(missing_ok=True)

    def child(mode: str) -> dict:
        out = subprocess.run([sys.executable, "-c", SUGGEST_CHILD, str(root), mode],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    def command(*extra: str) -> float:
        """The command as the user runs it (its table to /dev/null), wall seconds."""
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "policydiff", "--root", str(root), "suggest",
                        *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        return time.perf_counter() - t

    child("plain")  # warm: token cache
    writes, plains, ratios = [], [], []
    cmd_write, cmd_plain, cmd_ratios = [], [], []
    for _ in range(runs):
        restore()
        w = child("write")
        p = child("plain")
        writes.append(w)
        plains.append(p)
        ratios.append((w["suggest"] + w["write"]) / p["suggest"])
        restore()
        cmd_write.append(command("--write"))
        restore()  # the same empty store for both
        cmd_plain.append(command())
        cmd_ratios.append(cmd_write[-1] / cmd_plain[-1])
    restore()
    shutil.rmtree(root)
    return {"docs": docs, "suggest": statistics.median(p["suggest"] for p in plains),
            "with_write": statistics.median(w["suggest"] + w["write"] for w in writes),
            "write": statistics.median(w["write"] for w in writes),
            "ratio": statistics.median(ratios), "written": writes[-1]["written"],
            "members": writes[-1]["members"],
            "cmd_write": statistics.median(cmd_write), "cmd_plain": statistics.median(cmd_plain),
            "cmd_ratio": statistics.median(cmd_ratios), "ratios": ratios,
            "cmd_ratios": cmd_ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="alignments per store")
    parser.add_argument("--docs", type=int, default=1000, help="documents for suggest (0: skip)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        rows = store_rows(sizes, args.runs, tmp)
        sug = suggest_row(args.docs, args.runs, tmp) if args.docs else None
    load = os.getloadavg()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
          f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"command: python benchmarks/bench_store.py --sizes {args.sizes} --docs {args.docs} "
          f"--runs {args.runs} (medians; ratios pair by pair)\n")
    print("| alignments | `check` s | C loader + str.find s | ratio | `check --fix` s "
          "(re-anchored) | `check` same files s | ratio | fix s / (n log n) x1e4 |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        per = r["fix"] / (r["n"] * math.log(r["n"])) * 1e4
        print(f"| {r['n']} | {r['check']:.2f} | {r['ref']:.2f} | {r['check_ratio']:.1f} | "
              f"{r['fix']:.2f} ({r['fixed']}) | {r['fix_ref']:.2f} | {r['fix_ratio']:.2f} | "
              f"{per:.2f} |")
    if sug:
        print("\n| documents | suggest + write s (alignments, members written) | of which "
              "write s | suggest alone s | ratio |")
        print("|---:|---:|---:|---:|---:|")
        print(f"| {sug['docs']} | {sug['with_write']:.2f} ({sug['written']}, {sug['members']}) "
              f"| {sug['write']:.2f} | {sug['suggest']:.2f} | {sug['ratio']:.2f} |")
        print("\nAs the user runs them (whole processes, token cache warm, alternated):\n")
        print("| documents | `policydiff suggest --write` s | `policydiff suggest` s | ratio |")
        print("|---:|---:|---:|---:|")
        print(f"| {sug['docs']} | {sug['cmd_write']:.2f} | {sug['cmd_plain']:.2f} | "
              f"{sug['cmd_ratio']:.2f} |")
        print("\nratios pair by pair: engine " + ", ".join(f"{r:.2f}" for r in sug["ratios"]) +
              "; commands " + ", ".join(f"{r:.2f}" for r in sug["cmd_ratios"]))


if __name__ == "__main__":
    main()
