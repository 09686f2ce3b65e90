"""The numpy sparse row matrix of the suggestion index agrees with scipy.sparse."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from policydiff.core.rows import RowMatrix


@st.composite
def matrices(draw):
    n_rows = draw(st.integers(1, 12))
    n_cols = draw(st.integers(1, 9))
    rows = []
    for _ in range(n_rows):
        cols = draw(st.lists(st.integers(0, n_cols - 1), unique=True, max_size=n_cols))
        rows.append([(c, draw(st.floats(0.0, 3.0, width=32))) for c in cols])
    indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    indices = np.array([c for r in rows for c, _ in r], dtype=np.int32)
    data = np.array([v for r in rows for _, v in r], dtype=np.float32)
    return RowMatrix(data, indices, indptr, n_cols)


def _scipy(m: RowMatrix) -> sparse.csr_matrix:
    return sparse.csr_matrix((m.data, m.indices, m.indptr), shape=m.shape)


@given(matrices(), st.data())
def test_operations_agree_with_scipy(m, data):
    ref = _scipy(m)
    vec = np.array(data.draw(st.lists(st.floats(-2, 2), min_size=m.n_cols, max_size=m.n_cols)))
    assert np.allclose(m @ vec, ref @ vec)
    assert np.allclose(m.row_norms_sq(), np.asarray(ref.multiply(ref).sum(axis=1)).ravel())
    rows = data.draw(st.lists(st.integers(0, m.shape[0] - 1), max_size=8))
    sub = m.take(rows)
    assert np.allclose(sub.column_sums(), np.asarray(ref[rows].sum(axis=0)).ravel())
    left = np.array(rows, dtype=np.int64)
    right = np.array(data.draw(st.lists(st.integers(0, m.shape[0] - 1), min_size=len(rows),
                                        max_size=len(rows))), dtype=np.int64)
    expect = np.asarray(ref[left].multiply(ref[right]).sum(axis=1)).ravel() if len(rows) else []
    assert np.allclose(m.pair_dots(left, right), expect)
    positive = np.abs(vec)
    best = m.row_max_product(positive)
    dense = ref.toarray() * positive
    assert np.allclose(best, dense.max(axis=1) if dense.size else best)
    factors = np.array(data.draw(st.lists(st.floats(0, 2, width=32), min_size=m.shape[0],
                                          max_size=m.shape[0])), dtype=np.float32)
    scaled = m.scale_rows(factors).without_zeros()
    assert np.allclose(_scipy(scaled).toarray(), (sparse.diags(factors) @ ref).toarray())


@given(matrices(), st.data())
def test_partner_dots_equal_pair_dots_exactly(m, data):
    """Each row against its group's partner (suggest: a passage against its document's
    member) gives the very floats ``pair_dots`` gives, round after round."""
    from policydiff.core.rows import PartnerDots

    n = m.shape[0]
    groups = np.array(sorted(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))),
                      dtype=np.int64)
    if data.draw(st.booleans()):  # groups need not be contiguous
        groups = np.array(data.draw(st.permutations(groups.tolist())), dtype=np.int64)
    dots = PartnerDots(m, groups)
    for _ in range(3):
        partner = np.full(n, -1, dtype=np.int64)
        for g in np.unique(groups).tolist():
            rows = np.flatnonzero(groups == g)
            if data.draw(st.booleans()):
                partner[rows] = rows[data.draw(st.integers(0, len(rows) - 1))]
        has = np.flatnonzero(partner >= 0)
        expect = np.zeros(n)
        expect[has] = m.pair_dots(has, partner[has])
        assert np.array_equal(dots(partner), expect)
