# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..lib import autoreply


class MailThread(models.AbstractModel):
    _inherit = 'mail.thread'

    @api.model
    def message_route_process(self, message, message_dict, routes):
        """Flag automatic emails (out-of-office, auto-responders, bulk) for
        the tickets: they are logged, never acknowledged, never reopen."""
        thread = self
        if autoreply.is_auto_reply(message):
            thread = self.with_context(ticket_auto_reply=True)
        return super(MailThread, thread).message_route_process(
            message, message_dict, routes)
