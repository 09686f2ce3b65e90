"""Benchmark ``policydiff suggest`` on synthetic corpora of N documents.

Analysts' corpora grow to thousands of plans. This builds corpora of N documents
from the real corpus's paragraphs — sampled, shuffled, mutated (characters
dropped or replaced, figures changed) and recombined (sentences of two paragraphs
joined) — writes them as corpus files, and times loading plus ``suggest`` for each
N, each in a fresh process so that peak memory (max RSS) is per run.

    python benchmarks/bench_suggest.py                 # N = 10, 100, 1000
    python benchmarks/bench_suggest.py --sizes 10,100 --top 3
    python benchmarks/bench_suggest.py --warm 7 --base-src /tmp/base/src   # bundled corpus
    python benchmarks/bench_suggest.py --child FOLDER --stages   # one run, CPU s per stage
    python benchmarks/bench_suggest.py --command 10000 --runs 3  # the command itself

Prints a Markdown table (paste it into benchmarks/RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

HEADINGS = ["一、总体要求", "二、主要任务", "三、空间布局", "四、人才支撑", "五、保障措施",
            "六、发展目标", "七、治理体系"]


def _mutate(text: str, rng: random.Random, alphabet: str) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 40)):  # ~2.5% of characters dropped or replaced
        i = rng.randrange(len(chars))
        if rng.random() < 0.5:
            chars[i] = ""
        else:
            chars[i] = rng.choice(alphabet)
    out = "".join(chars)
    return re.sub(r"\d+", lambda m: str(max(1, int(m.group()) + rng.randint(-5, 50))), out)


def synthetic_corpus(folder: Path, n: int, seed: int = 1) -> int:
    """Write ``n`` synthetic corpus files to ``folder``; returns the number of characters."""
    from policydiff.store.corpus import load_corpus

    real = load_corpus(ROOT)
    pool = [p.text for d in real for p in d.paragraphs() if p.kind == "text" and len(p.text) > 20]
    alphabet = "".join(sorted({c for t in pool for c in t if "\u4e00" <= c <= "\u9fff"}))
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for k in range(n):
        count = rng.randint(8, 40)
        paras = []
        for _ in range(count):
            text = rng.choice(pool)
            if rng.random() < 0.3:  # recombine: first sentences of one, last of another
                other = rng.choice(pool)
                cut_a = text.find("。") + 1 or len(text)
                cut_b = other.find("。") + 1 or 0
                text = text[:cut_a] + other[cut_b:]
            paras.append(_mutate(text, rng, alphabet))
        lines = []
        for i, para in enumerate(paras):
            if i % 6 == 0:
                lines.append(f"# {rng.choice(HEADINGS)}\n")
            lines.append(para + "\n")
        doc_id = f"doc-{k:05d}"
        body = "\n".join(lines)
        total += len(body)
        front = (f"---\nid: {doc_id}\ntitle: 合成文件{k}\npolicy: 合成政策{k}\n"
                 f"date: '{2010 + k % 15}'\nkind: official\n---\n\n")
        (folder / f"{doc_id}.md").write_text(front + body, encoding="utf-8")
    return total


def _themes():
    """The project's themes (alignments/themes.yaml through the store)."""
    from policydiff.store.alignments import load_store
    from policydiff.store.project import find_project

    return load_store(find_project(ROOT)).themes()



STAGES = ("passages", "build_index", "theme_scores", "theme_groups", "_grow", "_suggestion",
          "_evidence", "suggest_members")


def _time_stages() -> dict[str, list[float]]:
    """CPU and wall-clock seconds spent in suggest's stages (filled as they run). CPU is
    this process's, all its threads (other jobs on the machine count less than in
    wall-clock time; a stage waiting for the worker pool shows more wall than CPU)."""
    from policydiff.core import suggest as module

    spent: dict[str, list[float]] = {}

    def timed(name, fn):
        def run(*args, **kwargs):
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                total = spent.setdefault(name, [0.0, 0.0])
                total[0] += time.process_time() - cpu
                total[1] += time.perf_counter() - wall
        return run

    for name in STAGES:
        if hasattr(module, name):
            setattr(module, name, timed(name, getattr(module, name)))
    return spent


def _pss_mb(pid: int) -> float:
    """Proportional set size of a process (MB): its private pages, and its share of the
    pages it shares (a forked helper shares the index with its parent: max RSS would
    count those pages twice)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                out.extend(int(c) for c in f.read().split())
    except (OSError, ValueError):
        pass
    return out


class MemorySampler:
    """Peak of this process's PSS plus its children's (worker pool, forked helper),
    sampled every ``every`` seconds in a thread (Linux; 0 elsewhere)."""

    def __init__(self, every: float = 0.25) -> None:
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        me = os.getpid()
        while not self._stop.wait(every):
            total = _pss_mb(me) + sum(_pss_mb(c) for c in _children(me))
            self.peak = max(self.peak, total)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def child(folder: str, top: int, lazy: bool = True, stages: bool = False) -> None:
    """One measured run: load the corpus and suggest; prints JSON on stdout."""
    from policydiff.core import suggest as module
    from policydiff.store.corpus import load_corpus

    spent = _time_stages() if stages else {}
    suggest = module.suggest

    themes = _themes()
    progress = None
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        bar = Progress(console=Console(stderr=True), transient=True)
        bar.start()
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done)

    with MemorySampler() as memory:
        t0 = time.perf_counter()
        corpus = load_corpus(folder, lazy=lazy)
        t1 = time.perf_counter()
        cpu = time.process_time()
        result = suggest(corpus, themes, top=top, progress=progress)
        t2 = time.perf_counter()
        cpu = time.process_time() - cpu
    if progress is not None:
        bar.stop()
    paragraphs = sum(len(d.paragraphs()) for d in corpus)
    members = sum(len(s.members) for s in result)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {"load": t1 - t0, "suggest": t2 - t1, "paragraphs": paragraphs,
           "suggestions": len(result), "members": members, "rss_mb": rss_kb / 1024,
           "children_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
           "pss_mb": memory.peak}
    if stages:  # [CPU s, wall s] (theme_groups includes _grow; _suggestion includes
        # _evidence and runs in a second thread beside the next theme's groups, so stages
        # overlap; build_index includes the passages' parse, lazy, as the pool asks)
        out["stages"] = {"suggest": [round(cpu, 2), round(t2 - t1, 2)],
                         **{k: [round(v, 2) for v in pair] for k, pair in spent.items()}}
    print(json.dumps(out))


def warm(runs: int, base_src: str | None) -> None:
    """Whole-process ``policydiff suggest`` on the bundled corpus, warm, alternated with a
    bare interpreter (the reference) and, with ``base_src``, another checkout's ``src/``."""
    import statistics

    def cli(src: str) -> list[str]:
        return [sys.executable, "-c", f"import sys; sys.path.insert(0, {src!r}); "
                "from policydiff.cli import main; sys.argv = ['policydiff', 'suggest']; main()"]

    cmds = {"bare python": [sys.executable, "-c", "pass"], "this tree": cli(str(ROOT / "src"))}
    if base_src:
        cmds["base"] = cli(base_src)
    times: dict[str, list[float]] = {k: [] for k in cmds}
    loads = []
    for _ in range(runs):
        for name, cmd in cmds.items():
            began = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=True)
            times[name].append(time.perf_counter() - began)
        loads.append(os.getloadavg()[0])
    print(f"command: python benchmarks/bench_suggest.py --warm {runs}"
          + (f" --base-src {base_src}" if base_src else "")
          + f"; load average {min(loads):.1f}-{max(loads):.1f}\n")
    print("| | median s | min s | max s |\n|---|---:|---:|---:|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} | "
              f"{max(values):.3f} |")
    if base_src:
        ratios = [b / a for a, b in zip(times["base"], times["this tree"], strict=True)]
        print(f"\nmedian of the pairwise ratios this tree / base: {statistics.median(ratios):.2f}")


def paired(sizes: list[int], args: argparse.Namespace) -> None:
    """Cold runs of another checkout (``--base-root``: its benchmarks/, src/, corpus/,
    alignments/, e.g. ``git archive <commit> | tar -x``) alternated with this tree on the
    same synthetic corpus, ``--pairs`` times; prints each run and the median ratios."""
    import statistics

    scripts = {"base": str(Path(args.base_root) / "benchmarks" / "bench_suggest.py"),
               "this tree": __file__}
    env = dict(os.environ, PYTHONHASHSEED="0")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / f"corpus-{n}"
            synthetic_corpus(folder, n, args.seed)
            runs: dict[str, list[dict]] = {k: [] for k in scripts}
            for _ in range(args.pairs):
                for name, script in scripts.items():
                    out = subprocess.run([sys.executable, script, "--child", str(folder),
                                          "--top", str(args.top)], env=env, check=True,
                                         stdout=subprocess.PIPE, text=True)
                    data = json.loads(out.stdout.strip().splitlines()[-1])
                    runs[name].append(data)
                    print(f"N={n} {name}: suggest {data['suggest']:.2f} s, load "
                          f"{data['load']:.2f} s, {data['rss_mb']:.0f} MB, members "
                          f"{data['members']}; load average {os.getloadavg()[0]:.1f}")
            for key in ("suggest", "rss_mb"):
                ratios = [b[key] / a[key] for a, b in zip(runs["base"], runs["this tree"],
                                                          strict=True)]
                print(f"N={n} median ratio this tree / base, {key}: "
                      f"{statistics.median(ratios):.2f}")


def command(n: int, runs: int, seed: int, keep: str | None) -> None:
    """The user's command: ``policydiff suggest`` (table, then ``--format json``) in a
    project of ``n`` synthetic documents, each run cold (the token cache removed), in a
    process of its own; wall time and the peak PSS of the command and its workers."""
    import shutil
    import statistics

    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="bench-suggest-"))
    root = base / f"project-{n}"
    if not (root / "corpus").is_dir() or len(list((root / "corpus").glob("*.md"))) != n:
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "policydiff", "init", str(root)], check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)
        shutil.copy(ROOT / "alignments" / "themes.yaml", root / "alignments" / "themes.yaml")
        synthetic_corpus(root / "corpus", n, seed)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    times: dict[str, list[float]] = {"table": [], "json": []}
    memory: dict[str, list[float]] = {"table": [], "json": []}
    loads = []
    for _ in range(runs):
        for fmt in ("table", "json"):
            shutil.rmtree(root / ".policydiff", ignore_errors=True)
            began = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "policydiff", "--root", str(root),
                                     "suggest", "--format", fmt], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            peak = 0.0
            while proc.poll() is None:
                peak = max(peak, _pss_mb(proc.pid) + sum(_pss_mb(c)
                                                         for c in _children(proc.pid)))
                time.sleep(0.25)
            times[fmt].append(time.perf_counter() - began)
            memory[fmt].append(peak)
            loads.append(os.getloadavg()[0])
            print(f"{fmt}: {times[fmt][-1]:.1f} s, peak PSS {peak:.0f} MB, load "
                  f"{loads[-1]:.1f}", file=sys.stderr)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}; command: python benchmarks/bench_suggest.py "
          f"--command {n} --runs {runs}; load average {min(loads):.1f}-{max(loads):.1f}\n")
    print("| `policydiff suggest` | runs (s) | median s | peak PSS MB (max) |")
    print("|---|---|---:|---:|")
    for fmt in ("table", "json"):
        label = "(table)" if fmt == "table" else "--format json"
        print(f"| {label} | {', '.join(f'{t:.1f}' for t in times[fmt])} | "
              f"{statistics.median(times[fmt]):.1f} | {max(memory[fmt]):.0f} |")
    if not keep:
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm", type=int, metavar="RUNS",
                        help="instead: time `policydiff suggest` on the bundled corpus, warm, "
                             "RUNS alternated runs beside a bare interpreter")
    parser.add_argument("--base-src", help="with --warm: also time this checkout's src/ "
                                           "(e.g. an older commit extracted with git archive)")
    parser.add_argument("--base-root", help="with --sizes: alternate cold runs of this "
                                            "checkout (benchmarks/, src/, corpus/, alignments/)")
    parser.add_argument("--pairs", type=int, default=2, help="with --base-root")
    parser.add_argument("--eager", action="store_true",
                        help="hold every parsed document (load_corpus without lazy=True)")
    parser.add_argument("--stages", action="store_true",
                        help="with --child FOLDER: also CPU seconds per stage of suggest")
    parser.add_argument("--command", type=int, metavar="N",
                        help="instead: time the command itself in a project of N synthetic "
                             "documents (cold, table and --format json, --runs times)")
    parser.add_argument("--runs", type=int, default=3, help="with --command")
    parser.add_argument("--keep", metavar="FOLDER",
                        help="with --command: build the project in FOLDER and keep it")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.top, not args.eager, args.stages)
        return
    if args.warm:
        warm(args.warm, args.base_src)
        return
    if args.command:
        command(args.command, args.runs, args.seed, args.keep)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.base_root:
        paired(sizes, args)
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / f"corpus-{n}"
            chars = synthetic_corpus(folder, n, args.seed)
            env = dict(os.environ, PYTHONHASHSEED="0")
            out = subprocess.run([sys.executable, __file__, "--child", str(folder),
                                  "--top", str(args.top), *(["--eager"] if args.eager else [])],
                                 env=env, check=True,
                                 stdout=subprocess.PIPE, text=True)
            data = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append((n, chars, data))
            print(f"N={n}: {data}", file=sys.stderr)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"command: python benchmarks/bench_suggest.py --sizes {args.sizes} --top {args.top}"
          + (" --eager" if args.eager else "")
          + f"; load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| N docs | paragraphs | chars | load s | suggest s | total s | "
          "suggest s / (n log n) x1e6 | suggestions | members | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, chars, d in rows:
        p = d["paragraphs"]
        per = d["suggest"] / (p * math.log(p)) * 1e6
        print(f"| {n} | {p} | {chars} | {d['load']:.2f} | {d['suggest']:.2f} | "
              f"{d['load'] + d['suggest']:.2f} | {per:.2f} | {d['suggestions']} | "
              f"{d['members']} | {d['rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
