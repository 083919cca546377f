# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import TicketCase


class TestTicketEscalation(TicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestTicketEscalation, cls).setUpClass()
        cls.ticket = cls.make_ticket(user_id=cls.agent1.id, priority='1')
        cls.paused = cls.make_ticket(user_id=cls.agent2.id)
        cls.paused.with_context(ticket_now='2024-03-08 08:30:00').write(
            {'stage_id': cls.stage_waiting.id})
        cls.warn_type = cls.env.ref(
            'crm_service_ticket.mail_activity_type_sla_warning')
        cls.breach_type = cls.env.ref(
            'crm_service_ticket.mail_activity_type_sla_breach')

    def activities(self, ticket, activity_type):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'crm.service.ticket'), ('res_id', '=', ticket.id),
            ('activity_type_id', '=', activity_type.id)])

    def test_warning_then_breach_each_once(self):
        Ticket = self.Ticket
        # Monday 09:30 Beijing: before the 75 % mark (10:00): nothing.
        Ticket._cron_escalate(now='2024-03-11 01:30:00')
        self.assertFalse(self.activities(self.ticket, self.warn_type))
        # Monday 10:15: warning to the assignee, once.
        for _i in range(2):
            Ticket._cron_escalate(now='2024-03-11 02:15:00')
        warn = self.activities(self.ticket, self.warn_type)
        self.assertEqual(len(warn), 1)
        self.assertEqual(warn.user_id, self.agent1)
        self.assertEqual(warn.date_deadline, '2024-03-11')
        self.assertEqual(self.ticket.sla_state, 'at_risk')
        self.assertTrue(self.ticket.sla_warned)
        self.assertEqual(self.ticket.priority, '1')
        # Monday 11:30: first response deadline passed: priority raised,
        # leader gets an activity and a message, once.
        for _i in range(2):
            Ticket._cron_escalate(now='2024-03-11 03:30:00')
        breach = self.activities(self.ticket, self.breach_type)
        self.assertEqual(len(breach), 1)
        self.assertEqual(breach.user_id, self.leader)
        self.assertEqual(self.ticket.priority, '2')
        self.assertEqual(self.ticket.sla_state, 'breached')
        messages = self.team.message_ids.filtered(
            lambda m: self.ticket.number in (m.body or ''))
        self.assertEqual(len(messages), 1)
        self.assertIn(self.leader.partner_id, messages.partner_ids)
        self.assertEqual(len(self.activities(self.ticket, self.warn_type)), 1)

    def test_resolution_target_warned_and_escalated_after_a_late_answer(self):
        Ticket = self.Ticket
        ticket = self.ticket
        Ticket._cron_escalate(now='2024-03-11 02:15:00')
        Ticket._cron_escalate(now='2024-03-11 03:30:00')
        self.assertEqual(ticket.priority, '2')
        # Monday 12:00 Beijing: the (late) first answer.
        ticket.sudo(self.agent1).with_context(
            ticket_now='2024-03-11 04:00:00').message_post(
                body='Sorry for the wait', message_type='comment',
                subtype='mail.mt_comment')
        self.assertFalse(ticket.sla_warned)
        self.assertFalse(ticket.sla_escalated)
        # 75 % of the 16 resolution hours: Tuesday 11:00 Beijing
        self.assertEqual(ticket.sla_warn_date, '2024-03-12 03:00:00')
        Ticket._cron_escalate(now='2024-03-12 02:30:00')
        self.assertEqual(len(self.activities(ticket, self.warn_type)), 1)
        for _i in range(2):
            Ticket._cron_escalate(now='2024-03-12 03:30:00')
        self.assertEqual(len(self.activities(ticket, self.warn_type)), 2)
        self.assertEqual(ticket.sla_state, 'at_risk')
        # Tuesday 16:30 Beijing: resolution deadline passed: escalated again.
        for _i in range(2):
            Ticket._cron_escalate(now='2024-03-12 08:30:00')
        self.assertEqual(len(self.activities(ticket, self.breach_type)), 2)
        self.assertEqual(ticket.priority, '3')
        self.assertEqual(ticket.sla_state, 'breached')

    def test_paused_and_closed_tickets_are_skipped(self):
        closed = self.make_ticket(user_id=self.agent1.id)
        closed.with_context(ticket_now='2024-03-08 09:00:00').write(
            {'stage_id': self.stage_closed.id, 'resolution': 'Done'})
        result = self.Ticket._cron_escalate(
            now='2024-03-20 00:00:00')
        self.assertGreaterEqual(result['escalated'], 1)
        self.assertFalse(self.activities(self.paused, self.warn_type))
        self.assertFalse(self.activities(self.paused, self.breach_type))
        self.assertEqual(self.paused.sla_state, 'paused')
        self.assertFalse(self.activities(closed, self.breach_type))
        self.assertEqual(closed.sla_state, 'done')

    def test_unassigned_warning_goes_to_leader_in_batches(self):
        tickets = self.Ticket
        for _i in range(5):
            tickets |= self.make_ticket()
        result = self.Ticket._cron_escalate(
            now='2024-03-11 02:15:00', batch_size=2)
        self.assertGreaterEqual(result['warned'], 5)
        for ticket in tickets:
            self.assertEqual(self.activities(ticket, self.warn_type).user_id,
                             self.leader)
