# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError

from .common import TicketCase


class TestTicketSla(TicketCase):

    def test_number_and_policy_match(self):
        ticket = self.make_ticket()
        self.assertTrue(ticket.number.startswith('TK'))
        self.assertNotEqual(ticket.number, self.make_ticket().number)
        self.assertEqual(ticket.sla_policy_id, self.sla_team)
        urgent = self.make_ticket(priority='3', kind='incident')
        self.assertEqual(urgent.sla_policy_id, self.sla_urgent)
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.sla_state, 'ok')

    def test_deadlines_across_weekend(self):
        # Opened Friday 16:00 Beijing: 4 h -> Monday 11:00; 16 h = 2 h Friday
        # + 8 h Monday + 6 h Tuesday (lunch skipped) -> Tuesday 16:00.
        ticket = self.make_ticket()
        self.assertEqual(ticket.deadline_first_response, '2024-03-11 03:00:00')
        self.assertEqual(ticket.deadline_resolution, '2024-03-12 08:00:00')
        # Warning at 75 % of the 4 h to first response: Monday 10:00.
        self.assertEqual(ticket.sla_warn_date, '2024-03-11 02:00:00')

    def test_deadlines_across_night(self):
        # Opened Wednesday 17:30 Beijing: 1 h urgent -> Thursday 09:30.
        ticket = self.make_ticket(priority='3', kind='incident',
                                  sla_start='2024-03-06 09:30:00')
        self.assertEqual(ticket.deadline_first_response, '2024-03-07 01:30:00')
        self.assertEqual(ticket.deadline_resolution, '2024-03-07 05:30:00')

    def test_priority_change_rematches_policy(self):
        ticket = self.make_ticket(kind='incident')
        ticket.with_context(ticket_now='2024-03-08 08:30:00').write(
            {'priority': '3'})
        self.assertEqual(ticket.sla_policy_id, self.sla_urgent)
        self.assertEqual(ticket.deadline_first_response, '2024-03-08 09:00:00')

    def test_pause_and_resume_shift_deadlines(self):
        ticket = self.make_ticket()
        # Paused Friday 17:00 Beijing, resumed Monday 10:00: 2 working hours.
        ticket.with_context(ticket_now='2024-03-08 09:00:00').write(
            {'stage_id': self.stage_waiting.id})
        self.assertEqual(ticket.sla_state, 'paused')
        self.assertEqual(ticket.sla_paused_since, '2024-03-08 09:00:00')
        ticket.with_context(ticket_now='2024-03-11 02:00:00').write(
            {'stage_id': self.stage_progress.id})
        self.assertFalse(ticket.sla_paused_since)
        # Monday 11:00 + 2 h over lunch -> 14:00; Tuesday 16:00 + 2 h -> 18:00.
        self.assertEqual(ticket.deadline_first_response, '2024-03-11 06:00:00')
        self.assertEqual(ticket.deadline_resolution, '2024-03-12 10:00:00')
        self.assertEqual(ticket.sla_state, 'ok')

    def test_first_response_by_agent_reply(self):
        ticket = self.make_ticket(user_id=self.agent1.id)
        ticket.sudo(self.agent1).with_context(
            ticket_now='2024-03-11 02:00:00').message_post(
                body='We are on it', message_type='comment',
                subtype='mail.mt_comment')
        self.assertEqual(ticket.first_response_date, '2024-03-11 02:00:00')
        # Friday 16:00 -> Monday 10:00 Beijing = 2 + 1 working hours.
        self.assertAlmostEqual(ticket.hours_to_first_response, 3.0)
        # An internal note is not a response.
        other = self.make_ticket(user_id=self.agent1.id)
        other.sudo(self.agent1).message_post(
            body='note', message_type='comment', subtype='mail.mt_note')
        self.assertFalse(other.first_response_date)

    def test_close_requires_resolution(self):
        ticket = self.make_ticket(user_id=self.agent1.id)
        with self.assertRaisesRegex(UserError, 'describe the resolution'):
            ticket.sudo(self.agent1).write({'stage_id': self.stage_closed.id})
        ticket.sudo(self.agent1).with_context(
            ticket_now='2024-03-11 10:00:00').write(
                {'stage_id': self.stage_solved.id, 'resolution': 'Replaced'})
        self.assertEqual(ticket.closed_date, '2024-03-11 10:00:00')
        self.assertEqual(ticket.sla_state, 'done')
        self.assertAlmostEqual(ticket.hours_to_resolution, 10.0)

    def test_policy_constraints(self):
        with self.assertRaisesRegex(ValidationError, 'must be positive'):
            self.sla_team.hours_first_response = 0
        with self.assertRaisesRegex(ValidationError, 'cannot be due after'):
            self.sla_team.hours_first_response = 20
        empty = self.env['resource.calendar'].create({
            'name': 'Nothing', 'attendance_ids': [(5, 0, 0)]})
        with self.assertRaisesRegex(ValidationError, 'no working hours'):
            self.sla_team.calendar_id = empty
        with self.assertRaisesRegex(ValidationError, 'solved stage must'):
            self.stage_progress.is_solved = True
