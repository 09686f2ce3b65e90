"""Whole-process timings of the commands an analyst types, beside a reference in the same run.

Three tables, each paired: our run and the reference's run alternate (A B A B …), so a
machine that slows down mid-run slows both; the ratio is taken pair by pair and its
median reported.

* Commands on the bundled corpus, warm (one untimed run first fills the project's
  token cache, as a second use does), against a bare ``python -c pass``.
* Whole-text word diff (``diff_passages`` in process, tokens cached) of 20k, 100k and
  500k characters against ``git diff --no-index --word-diff --word-diff-regex=.`` on the
  same files (skipped when git is not installed).
* TUI launch to first paint (headless), against a minimal Textual app.

    python benchmarks/bench_commands.py              # print the tables
    python benchmarks/bench_commands.py --runs 10 --write   # also update RESULTS.md
    python benchmarks/bench_commands.py --only diff --runs 9  # one table (commands|diff|tui)
    python benchmarks/bench_commands.py --only diff --runs 7 --base /tmp/base  # before/after

``--base DIR``: also time the word diff and sentence splitter of another checkout (e.g.
``git archive main src | tar -x -C DIR``), loaded beside ours in this process and run in
turn with ours and git, so before/after and the ratio to git come from one run.

The load average is printed with the tables: the machine is shared, so say it beside any
figure taken from here.

Needs nothing beyond the project's own dependencies (git only for its reference row).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HEADING = "## Commands and start-up (speed)"

COMMANDS: list[tuple[str, list[str], float]] = [
    ("--help", ["--help"], 0.1),
    ("docs", ["docs"], 0.3),
    ("targets", ["targets"], 0.3),
    ("check", ["check"], 0.3),
    ("diff (two whole documents)", ["diff", "2017-opinions", "2021-14th-plan", "--format", "json"],
     0.3),
    ("report", ["report", "--date", "2024-01-01"], 0.5),
    ("suggest", ["suggest", "--format", "json"], 0.5),
]

TUI_CHILD = r"""
import json, sys, time
from policydiff.store import token_cache
from policydiff.tui.app import PolicydiffApp
token_cache.install(sys.argv[1])

class Timed(PolicydiffApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self._painted)

    def _painted(self):
        print(json.dumps({"t": time.time(), "screen": type(self.screen).__name__}), flush=True)
        self.exit()

Timed(sys.argv[1], background_load=True, preload_segmenter=False).run(
    headless=True, size=(160, 48))
"""

TUI_REFERENCE = r"""
import json, time
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")

    def on_mount(self):
        self.call_after_refresh(self._painted)

    def _painted(self):
        print(json.dumps({"t": time.time(), "screen": "Minimal"}), flush=True)
        self.exit()

Minimal().run(headless=True, size=(160, 48))
"""


def wall(cmd: Sequence[str], env: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(list(cmd), capture_output=True, check=False, env=env)
    return time.perf_counter() - t


def paired(ours: Callable[[], float], ref: Callable[[], float], runs: int,
           ) -> tuple[float, float, float]:
    """Median of ours, median of the reference, median of the pairwise ratio."""
    a, b = [], []
    for _ in range(runs):
        a.append(ours())
        b.append(ref())
    return (statistics.median(a), statistics.median(b),
            statistics.median(x / y for x, y in zip(a, b, strict=True)))


def command_rows(runs: int) -> list[tuple[str, float, float, float, float]]:
    exe = shutil.which("policydiff")
    base = [exe] if exe else [sys.executable, "-m", "policydiff"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1704067200"}
    rows = []
    for name, args, goal in COMMANDS:
        cmd = [*base, "--root", str(ROOT), *args]
        wall(cmd, env)  # warm-up: fills the token cache, as any earlier use would
        ours, ref, ratio = paired(lambda cmd=cmd: wall(cmd, env),
                                  lambda: wall([sys.executable, "-c", "pass"]), runs)
        rows.append((name, ours, ref, ratio, goal))
    return rows


def texts(n: int) -> tuple[str, str]:
    """``n`` characters of the corpus (copies with their figures varied) and a revision."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_diff import edited_copy
    from policydiff.store.corpus import load_corpus

    pool = "\n\n".join(d.body for d in load_corpus(ROOT))
    digits = "0123456789"
    parts: list[str] = []
    k = 0
    while sum(map(len, parts)) < n:
        parts.append(pool.translate(str.maketrans(digits, digits[k % 10:] + digits[:k % 10])))
        k += 1
    a = "\n\n".join(parts)[:n]
    return a, edited_copy(a)


def load_base(root: str):  # -> the base checkout's worddiff module
    """``DIR/src/policydiff/core/worddiff.py`` and its sentence splitter, as modules apart."""
    import importlib.util

    mods = {}
    for name in ("sentences", "worddiff"):
        spec = importlib.util.spec_from_file_location(
            f"base_{name}", Path(root, "src", "policydiff", "core", f"{name}.py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod  # dataclasses look their module up
        spec.loader.exec_module(mod)
        mods[name] = mod
    mods["worddiff"].sentence_spans = mods["sentences"].sentence_spans
    return mods["worddiff"]


def diff_rows(runs: int, sizes: Sequence[int], base: str | None = None,
              ) -> list[tuple[int, float, float | None, float | None]]:
    """Rows ``(chars, ours, git, ours/git)``; with ``base``, printed before/after lines too."""
    from policydiff.core import segment
    from policydiff.core.worddiff import diff_passages

    base_diff = load_base(base).diff_passages if base else None
    git = shutil.which("git")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            a, b = texts(n)
            fa, fb = Path(tmp, "a.txt"), Path(tmp, "b.txt")
            fa.write_text(a, encoding="utf-8")
            fb.write_text(b, encoding="utf-8")
            diff_passages(a, b)  # tokens of both sides cut once (memo), imports done
            if base_diff:
                base_diff(a, b)

            def timed(fn: Callable[[str, str], object], a: str = a, b: str = b) -> float:
                segment._tokenize_cached.cache_clear()  # per-process memo off
                t = time.perf_counter()
                fn(a, b)
                return time.perf_counter() - t

            cmd = [git or "git", "diff", "--no-index", "--word-diff", "--word-diff-regex=.",
                   "--", str(fa), str(fb)]
            ours, theirs, before = [], [], []
            for _ in range(runs):
                ours.append(timed(diff_passages))
                if base_diff:
                    before.append(timed(base_diff))
                if git:
                    theirs.append(wall(cmd))
            o = statistics.median(ours)
            if git:
                rows.append((n, o, statistics.median(theirs),
                             statistics.median(x / y for x, y in zip(ours, theirs, strict=True))))
            else:
                rows.append((n, o, None, None))
            if base_diff:
                def ratio(xs: list[float], ys: list[float]) -> float:
                    return statistics.median(x / y for x, y in zip(xs, ys, strict=True))

                line = (f"  {n:,} chars: base {statistics.median(before) * 1000:.1f} ms, "
                        f"ours {o * 1000:.1f} ms, ours/base {ratio(ours, before):.2f}")
                if git:
                    line += f", base/git {ratio(before, theirs):.1f}×"
                print(line, flush=True)
    return rows


def tui_row(runs: int) -> tuple[float, float, float, str]:
    def launch(code: str, *args: str) -> tuple[float, str]:
        start = time.time()
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                             text=True, check=True, timeout=120)
        data = json.loads(next(ln for ln in out.stdout.splitlines() if ln.startswith("{")))
        return data["t"] - start, data["screen"]

    screens: list[str] = []

    def ours() -> float:
        t, screen = launch(TUI_CHILD, str(ROOT))
        screens.append(screen)
        return t

    o, r, ratio = paired(ours, lambda: launch(TUI_REFERENCE)[0], runs)
    return o, r, ratio, ", ".join(sorted(set(screens)))


def growth(rows: Sequence[tuple[int, float, float | None, float | None]]) -> str:
    """Time growth between successive sizes, as the exponent k of time ∝ chars^k."""
    import itertools
    import math

    parts = []
    for (n1, t1, _, _), (n2, t2, _, _) in itertools.pairwise(rows):
        parts.append(f"{n1:,}→{n2:,} chars: ×{t2 / t1:.1f} time for ×{n2 / n1:.0f} text "
                     f"(k = {math.log(t2 / t1) / math.log(n2 / n1):.2f})")
    return "; ".join(parts)


def load_note() -> str:
    """The machine's load average now (other jobs share the CPUs: figures depend on it)."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min), {os.cpu_count()} CPUs"


def print_one(part: str, runs: int, sizes: Sequence[int], base: str | None = None) -> None:
    """One table alone, e.g. ``--only diff`` while working on the word diff."""
    extra = f" --base {base}" if base else ""
    print(f"`python benchmarks/bench_commands.py --only {part} --runs {runs}{extra}`; "
          f"{load_note()} at the start")
    if part == "commands":
        for name, ours, ref, ratio, goal in command_rows(runs):
            print(f"| `{name}` | {ours:.3f} s | {ref:.3f} s | {ratio:.1f}× | ≤ {goal} s |")
    elif part == "diff":
        rows = diff_rows(runs, sizes, base)
        for n, ours, ref, ratio in rows:
            ref_s = f"{ref * 1000:.1f} ms" if ref is not None else "n/a"
            ratio_s = f"{ratio:.1f}×" if ratio is not None else "n/a"
            print(f"| {n:,} | {ours * 1000:.1f} ms | {ref_s} | {ratio_s} | ≤ 3× |")
        print(f"growth: {growth(rows)}")
    else:
        o, r, ratio, screens = tui_row(runs)
        print(f"| launch to first paint ({screens}) | {o:.3f} s | {r:.3f} s | {ratio:.1f}× |")
    print(f"({load_note()} at the end)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sizes", default="20000,100000,500000")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    parser.add_argument("--only", choices=("commands", "diff", "tui"),
                        help="run one table and print it (never written to RESULTS.md)")
    parser.add_argument("--base", help="with --only diff: another checkout's word diff, "
                        "timed in turn with ours (before/after)")
    args = parser.parse_args()
    if args.only:
        print_one(args.only, args.runs, [int(s) for s in args.sizes.split(",")], args.base)
        return

    cmds = command_rows(args.runs)
    diffs = diff_rows(args.runs, [int(s) for s in args.sizes.split(",")])
    tui = tui_row(args.runs)

    load = load_note()
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs (shared with other jobs), "
               f"{platform.python_implementation()} {platform.python_version()}, "
               f"{platform.system()}")
    lines = [
        HEADING, "",
        f"`python benchmarks/bench_commands.py --runs {args.runs} --write` on {machine}. "
        "Every row pairs our run with the reference's, alternating, in one run; medians, "
        f"and the median of the pairwise ratios. At the end of the run: {load}.", "",
        "Commands on the bundled corpus, whole process, warm (one untimed run first, which "
        "fills `.policydiff/tokens.sqlite3`); reference: a bare `python -c pass`.", "",
        "| command | policydiff | bare interpreter | ratio | goal | met |",
        "|---|---:|---:|---:|---:|:-:|",
    ]
    for name, ours, ref, ratio, goal in cmds:
        lines.append(f"| `{name}` | {ours:.3f} s | {ref:.3f} s | {ratio:.1f}× | ≤ {goal} s | "
                     f"{'yes' if ours <= goal else 'no'} |")
    lines += [
        "", "Whole-text word diff (`diff_passages` in process: sentence pairing, word diff, "
        "figures; cuts from the token cache), against `git diff --no-index --word-diff "
        "--word-diff-regex=.` (a whole process) on the same two files. Texts: the corpus "
        "repeated with its figures varied, and a revision of it (figures changed, a sentence "
        "moved, one deleted, one added, 人工智能→AI here and there).", "",
        "| chars | policydiff | git (char) | ratio | goal |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n, ours, ref, ratio in diffs:
        ref_s = f"{ref * 1000:.1f} ms" if ref is not None else "n/a"
        ratio_s = f"{ratio:.1f}×" if ratio is not None else "n/a"
        lines.append(f"| {n:,} | {ours * 1000:.1f} ms | {ref_s} | {ratio_s} | ≤ 3× |")
    lines += ["", f"Growth of the whole-text diff: {growth(diffs)}."]
    o, r, ratio, screens = tui
    lines += [
        "", "| TUI | policydiff | minimal Textual app | ratio | goal |",
        "|---|---:|---:|---:|---:|",
        f"| launch to first paint (headless, first screen: {screens}) | {o:.3f} s | "
        f"{r:.3f} s | {ratio:.1f}× | ≤ 0.4 s |",
    ]
    lines += [
        "",
        "- Warm means the token cache holds every cut the command needs, so jieba's "
        "dictionary is never loaded (it costs ~0.45 s per process without the cache; "
        "`POLICYDIFF_TOKEN_CACHE=0` turns the cache off to compare). Tokens read from the "
        "cache are identical to jieba's on the corpus and the labelled sets "
        "(`tests/store/test_speed.py`).",
        "- Read-only loads of the alignment store, metrics and override files go through "
        "PyYAML's C parser (`store/fastyaml.py`), a file's schema is validated once per "
        "content (`.policydiff/schema-valid.txt`), and results that depend only on content "
        "(figures per document, reuse, comparisons, terms) are cached by content hash and "
        "code version (`store/derived.py`): see the sections \"Alignment store at scale\" "
        "and \"Report speed\". `PYTHONDONTWRITEBYTECODE` must be unset for these figures (a "
        "user's shell writes `.pyc` once; with it set every edited module is compiled on "
        "every run).",
        "- The whole-text diff's sentence pairing finds candidate pairs through one sparse "
        "product when many sentences are unpaired, and re-scores the few near a threshold "
        "exactly; the result is identical to the previous pairing (tested against a verbatim "
        "copy of it).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        old = RESULTS.read_text(encoding="utf-8")
        if HEADING in old:
            head, _, rest = old.partition(HEADING)
            nxt = rest.find("\n## ")
            tail = rest[nxt + 1:] if nxt >= 0 else ""
            new = head + text + ("\n" + tail if tail else "")
        else:
            new = old.rstrip("\n") + "\n\n" + text
        RESULTS.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
