# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Behaviour a salesperson saw, recorded by hand on a lead they own."""
from odoo import api, fields, models


class CrmLeadScoreEventManual(models.TransientModel):
    _name = 'crm.lead.score.event.manual'
    _description = 'Record Behaviour on a Lead'

    lead_id = fields.Many2one(
        comodel_name='crm.lead',
        string='Lead',
        required=True,
        ondelete='cascade',
    )
    event_type_id = fields.Many2one(
        comodel_name='crm.lead.score.event.type',
        string='Behaviour',
        required=True,
        ondelete='cascade',
        domain=[('manual', '=', True)],
    )
    reason = fields.Text(
        required=True,
        help="What you saw or heard: it is kept with the event.",
    )

    @api.multi
    def action_record(self):
        self.ensure_one()
        self.env['crm.lead.score.event']._score_record_manual(
            self.lead_id, self.event_type_id, self.reason)
        return {'type': 'ir.actions.act_window_close'}
