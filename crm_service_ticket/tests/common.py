# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading

from werkzeug.test import Client
from werkzeug.wrappers import BaseResponse

import odoo
from odoo.tests.common import HttpCase, SavepointCase


class TicketCase(SavepointCase):
    """Shared fixture: a Beijing office calendar, one team, users per role."""

    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(TicketCase, cls).setUpClass()
        # Messages are asserted in English whatever the admin's language.
        # crm_no_commit: the crons run inside the test's transaction
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       mail_create_nolog=True, lang='en_US',
                                       crm_no_commit=True))
        Users = cls.env['res.users'].with_context(no_reset_password=True)

        def user(login, groups, active=True, company=None):
            company = company or cls.env.ref('base.main_company')
            return Users.create({
                'name': login.title(), 'login': login,
                'email': '%s@example.com' % login,
                'company_id': company.id, 'company_ids': [(6, 0, company.ids)],
                'active': active,
                'groups_id': [(6, 0, [cls.env.ref(g).id for g in groups])],
            })

        agent = 'crm_service_ticket.group_ticket_agent'
        cls.agent1 = user('tk_agent1', [agent])
        cls.agent2 = user('tk_agent2', [agent])
        cls.agent_gone = user('tk_agent_gone', [agent])
        cls.agent_other = user('tk_agent_other', [agent])
        cls.leader = user('tk_leader', ['crm_service_ticket.group_ticket_leader'])
        cls.manager = user('tk_manager', ['crm_service_ticket.group_ticket_manager'])
        cls.customer_company = cls.env['res.partner'].create({
            'name': 'Acme Ltd', 'is_company': True})
        cls.customer = cls.env['res.partner'].create({
            'name': 'Li Lei', 'email': 'lilei@acme.example',
            'parent_id': cls.customer_company.id})
        cls.colleague = cls.env['res.partner'].create({
            'name': 'Han Meimei', 'email': 'hanmeimei@acme.example',
            'parent_id': cls.customer_company.id})
        cls.stranger = cls.env['res.partner'].create({
            'name': 'Other Corp', 'is_company': True,
            'email': 'info@other.example'})
        cls.portal_user = Users.create({
            'name': 'Li Lei', 'login': 'tk_portal_lilei',
            'partner_id': cls.customer.id,
            'groups_id': [(6, 0, [cls.env.ref('base.group_portal').id])]})
        cls.calendar = cls.env['resource.calendar'].create({
            'name': 'Beijing office',
            'attendance_ids': [(5, 0, 0)] + [
                (0, 0, {'name': 'Day %s %s' % (d, h), 'dayofweek': str(d),
                        'hour_from': h[0], 'hour_to': h[1]})
                for d in range(5) for h in ((9, 12), (13, 18))],
        })
        cls.team = cls.env['crm.service.team'].create({
            'name': 'Helpdesk', 'alias_name': 'tk-helpdesk',
            'leader_id': cls.leader.id,
            'member_ids': [(6, 0, [cls.agent1.id, cls.agent2.id,
                                   cls.agent_gone.id, cls.leader.id])],
            'assignment': 'manual', 'warn_share': 75,
            'reopen_days': 7, 'autoclose_days': 5, 'return_visit_days': 3,
        })
        cls.agent_gone.active = False
        cls.other_team = cls.env['crm.service.team'].create({
            'name': 'Other desk', 'alias_name': 'tk-other',
            'member_ids': [(6, 0, [cls.agent_other.id])],
        })
        Sla = cls.env['crm.service.sla']
        # Outrank any demo policy by specificity (team + more criteria).
        cls.sla_team = Sla.create({
            'name': 'Helpdesk default', 'team_id': cls.team.id,
            'calendar_id': cls.calendar.id, 'tz': 'Asia/Shanghai',
            'hours_first_response': 4, 'hours_resolution': 16})
        cls.sla_urgent = Sla.create({
            'name': 'Helpdesk urgent incident', 'team_id': cls.team.id,
            'priority': '3', 'kind': 'incident',
            'calendar_id': cls.calendar.id, 'tz': 'Asia/Shanghai',
            'hours_first_response': 1, 'hours_resolution': 4})
        cls.stage_new = cls.env.ref('crm_service_ticket.crm_service_stage_new')
        cls.stage_progress = cls.env.ref(
            'crm_service_ticket.crm_service_stage_progress')
        cls.stage_waiting = cls.env.ref(
            'crm_service_ticket.crm_service_stage_waiting')
        cls.stage_solved = cls.env.ref('crm_service_ticket.crm_service_stage_solved')
        cls.stage_closed = cls.env.ref('crm_service_ticket.crm_service_stage_closed')
        cls.Ticket = cls.env['crm.service.ticket']

    @classmethod
    def make_ticket(cls, **values):
        vals = {
            'name': 'Printer on fire', 'partner_id': cls.customer.id,
            'team_id': cls.team.id,
            # Friday 2024-03-08 16:00 Beijing time.
            'sla_start': '2024-03-08 08:00:00',
        }
        vals.update(values)
        return cls.Ticket.with_context(ticket_now=vals['sla_start']).create(vals)

    @classmethod
    def load_zh_cn(cls):
        """zh_CN and this addon's terms in it, and en_US active too: Odoo's
        runner installs no language but en_US, the addon's terms of a
        language activated after its installation are not loaded, and a
        database made with zh_CN may have only zh_CN active."""
        cls.env['res.lang'].load_lang('en_US')
        cls.env['res.lang'].load_lang('zh_CN')
        cls.env['ir.module.module'].search([
            ('name', '=', 'crm_service_ticket')])._update_translations(
            filter_lang='zh_CN')


class ControllerCase(HttpCase):
    """An ``HttpCase`` whose requests go through Odoo's WSGI application in
    the test's own thread. It needs no HTTP server (pytest-odoo starts none;
    ``odoo-bin --test-enable`` does) and passes the same under both runners.
    The test and its requests share the registry's test cursor: the data a
    test prepares is what the controller sees, and all of it is rolled back
    at the end."""

    at_install = False
    post_install = True

    def setUp(self):
        super(ControllerCase, self).setUp()
        saved = self.cr, self.env
        # In test mode the registry hands out its one test cursor (locked
        # with a reentrant lock, so requests in this thread may use it too).
        self.cr = self.registry.cursor()
        self.env = self.env(cr=self.cr)

        def restore():
            self.cr.release()
            self.cr, self.env = saved
        self.addCleanup(restore)

    def http(self, method, path, **kwargs):
        """Answer of Odoo to ``method path`` (werkzeug ``Client.open``
        arguments), with the session of :meth:`authenticate`."""
        # The test cursor only simulates commits by moving its savepoint: a
        # request that fails rolls back its own work, not the test's data.
        self.cr.commit()  # pylint: disable=invalid-commit
        client = Client(odoo.http.root, BaseResponse)
        client.set_cookie('localhost', 'session_id', self.session_id)
        thread = threading.current_thread()
        saved = {name: getattr(thread, name)
                 for name in ('dbname', 'uid', 'url') if hasattr(thread, name)}
        try:
            return client.open(path, method=method, buffered=True, **kwargs)
        finally:
            for name in ('dbname', 'uid', 'url'):
                if name in saved:
                    setattr(thread, name, saved[name])
                elif hasattr(thread, name):
                    delattr(thread, name)
            self.env.cache.invalidate()
