# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Conversion report (线索转化率): lead -> qualified -> opportunity -> won per
source, medium, campaign, pool and salesperson, with the median days
between the steps. One row per lead (active or lost); rates are averages
of 0/100 per row, so any grouping of the pivot gives the right rate."""
from odoo import api, fields, models, tools

MEDIAN = 'crm_pool_median'


class CrmPoolConversionReport(models.Model):
    _name = 'crm.pool.conversion.report'
    _description = 'Lead Conversion Analysis'
    _auto = False
    _rec_name = 'lead_id'
    _order = 'date desc, id desc'

    lead_id = fields.Many2one(
        comodel_name='crm.lead',
        string='Lead',
        readonly=True,
    )
    date = fields.Date(
        string='Created on',
        readonly=True,
    )
    source_id = fields.Many2one(
        comodel_name='utm.source',
        string='Source',
        readonly=True,
    )
    medium_id = fields.Many2one(
        comodel_name='utm.medium',
        string='Medium',
        readonly=True,
    )
    campaign_id = fields.Many2one(
        comodel_name='utm.campaign',
        string='Campaign',
        readonly=True,
    )
    pool_id = fields.Many2one(
        comodel_name='crm.pool',
        string='Pool',
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name='res.users',
        string='Salesperson',
        readonly=True,
    )
    team_id = fields.Many2one(
        comodel_name='crm.team',
        string='Sales Channel',
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
        readonly=True,
    )
    lead_count = fields.Integer(
        string='# Leads',
        readonly=True,
    )
    qualified_count = fields.Integer(
        string='# Qualified',
        readonly=True,
        help="Leads qualified (合格) or converted to an opportunity.",
    )
    opportunity_count = fields.Integer(
        string='# Opportunities',
        readonly=True,
    )
    won_count = fields.Integer(
        string='# Won',
        readonly=True,
    )
    qualified_rate = fields.Float(
        string='Lead to Qualified (%)',
        group_operator='avg',
        readonly=True,
    )
    opportunity_rate = fields.Float(
        string='Lead to Opportunity (%)',
        group_operator='avg',
        readonly=True,
    )
    won_rate = fields.Float(
        string='Lead to Won (%)',
        group_operator='avg',
        readonly=True,
    )
    opportunity_won_rate = fields.Float(
        string='Opportunity to Won (%)',
        group_operator='avg',
        readonly=True,
        help="Share of the opportunities that are won.",
    )
    days_to_opportunity = fields.Float(
        string='Days to Opportunity (median)',
        group_operator=MEDIAN,
        readonly=True,
    )
    days_to_won = fields.Float(
        string='Opportunity to Won, Days (median)',
        group_operator=MEDIAN,
        readonly=True,
    )
    days_lead_to_won = fields.Float(
        string='Lead to Won, Days (median)',
        group_operator=MEDIAN,
        readonly=True,
    )
    won_revenue = fields.Float(
        readonly=True,
        help="Expected revenue of the won opportunities.",
    )

    @api.model_cr
    def init(self):
        cr = self.env.cr
        # A median aggregate the pivot can use like sum or avg.
        cr.execute("""
            CREATE OR REPLACE FUNCTION crm_pool_median_final(float8[])
            RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v)
                FROM unnest($1) v
            $$;
            CREATE OR REPLACE AGGREGATE crm_pool_median(float8) (
                SFUNC = array_append, STYPE = float8[],
                FINALFUNC = crm_pool_median_final, INITCOND = '{}'
            );
        """)
        tools.drop_view_if_exists(cr, self._table)
        # the won rule of the pool (one definition, an SQL fragment on "t")
        cr.execute("""
            CREATE OR REPLACE VIEW crm_pool_conversion_report AS (
                SELECT c.id, c.id AS lead_id, c.date, c.source_id, c.medium_id,
                       c.campaign_id, c.pool_id, c.user_id, c.team_id,
                       c.company_id, 1 AS lead_count,
                       c.qualified::int AS qualified_count,
                       c.opportunity::int AS opportunity_count,
                       c.won::int AS won_count,
                       100.0 * c.qualified::int AS qualified_rate,
                       100.0 * c.opportunity::int AS opportunity_rate,
                       100.0 * c.won::int AS won_rate,
                       CASE WHEN c.opportunity THEN 100.0 * c.won::int END
                           AS opportunity_won_rate,
                       CASE WHEN c.opportunity THEN date_part(
                           'epoch', c.converted - c.created) / 86400.0 END
                           AS days_to_opportunity,
                       CASE WHEN c.won THEN date_part(
                           'epoch', c.closed - c.converted) / 86400.0 END
                           AS days_to_won,
                       CASE WHEN c.won THEN date_part(
                           'epoch', c.closed - c.created) / 86400.0 END
                           AS days_lead_to_won,
                       CASE WHEN c.won THEN c.revenue ELSE 0 END AS won_revenue
                  FROM (
                    SELECT t.id, t.create_date::date AS date, t.source_id,
                           t.medium_id, t.campaign_id, t.pool_id, t.user_id,
                           t.team_id, t.company_id, t.create_date AS created,
                           COALESCE(t.date_conversion, t.create_date)
                               AS converted,
                           COALESCE(t.date_closed, t.write_date) AS closed,
                           t.planned_revenue AS revenue,
                           (t.type = 'opportunity'
                            OR t.qualification_state = 'qualified')
                               AS qualified,
                           t.type = 'opportunity' AS opportunity,
                           COALESCE({won}, false) AS won
                      FROM crm_lead t
                  ) c
            )
        """.format(won=self._won_sql()))

    @api.model
    def _won_sql(self):
        return self.env['crm.lead']._pool_won_sql()

    @api.multi
    def action_open_lead(self):
        self.ensure_one()
        lead = self.lead_id
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'crm.lead',
            'res_id': lead.id,
            'view_type': 'form',
            'view_mode': 'form',
            'views': [(False, 'form')],
            'target': 'current',
        }
