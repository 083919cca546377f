"""When does an owned record return to its pool?

Plain Python, no ORM: the ORM layer and the reclaim cron both call
:func:`compute_deadline` so the countdown users see is the deadline applied.
"""
from datetime import timedelta


def compute_deadline(date_claimed, date_followup=None, idle_days=0,
                     nodeal_days=0, owned=True, frozen=False, won=False):
    """Return the datetime at which a record falls back to its pool.

    The earlier of ``max(date_claimed, date_followup) + idle_days`` and
    ``date_claimed + nodeal_days``; each clock only counts when its number of
    days is positive (0 turns the policy off). ``None`` when the record is not
    owned, is frozen, is won, has no claim date or no policy applies.
    """
    if not owned or frozen or won or not date_claimed:
        return None
    candidates = []
    if idle_days and idle_days > 0:
        start = date_claimed
        if date_followup and date_followup > start:
            start = date_followup
        candidates.append(start + timedelta(days=idle_days))
    if nodeal_days and nodeal_days > 0:
        candidates.append(date_claimed + timedelta(days=nodeal_days))
    return min(candidates) if candidates else None


def deadline_sql(claimed, followup, idle, nodeal):
    """SQL twin of :func:`compute_deadline` for an owned, unfrozen record
    that is not won, from four SQL operands (the set-based policies)."""
    return (
        "LEAST("
        "CASE WHEN {idle} > 0 THEN GREATEST({claimed}, COALESCE({followup}, "
        "{claimed})) + {idle} * INTERVAL '1 day' END, "
        "CASE WHEN {nodeal} > 0 THEN {claimed} + {nodeal} * INTERVAL '1 day' "
        "END)"
    ).format(claimed=claimed, followup=followup, idle=idle, nodeal=nodeal)


def days_left(deadline, now):
    """Whole days (rounded down, may be negative) from ``now`` to ``deadline``."""
    if not deadline:
        return None
    delta = deadline - now
    return delta.days


def cooldown_end(date_released, cooldown_days):
    """First moment a previous owner may claim again, or ``None`` if no cooldown."""
    if not date_released or not cooldown_days or cooldown_days <= 0:
        return None
    return date_released + timedelta(days=cooldown_days)


def freeze_limit(now, max_freeze_days):
    """Latest allowed ``pool_freeze_until`` (``None`` when unbounded)."""
    if not max_freeze_days or max_freeze_days <= 0:
        return None
    return now + timedelta(days=max_freeze_days)


# What ends a freeze or a freeze request (the clocks are the caller's),
# defined once: the columns with their SQL value, the values for the ORM
# and the SQL SET list the set-based policies use.
FREEZE_COLUMNS = (
    ('pool_freeze_until', 'NULL'),
    ('pool_freeze_reason', 'NULL'),
    ('pool_freeze_pending', 'FALSE'),
)
FREEZE_CLEAR = {name: False for name, _sql in FREEZE_COLUMNS}
FREEZE_CLEAR_SQL = ', '.join('%s = %s' % column for column in FREEZE_COLUMNS)
