# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.utils import redirect

from odoo import _, http, tools
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal, pager

KIND_KEYS = ('question', 'incident', 'request', 'complaint')
MAX_SUBJECT = 200
MAX_BODY = 20000


class TicketPortal(CustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super(TicketPortal, self)._prepare_portal_layout_values()
        Ticket = request.env['crm.service.ticket']
        values['ticket_count'] = Ticket.search_count([]) \
            if Ticket.check_access_rights('read', raise_exception=False) else 0
        return values

    def _ticket_or_none(self, ticket_id):
        """The ticket if the current user may read it (record rules apply)."""
        ticket = request.env['crm.service.ticket'].browse(ticket_id)
        try:
            ticket.check_access_rights('read')
            if not ticket.exists():
                return None
            ticket.check_access_rule('read')
        except (AccessError, MissingError):
            return None
        return ticket

    @http.route(['/my/tickets', '/my/tickets/page/<int:page>'], type='http',
                auth='user')
    def portal_my_tickets(self, page=1, filterby='open', **kw):
        Ticket = request.env['crm.service.ticket']
        filters = {
            'open': {'label': _('Open'), 'domain': [('closed_date', '=', False)]},
            'closed': {'label': _('Closed'),
                       'domain': [('closed_date', '!=', False)]},
            'all': {'label': _('All'), 'domain': []},
        }
        if filterby not in filters:
            filterby = 'open'
        domain = filters[filterby]['domain']
        values = self._prepare_portal_layout_values()
        total = Ticket.search_count(domain)
        page_info = pager(url='/my/tickets', url_args={'filterby': filterby},
                          total=total, page=page, step=self._items_per_page)
        tickets = Ticket.search(domain, order='id desc', limit=self._items_per_page,
                                offset=page_info['offset'])
        values.update({
            'tickets': tickets,
            'page_name': 'ticket',
            'pager': page_info,
            'default_url': '/my/tickets',
            'searchbar_filters': filters,
            'filterby': filterby,
        })
        return request.render('crm_service_ticket.portal_my_tickets', values)

    @http.route(['/my/ticket/<int:ticket_id>'], type='http', auth='user')
    def portal_my_ticket(self, ticket_id, **kw):
        ticket = self._ticket_or_none(ticket_id)
        if ticket is None:
            return request.not_found()
        # sudo: the customer may read this ticket (checked above); the
        # messages shown are the public comments only, not internal notes.
        messages = ticket.sudo().message_ids.filtered(
            lambda m: m.subtype_id == request.env.ref('mail.mt_comment')
            and m.message_type in ('comment', 'email'))
        rating_token = False
        if ticket.closed_date and ticket.partner_id:
            # sudo: the portal user was checked to own this ticket above; the
            # token only lets them rate this very ticket.
            rating_token = ticket.sudo().rating_get_access_token()
        values = self._prepare_portal_layout_values()
        values.update({
            'ticket': ticket,
            'ticket_messages': messages,
            'rating_token': rating_token,
            'page_name': 'ticket',
            'error': kw.get('error'),
        })
        return request.render('crm_service_ticket.portal_my_ticket', values)

    @http.route(['/my/tickets/new'], type='http', auth='user',
                methods=['GET'])
    def portal_ticket_new_form(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'ticket', 'error': False, 'form': {}})
        return request.render('crm_service_ticket.portal_ticket_new', values)

    @http.route(['/my/tickets/new'], type='http', auth='user',
                methods=['POST'])
    def portal_ticket_new(self, subject='', description='', kind='question',
                          **kw):
        subject = (subject or '').strip()
        description = (description or '').strip()
        error = False
        if not subject:
            error = _("Please enter a subject.")
        elif len(subject) > MAX_SUBJECT:
            error = _("The subject is too long (at most %s characters).") \
                % MAX_SUBJECT
        elif len(description) > MAX_BODY:
            error = _("The description is too long (at most %s characters).") \
                % MAX_BODY
        elif kind not in KIND_KEYS:
            error = _("Unknown kind of request.")
        if error:
            values = self._prepare_portal_layout_values()
            values.update({'page_name': 'ticket', 'error': error,
                           'form': {'subject': subject,
                                    'description': description, 'kind': kind}})
            return request.render('crm_service_ticket.portal_ticket_new',
                                  values, status=400)
        user = request.env.user
        # sudo: portal users have no create right on tickets; the values are
        # validated above and the customer is forced to the current user.
        Ticket = request.env['crm.service.ticket'].sudo()
        team = request.env['crm.service.team'].sudo().search(
            [('company_id', 'in', [False, user.company_id.id])], limit=1)
        ticket = Ticket.create({
            'name': subject,
            'description': description,
            'kind': kind,
            'channel': 'portal',
            'partner_id': user.partner_id.id,
            'team_id': team.id,
            'company_id': user.company_id.id,
        })
        ticket.message_subscribe([user.partner_id.id])
        ticket._send_acknowledgement()
        return redirect('/my/ticket/%s' % ticket.id, 303)

    @http.route(['/my/ticket/<int:ticket_id>/reply'], type='http', auth='user',
                methods=['POST'])
    def portal_ticket_reply(self, ticket_id, body='', **kw):
        ticket = self._ticket_or_none(ticket_id)
        if ticket is None:
            return request.not_found()
        body = (body or '').strip()
        if not body or len(body) > MAX_BODY:
            return redirect('/my/ticket/%s?error=reply' % ticket.id, 303)
        # sudo: access was checked above; the message is authored by the
        # customer's own partner, as a public comment.
        ticket.sudo().message_post(
            body=tools.plaintext2html(body),
            author_id=request.env.user.partner_id.id,
            message_type='comment', subtype='mail.mt_comment')
        return redirect('/my/ticket/%s' % ticket.id, 303)

    @http.route(['/my/ticket/<int:ticket_id>/close'], type='http', auth='user',
                methods=['POST'])
    def portal_ticket_close(self, ticket_id, **kw):
        ticket = self._ticket_or_none(ticket_id)
        if ticket is None:
            return request.not_found()
        if ticket.closed_date and not ticket.stage_id.is_solved:
            return redirect('/my/ticket/%s' % ticket.id, 303)
        # sudo: access was checked above; closing by the customer is allowed.
        ticket = ticket.sudo()
        values = {}
        if not (ticket.resolution or '').strip():
            values['resolution'] = _("Closed by the customer from the portal.")
        try:
            if values:
                ticket.write(values)
            ticket.action_close()
            ticket.message_post(body=_("Closed by the customer."),
                                subtype='mail.mt_note')
        except UserError:
            return redirect('/my/ticket/%s?error=close' % ticket.id, 303)
        return redirect('/my/ticket/%s' % ticket.id, 303)
