"""Workload targets (工作量指标): minimum follow-ups and new customers per
salesperson or team and period, and the weekly summary to team leaders."""
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..policy import workload as workload_policy

TARGET_PERIODS = [
    ('day', 'Day'),
    ('week', 'Week'),
    ('month', 'Month'),
]


class CrmFollowupTarget(models.Model):
    _name = 'crm.followup.target'
    _description = 'Workload Target'
    _order = 'team_id, user_id, period'

    name = fields.Char(
        compute='_compute_name',
    )
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        comodel_name='res.users',
        string='Salesperson',
        index=True,
        domain=[('share', '=', False)],
        help="The salesperson held to this target (or a whole team).",
    )
    team_id = fields.Many2one(
        comodel_name='crm.team',
        string='Sales Team',
        index=True,
        help="Every member of this team is held to the target.",
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
        required=True,
        default=lambda self: self.env.user.company_id,
    )
    period = fields.Selection(
        selection=TARGET_PERIODS,
        required=True,
        default='week',
    )
    date_from = fields.Date(
        string='Counted from',
        required=True,
        default=fields.Date.context_today,
        help="The report shows the periods from this date on.",
    )
    min_followups = fields.Integer(
        string='Minimum Follow-ups',
        help="Follow-ups to log per period (flagged ones do not count). "
             "0 asks for none.",
    )
    min_customers = fields.Integer(
        string='Minimum New Customers',
        help="New customers to create per period. 0 asks for none.",
    )

    @api.depends('user_id', 'team_id', 'period')
    def _compute_name(self):
        periods = dict(self._fields['period']._description_selection(
            self.env))
        for target in self:
            who = target.user_id.name or target.team_id.name or ''
            target.name = '%s / %s' % (who, periods.get(target.period, ''))

    @api.constrains('user_id', 'team_id', 'min_followups', 'min_customers')
    def _check_target(self):
        for target in self:
            if bool(target.user_id) == bool(target.team_id):
                raise ValidationError(_("A workload target is set either for "
                                        "a salesperson or for a sales team."))
            if target.min_followups < 0 or target.min_customers < 0:
                raise ValidationError(_("The minimum of a workload target "
                                        "cannot be negative."))


class CrmTeam(models.Model):
    _inherit = 'crm.team'

    @api.multi
    def _followup_summary_rows(self, day=None):
        """Actual against target of the team's members in the last complete
        week (ending before ``day``), those behind first."""
        self.ensure_one()
        day = day or fields.Date.from_string(fields.Date.context_today(self))
        week = workload_policy.period_start(day, 'week') - timedelta(days=7)
        # sudo: the summary goes to the team leader; the report lines of
        # their team are read whoever runs the cron.
        lines = self.env['crm.followup.target.report'].sudo().search([
            ('team_id', '=', self.id),
            ('period_end', '>', fields.Date.to_string(week)),
            ('period_start', '<=', fields.Date.to_string(week)),
        ])
        rows = [{
            'name': line.user_id.name,
            'period': line.period_start,
            'followups': line.followup_count,
            'min_followups': line.min_followups,
            'customers': line.customer_count,
            'min_customers': line.min_customers,
            'behind': line.behind,
        } for line in lines]
        return workload_policy.summary_order(rows)

    @api.model
    def _cron_followup_summary(self):
        """Send each team leader the weekly workload summary of their team."""
        template = self.env.ref(
            'crm_public_pool.mail_template_followup_summary')
        Target = self.env['crm.followup.target']
        teams = Target.search([('team_id', '!=', False)]).mapped('team_id') \
            | Target.search([('user_id', '!=', False)]).mapped(
                'user_id.sale_team_id')
        for team in teams.filtered('user_id'):
            rows = team._followup_summary_rows()
            if rows:
                template.with_context(followup_summary_rows=rows).send_mail(
                    team.id)
