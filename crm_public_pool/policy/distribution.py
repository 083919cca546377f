"""Which salesperson gets which unowned pool record (no ORM, no database).

The distribution cron feeds these functions with a few aggregates (members,
their owned counts, the batch of unowned records, the records each member's
routing domain matches) and applies the returned assignment with one
``UPDATE ... FROM (VALUES ...)`` per batch.

Every method:

* hands out hot records first: Odoo's ``priority`` stars descending, then the
  oldest record first (``create_date``), then the lowest id;
* skips inactive members and members at their quota, and never assigns more
  than a member's remaining room;
* leaves in the pool the records nobody can take.
"""
import heapq

from . import history

METHODS = ('round_robin', 'balanced', 'rule')


class Member(object):
    """One candidate salesperson of a pool.

    ``quota`` is the effective quota (member override or pool quota); 0 or
    ``None`` means unlimited. ``owned`` is how many records the user already
    owns in the pool. ``matches`` is, for rule-based routing, the set of record
    ids the member's routing domain selects (``None``: the member has no
    domain and takes nothing by rule).
    """

    __slots__ = ('user_id', 'quota', 'owned', 'active', 'matches')

    def __init__(self, user_id, quota=0, owned=0, active=True, matches=None):
        self.user_id = user_id
        self.quota = quota or 0
        self.owned = owned or 0
        self.active = active
        self.matches = matches

    def room(self):
        """Records the member may still receive (``None``: unlimited)."""
        if self.quota <= 0:
            return None
        return max(self.quota - self.owned, 0)

    def has_room(self):
        room = self.room()
        return room is None or room > 0

    def __repr__(self):
        return 'Member(%r, quota=%r, owned=%r)' % (
            self.user_id, self.quota, self.owned)


def hot_first(records):
    """Sort ``(id, priority, create_date)`` tuples: priority desc, age, id.

    ``priority`` may be a string (Odoo's selection '0'..'3') or a number;
    ``create_date`` may be ``None`` (sorted last among equal priorities).
    """
    def key(rec):
        rec_id, priority, created = rec[0], rec[1], rec[2]
        try:
            prio = int(priority or 0)
        except (TypeError, ValueError):
            prio = 0
        return (-prio, created is None, created or 0, rec_id)
    return sorted(records, key=key)


def _eligible(member, rec_id, excluded):
    if excluded and (rec_id, member.user_id) in excluded:
        return False
    return True


def round_robin(records, members, pointer=None, excluded=None):
    """Deal records one by one to members in order, starting after the member
    whose ``user_id`` is ``pointer`` (the persisted position of the previous
    run). Returns ``(assignment, new_pointer)`` where assignment maps record id
    to user id."""
    members = [m for m in members if m.active]
    assignment = {}
    if not members:
        return assignment, pointer
    ids = [m.user_id for m in members]
    pos = ids.index(pointer) + 1 if pointer in ids else 0
    count = len(members)
    for rec in hot_first(records):
        rec_id = rec[0]
        for step in range(count):
            member = members[(pos + step) % count]
            if member.has_room() and _eligible(member, rec_id, excluded):
                assignment[rec_id] = member.user_id
                member.owned += 1
                pointer = member.user_id
                pos = (pos + step + 1) % count
                break
        else:
            if not any(m.has_room() for m in members):
                break
    return assignment, pointer


def _balanced_pick(candidates, rec_id, excluded):
    """Member with the fewest owned records (ties: list order)."""
    best = None
    for order, member in enumerate(candidates):
        if not member.has_room() or not _eligible(member, rec_id, excluded):
            continue
        key = (member.owned, order)
        if best is None or key < best[0]:
            best = (key, member)
    return best[1] if best else None


def balanced(records, members, excluded=None):
    """Each record goes to the member owning the fewest records in the pool
    (ties broken by member order). Returns the assignment."""
    members = [m for m in members if m.active]
    assignment = {}
    if not members:
        return assignment
    if not excluded:
        # Fast path: a heap keyed by (owned, order).
        heap = [(m.owned, order, m) for order, m in enumerate(members)
                if m.has_room()]
        heapq.heapify(heap)
        for rec in hot_first(records):
            if not heap:
                break
            owned, order, member = heapq.heappop(heap)
            assignment[rec[0]] = member.user_id
            member.owned += 1
            if member.has_room():
                heapq.heappush(heap, (member.owned, order, member))
        return assignment
    for rec in hot_first(records):
        member = _balanced_pick(members, rec[0], excluded)
        if member is not None:
            assignment[rec[0]] = member.user_id
            member.owned += 1
    return assignment


def rule(records, members, excluded=None):
    """Each record goes to a member whose routing domain matches it; among
    several matching members the one owning the fewest. Records matching no
    member with room stay in the pool. Returns the assignment."""
    members = [m for m in members if m.active and m.matches]
    assignment = {}
    for rec in hot_first(records):
        rec_id = rec[0]
        candidates = [m for m in members if rec_id in m.matches]
        member = _balanced_pick(candidates, rec_id, excluded)
        if member is not None:
            assignment[rec_id] = member.user_id
            member.owned += 1
    return assignment


def distribute(method, records, members, pointer=None, excluded=None):
    """Dispatch on ``method``; returns ``(assignment, new_pointer)``.

    ``excluded`` is a set of ``(record id, user id)`` pairs that must not be
    made (e.g. a previous owner still in the pool's cooldown).
    """
    if method == 'round_robin':
        return round_robin(records, members, pointer, excluded)
    if method == 'balanced':
        return balanced(records, members, excluded), pointer
    if method == 'rule':
        return rule(records, members, excluded), pointer
    return {}, pointer


# ----------------------------------------------------------------------
# SQL side (a DB-API cursor, no ORM): select a batch, apply an assignment
# ----------------------------------------------------------------------
def select_batch(cr, table, pool_id, limit, priority_column=None,
                 guard='TRUE', exclude_ids=()):
    """Lock and return up to ``limit`` unowned records of the pool, hot
    first, as ``(id, priority, create_date)``; rows locked by a concurrent
    distribution or claim are skipped (``SKIP LOCKED``)."""
    priority = 'r.%s' % priority_column if priority_column else "'0'"
    query = """
        SELECT r.id, {priority}, r.create_date
          FROM {table} r
         WHERE r.pool_id = %(pool)s
           AND r.pool_state = 'pool'
           AND r.user_id IS NULL
           AND {guard}
           AND r.id != ALL(%(skip)s)
         ORDER BY {priority} DESC NULLS LAST, r.create_date, r.id
         LIMIT %(limit)s
           FOR UPDATE OF r SKIP LOCKED
    """.format(priority=priority, table=table, guard=guard)
    cr.execute(query, {'pool': pool_id, 'limit': limit,
                       'skip': list(exclude_ids)})
    return cr.fetchall()


def apply_assignment(cr, table, res_model, assignment, now, uid,
                     deadline_expr, extra_set='', reason=None,
                     name_column='name'):
    """Give the records to their users in ONE statement: an
    ``UPDATE ... FROM (VALUES ...)`` that only takes still unowned rows,
    plus the ``assign`` history rows. ``deadline_expr`` is the SQL of the
    new deadline over aliases ``r`` (the record), ``p`` (its pool) and
    ``c.now`` (the claim moment). Returns the number of records assigned."""
    if not assignment:
        return 0
    pairs = sorted(assignment.items())
    values = ', '.join(['(%s, %s)'] * len(pairs))
    params = [item for pair in pairs for item in pair]
    query = """
        WITH c(now) AS (SELECT %s::timestamp),
        v(id, uid) AS (VALUES {values}),
        moved AS (
            UPDATE {table} r
               SET user_id = v.uid,
                   pool_state = 'owned',
                   pool_date_claimed = c.now,
                   pool_date_followup = NULL,
                   pool_deadline = {deadline},
                   {extra_set}
                   write_uid = %s,
                   write_date = c.now
              FROM v, crm_pool p, c
             WHERE r.id = v.id AND p.id = r.pool_id
               AND r.user_id IS NULL AND r.pool_state = 'pool'
         RETURNING r.id, r.user_id, r.pool_id, p.company_id, r.{name}
        )
        {history_insert}
        SELECT %s, moved.id, moved.{name}, 'assign',
               moved.pool_id, moved.company_id, NULL, moved.user_id, %s, NULL,
               %s, c.now
          FROM moved, c
    """.format(values=values, table=table, extra_set=extra_set,
               deadline=deadline_expr, name=name_column,
               history_insert=history.INSERT)
    cr.execute(query, [now] + params + [uid, res_model, uid, reason])
    return cr.rowcount
