# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer portal (/my/tickets) through Odoo's HTTP stack, as a portal
user: routing, login, record rules, QWeb pages and the CSRF-checked form."""
import re

from .common import ControllerCase


class TestTicketPortalHttp(ControllerCase):

    def setUp(self):
        super(TestTicketPortalHttp, self).setUp()
        env = self.env(context=dict(self.env.context, tracking_disable=True,
                                    mail_create_nolog=True,
                                    no_reset_password=True))
        # Pages are asserted in English: the test database may have only
        # zh_CN active (./dev loads it); English is the source language.
        env['res.lang'].with_context(active_test=False).search(
            [('code', '=', 'en_US')]).write({'active': True})
        Partner = env['res.partner']
        company = Partner.create({'name': 'Acme Portal Ltd', 'is_company': True})
        self.customer = Partner.create({
            'name': 'Li Lei', 'email': 'lilei@acme-portal.example',
            'parent_id': company.id})
        colleague = Partner.create({'name': 'Han Meimei',
                                    'parent_id': company.id})
        stranger = Partner.create({'name': 'Other Corp', 'is_company': True,
                                   'email': 'info@other-portal.example'})
        env['res.users'].create({
            'name': 'Li Lei', 'login': 'tk_http_lilei',
            'password': 'tk_http_lilei', 'lang': 'en_US',
            'partner_id': self.customer.id,
            'groups_id': [(6, 0, [env.ref('base.group_portal').id])]})
        team = env['crm.service.team'].create({
            'name': 'Portal desk', 'alias_name': 'tk-http-portal'})
        Ticket = env['crm.service.ticket']
        self.own, self.mate, self.foreign = [
            Ticket.create({'name': name, 'partner_id': partner.id,
                           'team_id': team.id})
            for name, partner in (('Own printer', self.customer),
                                  ('Colleague printer', colleague),
                                  ('Foreign printer', stranger))]

    def get(self, path):
        response = self.http('GET', path)
        return response.status_code, response.get_data(as_text=True)

    def test_anonymous_is_sent_to_login(self):
        response = self.http('GET', '/my/tickets')
        self.assertIn(response.status_code, (302, 303))
        self.assertIn('/web/login', response.headers['Location'])

    def test_lists_own_and_company_tickets_only(self):
        self.authenticate('tk_http_lilei', 'tk_http_lilei')
        status, page = self.get('/my/tickets')
        self.assertEqual(status, 200)
        self.assertIn(self.own.number, page)
        self.assertIn(self.mate.number, page)
        self.assertNotIn(self.foreign.number, page)
        status, page = self.get('/my/ticket/%s' % self.own.id)
        self.assertEqual(status, 200)
        self.assertIn('Own printer', page)
        status, page = self.get('/my/ticket/%s' % self.foreign.id)
        self.assertEqual(status, 404)
        self.assertNotIn('Foreign printer', page)

    def test_new_ticket_form(self):
        self.authenticate('tk_http_lilei', 'tk_http_lilei')
        status, form = self.get('/my/tickets/new')
        self.assertEqual(status, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        response = self.http('POST', '/my/tickets/new', data={
            'csrf_token': token, 'subject': ' '})
        self.assertEqual(response.status_code, 400)
        self.assertIn('Please enter a subject.', response.get_data(as_text=True))
        response = self.http('POST', '/my/tickets/new', data={
            'csrf_token': token, 'subject': 'Printer smokes',
            'kind': 'incident', 'description': 'Since this morning'})
        self.assertIn(response.status_code, (302, 303))
        ticket = self.env['crm.service.ticket'].browse(int(
            response.headers['Location'].rstrip('/').split('/')[-1]))
        self.assertEqual(ticket.name, 'Printer smokes')
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual((ticket.channel, ticket.kind), ('portal', 'incident'))
