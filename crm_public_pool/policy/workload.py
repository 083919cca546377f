"""Workload targets (工作量指标) against what was done: plain Python, no
database. The report's SQL (crm_followup_target_report.py) follows the same
rules; the weekly summary sorts and words its rows with these helpers."""
from datetime import date, timedelta

PERIODS = ('day', 'week', 'month')


def period_start(day, period):
    """First day of the ``period`` ('day', 'week' from Monday, 'month')
    containing ``day``."""
    if period == 'day':
        return day
    if period == 'week':
        return day - timedelta(days=day.weekday())
    if period == 'month':
        return day.replace(day=1)
    raise ValueError(period)


def next_period_start(start, period):
    """First day of the period after the one starting on ``start``."""
    if period == 'day':
        return start + timedelta(days=1)
    if period == 'week':
        return start + timedelta(days=7)
    if period == 'month':
        if start.month == 12:
            return date(start.year + 1, 1, 1)
        return date(start.year, start.month + 1, 1)
    raise ValueError(period)


def is_behind(followups, min_followups, customers, min_customers):
    """Behind target: fewer follow-ups or new customers than the minimum
    (a minimum of 0 asks for nothing)."""
    return followups < (min_followups or 0) \
        or customers < (min_customers or 0)


def summary_order(rows):
    """Rows of a team summary, those behind first, then by name."""
    return sorted(rows, key=lambda row: (not row['behind'], row['name']))


# The report's row id packs target, salesperson and period number (the SQL
# view computes it with the same shifts): reading rows by id can then filter
# on target and salesperson before counting.
TARGET_SHIFT = 36
USER_SHIFT = 16


def row_id(target_id, user_id, period_number):
    return (target_id << TARGET_SHIFT) + (user_id << USER_SHIFT) \
        + period_number


def row_keys(row_ids):
    """(target ids, user ids) of report row ids."""
    targets = {row >> TARGET_SHIFT for row in row_ids}
    users = {(row >> USER_SHIFT) & ((1 << (TARGET_SHIFT - USER_SHIFT)) - 1)
             for row in row_ids}
    return targets, users
