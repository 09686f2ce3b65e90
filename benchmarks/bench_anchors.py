"""How anchors survive random corpus edits: recovered, orphaned, wrongly placed.

Run: ``python benchmarks/bench_anchors.py [--trials N] [--seed S]``. Uses the
simulation of ``tests/anchor_edits.py`` on the bundled corpus.
``--adversarial [--anchors N]`` instead prints the matrix of
``tests/core/test_anchors_adversarial.py`` (the quote copied into a heading, a nearby or
distant paragraph, the original reworded or deleted): edit kind x correct /
orphaned / wrong, as a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from anchor_adversary import matrix  # noqa: E402
from anchor_edits import HEAVY, LIGHT, simulate  # noqa: E402
from policydiff.store.corpus import load_corpus  # noqa: E402


def adversarial(bodies: dict[str, str], anchors: int, seed: int) -> None:
    """The adversarial matrix as a Markdown table."""
    began = time.perf_counter()
    table = matrix(bodies, count=anchors, seed=seed)
    seconds = time.perf_counter() - began
    total = sum(sum(c.values()) for c in table.values())
    print(f"{anchors} anchors x {len(table)} kinds of edit = {total} placements, seed {seed}, "
          f"{seconds:.1f} s\n")
    print("| edit | correct | orphaned | wrong |\n|---|---:|---:|---:|")
    sums = {"correct": 0, "orphaned": 0, "wrong": 0}
    for kind, counts in table.items():
        print(f"| {kind} | {counts['correct']} | {counts['orphaned']} | {counts['wrong']} |")
        for key in sums:
            sums[key] += counts[key]
    print(f"| **all** | {sums['correct']} | {sums['orphaned']} | **{sums['wrong']}** |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--anchors", type=int, default=20, help="anchors per trial")
    parser.add_argument("--max-edits", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--light", action="store_true",
                        help="only small corrections (typos, a word added or cut)")
    parser.add_argument("--adversarial", action="store_true",
                        help="copies of the quote beside and far from it (anchors: 57)")
    args = parser.parse_args()
    bodies = {doc.id: doc.body for doc in load_corpus(ROOT)}
    if args.adversarial:
        adversarial(bodies, 57 if args.anchors == 20 else args.anchors, args.seed)
        return
    began = time.perf_counter()
    outcomes, statuses = simulate(bodies, trials=args.trials, anchors_per_trial=args.anchors,
                                  max_edits=args.max_edits, seed=args.seed,
                                  kinds=LIGHT if args.light else HEAVY)
    seconds = time.perf_counter() - began
    total = outcomes["recovered"] + outcomes["orphaned"] + outcomes["wrong"]
    kind = "light" if args.light else "heavy"
    print(f"anchors: {total} ({args.trials} trials x {args.anchors}, 1-{args.max_edits} {kind} "
          f"edits, seed {args.seed}), {seconds:.1f} s, {1000 * seconds / total:.1f} ms/anchor")
    for key in ("recovered", "orphaned", "wrong"):
        print(f"  {key:10} {outcomes[key]:6}  {100 * outcomes[key] / total:5.1f}%")
    print("  statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    for kind in ("orphaned", "wrong"):
        extra = {k.split(":")[1]: v for k, v in sorted(outcomes.items())
                 if k.startswith(kind + ":")}
        if extra:
            print(f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in extra.items()))


if __name__ == "__main__":
    main()
