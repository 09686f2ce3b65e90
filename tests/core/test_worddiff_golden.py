"""Whole passage diffs are byte-for-byte what they were before the speed work.

The digests below are of ``diff_passages(a, b).to_dict()`` (canonical JSON) as computed
by the word diff before it was sped up (commit 3604ab6: pure-Python diff-match-patch,
one pairing loop, per-token encoding). The inputs are the bundled corpus and an edited
copy of it; if the corpus or the segmenter's dictionaries change the digests no longer
apply and the test is skipped (recompute them with the code of that commit).
"""

from __future__ import annotations

import hashlib
import json

import pytest

from policydiff.core import segment
from policydiff.core.worddiff import diff_passages
from revisions import edited_copy

INPUTS = "aba99abd77c2e76ac0c4178db12a5b97c871d7ec25b1da655812aa6f77e62d6b"
DIGESTS = {
    "plan-vs-edited": "bb39113c5494aececdaf88af5da700509fe1a125c0db45644bc7030dc9e65ad7",
    "2021-vs-2017": "7bd4cd8f1243be4d7cda562ef2bc40b26c2993231fb1f2bc278369d075a51174",
    "pool-vs-edited": "e45293ca47080c0ae4f11ca8b5fe0abb42ed4fedd4ef8b2d6c8aef5374020be8",
}


def test_passage_diffs_match_the_pre_speed_up_output(corpus) -> None:
    docs = {d.id: d.body for d in corpus}
    inputs = hashlib.sha256(("\x00".join(docs[k] for k in sorted(docs))
                             + segment.fingerprint().hex()).encode()).hexdigest()
    if inputs != INPUTS:
        pytest.skip("the corpus or the segmenter changed since the digests were taken")
    plan = docs["2021-14th-plan"]
    pool = "\n\n".join(docs.values())
    cases = {
        "plan-vs-edited": (plan, edited_copy(plan)),
        "2021-vs-2017": (plan, docs["2017-opinions"]),
        "pool-vs-edited": (pool, edited_copy(pool)),
    }
    for name, (a, b) in cases.items():
        got = json.dumps(diff_passages(a, b).to_dict(), ensure_ascii=False, sort_keys=True)
        assert hashlib.sha256(got.encode()).hexdigest() == DIGESTS[name], name
