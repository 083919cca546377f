# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = 'crm.lead'

    ticket_ids = fields.One2many(
        comodel_name='crm.service.ticket',
        inverse_name='lead_id',
        string='Service Tickets',
        groups='crm_service_ticket.group_ticket_agent',
    )
    ticket_count = fields.Integer(
        string='Tickets',
        compute='_compute_ticket_count',
        groups='crm_service_ticket.group_ticket_agent',
    )

    @api.multi
    def _compute_ticket_count(self):
        data = self.env['crm.service.ticket'].read_group(
            [('lead_id', 'in', self.ids)], ['lead_id'], ['lead_id'])
        counts = {d['lead_id'][0]: d['lead_id_count'] for d in data}
        for lead in self:
            lead.ticket_count = counts.get(lead.id, 0)

    @api.multi
    def action_view_tickets(self):
        self.ensure_one()
        action = self.env.ref(
            'crm_service_ticket.crm_service_ticket_action').read()[0]
        action['domain'] = [('lead_id', '=', self.id)]
        action['context'] = {
            'default_lead_id': self.id,
            'default_partner_id': self.partner_id.id,
        }
        return action

    @api.multi
    def action_create_ticket(self):
        """Open a new ticket form prefilled from the lead."""
        self.ensure_one()
        # what the user sees of the lead (read() applies any masking of
        # contact data): a value hidden from them is neither shown in the
        # form nor copied onto the ticket
        seen = self.read(['email_from'])[0]['email_from']
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'crm.service.ticket',
            'view_type': 'form',
            'view_mode': 'form',
            'target': 'current',
            'context': {
                'default_lead_id': self.id,
                'default_partner_id': self.partner_id.id,
                'default_name': self.name,
                'default_email_from': self.email_from
                if seen == self.email_from else False,
                'default_description': self.description,
            },
        }
