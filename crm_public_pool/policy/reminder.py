"""When is the owner (and then the pool managers) reminded of a deadline?

Plain Python, no ORM. Two reminder levels per deadline:

* ``LEVEL_OWNER`` (1): from ``remind_days`` before the deadline, an activity
  for the owner;
* ``LEVEL_FINAL`` (2): from one day before the deadline, the owner again and
  the pool managers too.

Each level is sent once per deadline: the cron stores the deadline it
reminded and the level reached; a new deadline (follow-up, new claim, policy
change) starts again from nothing.
"""
from datetime import timedelta

LEVEL_NONE = 0
LEVEL_OWNER = 1
LEVEL_FINAL = 2

FINAL_WINDOW = timedelta(days=1)


def due_level(deadline, now, remind_days):
    """Reminder level due at ``now`` for ``deadline``.

    ``LEVEL_NONE`` when reminders are off (``remind_days`` <= 0), without a
    deadline, once the deadline has passed (the reclaim takes over), or before
    the reminder window. The windows include their start: exactly
    ``remind_days`` before the deadline is already due.
    """
    if not deadline or not remind_days or remind_days <= 0 or deadline <= now:
        return LEVEL_NONE
    left = deadline - now
    if left <= FINAL_WINDOW:
        return LEVEL_FINAL
    if left <= timedelta(days=remind_days):
        return LEVEL_OWNER
    return LEVEL_NONE


def to_send(deadline, now, remind_days, reminded_deadline=None,
            reminded_level=LEVEL_NONE):
    """Level to send now (``LEVEL_NONE`` if nothing): the due level when it is
    higher than what was already sent for this very deadline."""
    level = due_level(deadline, now, remind_days)
    if level == LEVEL_NONE:
        return LEVEL_NONE
    sent = reminded_level if reminded_deadline == deadline else LEVEL_NONE
    return level if level > (sent or LEVEL_NONE) else LEVEL_NONE


def schedule(deadline, remind_days):
    """``[(moment, level), ...]`` at which reminders become due, earliest
    first (for display and tests). When ``remind_days`` <= 1 only the final
    reminder exists."""
    if not deadline or not remind_days or remind_days <= 0:
        return []
    result = []
    if remind_days > 1:
        result.append((deadline - timedelta(days=remind_days), LEVEL_OWNER))
    result.append((deadline - FINAL_WINDOW, LEVEL_FINAL))
    return result


def window_start(now, remind_days):
    """Deadlines up to this moment may need a reminder at ``now`` (for the
    SQL pre-selection: ``now < pool_deadline <= window_start``)."""
    days = max(remind_days or 0, 1)
    return now + timedelta(days=days)
