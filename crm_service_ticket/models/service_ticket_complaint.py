# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A complaint ticket on a lead lowers the lead's score.

When the lead scoring addon is installed too (there is no dependency: the
score event model is looked up in the registry), a ticket of kind
'complaint' linked to a lead records one 'complaint' event on that lead:
at creation, or when a ticket becomes a complaint or gets its lead. A
ticket records its complaint once, whatever is edited afterwards.
"""
from odoo import api, fields, models

SCORE_EVENT_MODEL = 'crm.lead.score.event'


class CrmServiceTicketComplaint(models.Model):
    _inherit = 'crm.service.ticket'
    # crm.service.ticket is extended once per concern (files by concern).
    # pylint: disable=consider-merging-classes-inherited

    complaint_scored = fields.Boolean(
        readonly=True,
        copy=False,
        help="The complaint of this ticket was recorded on its lead's score.",
    )

    @api.model
    def create(self, vals):
        ticket = super(CrmServiceTicketComplaint, self).create(vals)
        ticket._score_complaint()
        return ticket

    @api.multi
    def write(self, vals):
        res = super(CrmServiceTicketComplaint, self).write(vals)
        if {'kind', 'lead_id'} & set(vals):
            self._score_complaint()
        return res

    @api.multi
    def _score_complaint(self):
        if SCORE_EVENT_MODEL not in self.env.registry:
            return
        tickets = self.filtered(
            lambda t: t.kind == 'complaint' and t.lead_id
            and not t.complaint_scored)
        if not tickets:
            return
        # sudo: the score ledger is system data and the agent may not read
        # the lead (e.g. an unclaimed pool lead); only the ticket's own lead
        # gets the event.
        events = self.env[SCORE_EVENT_MODEL].sudo()
        for ticket in tickets:
            # sudo: the ticket's own lead, see above.
            events._score_record('complaint', ticket.lead_id.sudo(), 'ticket',
                                 note=ticket.number)
        # sudo: a technical flag the agent's own write just caused.
        tickets.sudo().write({'complaint_scored': True})
