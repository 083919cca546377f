# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmLeadScoreEventType(models.Model):
    _name = 'crm.lead.score.event.type'
    _description = 'Lead Score Event Type'
    _order = 'sequence, id'

    name = fields.Char(
        required=True,
        translate=True,
    )
    code = fields.Char(
        required=True,
        help="Technical code used by integrations, e.g. in the "
             "/crm_score/event endpoint's 'event_type'.",
    )
    sequence = fields.Integer(
        default=10,
    )
    active = fields.Boolean(
        default=True,
    )
    description = fields.Text(
        translate=True,
    )
    manual = fields.Boolean(
        string='Recorded by Salespeople',
        help="Salespeople may record events of this type by hand on the "
             "leads they own (a visit, a call the customer asked for, a "
             "price objection), with a reason.",
    )
    rule_ids = fields.One2many(
        comodel_name='crm.lead.score.rule',
        inverse_name='event_type_id',
        string='Engagement Rules',
    )
    event_count = fields.Integer(
        compute='_compute_event_count',
    )

    _sql_constraints = [
        ('code_unique', 'unique(code)', 'The code of an event type must be unique.'),
    ]

    @api.multi
    def _compute_event_count(self):
        data = self.env['crm.lead.score.event'].read_group(
            [('event_type_id', 'in', self.ids)], ['event_type_id'], ['event_type_id'])
        counts = {row['event_type_id'][0]: row['event_type_id_count'] for row in data}
        for event_type in self:
            event_type.event_count = counts.get(event_type.id, 0)

    @api.constrains('code')
    def _check_code(self):
        for event_type in self:
            code = event_type.code or ''
            if not code.strip() or code != code.strip() or ' ' in code:
                raise ValidationError(
                    _("The code %s must be a single word without spaces.")
                    % repr(code))
