"""Handover (交接) in one statement: the records of a salesperson in a pool
move to a successor or back to the pool, their open activities follow and
one history row per record is written (no ORM, no ``odoo`` import)."""
from . import deadline as deadline_policy
from . import history as history_policy

# Name of a record in the history, per table
NAME_SQL = {'res_partner': 'COALESCE(t.display_name, t.name)'}
# What follows the owner, per table (a lead's sales team, as in a claim)
OWNER_SET_SQL = {
    'crm_lead': "team_id = COALESCE((SELECT u.sale_team_id FROM res_users u "
                "WHERE u.id = %(to_user_id)s), t.team_id),",
}

MOVE_SQL = """
WITH moved AS (
    UPDATE "{table}" t SET
        user_id = %(to_user_id)s,
        pool_state = CASE WHEN %(to_user_id)s::integer IS NULL THEN 'pool'
                          ELSE t.pool_state END,
        pool_date_claimed = CASE WHEN %(to_user_id)s::integer IS NULL
                                 THEN NULL ELSE %(now)s::timestamp END,
        pool_deadline = CASE
            WHEN %(to_user_id)s::integer IS NULL OR t.pool_state = 'frozen'
                 OR ({won}) THEN NULL
            ELSE {deadline} END,
        pool_freeze_until = CASE WHEN %(to_user_id)s::integer IS NULL
                                 THEN NULL ELSE t.pool_freeze_until END,
        pool_freeze_reason = CASE WHEN %(to_user_id)s::integer IS NULL
                                  THEN NULL ELSE t.pool_freeze_reason END,
        pool_freeze_pending = CASE WHEN %(to_user_id)s::integer IS NULL
                                   THEN FALSE ELSE t.pool_freeze_pending END,
        {owner_set}
        pool_remind_deadline = NULL,
        pool_remind_level = 0,
        write_uid = %(actor_id)s,
        write_date = %(now)s
    WHERE t.pool_id = %(pool_id)s AND t.user_id = %(from_user_id)s
      AND t.pool_state IN ('owned', 'frozen')
    RETURNING t.id, {name} AS res_name
), history AS (
    {insert}
    SELECT %(res_model)s, moved.id, moved.res_name, 'handover', %(pool_id)s,
           %(company_id)s, %(from_user_id)s, %(to_user_id)s, %(actor_id)s,
           NULL, NULL, %(now)s
      FROM moved
), activities AS (
    UPDATE mail_activity a SET user_id = COALESCE(%(activity_user_id)s,
                                                  a.user_id),
                               write_uid = %(actor_id)s, write_date = %(now)s
      FROM moved
     WHERE a.res_model = %(res_model)s AND a.res_id = moved.id
       AND a.user_id = %(from_user_id)s
)
SELECT count(*) FROM moved
"""


def move_sql(table, won_sql):
    """The statement of :func:`move` for ``table``."""
    return MOVE_SQL.format(
        table=table, won=won_sql, owner_set=OWNER_SET_SQL.get(table, ''),
        name=NAME_SQL.get(table, 't.name'), insert=history_policy.INSERT,
        deadline=deadline_policy.deadline_sql(
            '%(now)s::timestamp', 't.pool_date_followup',
            '%(idle_days)s', '%(nodeal_days)s'))


def move(cr, table, res_model, params, won_sql='FALSE'):
    """Move the records; ``params``: pool_id, company_id, from_user_id,
    to_user_id (None: back to the pool), activity_user_id (None: activities
    stay), actor_id, now, idle_days, nodeal_days. Returns how many moved."""
    cr.execute(move_sql(table, won_sql), dict(params, res_model=res_model))
    return cr.fetchone()[0]
