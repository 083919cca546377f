# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import TicketCase


class TestTicketReport(TicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestTicketReport, cls).setUpClass()
        # On time: closed Monday 10:00 Beijing, before Tuesday 16:00.
        cls.on_time = cls.make_ticket(user_id=cls.agent1.id)
        cls.on_time.with_context(ticket_now='2024-03-11 02:00:00').message_post(
            body='Hello', message_type='comment', subtype='mail.mt_comment',
            author_id=cls.agent1.partner_id.id)
        cls.on_time.with_context(ticket_now='2024-03-11 02:00:00').write(
            {'stage_id': cls.stage_closed.id, 'resolution': 'Done'})
        # Late: closed Wednesday, after the Tuesday 16:00 deadline, reopened
        # once before.
        cls.late = cls.make_ticket(user_id=cls.agent1.id, kind='complaint')
        cls.late.with_context(ticket_now='2024-03-11 02:00:00').write(
            {'stage_id': cls.stage_solved.id, 'resolution': 'Done'})
        cls.late.with_context(ticket_now='2024-03-11 03:00:00').action_reopen()
        cls.late.with_context(ticket_now='2024-03-13 02:00:00').write(
            {'stage_id': cls.stage_closed.id})
        cls.late.rating_apply(1, token=cls.late.rating_get_access_token())
        cls.Report = cls.env['crm.service.ticket.report']

    def test_compliance_reopen_hours_and_rating(self):
        rows = self.Report.sudo(self.leader).read_group(
            [('id', 'in', (self.on_time | self.late).ids)],
            ['kind', 'sla_compliant', 'reopened', 'hours_to_first_response',
             'hours_to_resolution', 'rating', 'nbr'], ['kind'])
        by_kind = {r['kind']: r for r in rows}
        self.assertEqual(by_kind['question']['sla_compliant'], 100.0)
        self.assertEqual(by_kind['complaint']['sla_compliant'], 0.0)
        self.assertEqual(by_kind['complaint']['reopened'], 100.0)
        self.assertEqual(by_kind['question']['reopened'], 0.0)
        # Friday 16:00 -> Monday 10:00 Beijing: 3 working hours.
        self.assertAlmostEqual(by_kind['question']['hours_to_first_response'], 3.0)
        self.assertAlmostEqual(by_kind['question']['hours_to_resolution'], 3.0)
        # Friday 16:00 -> Wednesday 10:00: 2 + 8 + 8 + 1 = 19 working hours.
        self.assertAlmostEqual(by_kind['complaint']['hours_to_resolution'], 19.0)
        self.assertEqual(by_kind['complaint']['rating'], 1.0)

    def test_backlog_buckets(self):
        open_ticket = self.make_ticket()
        self.env.cr.execute(
            "UPDATE crm_service_ticket SET create_date = "
            "(now() at time zone 'UTC') - interval '10 days' WHERE id = %s",
            (open_ticket.id,))
        row = self.Report.sudo(self.leader).search_read(
            [('id', '=', open_ticket.id)], ['age_bucket', 'is_open'])[0]
        self.assertEqual((row['age_bucket'], row['is_open']), ('7_30', True))
        closed = self.Report.search_read([('id', '=', self.on_time.id)],
                                         ['age_bucket', 'is_open'])[0]
        self.assertEqual((closed['age_bucket'], closed['is_open']), (False, False))

    def test_views_load_for_each_role(self):
        checks = [
            (self.agent1, 'crm.service.ticket',
             ['form', 'tree', 'kanban', 'calendar', 'pivot', 'graph', 'search']),
            (self.leader, 'crm.service.ticket.report', ['pivot', 'graph', 'search']),
            (self.manager, 'crm.service.team', ['form', 'tree']),
            (self.manager, 'crm.service.sla', ['form', 'tree']),
            (self.agent1, 'res.partner', ['form']),
            (self.agent1, 'crm.lead', ['form']),
        ]
        for user, model, types in checks:
            for view_type in types:
                arch = self.env[model].sudo(user).fields_view_get(
                    view_type=view_type)['arch']
                self.assertTrue(arch)
        partner_form = self.env['res.partner'].sudo(self.agent1).fields_view_get(
            view_type='form')
        self.assertIn('ticket_count', partner_form['fields'])
        self.assertIn('birthday', partner_form['fields'])
        lead_form = self.env['crm.lead'].sudo(self.agent1).fields_view_get(
            view_id=self.env.ref('crm.crm_case_form_view_oppor').id,
            view_type='form')
        self.assertIn('ticket_ids', lead_form['fields'])
        self.assertIn('action_create_ticket', lead_form['arch'])
        plain = self.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Plain', 'login': 'tk_plain',
            'groups_id': [(6, 0, [self.env.ref('base.group_user').id])]})
        plain_form = self.env['res.partner'].sudo(plain).fields_view_get(
            view_type='form')
        self.assertNotIn('ticket_count', plain_form['fields'])
        self.customer.sudo(plain).read(['name', 'birthday'])
