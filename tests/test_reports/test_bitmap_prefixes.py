"""The prefix sums behind "sessions attended before an exam day" (reports.selectors.bitmaps), on
bitmaps made up in memory: exact counts, and checkpoints that a later, earlier moment starts from."""

from datetime import UTC, datetime, timedelta

import numpy as np

from reports.selectors.bitmaps import _CHECKPOINT_ROWS, _Prefixes

START = datetime(2026, 1, 5, 18, tzinfo=UTC)


def _prefixes(sessions: int, seed: int = 7) -> _Prefixes:
    packed = np.random.default_rng(seed).integers(0, 256, size=(sessions, 3), dtype=np.uint8)
    return _Prefixes([START + timedelta(hours=n) for n in range(sessions)], packed)


def _naive(prefixes: _Prefixes, end: int) -> np.ndarray:
    return np.unpackbits(prefixes.packed[:end], axis=1, bitorder="little").sum(axis=0)


def test_a_moment_after_a_first_one_off_the_chunk_grid_counts_exactly_and_leaves_every_checkpoint_on_the_way():
    prefixes = _prefixes(2 * _CHECKPOINT_ROWS + 300)
    prefixes.attended_before(START + timedelta(hours=100))

    late = prefixes.attended_before(START + timedelta(hours=2 * _CHECKPOINT_ROWS + 300))

    assert (late == _naive(prefixes, 2 * _CHECKPOINT_ROWS + 300)).all()
    assert {_CHECKPOINT_ROWS, 2 * _CHECKPOINT_ROWS} <= set(prefixes.sums)


def test_an_earlier_moment_asked_later_counts_exactly_from_the_checkpoint_before_it():
    prefixes = _prefixes(2 * _CHECKPOINT_ROWS + 300)
    prefixes.attended_before(START + timedelta(hours=2 * _CHECKPOINT_ROWS + 300))

    middle = prefixes.attended_before(START + timedelta(hours=_CHECKPOINT_ROWS + 17))

    assert (middle == _naive(prefixes, _CHECKPOINT_ROWS + 17)).all()
