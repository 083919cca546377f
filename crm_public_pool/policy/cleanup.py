"""Cleanup (淘汰) of invalid and never claimed pool records, set-based: a
batch archives the due rows and writes their history in one statement (no
``odoo`` import; the cron in models/crm_pool_cleanup.py runs the batches)."""
from . import history

# Claimed or assigned within the cleanup period: not "never claimed"
TAKEN_ACTIONS = ('claim', 'assign', 'handover')

_CLEANUP_SQL = """
WITH due AS (
    SELECT r.id, r.pool_id, p.company_id, r.{name} AS res_name,
           r.pool_state
      FROM {table} r
      JOIN crm_pool p ON p.id = r.pool_id
     WHERE p.cleanup_days > 0 AND p.active
       AND ({guard})
       AND r.user_id IS NULL
       AND (
            (r.pool_state = 'invalid'
             AND r.pool_date_invalid
                 <= %(now)s::timestamp - p.cleanup_days * INTERVAL '1 day')
         OR (r.pool_state = 'pool'
             AND r.create_date
                 <= %(now)s::timestamp - p.cleanup_days * INTERVAL '1 day'
             AND NOT EXISTS (
                 SELECT 1 FROM crm_pool_log l
                  WHERE l.res_id = r.id AND l.res_model = %(res_model)s
                    AND l.action IN %(taken)s
                    AND l.date > %(now)s::timestamp
                                 - p.cleanup_days * INTERVAL '1 day')))
     ORDER BY r.id
     LIMIT %(limit)s
       FOR UPDATE OF r SKIP LOCKED
), archived AS (
    UPDATE {table} r
       SET active = FALSE, write_uid = %(uid)s, write_date = %(now)s
      FROM due
     WHERE r.id = due.id
 RETURNING r.id
)
{history_insert}
SELECT %(uid)s, %(now)s, %(uid)s, %(now)s,
       %(res_model)s, due.id, due.res_name, 'cleanup', due.pool_id,
       due.company_id, NULL, NULL, %(uid)s, NULL,
       CASE WHEN due.pool_state = 'invalid' THEN %(reason_invalid)s
            ELSE %(reason_unclaimed)s END,
       %(now)s
  FROM due JOIN archived ON archived.id = due.id
RETURNING res_id
"""


def cleanup_batch(cr, target, now, uid, limit=5000, reasons=None):
    """Archive at most ``limit`` due records of ``target`` (a
    policy.reclaim.Target) in one statement; returns their ids (an empty
    list: nothing left). ``reasons``: (invalid text, never claimed text)."""
    reason_invalid, reason_unclaimed = reasons or (
        'Invalid', 'Never claimed')
    cr.execute(_CLEANUP_SQL.format(
        table=target.table, name=target.name_column, guard=target.guard,
        history_insert=history.INSERT), {
        'now': now, 'uid': uid, 'limit': limit,
        'res_model': target.res_model, 'taken': TAKEN_ACTIONS,
        'reason_invalid': reason_invalid,
        'reason_unclaimed': reason_unclaimed,
    })
    return [row[0] for row in cr.fetchall()]
