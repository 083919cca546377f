# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmServiceStage(models.Model):
    _name = 'crm.service.stage'
    _description = 'Service Ticket Stage'
    _order = 'sequence, id'

    name = fields.Char(
        required=True,
        translate=True,
    )
    sequence = fields.Integer(
        default=10,
    )
    fold = fields.Boolean(
        string='Folded in Kanban',
    )
    is_closed = fields.Boolean(
        string='Closing Stage',
        help="Tickets in this stage are closed: a resolution is required, "
             "the closing date is set and the SLA clock stops.",
    )
    is_solved = fields.Boolean(
        string='Solved (awaiting confirmation)',
        help="A closing stage where the customer may still confirm: tickets "
             "close themselves after the team's auto-close delay.",
    )
    sla_pause = fields.Boolean(
        string='Pause SLA',
        help="While a ticket is in this stage (e.g. waiting for the "
             "customer) the SLA clock is paused; deadlines are pushed back "
             "by the working hours spent here.",
    )
    team_ids = fields.Many2many(
        comodel_name='crm.service.team',
        string='Teams',
        help="Teams using this stage; empty means every team.",
    )
    description = fields.Text(
        translate=True,
    )

    @api.constrains('is_closed', 'is_solved', 'sla_pause')
    def _check_flags(self):
        for stage in self:
            if stage.is_solved and not stage.is_closed:
                raise ValidationError(_(
                    "Stage %s: a solved stage must also be a closing stage.")
                    % stage.name)
            if stage.is_closed and stage.sla_pause:
                raise ValidationError(_(
                    "Stage %s: a closing stage cannot pause the SLA.")
                    % stage.name)
