from odoo import api, fields, models, tools

from ..models.crm_pool_mixin import POOL_STATES

AGE_BUCKETS = [
    ('a_week', '0-7 days'),
    ('b_month', '8-30 days'),
    ('c_quarter', '31-90 days'),
    ('d_older', 'Over 90 days'),
]


class CrmPoolHealthReport(models.Model):
    """Pool health: every pool record with its state, age and follow-up."""

    _name = 'crm.pool.health.report'
    _description = 'Pool Health Analysis'
    _auto = False
    _rec_name = 'pool_id'
    _order = 'pool_id'

    res_model = fields.Selection(
        selection=lambda self: self.env[
            'crm.pool.mixin']._pool_model_selection(plural=False),
        string='Kind',
        readonly=True,
    )
    res_id = fields.Integer(
        string='Record ID',
        readonly=True,
    )
    name = fields.Char(
        string='Record',
        readonly=True,
    )
    pool_id = fields.Many2one(
        comodel_name='crm.pool',
        string='Pool',
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name='res.users',
        string='Owner',
        readonly=True,
    )
    pool_state = fields.Selection(
        selection=POOL_STATES,
        string='State',
        readonly=True,
    )
    age_days = fields.Integer(
        string='Days in State',
        group_operator='avg',
        readonly=True,
        help="Days since the record entered the pool (records in the pool) "
             "or since its claim (owned records).",
    )
    age_bucket = fields.Selection(
        selection=AGE_BUCKETS,
        readonly=True,
    )
    never_followed = fields.Boolean(
        string='Never Followed Up',
        readonly=True,
        help="Owned without any real follow-up since the claim.",
    )
    never_followed_count = fields.Integer(
        string='# Never Followed Up',
        readonly=True,
    )
    is_won = fields.Boolean(
        string='Won',
        readonly=True,
    )
    nbr = fields.Integer(
        string='# Records',
        readonly=True,
    )

    @api.model_cr
    def init(self):
        """One SELECT per pool model (from the registry), each with that
        model's own definition of won: a pool model added by another addon
        shows up when that addon installs (see crm.pool.mixin's init)."""
        models_ = self.env['crm.pool.mixin']._pool_models()
        parts = [_RECORD_SQL.format(
            index=index, count=len(models_), table=self.env[name]._table,
            won=self.env[name]._pool_won_sql('r'))
            for index, name in enumerate(models_)]
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW crm_pool_health_report AS (
                SELECT x.*,
                       CASE WHEN x.age_days <= 7 THEN 'a_week'
                            WHEN x.age_days <= 30 THEN 'b_month'
                            WHEN x.age_days <= 90 THEN 'c_quarter'
                            ELSE 'd_older' END AS age_bucket,
                       CASE WHEN x.never_followed THEN 1 ELSE 0 END
                           AS never_followed_count,
                       1 AS nbr
                  FROM ({records}) x
            )
        """.format(records=' UNION ALL '.join(parts)), [
            name for name in models_ for _param in range(2)])


# The records of one pool model (alias ``r``): their age in their state
# (days since they entered the pool, or since their claim) and whether they
# were ever followed up; ids interleaved so that they are unique.
_RECORD_SQL = """
    SELECT r.id * {count} + {index} AS id, %s::varchar AS res_model,
           r.id AS res_id, r.name, r.pool_id, p.company_id,
           r.user_id, r.pool_state,
           (date_part('day', (now() at time zone 'utc') -
             CASE WHEN r.pool_state = 'pool' THEN COALESCE(
               (SELECT max(g.date) FROM crm_pool_log g
                 WHERE g.res_model = %s AND g.res_id = r.id
                   AND g.action IN ('create', 'release', 'reclaim',
                                    'transfer')),
               r.create_date)
             ELSE COALESCE(r.pool_date_claimed, r.create_date) END))::int
               AS age_days,
           (r.pool_state = 'owned' AND r.pool_date_followup IS NULL)
               AS never_followed,
           {won} AS is_won
      FROM "{table}" r
      JOIN crm_pool p ON p.id = r.pool_id
     WHERE r.pool_state IS NOT NULL
"""
