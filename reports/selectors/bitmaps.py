"""Who attended which sessions, from the tally's per-session bitmaps (PostgreSQL only).

The triggers keep, per session, the set of mentees who attended as a bitmap (reports.tally). Two
figures read them instead of scanning a million attendance rows: the sessions each mentee attended
before a moment (the exam figures: one count per mentee per exam day) and the distinct mentees
served in a range, in all and per mentor (an OR of bitmaps).

A report page asks for both, for two periods and several exam days: inside
`one_read_of_attendance_bitmaps` the bitmaps of every session not cancelled are read once (with
each session's start, end, subject and mentor, in start order) and every later question is
answered from that read; sums already counted for an earlier moment are reused. Outside it each
call reads just the sessions it needs.
"""

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from core.queries import value_rows
from reports.models import SessionTally
from reports.selectors.filters import SCHEDULED

_ROWS_PER_CHUNK = 255  # bits of this many sessions summed per mentee fit in one byte
_CHECKPOINT_ROWS = 10 * _ROWS_PER_CHUNK  # prefix sums kept every this many sessions


@dataclass(frozen=True)
class _Narrowing:
    """Which sessions a question is about: of these subjects (None: all) and this mentor (None: all)."""

    subject_ids: tuple[int, ...] | None
    mentor_id: int | None

    @classmethod
    def of(cls, subject_ids: Sequence[int] | None, mentor_id: int | None) -> "_Narrowing":
        return cls(tuple(sorted(subject_ids)) if subject_ids is not None else None, mentor_id or None)


class _Prefixes:
    """Rows of a bitmap matrix (in start order) with the per-mentee sums of every prefix counted so
    far: a later moment adds only the sessions since the nearest prefix already summed."""

    def __init__(self, starts: list[datetime], packed: np.ndarray) -> None:
        self.starts = starts
        self.packed = packed
        self.sums: dict[int, np.ndarray] = {0: np.zeros(packed.shape[1] * 8, dtype=np.int64)}

    def attended_before(self, bound: datetime) -> np.ndarray:
        end = bisect_left(self.starts, bound)  # a session starting at the bound is not before it
        if end not in self.sums:
            start = max(n for n in self.sums if n < end)
            running = self.sums[start].copy()
            # 255 rows at a time: their bits sum in one byte each without overflow, three times as
            # fast as wider sums, and unpacked they stay small (255 x the bitmaps' width x 8 bytes).
            # Chunks end on multiples of 255 whatever the start, so they pass every checkpoint.
            chunk = start
            while chunk < end:
                stop = min(end, (chunk // _ROWS_PER_CHUNK + 1) * _ROWS_PER_CHUNK)
                running += np.unpackbits(self.packed[chunk:stop], axis=1, bitorder="little").sum(axis=0, dtype=np.uint8)
                if stop % _CHECKPOINT_ROWS == 0 and stop != end:
                    self.sums[stop] = running.copy()  # an earlier moment asked later starts from here
                chunk = stop
            self.sums[end] = running
        return self.sums[end]


class SessionBitmaps:
    """Sessions not cancelled, in start order: start and end, subject and mentor, and the bitmap of
    the mentees who attended (one row of `packed` each, zero-padded to the widest)."""

    def __init__(self, rows: list[tuple[datetime, datetime, int, int, bytes]]) -> None:
        """`rows`: (start, end, subject id, mentor id, bitmap) per session, in start order."""
        starts, ends, subjects, mentors, bitmaps = zip(*rows, strict=True) if rows else ((), (), (), (), ())
        self.starts: list[datetime] = list(starts)
        self.ends: list[datetime] = list(ends)
        self.subjects = np.array(subjects, dtype=np.int64)
        self.mentors = np.array(mentors, dtype=np.int64)
        width = max(map(len, bitmaps), default=0)
        packed = b"".join([bitmap.ljust(width, b"\0") for bitmap in bitmaps])
        self.packed = np.frombuffer(packed, dtype=np.uint8).reshape(len(rows), width)
        self._prefixes: dict[_Narrowing, _Prefixes] = {}

    @classmethod
    def read(
        cls, *, starting_before: datetime | None = None, starting_from: datetime | None = None,
        ending_by: datetime | None = None, narrowing: _Narrowing | None = None,
    ) -> "SessionBitmaps":  # fmt: skip
        """The sessions with a bitmap, those of `narrowing` within the given limits only (none: every one)."""
        sessions = SessionTally.objects.filter(occurrence__status=SCHEDULED)
        if starting_before is not None:
            sessions = sessions.filter(occurrence__starts_at__lt=starting_before)
        if starting_from is not None:
            sessions = sessions.filter(occurrence__starts_at__gte=starting_from)
        if ending_by is not None:
            sessions = sessions.filter(occurrence__ends_at__lte=ending_by)
        if narrowing is not None and narrowing.subject_ids is not None:
            sessions = sessions.filter(occurrence__series__subject_id__in=narrowing.subject_ids)
        if narrowing is not None and narrowing.mentor_id:
            sessions = sessions.filter(occurrence__series__mentor_id=narrowing.mentor_id)
        columns = ("occurrence__starts_at", "occurrence__ends_at", "occurrence__series__subject_id",
                   "occurrence__series__mentor_id", "attended_mentees")  # fmt: skip
        rows = value_rows(sessions.values_list(*columns).order_by("occurrence__starts_at"))
        return cls([row for row in rows if row[4]])  # nobody attended: nothing to add (bytes, read binary)

    def _selected(self, narrowing: _Narrowing) -> np.ndarray:
        """Row numbers of the sessions of `narrowing`, in start order."""
        keep = np.ones(len(self.starts), dtype=bool)
        if narrowing.subject_ids is not None:
            keep &= np.isin(self.subjects, narrowing.subject_ids)
        if narrowing.mentor_id:
            keep &= self.mentors == narrowing.mentor_id
        return np.flatnonzero(keep)

    def attended_before(self, bound: datetime, narrowing: _Narrowing) -> np.ndarray:
        """Per mentee id (the index), the sessions of `narrowing` starting before `bound` they attended."""
        if narrowing not in self._prefixes:
            if narrowing == _Narrowing(None, None):
                self._prefixes[narrowing] = _Prefixes(self.starts, self.packed)
            else:
                rows = self._selected(narrowing)
                self._prefixes[narrowing] = _Prefixes([self.starts[i] for i in rows], self.packed[rows])
        return self._prefixes[narrowing].attended_before(bound)

    def served(self, lo: datetime, hi: datetime, now: datetime, narrowing: _Narrowing) -> tuple[int, dict[int, int]]:
        """Distinct mentees who attended a session of `narrowing` starting in [lo, hi) and ended by
        `now`: in all, and per mentor (an OR of each mentor's bitmaps, then a count of bits)."""
        first, last = bisect_left(self.starts, lo), bisect_left(self.starts, hi)
        ended = np.array([end <= now for end in self.ends[first:last]], dtype=bool)
        rows = np.arange(first, last)[ended] if last > first else np.arange(0)
        if narrowing.subject_ids is not None:
            rows = rows[np.isin(self.subjects[rows], narrowing.subject_ids)]
        if narrowing.mentor_id:
            rows = rows[self.mentors[rows] == narrowing.mentor_id]
        if not len(rows):
            return 0, {}
        rows = rows[np.argsort(self.mentors[rows], kind="stable")]
        mentors = self.mentors[rows]
        firsts = np.flatnonzero(np.r_[True, mentors[1:] != mentors[:-1]])
        by_mentor = np.bitwise_or.reduceat(self.packed[rows], firsts, axis=0)
        counts = np.unpackbits(by_mentor, axis=1).sum(axis=1)
        everyone = int(np.unpackbits(np.bitwise_or.reduce(by_mentor, axis=0)).sum())
        return everyone, {int(m): int(n) for m, n in zip(mentors[firsts], counts, strict=True) if n}


_reads: ContextVar[dict[str, SessionBitmaps] | None] = ContextVar("attendance_bitmap_reads", default=None)


@contextmanager
def one_read_of_attendance_bitmaps() -> Iterator[None]:
    """Within the block, the tally's bitmaps are read from the database once (on first use), and
    summed once per subject and mentor filter, for every later question (a report page asks once
    per exam of two periods, for the exam table and for mentees served). Outside it every call
    reads again; inside another such block it shares the outer block's read."""
    if _reads.get() is not None:
        yield
        return
    token = _reads.set({})
    try:
        yield
    finally:
        _reads.reset(token)


def _shared() -> SessionBitmaps | None:
    """The one read of this block (made now if it is the first question), or None outside one."""
    reads = _reads.get()
    if reads is None:
        return None
    if "all" not in reads:
        reads["all"] = SessionBitmaps.read()
    return reads["all"]


def sessions_attended_before(
    bounds: list[datetime], *, subject_ids: Sequence[int] | None = None, mentor_id: int | None = None
) -> list[dict[int, int]]:
    """For each moment in `bounds`: mentee id -> held-or-scheduled sessions (not cancelled; of
    these subjects and this mentor if given) they attended that started before it."""
    if not bounds:
        return []
    narrowing = _Narrowing.of(subject_ids, mentor_id)
    bitmaps = _shared() or SessionBitmaps.read(starting_before=max(bounds), narrowing=narrowing)
    by_bound = []
    for bound in bounds:
        counts = bitmaps.attended_before(bound, narrowing)
        mentees = np.flatnonzero(counts)
        by_bound.append(dict(zip(mentees.tolist(), counts[mentees].tolist(), strict=True)))
    return by_bound


def mentees_served(
    lo: datetime, hi: datetime, now: datetime, *, subject_id: int | None = None, mentor_id: int | None = None
) -> tuple[int, dict[int, int]]:
    """Distinct mentees who attended a session (of this subject and mentor) starting in [lo, hi)
    that had ended by `now` and was not cancelled: in all, and per mentor."""
    narrowing = _Narrowing.of([subject_id] if subject_id else None, mentor_id)
    bitmaps = _shared() or SessionBitmaps.read(starting_from=lo, starting_before=hi, ending_by=now, narrowing=narrowing)
    return bitmaps.served(lo, hi, now, narrowing)
