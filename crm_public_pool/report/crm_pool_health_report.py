from odoo import api, fields, models, tools

from ..models.crm_pool_mixin import POOL_STATES, RECORD_KINDS

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
        selection=RECORD_KINDS,
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
                  FROM (
                    SELECT l.id * 2 AS id, 'crm.lead'::varchar AS res_model,
                           l.id AS res_id, l.name, l.pool_id, p.company_id,
                           l.user_id, l.pool_state,
                           (date_part('day', (now() at time zone 'utc') -
                             CASE WHEN l.pool_state = 'pool' THEN COALESCE(
                               (SELECT max(g.date) FROM crm_pool_log g
                                 WHERE g.res_model = 'crm.lead'
                                   AND g.res_id = l.id
                                   AND g.action IN ('create', 'release',
                                                    'reclaim', 'transfer')),
                               l.create_date)
                             ELSE COALESCE(l.pool_date_claimed,
                                           l.create_date) END))::int
                               AS age_days,
                           (l.pool_state = 'owned'
                            AND l.pool_date_followup IS NULL) AS never_followed,
                           (l.active AND COALESCE(l.probability, 0) >= 100)
                               AS is_won
                      FROM crm_lead l
                      JOIN crm_pool p ON p.id = l.pool_id
                     WHERE l.pool_state IS NOT NULL
                    UNION ALL
                    SELECT r.id * 2 + 1, 'res.partner', r.id, r.name,
                           r.pool_id, p.company_id, r.user_id, r.pool_state,
                           (date_part('day', (now() at time zone 'utc') -
                             CASE WHEN r.pool_state = 'pool' THEN COALESCE(
                               (SELECT max(g.date) FROM crm_pool_log g
                                 WHERE g.res_model = 'res.partner'
                                   AND g.res_id = r.id
                                   AND g.action IN ('create', 'release',
                                                    'reclaim', 'transfer')),
                               r.create_date)
                             ELSE COALESCE(r.pool_date_claimed,
                                           r.create_date) END))::int,
                           (r.pool_state = 'owned'
                            AND r.pool_date_followup IS NULL),
                           FALSE
                      FROM res_partner r
                      JOIN crm_pool p ON p.id = r.pool_id
                     WHERE r.pool_state IS NOT NULL
                  ) x
            )
        """)
