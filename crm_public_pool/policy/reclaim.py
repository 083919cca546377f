"""Set-based SQL of the pool policies (reclaim, freeze expiry, preview).

No ``odoo`` import: the functions take a DB-API (psycopg2) cursor and plain
values, so the ORM layer stays thin and the statements can be benchmarked
and tested on their own. Every batch function is ONE statement that selects
the due rows with ``FOR UPDATE SKIP LOCKED`` (two servers never take the same
row), updates them and inserts their history rows; the caller commits after
each batch, so a killed run leaves either a whole batch or nothing.

The deadline SQL mirrors :func:`.deadline.compute_deadline`: the earlier of
``max(claimed, followup) + idle_days`` and ``claimed + nodeal_days``, each
only when its days are positive (``LEAST`` ignores NULLs); a record is due
when ``pool_deadline <= now`` (exactly N days after the clock start is due).
"""

from array import array

from . import history
from .deadline import FREEZE_CLEAR_SQL, deadline_sql

KIND_IDLE = 'idle'
KIND_NODEAL = 'nodeal'


class Target(object):
    """What a policy runs on: a table of the pool mixin and its guards.

    ``guard`` is an SQL condition on alias ``r`` that must hold for a record
    to be reclaimed, reminded, distributed or to get a deadline (active and
    not won); it is a constant of the code, never user input.
    ``priority_column`` is what distribution hands out first, if any.
    ``nodeal`` is the SQL of the no-deal days that apply to ``r``, a
    ``format()`` template of the pool's days ``{days}`` (a customer with a
    deal has none).
    """

    def __init__(self, table, res_model, guard='TRUE', name_column='name',
                 priority_column=None, nodeal='{days}'):
        self.table = table
        self.res_model = res_model
        self.guard = guard
        self.name_column = name_column
        self.priority_column = priority_column
        self.nodeal = nodeal

    def nodeal_days(self, days):
        """SQL of the no-deal days of ``r`` for the pool's ``days``."""
        return self.nodeal.format(days=days)


def kind_sql(claimed, nodeal, now):
    """'nodeal' when the no-deal clock expired, else 'idle'."""
    return ("CASE WHEN {nodeal} > 0 AND {claimed} + {nodeal} * INTERVAL "
            "'1 day' <= {now} THEN 'nodeal' ELSE 'idle' END").format(
                claimed=claimed, nodeal=nodeal, now=now)


_DUE_IDS_SQL = """
SELECT r.id
  FROM {table} r
 WHERE r.pool_state = 'owned'
   AND r.pool_deadline <= %(now)s
   AND r.user_id IS NOT NULL
   AND {guard}
   {pool_filter}
 ORDER BY r.id
"""


def due_ids(cr, target, now, pool_ids=None):
    """Ids of the records due at ``now`` (one indexed query on the stored
    ``pool_deadline``), as a compact ``array('q')``: 8 bytes per id."""
    pool_filter = 'AND r.pool_id IN %(pool_ids)s' if pool_ids else ''
    cr.execute(_DUE_IDS_SQL.format(table=target.table, guard=target.guard,
                                   pool_filter=pool_filter),
               {'now': now, 'pool_ids': tuple(pool_ids or ()) or (0,)})
    result = array('q')
    while True:
        rows = cr.fetchmany(10000)
        if not rows:
            return result
        result.extend(row[0] for row in rows)


_RECLAIM_SQL = """
WITH due AS (
    SELECT r.id, r.ctid AS row_ctid, r.user_id AS old_user,
           r.pool_id AS src_pool,
           COALESCE(p.recycle_pool_id, p.id) AS dst_pool,
           p.company_id, r.{name} AS res_name,
           {kind} AS kind,
           CASE WHEN {kind} = 'nodeal' THEN {nodeal}
                ELSE p.idle_days END AS days
      FROM {table} r
      JOIN crm_pool p ON p.id = r.pool_id
     WHERE {selection}
       AND r.pool_state = 'owned'
       AND r.pool_deadline <= %(now)s
       AND r.user_id IS NOT NULL
       AND {guard}
       {pool_filter}
     ORDER BY {order}
     LIMIT %(limit)s
       FOR UPDATE OF r SKIP LOCKED
), moved AS (
    UPDATE {table} r
       SET user_id = NULL,
           pool_state = 'pool',
           pool_id = due.dst_pool,
           pool_date_claimed = NULL,
           pool_date_followup = NULL,
           pool_deadline = NULL,
           {freeze_clear},
           {extra_set}
           write_uid = %(uid)s,
           write_date = %(now)s
      FROM due
     WHERE r.ctid = due.row_ctid
 RETURNING r.id, due.old_user, due.src_pool, due.dst_pool, due.company_id,
           due.res_name, due.kind, due.days
), logged AS (
    {history_insert}
    SELECT %(res_model)s, id, res_name, 'reclaim', src_pool, company_id,
           old_user, NULL, %(uid)s,
           CASE kind WHEN 'nodeal' THEN %(reason_nodeal_id)s
                ELSE %(reason_idle_id)s END,
           format(CASE kind WHEN 'nodeal' THEN %(reason_nodeal)s
                  ELSE %(reason_idle)s END, days),
           %(now)s
      FROM moved
)
SELECT id FROM moved
"""


def reclaim_batch(cr, target, now, uid, limit=1000, pool_ids=None,
                  reasons=None, extra_set='', ids=None):
    """Reclaim at most ``limit`` due records in one statement.

    With ``ids`` (a chunk of :func:`due_ids`), only those records are
    considered, each re-checked under its row lock: rows another run holds
    are skipped, rows no longer due (followed up, done by another server)
    are left alone. Without ``ids`` the due rows are found through the
    ``pool_deadline`` index.

    ``reasons``: ``{'idle': (reason_id, text), 'nodeal': (reason_id, text)}``
    where each text is a ``format()`` template with one ``%s`` for the
    number of days. Returns the ids of the reclaimed records (their history
    rows say from whom, where from and why); an empty list means done.
    """
    reasons = reasons or {}
    idle_id, idle_text = reasons.get(KIND_IDLE, (None, 'Idle for %s days'))
    nodeal_id, nodeal_text = reasons.get(
        KIND_NODEAL, (None, 'Not won within %s days'))
    pool_filter = 'AND r.pool_id IN %(pool_ids)s' if pool_ids else ''
    if ids is not None:
        selection, order = 'r.id = ANY(%(ids)s)', 'r.id'
        limit = len(ids)
    else:
        selection, order = 'TRUE', 'r.pool_deadline, r.id'
    query = _RECLAIM_SQL.format(
        table=target.table, name=target.name_column, guard=target.guard,
        pool_filter=pool_filter, extra_set=extra_set, selection=selection,
        order=order, freeze_clear=FREEZE_CLEAR_SQL,
        history_insert=history.INSERT,
        nodeal=target.nodeal_days('p.nodeal_days'),
        kind=kind_sql('r.pool_date_claimed',
                      target.nodeal_days('p.nodeal_days'), '%(now)s'))
    cr.execute(query, {
        'now': now, 'uid': uid, 'limit': limit, 'ids': list(ids or ()),
        'pool_ids': tuple(pool_ids or ()) or (0,),
        'res_model': target.res_model,
        'reason_idle_id': idle_id, 'reason_nodeal_id': nodeal_id,
        'reason_idle': idle_text.replace('%%', '%'),
        'reason_nodeal': nodeal_text.replace('%%', '%'),
    })
    return [row[0] for row in cr.fetchall()]


_FREEZE_SQL = """
WITH due AS (
    SELECT r.id, r.user_id, r.pool_id, p.company_id, r.{name} AS res_name
      FROM {table} r
      JOIN crm_pool p ON p.id = r.pool_id
     WHERE r.pool_state = 'frozen'
       AND r.pool_freeze_until <= %(now)s
     ORDER BY r.pool_freeze_until, r.id
     LIMIT %(limit)s
       FOR UPDATE OF r SKIP LOCKED
), moved AS (
    UPDATE {table} r
       SET pool_state = CASE WHEN r.user_id IS NULL THEN 'pool'
                             ELSE 'owned' END,
           {freeze_clear},
           pool_date_claimed = CASE WHEN r.user_id IS NULL THEN NULL
                                    ELSE %(now)s::timestamp END,
           pool_date_followup = CASE WHEN r.user_id IS NULL THEN NULL
                                     ELSE %(now)s::timestamp END,
           pool_deadline = CASE WHEN r.user_id IS NULL OR NOT ({guard})
                                THEN NULL ELSE {deadline} END,
           write_uid = %(uid)s,
           write_date = %(now)s
      FROM due, crm_pool p
     WHERE r.id = due.id AND p.id = r.pool_id
 RETURNING r.id
)
{history_insert}
SELECT %(res_model)s, due.id, due.res_name, 'unfreeze', due.pool_id,
       due.company_id, due.user_id, due.user_id, %(uid)s, NULL, %(reason)s,
       %(now)s
  FROM due JOIN moved ON moved.id = due.id
RETURNING res_id
"""


def freeze_expiry_batch(cr, target, now, uid, limit=1000, reason=None):
    """Unfreeze at most ``limit`` records whose freeze ended; both deadline
    clocks restart at ``now`` and the deadline is recomputed in SQL. Returns
    the ids unfrozen (empty: done)."""
    query = _FREEZE_SQL.format(
        table=target.table, name=target.name_column, guard=target.guard,
        freeze_clear=FREEZE_CLEAR_SQL, history_insert=history.INSERT,
        deadline=deadline_sql('%(now)s::timestamp', '%(now)s::timestamp',
                              'p.idle_days',
                              target.nodeal_days('p.nodeal_days')))
    cr.execute(query, {'now': now, 'uid': uid, 'limit': limit,
                       'res_model': target.res_model, 'reason': reason})
    return [row[0] for row in cr.fetchall()]


_LAPSE_SQL = """
WITH due AS (
    SELECT r.id, r.user_id, r.pool_id, p.company_id, r.{name} AS res_name
      FROM {table} r
      JOIN crm_pool p ON p.id = r.pool_id
     WHERE r.pool_freeze_pending
       AND r.pool_state <> 'frozen'
       AND r.pool_freeze_until <= %(now)s
     ORDER BY r.pool_freeze_until, r.id
     LIMIT %(limit)s
       FOR UPDATE OF r SKIP LOCKED
), cleared AS (
    UPDATE {table} r
       SET {freeze_clear},
           write_uid = %(uid)s,
           write_date = %(now)s
      FROM due
     WHERE r.id = due.id
 RETURNING r.id
)
{history_insert}
SELECT %(res_model)s, due.id, due.res_name, 'freeze_lapsed', due.pool_id,
       due.company_id, due.user_id, due.user_id, %(uid)s, NULL, %(reason)s,
       %(now)s
  FROM due JOIN cleared ON cleared.id = due.id
RETURNING res_id
"""


def freeze_request_lapse_batch(cr, target, now, uid, limit=1000, reason=None):
    """Withdraw at most ``limit`` freeze requests still awaiting approval
    when the freeze they asked for has already ended (the record stays
    owned, its clocks untouched). Returns the ids (empty: done)."""
    query = _LAPSE_SQL.format(table=target.table, name=target.name_column,
                              freeze_clear=FREEZE_CLEAR_SQL,
                              history_insert=history.INSERT)
    cr.execute(query, {'now': now, 'uid': uid, 'limit': limit,
                       'res_model': target.res_model, 'reason': reason})
    return [row[0] for row in cr.fetchall()]


def preview(cr, target, pool_id, idle_days, nodeal_days, at):
    """How many owned records of ``pool_id`` would be reclaimed by a run at
    ``at`` if the pool had these policy numbers: ``[(owner id, count)]``,
    biggest first. Frozen and won records never count."""
    query = """
        SELECT r.user_id, count(*)
          FROM {table} r
         WHERE r.pool_id = %(pool)s
           AND r.pool_state = 'owned'
           AND r.user_id IS NOT NULL
           AND {guard}
           AND {deadline} <= %(at)s
         GROUP BY r.user_id
         ORDER BY count(*) DESC, r.user_id
    """.format(table=target.table, guard=target.guard,
               deadline=deadline_sql('r.pool_date_claimed',
                                     'r.pool_date_followup',
                                     '%(idle)s',
                                     target.nodeal_days('%(nodeal)s::int')))
    cr.execute(query, {'pool': pool_id, 'idle': idle_days or 0,
                       'nodeal': nodeal_days or 0, 'at': at})
    return cr.fetchall()


def reminder_candidates(cr, target, now, horizon, limit=5000):
    """Owned records whose deadline falls in ``(now, horizon]`` in pools with
    reminders on, with what was already reminded: ``[(id, owner, pool id,
    deadline, reminded deadline, reminded level, remind days, name)]``."""
    query = """
        SELECT r.id, r.user_id, r.pool_id, r.pool_deadline,
               r.pool_remind_deadline, COALESCE(r.pool_remind_level, 0),
               p.remind_days, r.{name}
          FROM {table} r
          JOIN crm_pool p ON p.id = r.pool_id
         WHERE r.pool_state = 'owned'
           AND r.user_id IS NOT NULL
           AND {guard}
           AND p.remind_days > 0
           AND r.pool_deadline > %(now)s
           AND r.pool_deadline <= %(now)s + GREATEST(p.remind_days, 1)
                                         * INTERVAL '1 day'
           AND r.pool_deadline <= %(horizon)s
           AND (r.pool_remind_deadline IS NULL
                OR r.pool_remind_deadline != r.pool_deadline
                OR (COALESCE(r.pool_remind_level, 0) < 2
                    AND r.pool_deadline <= %(now)s + INTERVAL '1 day'))
         ORDER BY r.pool_deadline, r.id
         LIMIT %(limit)s
    """.format(table=target.table, name=target.name_column,
               guard=target.guard)
    cr.execute(query, {'now': now, 'horizon': horizon, 'limit': limit})
    return cr.fetchall()
