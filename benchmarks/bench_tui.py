"""TUI timings: launch to first screen (goal < 1 s) and alignment switch (goal < 100 ms).

Launch is measured end to end in a fresh process, as a user waits for it: from just
before the process starts (interpreter, imports, corpus, store) to the first paint of
the Themes screen, in Textual's headless mode. The child also reports whether the
segmenter (jieba) was loaded by then — it must not be.

Alignment switch is measured in process with Textual's Pilot: set the selected
alignment as the tree cursor does, then wait until the Themes screen has re-rendered
the header and the passages (messages processed, screen refreshed). Cold = the
first visit of an alignment (anchors resolved), warm = later visits.

References timed in the same run, so a busy machine can be told from a slow app:
a minimal Textual app (one Static) launched the same way, and Pilot's ``pause`` alone
(what every measured switch includes). Also the cost of one look at the files the app
watches (it looks about once a second).

Usage: python benchmarks/bench_tui.py [--runs 5] [--root PROJECT]
Without --root it uses the repository when it has alignment files, else a
copy of the corpus with the TUI tests' alignments.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time, json
from policydiff.tui.app import PolicydiffApp
from policydiff.tui.screens.themes import ThemesScreen
from policydiff.core import segment

class Timed(PolicydiffApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self._painted)

    def _painted(self):
        screen = self.screen
        ok = isinstance(screen, ThemesScreen)
        self.call_after_refresh(self._report, ok)

    def _report(self, ok):
        print(json.dumps({"t": time.time(), "themes": ok, "jieba": segment.is_loaded(),
                          "alignments": len(self.workspace.alignments())}))
        self.exit()

Timed(sys.argv[1]).run(headless=True, size=(160, 48))
"""


REFERENCE = r"""
import sys, time, json
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")

    def on_mount(self):
        self.call_after_refresh(lambda: self.call_after_refresh(self._report))

    def _report(self):
        print(json.dumps({"t": time.time()}))
        self.exit()

Minimal().run(headless=True, size=(160, 48))
"""


def project_root(root: str | None) -> tuple[Path, str]:
    if root:
        return Path(root), root
    own = {"themes.yaml", "metrics.yaml", "target-overrides.yaml"}
    if any(p.name not in own for p in (REPO / "alignments").glob("*.yaml")):
        return REPO, "repository (corpus + curated alignments)"
    sys.path.insert(0, str(REPO / "tests"))
    from tui_project import make_project

    dest = Path(tempfile.mkdtemp(prefix="bench-tui-")) / "proj"
    make_project(dest)
    return dest, "repository corpus + TUI test alignments (no curated alignments yet)"


def launch(root: Path | None, code: str = CHILD) -> dict:
    start = time.time()
    argv = [sys.executable, "-c", code, *([str(root)] if root else [])]
    out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=60)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("{"))
    data = json.loads(line)
    data["seconds"] = data["t"] - start
    return data


async def switches(root: Path, rounds: int,
                   ) -> tuple[list[float], list[float], list[float], list[float], int]:
    from policydiff.tui.app import PolicydiffApp

    app = PolicydiffApp(root, preload_segmenter=False)
    cold: list[float] = []
    warm: list[float] = []
    handler: list[float] = []  # the screen's own work, without Textual's layout and paint
    pauses: list[float] = []  # reference: Pilot's pause with nothing to do
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for _ in range(20):
            t = time.perf_counter()
            await pilot.pause()
            pauses.append((time.perf_counter() - t) * 1000)
        ids = [a.id for a in app.workspace.alignments()]
        app.workspace._passages.clear()
        for r in range(rounds):
            for alignment_id in [*ids[1:], ids[0]]:
                t = time.perf_counter()
                app.selected_alignment = alignment_id
                await pilot.pause()
                (warm if r else cold).append((time.perf_counter() - t) * 1000)
                handler.append(app.screen.last_switch_ms)
    return cold, warm, handler, pauses, len(ids)


def poll_cost(root: Path, rounds: int = 200) -> float:
    """Median ms of one look at the watched folders (stat of every alignment and corpus file)."""
    from policydiff.store.project import Project
    from policydiff.tui.watch import Snapshot

    project = Project(root)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        Snapshot.take(project.alignments_dir, project.corpus_dir)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    import os
    import platform

    import textual

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", default=None)
    args = parser.parse_args()
    root, what = project_root(args.root)
    load = os.getloadavg()
    print(f"project: {what}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, Textual {textual.__version__}; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start")
    launches, references = [], []
    for _ in range(args.runs):  # interleaved: both see the same machine load
        launches.append(launch(root))
        references.append(launch(None, REFERENCE))
    secs = [d["seconds"] for d in launches]
    refs = [d["seconds"] for d in references]
    print(f"launch to first screen: median {statistics.median(secs):.3f} s, "
          f"max {max(secs):.3f} s over {len(secs)} runs "
          f"(themes shown: {all(d['themes'] for d in launches)}, "
          f"jieba loaded at first paint: {any(d['jieba'] for d in launches)}, "
          f"{launches[0]['alignments']} alignments)")
    print(f"reference, minimal Textual app to first paint: median {statistics.median(refs):.3f} s,"
          f" max {max(refs):.3f} s; ratio of medians "
          f"{statistics.median(secs) / statistics.median(refs):.2f}x")
    cold, warm, handler, pauses, n = asyncio.run(switches(root, max(args.runs, 2)))
    print(f"alignment switch ({n} alignments), to screen refreshed: cold median "
          f"{statistics.median(cold):.1f} ms, max {max(cold):.1f} ms; warm median "
          f"{statistics.median(warm):.1f} ms, max {max(warm):.1f} ms over {len(warm)} switches; "
          f"screen handler alone median {statistics.median(handler):.1f} ms")
    print(f"reference, Pilot pause alone: median {statistics.median(pauses):.1f} ms, "
          f"max {max(pauses):.1f} ms")
    print(f"file watch, one look at alignments/ and corpus/: median {poll_cost(root):.3f} ms")
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
