"""A sparse row matrix (CSR) on plain numpy arrays: the suggestion index's matrix.

The suggestion engine needs a handful of operations on its passage × term matrix:
a matrix-vector product, a subset of rows, column sums, and dot products between
pairs of rows. ``scipy.sparse`` does all of that, but importing it costs ~0.3 s (more
than the whole suggestion run on a small corpus) and each call on a small slice
spends most of its time in dtype and index checks. These are the same CSR arrays
(``data``, ``indices``, ``indptr``) with only what the engine uses, each operation a
few vectorised numpy calls, so cost stays proportional to the non-zeros touched.

Pure: arrays in, arrays out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (``np.unique`` without its first-call import of ``numpy.ma``)."""
    ordered = np.sort(np.asarray(values))
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


class RowMatrix:
    """Compressed sparse rows: row ``r``'s columns are ``indices[indptr[r]:indptr[r+1]]``.

    Columns within a row are unique (not necessarily sorted). ``data`` is float32 to keep
    large indexes small; products and sums are computed in float64.
    """

    __slots__ = ("_nonempty", "data", "indices", "indptr", "n_cols")

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray,
                 n_cols: int) -> None:
        self.data = data
        self.indices = indices
        self.indptr = indptr
        self.n_cols = int(n_cols)
        self._nonempty: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.n_cols

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1])

    def _starts(self) -> np.ndarray:
        """Rows with at least one entry (for segment sums with ``reduceat``)."""
        if self._nonempty is None:
            self._nonempty = np.flatnonzero(np.diff(self.indptr) > 0)
        return self._nonempty

    def _segment(self, values: np.ndarray, ufunc: np.ufunc = np.add) -> np.ndarray:
        """``ufunc`` of ``values`` (one per entry) over each row; 0 for empty rows."""
        out = np.zeros(self.shape[0], dtype=np.float64)
        rows = self._starts()
        if len(rows):
            out[rows] = ufunc.reduceat(values, self.indptr[rows])
        return out

    def __matmul__(self, vector: np.ndarray) -> np.ndarray:
        """Dense ``matrix @ vector`` (one float64 per row)."""
        products = vector[self.indices]  # one temporary per entry, multiplied in place
        products *= self.data
        return self._segment(products)

    def row_max_product(self, vector: np.ndarray) -> np.ndarray:
        """Per row, the largest ``data * vector[column]`` (0 for an empty row)."""
        return self._segment(self.data * vector[self.indices], np.maximum)

    def row_norms_sq(self) -> np.ndarray:
        """Squared L2 norm of every row."""
        values = self.data.astype(np.float64)
        return self._segment(values * values)

    def scale_rows(self, factors: np.ndarray) -> RowMatrix:
        """A copy with row ``r`` multiplied by ``factors[r]``."""
        data = np.repeat(factors.astype(self.data.dtype), np.diff(self.indptr))
        data *= self.data
        return RowMatrix(data, self.indices, self.indptr, self.n_cols)

    def without_zeros(self) -> RowMatrix:
        """A copy without stored zeros (e.g. terms whose weight became 0)."""
        zero = self.data == 0
        if not zero.any():
            return self
        keep = ~zero
        dropped = np.zeros(self.shape[0], dtype=np.int64)
        rows = self._starts()
        dropped[rows] = np.add.reduceat(zero.astype(np.int32), self.indptr[rows])
        indptr = np.zeros(self.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.diff(self.indptr) - dropped, out=indptr[1:])
        return RowMatrix(self.data[keep], self.indices[keep], indptr, self.n_cols)

    def _positions(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Entry positions of ``rows`` (in order) and, for each, which of ``rows`` it is."""
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        total = int(lengths.sum())
        owner = np.repeat(np.arange(len(rows)), lengths)
        first = np.cumsum(lengths) - lengths
        positions = np.repeat(starts - first, lengths) + np.arange(total)
        return positions, owner

    def entries(self, rows: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions (in ``data``/``indices``) of the entries of ``rows``, in order, and for
        each entry which of ``rows`` it belongs to."""
        return self._positions(np.asarray(rows, dtype=np.int64))

    def take(self, rows: Sequence[int] | np.ndarray) -> RowMatrix:
        """The sub-matrix of ``rows`` (in that order)."""
        rows = np.asarray(rows, dtype=np.int64)
        positions, _ = self._positions(rows)
        lengths = self.indptr[rows + 1] - self.indptr[rows]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        return RowMatrix(self.data[positions], self.indices[positions], indptr, self.n_cols)

    __getitem__ = take

    def column_sums(self) -> np.ndarray:
        """Sum of all rows, as a dense vector of ``n_cols``."""
        return np.bincount(self.indices, weights=self.data.astype(np.float64),
                           minlength=self.n_cols)

    def column_means(self) -> np.ndarray:
        """Mean of all rows (dense)."""
        return self.column_sums() / max(1, self.shape[0])

    def pair_dots(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """``dot(row left[k], row right[k])`` for every k, without densifying rows.

        The entries of the ``right`` rows are keyed by (row, column) and sorted once;
        the entries of the ``left`` rows look their partner up by binary search.
        """
        left = np.asarray(left, dtype=np.int64)
        right = np.asarray(right, dtype=np.int64)
        out = np.zeros(len(left), dtype=np.float64)
        if not len(left):
            return out
        partners = distinct(right)
        r_pos, r_owner = self._positions(partners)
        keys = partners[r_owner] * self.n_cols + self.indices[r_pos]
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        values = self.data[r_pos][order].astype(np.float64)
        l_pos, l_owner = self._positions(left)
        wanted = right[l_owner] * self.n_cols + self.indices[l_pos]
        at = np.searchsorted(keys, wanted)
        at_ok = at < len(keys)
        hit = np.zeros(len(wanted), dtype=bool)
        hit[at_ok] = keys[at[at_ok]] == wanted[at_ok]
        products = self.data[l_pos][hit].astype(np.float64) * values[at[hit]]
        return np.bincount(l_owner[hit], weights=products, minlength=len(left))


class PartnerDots:
    """``dot(row i, row partner[i])`` for every row, asked again and again with new partners,
    where rows come in groups and a group's rows all have the same partner, a row of
    that group (suggest: a passage against its document's member in a group being grown).

    Made once: each entry is labelled with the (group, column) cell it falls in. Then each
    call scatters the partners' entries into their cells and reads every entry's cell
    back — a few passes over the entries, no search (:meth:`RowMatrix.pair_dots` sorts and
    binary-searches the partners' entries on every call). Each row's products are added
    up in the row's entry order, as :meth:`RowMatrix.pair_dots` does, so the sums are the
    same floats.
    """

    def __init__(self, matrix: RowMatrix, group: np.ndarray) -> None:
        n = matrix.shape[0]
        self._n = n
        self._matrix = matrix
        # per entry: its row and its cell, in 32 bits (a theme's slice at 10,000 documents
        # has millions of entries, and the grouping of two themes may run at once)
        index = np.int32 if max(n, matrix.nnz) < 2**31 else np.int64
        self._row = np.repeat(np.arange(n, dtype=index), np.diff(matrix.indptr))
        key = np.asarray(group, dtype=np.int64)[self._row] * matrix.n_cols + matrix.indices
        order = np.argsort(key, kind="stable")
        key = key[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        del key
        self._cell = np.empty(len(order), dtype=index)
        self._cell[order] = np.cumsum(first) - 1
        del order
        self._value = np.zeros(int(first.sum()), dtype=np.float64)  # per cell, kept zeroed

    def __call__(self, partner: np.ndarray, partners: np.ndarray | None = None) -> np.ndarray:
        """Per row, the dot with ``partner[row]`` (0 where it is -1). ``partners``: the
        distinct partner rows, when the caller has them (else found from ``partner``)."""
        if partners is None:
            partners = distinct(np.asarray(partner, dtype=np.int64))
            partners = partners[partners >= 0]
        entries, _ = self._matrix.entries(partners)  # the partner rows' own entries
        cells = self._cell[entries]
        value = self._value
        data = self._matrix.data  # float32; each product is taken in float64
        value[cells] = data[entries]
        products = value[self._cell]
        products *= data
        value[cells] = 0.0
        return np.bincount(self._row, weights=products, minlength=self._n)
