"""The ownership history row (table ``crm_pool_log``), defined once for the
pool actions (one row) and the set-based policies (``INSERT ... SELECT``).
No ORM: the callers pass a cursor or embed :data:`INSERT` in their SQL."""

COLUMNS = (
    'create_uid', 'create_date', 'write_uid', 'write_date',
    'res_model', 'res_id', 'res_name', 'action', 'pool_id', 'company_id',
    'from_user_id', 'to_user_id', 'actor_id', 'reason_id', 'reason', 'date',
)
# followed by a SELECT (or VALUES) of the COLUMNS, in this order
INSERT = 'INSERT INTO crm_pool_log (%s)' % ', '.join(COLUMNS)


def insert_row(cr, uid, now, values):
    """Insert one history row written by ``uid`` at ``now``; ``values``
    gives the other columns (missing ones are NULL). Returns its id."""
    row = dict(values, create_uid=uid, create_date=now, write_uid=uid,
               write_date=now)
    cr.execute('%s VALUES (%s) RETURNING id'
               % (INSERT, ', '.join(['%s'] * len(COLUMNS))),
               [row.get(column) for column in COLUMNS])
    return cr.fetchone()[0]
