# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Email in and out of the tickets: the team alias creates tickets
(``message_new``) and threads replies (``message_update``) with the
attachment limits, the customer gets an acknowledgement, automatic replies
(flagged in ``mail_thread.py``) are only logged; a posted answer sets the
first response, a customer's reply reopens a closed ticket or opens a
follow-up one.
"""
from datetime import timedelta

from odoo import _, api, fields, models, tools

from ..lib.like import escape_like

#: Default limit for one email attachment kept on a ticket (bytes).
DEFAULT_MAX_ATTACHMENT = 10 * 1024 * 1024
#: Default limits for all attachments of one email: number and bytes.
DEFAULT_MAX_ATTACHMENT_COUNT = 20
DEFAULT_MAX_ATTACHMENT_TOTAL = 25 * 1024 * 1024


class CrmServiceTicketMailGateway(models.Model):
    # One concern of the ticket per file, on purpose (see service_ticket.py).
    # pylint: disable=consider-merging-classes-inherited
    _inherit = 'crm.service.ticket'

    @api.model
    def _int_param(self, key, default):
        # sudo: reads one technical setting, returns no user data.
        value = self.env['ir.config_parameter'].sudo().get_param(key)
        try:
            return int(value) if value else default
        except ValueError:
            return default

    @api.model
    def _max_attachment_size(self):
        return self._int_param('crm_service_ticket.max_attachment_size',
                               DEFAULT_MAX_ATTACHMENT)

    @api.model
    def _strip_big_attachments(self, msg_dict):
        """Drop attachments over the limits; return the notes to post.

        Limits (system parameters, 0 or less turns one off): the size of one
        attachment, the number of attachments and their total size per email.
        """
        limit = self._max_attachment_size()
        max_count = self._int_param(
            'crm_service_ticket.max_attachment_count',
            DEFAULT_MAX_ATTACHMENT_COUNT)
        max_total = self._int_param(
            'crm_service_ticket.max_attachment_total',
            DEFAULT_MAX_ATTACHMENT_TOTAL)
        kept, notes, over, total = [], [], [], 0
        for attachment in msg_dict.get('attachments') or []:
            content = attachment[1] or b''
            if 0 < limit < len(content):
                notes.append(_(
                    "Attachment %(name)s was not kept: %(size)s bytes, over "
                    "the limit of %(limit)s bytes.") % {
                        'name': attachment[0], 'size': len(content),
                        'limit': limit})
            elif 0 < max_count <= len(kept) or \
                    0 < max_total < total + len(content):
                over.append(attachment[0])
            else:
                kept.append(attachment)
                total += len(content)
        if over:
            notes.append(_(
                "%(count)s attachments were not kept (%(names)s): an email "
                "keeps at most %(max_count)s attachments of %(max_total)s "
                "bytes in total.") % {
                    'count': len(over), 'names': ', '.join(over),
                    'max_count': max_count, 'max_total': max_total})
        if notes:
            msg_dict['attachments'] = kept
        return notes

    @api.model
    def _sender_partner(self, email, email_from):
        """The contact of a new ticket's sender: the partner with exactly
        this address, or a new one. Wildcards (``%``, ``_``) in the address
        are taken literally, so ``%@customer.example`` never matches the
        customer's contacts."""
        # sudo: the mail gateway may run as a user without contact
        # creation rights; we only look up or create the sender as a contact.
        Partner = self.env['res.partner'].sudo()
        partner = Partner.search([('email', '=ilike', escape_like(email))],
                                 limit=1)
        return partner or Partner.browse(Partner.name_create(email_from)[0])

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        notes = self._strip_big_attachments(msg_dict)
        values = dict(custom_values or {})
        email = (tools.email_split(msg_dict.get('email_from') or '') or [False])[0]
        partner = self.env['res.partner'].browse(msg_dict.get('author_id'))
        if not partner and email:
            partner = self._sender_partner(email, msg_dict.get('email_from'))
            msg_dict['author_id'] = partner.id
        auto_reply = self.env.context.get('ticket_auto_reply')
        values.setdefault('name', msg_dict.get('subject') or _('(no subject)'))
        values.setdefault('description', tools.html2plaintext(
            msg_dict.get('body') or ''))
        values.setdefault('channel', 'email')
        values.setdefault('email_from', email)
        if partner:
            values.setdefault('partner_id', partner.id)
        ticket = super(CrmServiceTicketMailGateway, self).message_new(
            msg_dict, custom_values=values)
        if not email:
            notes.append(_("The message had no sender address: no customer "
                           "was linked and no acknowledgement was sent."))
        elif auto_reply:
            notes.append(_("The message is an automatic reply: no "
                           "acknowledgement was sent."))
        for note in notes:
            ticket.message_post(body=note, subtype='mail.mt_note')
        if partner and ticket.partner_id:
            ticket.message_subscribe([partner.id])
            if not auto_reply:
                ticket._send_acknowledgement()
        return ticket

    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        notes = self._strip_big_attachments(msg_dict)
        result = super(CrmServiceTicketMailGateway, self).message_update(
            msg_dict, update_vals=update_vals)
        for ticket in self:
            for note in notes:
                ticket.message_post(body=note, subtype='mail.mt_note')
        return result

    @api.multi
    def message_post(self, body='', subject=None, message_type='notification',
                     subtype=None, parent_id=False, attachments=None,
                     content_subtype='html', **kwargs):
        if self.env.context.get('ticket_auto_reply') and \
                message_type == 'email':
            # An automatic email (out-of-office...) is only logged: as a note
            # it notifies nobody, so no robot answers it, and it neither
            # reopens the ticket nor opens a follow-up one (see below).
            subtype = 'mail.mt_note'
            kwargs['partner_ids'] = []
        message = super(CrmServiceTicketMailGateway, self).message_post(
            body=body, subject=subject, message_type=message_type,
            subtype=subtype, parent_id=parent_id, attachments=attachments,
            content_subtype=content_subtype, **kwargs)
        comment = self.env.ref('mail.mt_comment')
        if len(self) != 1 or message.subtype_id != comment or \
                message.message_type not in ('comment', 'email'):
            return message
        author = message.author_id
        if self._is_customer_author(author):
            if not self.env.context.get('ticket_no_reopen') and \
                    not self.env.context.get('ticket_auto_reply'):
                # sudo: the message is already posted on this ticket; reopening
                # is the ticket's own bookkeeping, whoever posted it.
                self.sudo()._handle_customer_reply(body=body)
        elif author and author != self.partner_id and not self.first_response_date:
            # sudo: stamps the ticket's own first-response date only.
            self.sudo()._set_first_response(
                self.env.context.get('ticket_now') or message.date)
        return message

    @api.multi
    def _send_acknowledgement(self):
        template = self.env.ref(
            'crm_service_ticket.mail_template_ticket_acknowledgement',
            raise_if_not_found=False)
        for ticket in self.filtered(lambda t: t.partner_id.email):
            if template:
                template.send_mail(ticket.id, force_send=False)

    @api.multi
    def _is_customer_author(self, partner):
        self.ensure_one()
        if not partner or any(not u.share for u in partner.user_ids):
            return False
        return True

    @api.multi
    def _handle_customer_reply(self, body=None):
        """A customer wrote on a closed ticket: reopen it or open a new one.

        Returns the ticket that now carries the conversation.
        """
        self.ensure_one()
        if not self.closed_date:
            return self
        days = self.team_id.reopen_days if self.team_id else 7
        closed = fields.Datetime.from_string(self.closed_date)
        now = fields.Datetime.from_string(self._now())
        if now - closed <= timedelta(days=days):
            self.with_context(ticket_no_reopen=True).write(
                {'stage_id': self._first_open_stage(self.team_id).id})
            self.message_post(
                body=_("Reopened by the customer's reply."),
                subtype='mail.mt_note')
            return self
        new = self.create({
            'name': self.name,
            'description': tools.html2plaintext(body or ''),
            'partner_id': self.partner_id.id,
            'team_id': self.team_id.id,
            'kind': self.kind,
            'category_id': self.category_id.id,
            'priority': self.priority,
            'channel': self.channel,
            'parent_id': self.id,
            'company_id': self.company_id.id,
        })
        if body:
            new.with_context(ticket_no_reopen=True).message_post(
                body=body, author_id=self.partner_id.id,
                message_type='comment', subtype='mail.mt_comment')
        self.message_post(
            body=_("The customer wrote after the reopening delay: follow-up "
                   "ticket %s was opened.") % new.number,
            subtype='mail.mt_note')
        return new
