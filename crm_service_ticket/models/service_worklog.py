# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmServiceWorklog(models.Model):
    _name = 'crm.service.worklog'
    _description = 'Time Spent on a Service Ticket'
    _order = 'date desc, id desc'

    ticket_id = fields.Many2one(
        comodel_name='crm.service.ticket',
        required=True,
        ondelete='cascade',
        index=True,
    )
    user_id = fields.Many2one(
        comodel_name='res.users',
        required=True,
        default=lambda self: self.env.user,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
    )
    hours = fields.Float(
        required=True,
    )
    note = fields.Char()
    company_id = fields.Many2one(
        related='ticket_id.company_id',
        store=True,
        readonly=True,
    )

    @api.constrains('hours')
    def _check_hours(self):
        for log in self:
            if log.hours <= 0 or log.hours > 24:
                raise ValidationError(_(
                    "Time spent must be more than 0 and at most 24 hours a "
                    "line (got %s).") % log.hours)
