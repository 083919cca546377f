# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The tickets on the customer portal: their URL (the pages themselves are
in ``controllers/portal.py``)."""
from odoo import api, models


class CrmServiceTicketPortal(models.Model):
    # One concern of the ticket per file, on purpose (see service_ticket.py).
    # pylint: disable=consider-merging-classes-inherited
    _inherit = 'crm.service.ticket'

    @api.multi
    def _compute_portal_url(self):
        for ticket in self:
            ticket.portal_url = '/my/ticket/%s' % ticket.id
