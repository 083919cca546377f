from odoo import api, fields, models, tools

from ..models.crm_pool_log import LOG_ACTIONS


class CrmPoolActivityReport(models.Model):
    """Claims, assignments, releases and reclaims over time, per owner."""

    _name = 'crm.pool.activity.report'
    _description = 'Pool Activity Analysis'
    _auto = False
    _rec_name = 'res_name'
    _order = 'date desc'

    date = fields.Datetime(readonly=True)
    action = fields.Selection(
        selection=LOG_ACTIONS,
        readonly=True,
    )
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
    res_name = fields.Char(
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
        string='Salesperson',
        readonly=True,
        help="Who got the record (claim, assignment) or lost it (release, "
             "reclaim).",
    )
    actor_id = fields.Many2one(
        comodel_name='res.users',
        string='By',
        readonly=True,
    )
    reason_id = fields.Many2one(
        comodel_name='crm.pool.release.reason',
        string='Reason',
        readonly=True,
    )
    hours_to_claim = fields.Float(
        string='Hours to Claim',
        group_operator='avg',
        readonly=True,
        help="For claims and assignments: hours the record waited in the "
             "pool.",
    )
    won_count = fields.Integer(
        string='# Won',
        readonly=True,
        help="Claims and assignments whose lead is now won by that "
             "salesperson.",
    )
    won_rate = fields.Float(
        string='Claim to Won (%)',
        group_operator='avg',
        readonly=True,
    )
    developed_count = fields.Integer(
        string='# Customers Developed',
        readonly=True,
        help="Customers claimed or assigned from the pool that the "
             "salesperson still owns and that have a won opportunity.",
    )
    won_revenue = fields.Float(
        readonly=True,
        help="Expected revenue of the won opportunities of the leads and "
             "customers the salesperson got from the pool and still owns.",
    )
    nbr = fields.Integer(
        string='# Events',
        readonly=True,
    )

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW crm_pool_activity_report AS (
                SELECT g.id, g.date, g.action, g.res_model, g.res_id,
                       g.res_name, g.pool_id, g.company_id, g.actor_id,
                       g.reason_id,
                       CASE WHEN g.action IN ('claim', 'assign')
                            THEN g.to_user_id ELSE g.from_user_id END
                           AS user_id,
                       CASE WHEN g.action IN ('claim', 'assign')
                                 AND g.prev_action IN ('create', 'release',
                                                       'reclaim', 'transfer')
                            THEN date_part('epoch', g.date - g.prev_date)
                                 / 3600.0 END AS hours_to_claim,
                       CASE WHEN g.action IN ('claim', 'assign')
                                 AND l.active AND l.probability >= 100
                                 AND l.user_id = g.to_user_id
                            THEN 1 ELSE 0 END AS won_count,
                       CASE WHEN g.action IN ('claim', 'assign')
                                 AND g.res_model = 'crm.lead'
                            THEN CASE WHEN l.active AND l.probability >= 100
                                           AND l.user_id = g.to_user_id
                                      THEN 100.0 ELSE 0.0 END END
                           AS won_rate,
                       CASE WHEN g.action IN ('claim', 'assign')
                                 AND g.id = g.last_take_id
                                 AND w.partner_id IS NOT NULL
                                 AND c.user_id = g.to_user_id
                            THEN 1 ELSE 0 END AS developed_count,
                       CASE WHEN g.action NOT IN ('claim', 'assign')
                                 OR g.id != g.last_take_id THEN 0
                            WHEN g.res_model = 'crm.lead' AND {won_l}
                                 AND l.user_id = g.to_user_id
                            THEN COALESCE(l.planned_revenue, 0)
                            WHEN w.partner_id IS NOT NULL
                                 AND c.user_id = g.to_user_id
                            THEN w.revenue ELSE 0 END AS won_revenue,
                       1 AS nbr
                  FROM (
                    SELECT log.*,
                           lag(log.date) OVER w AS prev_date,
                           lag(log.action) OVER w AS prev_action,
                           max(CASE WHEN log.action IN ('claim', 'assign')
                                    THEN log.id END)
                               OVER (PARTITION BY log.res_model, log.res_id)
                               AS last_take_id
                      FROM crm_pool_log log
                    WINDOW w AS (PARTITION BY log.res_model, log.res_id
                                 ORDER BY log.date, log.id)
                  ) g
                  LEFT JOIN crm_lead l
                         ON g.res_model = 'crm.lead' AND l.id = g.res_id
                  LEFT JOIN res_partner c
                         ON g.res_model = 'res.partner' AND c.id = g.res_id
                  LEFT JOIN (
                    SELECT dp.commercial_partner_id AS partner_id,
                           sum(COALESCE(dl.planned_revenue, 0)) AS revenue
                      FROM crm_lead dl
                      JOIN res_partner dp ON dp.id = dl.partner_id
                     WHERE dl.type = 'opportunity' AND {won_dl}
                     GROUP BY dp.commercial_partner_id
                  ) w ON g.res_model = 'res.partner' AND w.partner_id = g.res_id
                 WHERE g.action IN ('claim', 'assign', 'release', 'reclaim',
                                    'transfer')
            )
        """.format(won_l=self._lead_won_sql('l'),
                   won_dl=self._lead_won_sql('dl')))

    @api.model
    def _lead_won_sql(self, alias):
        return self.env['crm.lead']._pool_won_sql(alias)
