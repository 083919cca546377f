"""The ownership history row (table ``crm_pool_log``), defined once for the
pool actions (one row) and the set-based policies (``INSERT ... SELECT``).
No ORM: the callers pass a cursor or embed :data:`INSERT` in their SQL.

The table has no ``create_uid`` / ``write_uid`` (``_log_access = False``):
``actor_id`` and ``date`` say who and when.
"""

COLUMNS = (
    'res_model', 'res_id', 'res_name', 'action', 'pool_id', 'company_id',
    'from_user_id', 'to_user_id', 'actor_id', 'reason_id', 'reason', 'date',
)
# followed by a SELECT (or VALUES) of the COLUMNS, in this order
INSERT = 'INSERT INTO crm_pool_log (%s)' % ', '.join(COLUMNS)


def insert_row(cr, values):
    """Insert one history row; ``values`` gives the columns (missing ones
    are NULL). Returns its id."""
    cr.execute('%s VALUES (%s) RETURNING id'
               % (INSERT, ', '.join(['%s'] * len(COLUMNS))),
               [values.get(column) for column in COLUMNS])
    return cr.fetchone()[0]
