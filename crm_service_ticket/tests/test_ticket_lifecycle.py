# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError

from .common import TicketCase


class TestTicketLifecycle(TicketCase):

    def activities(self, record, xmlid):
        return self.env['mail.activity'].search([
            ('res_model', '=', record._name), ('res_id', '=', record.id),
            ('activity_type_id', '=', self.env.ref(xmlid).id)])

    def test_round_robin_skips_inactive(self):
        self.team.assignment = 'round_robin'
        users = [self.make_ticket().user_id for _i in range(4)]
        self.assertEqual(users, [self.agent1, self.agent2, self.leader,
                                 self.agent1])

    def test_balanced_picks_least_loaded(self):
        self.team.assignment = 'balanced'
        self.make_ticket(user_id=self.agent1.id)
        self.make_ticket(user_id=self.leader.id)
        self.assertEqual(self.make_ticket().user_id, self.agent2)

    def test_manual_leaves_unassigned(self):
        self.assertFalse(self.make_ticket().user_id)

    def test_close_plans_return_visit_and_rating(self):
        ticket = self.make_ticket(user_id=self.agent1.id)
        ticket.sudo(self.agent1).with_context(
            ticket_now='2024-03-11 10:00:00').write({
                'stage_id': self.stage_solved.id,
                'resolution': 'Reset the password'})
        visit = self.activities(
            ticket, 'crm_service_ticket.mail_activity_type_return_visit')
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.user_id, self.agent1)
        self.assertEqual(visit.date_deadline, '2024-03-14')
        rating = self.env['rating.rating'].search([
            ('res_model', '=', 'crm.service.ticket'), ('res_id', '=', ticket.id)])
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.customer)
        self.assertTrue(self.env['mail.mail'].search([
            ('model', '=', 'crm.service.ticket'), ('res_id', '=', ticket.id),
            ('body_html', 'like', '/rating/%s/1' % rating.access_token)]))
        # Moving from solved to closed is not a second closing.
        ticket.write({'stage_id': self.stage_closed.id})
        self.assertEqual(len(self.activities(
            ticket, 'crm_service_ticket.mail_activity_type_return_visit')), 1)

    def test_negative_rating_alerts_leader(self):
        ticket = self.make_ticket(user_id=self.agent1.id)
        ticket.write({'stage_id': self.stage_closed.id, 'resolution': 'Done'})
        token = ticket.rating_get_access_token()
        ticket.rating_apply(10, token=token)
        self.assertFalse(self.activities(
            ticket, 'crm_service_ticket.mail_activity_type_bad_rating'))
        ticket.rating_apply(1, token=token, feedback='Nobody called me back')
        alert = self.activities(
            ticket, 'crm_service_ticket.mail_activity_type_bad_rating')
        self.assertEqual(alert.user_id, self.leader)
        self.assertIn('Nobody called me back', alert.note)
        # The rating message from the customer does not reopen the ticket.
        self.assertTrue(ticket.closed_date)
        self.assertEqual(ticket.rating_last_value, 1)

    def test_autoclose_solved_tickets(self):
        old = self.make_ticket()
        old.with_context(ticket_now='2024-03-01 02:00:00').write(
            {'stage_id': self.stage_solved.id, 'resolution': 'Fixed'})
        recent = self.make_ticket()
        recent.with_context(ticket_now='2024-03-09 02:00:00').write(
            {'stage_id': self.stage_solved.id, 'resolution': 'Fixed'})
        count = self.Ticket._cron_autoclose(now='2024-03-11 02:00:00')
        self.assertGreaterEqual(count, 1)
        self.assertEqual(old.stage_id, self.stage_closed)
        self.assertEqual(old.closed_date, '2024-03-01 02:00:00')
        self.assertEqual(recent.stage_id, self.stage_solved)
        self.assertTrue(old.message_ids.filtered(
            lambda m: 'Closed automatically' in (m.body or '')))

    def test_actions_refusals(self):
        ticket = self.make_ticket(user_id=self.agent1.id)
        with self.assertRaisesRegex(UserError, 'is not closed'):
            ticket.sudo(self.agent1).action_reopen()
        ticket.resolution = 'ok'
        ticket.sudo(self.agent1).action_solve()
        self.assertEqual(ticket.stage_id, self.stage_solved)
        ticket.sudo(self.agent1).action_reopen()
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.reopen_count, 1)
        with self.assertRaisesRegex(ValidationError, 'at most 24 hours'), \
                self.env.cr.savepoint():
            self.env['crm.service.worklog'].sudo(self.agent1).create({
                'ticket_id': ticket.id, 'hours': 30})
        self.env['crm.service.worklog'].sudo(self.agent1).create({
            'ticket_id': ticket.id, 'hours': 1.5})
        self.assertEqual(ticket.hours_spent, 1.5)

    def test_lead_and_partner_360(self):
        lead = self.env['crm.lead'].create({
            'name': 'Big deal', 'partner_id': self.customer.id})
        action = lead.action_create_ticket()
        self.assertEqual(action['context']['default_lead_id'], lead.id)
        ticket = self.Ticket.with_context(**action['context']).create({
            'team_id': self.team.id})
        self.assertEqual(ticket.lead_id, lead)
        self.assertEqual(ticket.name, 'Big deal')
        self.assertEqual(lead.sudo(self.agent1).ticket_count, 1)
        self.make_ticket(partner_id=self.colleague.id)
        self.assertEqual(self.customer_company.ticket_count, 2)
        self.assertEqual(self.customer.ticket_count, 1)
        other = self.make_ticket(name='Wants more')
        result = other.action_create_opportunity()
        self.assertEqual(other.lead_id.type, 'opportunity')
        self.assertEqual(other.lead_id.partner_id, self.customer)
        self.assertEqual(result['res_id'], other.lead_id.id)
        with self.assertRaisesRegex(UserError, 'already linked'):
            other.action_create_opportunity()

    def test_birthday_reminder_once_a_year(self):
        salesman = self.agent1
        self.customer.write({'birthday': '1990-03-14', 'user_id': salesman.id})
        leap = self.env['res.partner'].create({
            'name': 'Leap baby', 'birthday': '2000-02-29', 'user_id': salesman.id})
        Partner = self.env['res.partner']
        self.assertEqual(Partner._cron_birthday_reminder(
            today='2024-03-10'), 0)
        Partner._cron_birthday_reminder(today='2024-03-11')
        Partner._cron_birthday_reminder(today='2024-03-11')
        reminder = self.activities(
            self.customer, 'crm_service_ticket.mail_activity_type_birthday')
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, salesman)
        self.assertEqual(reminder.date_deadline, '2024-03-14')
        # 29 February is celebrated on 28 February in common years.
        Partner._cron_birthday_reminder(today='2023-02-25')
        self.assertEqual(len(self.activities(
            leap, 'crm_service_ticket.mail_activity_type_birthday')), 1)
