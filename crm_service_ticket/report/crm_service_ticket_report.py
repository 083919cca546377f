# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools

from ..models.service_sla import KINDS, PRIORITIES
from ..models.service_ticket import SLA_STATES

AGE_BUCKETS = [
    ('0_1', 'Less than 1 day'),
    ('1_3', '1 to 3 days'),
    ('3_7', '3 to 7 days'),
    ('7_30', '7 to 30 days'),
    ('30_plus', 'More than 30 days'),
]


class CrmServiceTicketReport(models.Model):
    _name = 'crm.service.ticket.report'
    _description = 'Service Ticket Analysis'
    _auto = False
    _rec_name = 'number'
    _order = 'create_date desc'

    number = fields.Char(
        readonly=True,
    )
    create_date = fields.Datetime(
        string='Created on',
        readonly=True,
    )
    closed_date = fields.Datetime(
        readonly=True,
    )
    team_id = fields.Many2one(
        comodel_name='crm.service.team',
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name='res.users',
        string='Assigned to',
        readonly=True,
    )
    stage_id = fields.Many2one(
        comodel_name='crm.service.stage',
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name='res.partner',
        string='Customer',
        readonly=True,
    )
    category_id = fields.Many2one(
        comodel_name='crm.service.category',
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
        readonly=True,
    )
    kind = fields.Selection(
        selection=KINDS,
        readonly=True,
    )
    priority = fields.Selection(
        selection=PRIORITIES,
        readonly=True,
    )
    sla_state = fields.Selection(
        selection=SLA_STATES,
        string='SLA Status',
        readonly=True,
    )
    is_open = fields.Boolean(
        string='Open',
        readonly=True,
    )
    nbr = fields.Integer(
        string='# of Tickets',
        readonly=True,
    )
    sla_compliant = fields.Float(
        string='SLA Compliance (%)',
        readonly=True,
        group_operator='avg',
        help="100 for a ticket that met its SLA, 0 otherwise (averaged).",
    )
    reopened = fields.Float(
        string='Reopen Rate (%)',
        readonly=True,
        group_operator='avg',
    )
    hours_to_first_response = fields.Float(
        string='Avg Working Hours to First Response',
        readonly=True,
        group_operator='avg',
    )
    hours_to_resolution = fields.Float(
        string='Avg Working Hours to Resolution',
        readonly=True,
        group_operator='avg',
    )
    age_days = fields.Float(
        string='Age (days)',
        readonly=True,
        group_operator='avg',
    )
    age_bucket = fields.Selection(
        selection=AGE_BUCKETS,
        string='Backlog Age',
        readonly=True,
    )
    rating = fields.Float(
        string='Rating (1-10)',
        readonly=True,
        group_operator='avg',
    )
    hours_spent = fields.Float(
        string='Time Spent',
        readonly=True,
    )

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW crm_service_ticket_report AS (
            SELECT t.id, t.number, t.create_date, t.closed_date, t.team_id,
                   t.user_id, t.stage_id, t.partner_id, t.category_id,
                   t.company_id, t.kind, t.priority, t.sla_state,
                   t.closed_date IS NULL AS is_open,
                   1 AS nbr,
                   CASE WHEN t.sla_policy_id IS NULL THEN NULL
                        WHEN t.sla_escalated OR t.sla_state = 'breached'
                          OR (t.closed_date IS NOT NULL
                              AND t.closed_date > t.deadline_resolution)
                        THEN 0.0 ELSE 100.0 END AS sla_compliant,
                   CASE WHEN t.reopen_count > 0 THEN 100.0 ELSE 0.0 END
                       AS reopened,
                   NULLIF(t.hours_to_first_response, 0)
                       AS hours_to_first_response,
                   NULLIF(t.hours_to_resolution, 0) AS hours_to_resolution,
                   EXTRACT(EPOCH FROM (COALESCE(t.closed_date,
                       now() AT TIME ZONE 'UTC') - t.create_date)) / 86400.0
                       AS age_days,
                   CASE WHEN t.closed_date IS NOT NULL THEN NULL
                        WHEN t.create_date > (now() AT TIME ZONE 'UTC')
                             - interval '1 day' THEN '0_1'
                        WHEN t.create_date > (now() AT TIME ZONE 'UTC')
                             - interval '3 days' THEN '1_3'
                        WHEN t.create_date > (now() AT TIME ZONE 'UTC')
                             - interval '7 days' THEN '3_7'
                        WHEN t.create_date > (now() AT TIME ZONE 'UTC')
                             - interval '30 days' THEN '7_30'
                        ELSE '30_plus' END AS age_bucket,
                   (SELECT r.rating FROM rating_rating r
                     WHERE r.res_model = 'crm.service.ticket'
                       AND r.res_id = t.id AND r.consumed
                     ORDER BY r.write_date DESC LIMIT 1) AS rating,
                   (SELECT COALESCE(sum(w.hours), 0) FROM crm_service_worklog w
                     WHERE w.ticket_id = t.id) AS hours_spent
              FROM crm_service_ticket t
             WHERE t.active
            )""")
