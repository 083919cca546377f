# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Choice of the assignee of a new ticket (no database)."""


def next_round_robin(member_ids, last_user_id):
    """The member after ``last_user_id`` in ``member_ids`` order (wraps)."""
    if not member_ids:
        return False
    members = list(member_ids)
    if last_user_id in members:
        return members[(members.index(last_user_id) + 1) % len(members)]
    return members[0]


def least_loaded(member_ids, open_counts):
    """The member with the fewest open tickets; ties go to list order."""
    if not member_ids:
        return False
    members = list(member_ids)
    return min(members, key=lambda uid: (open_counts.get(uid, 0), members.index(uid)))


def raised_priority(priority, top='3'):
    """Priority one step higher (selection keys '0'..'3'), capped at ``top``."""
    return str(min(int(priority or 0) + 1, int(top)))
