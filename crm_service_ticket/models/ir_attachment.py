# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

TICKET = 'crm.service.ticket'


class IrAttachment(models.Model):
    _inherit = 'ir.attachment'

    @api.model
    def _ticket_hidden_ids(self, ids):
        """Of ``ids``, the ticket attachments the current portal (or public)
        user may not see: those neither on a message he may read (a
        message whose subtype is not internal, e.g. not an internal note)
        nor uploaded by himself. Employees are not restricted here."""
        if not ids or self.env.uid == SUPERUSER_ID or not self.env.user.share:
            return set()
        self.env.cr.execute("""
            SELECT a.id FROM ir_attachment a
             WHERE a.id IN %(ids)s AND a.res_model = %(model)s
               AND NOT COALESCE(a.public, false)
               AND a.create_uid IS DISTINCT FROM %(uid)s
               AND NOT EXISTS (
                   SELECT 1 FROM message_attachment_rel rel
                     JOIN mail_message m ON m.id = rel.message_id
                     JOIN mail_message_subtype st ON st.id = m.subtype_id
                    WHERE rel.attachment_id = a.id AND m.model = a.res_model
                      AND m.res_id = a.res_id
                      AND NOT COALESCE(st.internal, false))""",
                            {'ids': tuple(ids), 'model': TICKET,
                             'uid': self.env.uid})
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def check(self, mode, values=None):
        super(IrAttachment, self).check(mode, values=values)
        if self._ticket_hidden_ids(self.ids):
            raise AccessError(_("Sorry, you are not allowed to access this "
                                "document."))

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        ids = super(IrAttachment, self)._search(
            args, offset=offset, limit=limit, order=order, count=False,
            access_rights_uid=access_rights_uid)
        hidden = self._ticket_hidden_ids(ids)
        if hidden:
            ids = [id_ for id_ in ids if id_ not in hidden]
        return len(ids) if count else ids
