# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.res.res_partner import _tz_get

from ..lib import sla as sla_lib

PRIORITIES = [
    ('0', 'Low'),
    ('1', 'Normal'),
    ('2', 'High'),
    ('3', 'Urgent'),
]
KINDS = [
    ('question', 'Question'),
    ('incident', 'Incident'),
    ('request', 'Request'),
    ('complaint', 'Complaint'),
]


class CrmServiceSla(models.Model):
    _name = 'crm.service.sla'
    _description = 'Service Level Agreement Policy'
    _order = 'sequence, id'

    name = fields.Char(
        required=True,
        translate=True,
    )
    sequence = fields.Integer(
        default=10,
    )
    active = fields.Boolean(
        default=True,
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
        default=lambda self: self.env['res.company']._company_default_get(
            'crm.service.sla'),
    )
    team_id = fields.Many2one(
        comodel_name='crm.service.team',
        help="Empty: any team.",
    )
    priority = fields.Selection(
        selection=PRIORITIES,
        help="Empty: any priority.",
    )
    kind = fields.Selection(
        selection=KINDS,
        help="Empty: any kind.",
    )
    category_id = fields.Many2one(
        comodel_name='crm.service.category',
        help="Empty: any category.",
    )
    calendar_id = fields.Many2one(
        comodel_name='resource.calendar',
        string='Working Time',
        required=True,
        default=lambda self: self.env.user.company_id.resource_calendar_id,
    )
    tz = fields.Selection(
        selection=_tz_get,
        string='Timezone',
        required=True,
        default=lambda self: self.env.user.tz or 'UTC',
        help="Timezone in which the working hours are read.",
    )
    hours_first_response = fields.Float(
        string='Working Hours to First Response',
        required=True,
        default=4.0,
    )
    hours_resolution = fields.Float(
        string='Working Hours to Resolution',
        required=True,
        default=24.0,
    )

    @api.constrains('hours_first_response', 'hours_resolution')
    def _check_hours(self):
        for policy in self:
            if policy.hours_first_response <= 0 or policy.hours_resolution <= 0:
                raise ValidationError(_(
                    "SLA %s: the hours to first response and to resolution "
                    "must be positive.") % policy.name)
            if policy.hours_first_response > policy.hours_resolution:
                raise ValidationError(_(
                    "SLA %s: the first response cannot be due after the "
                    "resolution.") % policy.name)

    @api.constrains('calendar_id')
    def _check_calendar(self):
        for policy in self:
            if not policy.calendar_id.attendance_ids:
                raise ValidationError(_(
                    "SLA %s: the working time has no working hours.")
                    % policy.name)

    @api.model
    def _match(self, team, priority, kind, category, company=None):
        """The most specific active policy for these criteria, or empty."""
        domain = [
            ('team_id', 'in', [False, team.id] if team else [False]),
            ('priority', 'in', [False, priority] if priority else [False]),
            ('kind', 'in', [False, kind] if kind else [False]),
            ('category_id', 'in', [False, category.id] if category else [False]),
        ]
        if company:
            domain += [('company_id', 'in', [False, company.id])]
        policies = self.search(domain)
        if not policies:
            return policies

        def specificity(policy):
            return (-sum(bool(x) for x in (policy.team_id, policy.priority,
                                           policy.kind, policy.category_id)),
                    policy.sequence, policy.id)
        return policies.sorted(key=specificity)[:1]

    @api.multi
    def _schedule(self):
        """The policy's working time as a database-free ``sla.Schedule``."""
        self.ensure_one()
        calendar = self.calendar_id
        intervals = [(int(att.dayofweek), att.hour_from, att.hour_to)
                     for att in calendar.attendance_ids
                     if not att.date_from and not att.date_to]
        leaves = [(fields.Datetime.from_string(leave.date_from),
                   fields.Datetime.from_string(leave.date_to))
                  for leave in calendar.leave_ids if not leave.resource_id]
        return sla_lib.Schedule(intervals, self.tz or 'UTC', leaves=leaves)
