# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Working-hours arithmetic for service level agreements.

Everything here is plain Python: no ``odoo`` import, no database. Datetimes
given and returned are *naive UTC* (what the Odoo ORM stores); the weekly
schedule is expressed in local wall-clock hours of a timezone, so a deadline
crosses nights, weekends, daylight-saving changes and holidays correctly.
"""
from datetime import datetime, time, timedelta

import pytz

#: How far ahead we look for working time before giving up (a calendar
#: without any interval would otherwise loop forever).
MAX_DAYS = 3 * 366


class Schedule(object):
    """A weekly working-time schedule.

    :param intervals: iterable of ``(weekday, hour_from, hour_to)``, weekday
        0 = Monday as in ``resource.calendar.attendance.dayofweek``, hours as
        floats (8.5 = 08:30) in local time of ``tz``.
    :param tz: timezone name (``'Asia/Shanghai'``); default UTC.
    :param leaves: iterable of ``(start, stop)`` naive UTC datetimes that are
        not worked (public holidays, company closing days).
    """

    def __init__(self, intervals, tz='UTC', leaves=()):
        self.intervals = {}
        for weekday, hour_from, hour_to in intervals:
            weekday = int(weekday)
            if not 0 <= weekday <= 6:
                raise ValueError('weekday must be within 0..6, got %r' % weekday)
            if not 0 <= hour_from < hour_to <= 24:
                raise ValueError(
                    'invalid working interval %r-%r' % (hour_from, hour_to))
            self.intervals.setdefault(weekday, []).append(
                (float(hour_from), float(hour_to)))
        for day in self.intervals.values():
            day.sort()
        self.tz = pytz.timezone(tz or 'UTC')
        self.leaves = sorted((a, b) for a, b in leaves if a < b)

    @property
    def empty(self):
        return not self.intervals

    def _local_midnight(self, day):
        return datetime.combine(day, time(0))

    def _to_utc(self, local_naive):
        aware = self.tz.localize(local_naive, is_dst=False)
        return aware.astimezone(pytz.utc).replace(tzinfo=None)

    def _to_local_date(self, utc_naive):
        return pytz.utc.localize(utc_naive).astimezone(self.tz).date()

    def _day_intervals(self, day):
        """Working intervals of one local date, in naive UTC, leaves removed."""
        result = []
        for hour_from, hour_to in self.intervals.get(day.weekday(), ()):
            midnight = self._local_midnight(day)
            start = self._to_utc(midnight + timedelta(hours=hour_from))
            stop = self._to_utc(midnight + timedelta(hours=hour_to))
            result.extend(_subtract(start, stop, self.leaves))
        return result

    def iter_intervals(self, start):
        """Yield working intervals (naive UTC) that end after ``start``,
        clipped to begin no earlier than ``start``, in time order."""
        if self.empty:
            raise ValueError('the working-time schedule has no working hours')
        day = self._to_local_date(start) - timedelta(days=1)
        for _i in range(MAX_DAYS):
            for a, b in self._day_intervals(day):
                if b <= start:
                    continue
                yield max(a, start), b
            day += timedelta(days=1)
        raise ValueError('no working time within %d days' % MAX_DAYS)


def _subtract(start, stop, leaves):
    """``[start, stop)`` minus the sorted ``leaves`` intervals."""
    pieces = [(start, stop)]
    for leave_from, leave_to in leaves:
        if leave_to <= start or leave_from >= stop:
            continue
        kept = []
        for a, b in pieces:
            if leave_to <= a or leave_from >= b:
                kept.append((a, b))
                continue
            if a < leave_from:
                kept.append((a, leave_from))
            if leave_to < b:
                kept.append((leave_to, b))
        pieces = kept
    return pieces


def add_working_hours(start, hours, schedule):
    """The moment when ``hours`` working hours have elapsed after ``start``.

    ``hours`` = 0 returns the first working moment at or after ``start``
    (a ticket opened on Saturday night "starts" on Monday morning).
    """
    if hours < 0:
        raise ValueError('hours must not be negative')
    remaining = timedelta(seconds=round(hours * 3600))
    for a, b in schedule.iter_intervals(start):
        length = b - a
        if remaining <= length:
            if not remaining and length:
                return a
            return a + remaining
        remaining -= length
    raise ValueError('unreachable')  # iter_intervals raises first


def working_hours_between(start, stop, schedule):
    """Working hours (float) between two naive UTC datetimes (0 if stop <= start)."""
    if stop <= start or schedule.empty:
        return 0.0
    total = timedelta()
    try:
        for a, b in schedule.iter_intervals(start):
            if a >= stop:
                break
            total += min(b, stop) - a
    except ValueError:
        # No working time left within MAX_DAYS: the hours counted so far.
        return total.total_seconds() / 3600.0
    return total.total_seconds() / 3600.0


def shift_after_pause(deadline, paused_from, resumed_at, schedule):
    """New deadline once a pause ends: pushed by the working hours paused."""
    if not deadline:
        return deadline
    paused = working_hours_between(paused_from, resumed_at, schedule)
    if not paused:
        return deadline
    return add_working_hours(deadline, paused, schedule)


def share_used(start, deadline, now, schedule):
    """Share (0..1+, may exceed 1 when late) of the working time consumed."""
    total = working_hours_between(start, deadline, schedule)
    if total <= 0:
        return 1.0 if now >= deadline else 0.0
    return working_hours_between(start, now, schedule) / total


def warn_date(start, hours, share, schedule):
    """When ``share`` (0..1) of ``hours`` working hours will have elapsed."""
    if not 0 < share <= 1:
        raise ValueError('share must be within (0, 1]')
    return add_working_hours(start, hours * share, schedule)


def sla_state(now, deadline_first, first_done, deadline_resolution,
              warn_at=None, paused=False, closed=False):
    """Pure rule for the ticket's ``sla_state``.

    ``first_done`` tells whether the first response was given. Returns one of
    'done', 'paused', 'breached', 'at_risk', 'ok'.
    """
    if closed:
        return 'done'
    if paused:
        return 'paused'
    deadlines = [deadline_resolution]
    if not first_done:
        deadlines.append(deadline_first)
    if any(d and now >= d for d in deadlines):
        return 'breached'
    if warn_at and now >= warn_at:
        return 'at_risk'
    return 'ok'


def backlog_bucket(age_days):
    """Age bucket label key used by the backlog report."""
    if age_days < 1:
        return '0_1'
    if age_days < 3:
        return '1_3'
    if age_days < 7:
        return '3_7'
    if age_days < 30:
        return '7_30'
    return '30_plus'
