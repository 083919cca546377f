"""Cleanup (淘汰) of invalid and never claimed pool records, set-based: one
query finds the due ids, then each batch archives a chunk of them and writes
their history in one statement (no ``odoo`` import; the cron in
models/crm_pool_cleanup.py runs the batches)."""
from . import history

# Claimed or assigned within the cleanup period: not "never claimed"
TAKEN_ACTIONS = ('claim', 'assign', 'handover')

# A row ``r`` of pool ``p`` is due: invalid, or unclaimed in the pool and
# not created within the pool's cleanup days...
_DUE_WHERE = """
       p.cleanup_days > 0 AND p.active
       AND ({guard})
       AND r.user_id IS NULL
       AND (
            (r.pool_state = 'invalid'
             AND r.pool_date_invalid
                 <= %(now)s::timestamp - p.cleanup_days * INTERVAL '1 day')
         OR (r.pool_state = 'pool'
             AND r.create_date
                 <= %(now)s::timestamp - p.cleanup_days * INTERVAL '1 day'
             AND {not_taken}))
"""
# ... and neither claimed, assigned nor handed over within the period (only
# in the search of the due ids: a record taken since is no longer unowned,
# which the batch re-checks under the row lock)
_NOT_TAKEN = """NOT EXISTS (
                 SELECT 1 FROM crm_pool_log l
                  WHERE l.res_id = r.id AND l.res_model = %(res_model)s
                    AND l.action IN %(taken)s
                    AND l.date > %(now)s::timestamp
                                 - p.cleanup_days * INTERVAL '1 day')"""

_DUE_IDS_SQL = """
    SELECT r.id FROM {table} r JOIN crm_pool p ON p.id = r.pool_id
     WHERE {due_where}
     ORDER BY r.id
"""

_CLEANUP_SQL = """
WITH due AS (
    SELECT r.id, r.pool_id, p.company_id, r.{name} AS res_name,
           r.pool_state
      FROM {table} r
      JOIN crm_pool p ON p.id = r.pool_id
     WHERE r.id = ANY(%(ids)s) AND {due_where}
       FOR UPDATE OF r SKIP LOCKED
), archived AS (
    UPDATE {table} r
       SET active = FALSE, write_uid = %(uid)s, write_date = %(now)s
      FROM due
     WHERE r.id = due.id
 RETURNING r.id
)
{history_insert}
SELECT %(res_model)s, due.id, due.res_name, 'cleanup', due.pool_id,
       due.company_id, NULL, NULL, %(uid)s, NULL,
       CASE WHEN due.pool_state = 'invalid' THEN %(reason_invalid)s
            ELSE %(reason_unclaimed)s END,
       %(now)s
  FROM due JOIN archived ON archived.id = due.id
RETURNING res_id
"""


def due_ids(cr, target, now):
    """Ids of the records of ``target`` (a policy.reclaim.Target) due for
    the cleanup at ``now``, in id order (one query, no lock)."""
    query = _DUE_IDS_SQL.format(
        table=target.table,
        due_where=_DUE_WHERE.format(guard=target.guard, not_taken=_NOT_TAKEN))
    cr.execute(query, {'now': now, 'res_model': target.res_model,
                       'taken': TAKEN_ACTIONS})
    return [row[0] for row in cr.fetchall()]


def cleanup_batch(cr, target, now, uid, ids, reasons=None):
    """Archive the records ``ids`` (a chunk of :func:`due_ids`) still due,
    each re-checked under its row lock (rows another run holds are
    skipped), in one statement; returns the archived ids. ``reasons``:
    (invalid text, never claimed text)."""
    reason_invalid, reason_unclaimed = reasons or (
        'Invalid', 'Never claimed')
    cr.execute(_CLEANUP_SQL.format(
        table=target.table, name=target.name_column,
        due_where=_DUE_WHERE.format(guard=target.guard, not_taken='TRUE'),
        history_insert=history.INSERT), {
        'now': now, 'uid': uid, 'ids': list(ids),
        'res_model': target.res_model, 'taken': TAKEN_ACTIONS,
        'reason_invalid': reason_invalid,
        'reason_unclaimed': reason_unclaimed,
    })
    return [row[0] for row in cr.fetchall()]
