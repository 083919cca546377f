# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Ratings of the tickets: the rating request on close, an activity for
the leader on a negative rating, the ticket's ratings action."""
from odoo import _, api, fields, models, tools


class CrmServiceTicketRating(models.Model):
    # One concern of the ticket per file, on purpose (see service_ticket.py).
    # pylint: disable=consider-merging-classes-inherited
    _inherit = 'crm.service.ticket'

    @api.multi
    def action_view_rating(self):
        self.ensure_one()
        action = self.env.ref('rating.action_view_rating').read()[0]
        action['domain'] = [('res_model', '=', self._name),
                            ('res_id', '=', self.id)]
        return action

    @api.multi
    def _on_closed(self):
        """Rating request after the return visit, once per closing."""
        super(CrmServiceTicketRating, self)._on_closed()
        if self.partner_id.email:
            template = self.env.ref(
                'crm_service_ticket.mail_template_ticket_rating',
                raise_if_not_found=False)
            if template:
                # The rating token must exist before rendering the mail.
                # sudo: the closing user may not write rating records; the
                # request only goes to the ticket's own customer.
                self.sudo().rating_send_request(
                    template, lang=self.partner_id.lang, force_send=False)

    @api.multi
    def rating_apply(self, rate, token=None, feedback=None, subtype=None):
        rating = super(CrmServiceTicketRating, self.with_context(
            ticket_no_reopen=True)).rating_apply(
                rate, token=token, feedback=feedback, subtype=subtype)
        if rating and rating.rating < 5:
            for ticket in self:
                leader = ticket.team_id.leader_id or ticket.user_id
                if leader:
                    ticket._add_activity(
                        'crm_service_ticket.mail_activity_type_bad_rating',
                        leader, '_summary_bad_rating',
                        fields.Date.context_today(self),
                        note=tools.plaintext2html(feedback or ''))
        return rating

    @api.multi
    def _summary_bad_rating(self):
        return _("Negative rating on %s") % self.display_name
