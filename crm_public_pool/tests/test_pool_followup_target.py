"""Workload targets (工作量指标) and the report of actual against target."""
import unittest
from datetime import date

from odoo.exceptions import ValidationError

from ..policy import workload
from .test_pool_followup_record import FollowupCase


class TestWorkloadPolicy(unittest.TestCase):

    def test_period_start_and_next(self):
        day = date(2024, 2, 29)  # a Thursday
        self.assertEqual(workload.period_start(day, 'day'), day)
        self.assertEqual(workload.period_start(day, 'week'), date(2024, 2, 26))
        self.assertEqual(workload.period_start(day, 'month'), date(2024, 2, 1))
        self.assertEqual(workload.next_period_start(date(2024, 12, 1), 'month'),
                         date(2025, 1, 1))
        self.assertEqual(workload.next_period_start(date(2024, 2, 26), 'week'),
                         date(2024, 3, 4))

    def test_behind_at_the_boundary(self):
        self.assertFalse(workload.is_behind(5, 5, 1, 1))
        self.assertTrue(workload.is_behind(4, 5, 1, 1))
        self.assertTrue(workload.is_behind(5, 5, 0, 1))
        self.assertFalse(workload.is_behind(0, 0, 0, 0))

    def test_row_ids_round_trip(self):
        ids = [workload.row_id(7, 123456, 53), workload.row_id(1, 2, 1)]
        self.assertEqual(workload.row_keys(ids), ({7, 1}, {123456, 2}))

    def test_summary_puts_behind_first(self):
        rows = workload.summary_order([
            {'name': 'b', 'behind': False}, {'name': 'c', 'behind': True},
            {'name': 'a', 'behind': False}])
        self.assertEqual([r['name'] for r in rows], ['c', 'a', 'b'])


class TestFollowupTarget(FollowupCase):

    def setUp(self):
        super(TestFollowupTarget, self).setUp()
        # three follow-ups of Zhang Wei in the week of 2024-01-08, one of
        # them flagged, one on the Monday after (next week)
        self.followups = self.env['crm.followup']
        for day in ('2024-01-08 00:00:00', '2024-01-10 10:00:00',
                    '2024-01-14 23:59:59', '2024-01-15 00:00:00'):
            self.followups |= self.env['crm.followup'].sudo(
                self.sales1).create({'lead_id': self.lead.id,
                                     'content': 'call', 'date': day})
        self.followups[1].sudo(self.reviewer).action_review_flag('copied')
        self.target = self.env['crm.followup.target'].sudo(
            self.manager).create({
                'team_id': self.team.id, 'period': 'week',
                'date_from': '2024-01-08', 'min_followups': 2,
                'min_customers': 0})

    def rows(self, user, **domain):
        return self.env['crm.followup.target.report'].sudo(user).search(
            [('target_id', '=', self.target.id)]
            + [(k, '=', v) for k, v in domain.items()])

    def test_report_counts_real_followups_per_week(self):
        week = self.rows(self.manager, user_id=self.sales1.id,
                         period_start='2024-01-08')
        self.assertEqual(week.followup_count, 2)  # the flagged one is out
        self.assertFalse(week.behind)  # exactly the minimum
        next_week = self.rows(self.manager, user_id=self.sales1.id,
                              period_start='2024-01-15')
        self.assertEqual(next_week.followup_count, 1)
        self.assertTrue(next_week.behind)
        other = self.rows(self.manager, user_id=self.sales2.id,
                          period_start='2024-01-08')
        self.assertEqual(other.followup_count, 0)
        self.assertTrue(other.behind)

    def test_flagging_puts_salesperson_behind(self):
        self.followups[0].sudo(self.reviewer).action_review_flag('no call')
        week = self.rows(self.manager, user_id=self.sales1.id,
                         period_start='2024-01-08')
        self.assertEqual(week.followup_count, 1)
        self.assertTrue(week.behind)

    def test_salesperson_sees_own_rows_leader_the_team(self):
        own = self.rows(self.sales1)
        self.assertTrue(own)
        self.assertEqual(own.mapped('user_id'), self.sales1)
        team = self.rows(self.leader)
        self.assertEqual(team.mapped('user_id'), self.sales1 | self.sales2)
        self.assertFalse(self.rows(self.sales3))

    def test_negative_minimum_refused(self):
        Target = self.env['crm.followup.target'].sudo(self.manager)
        with self.assertRaises(ValidationError) as cm, \
                self.env.cr.savepoint():
            Target.create({'user_id': self.sales1.id, 'period': 'day',
                           'min_followups': -1})
        self.assertEqual(cm.exception.name, "The minimum of a workload "
                                            "target cannot be negative.")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Target.create({'user_id': self.sales1.id, 'team_id': self.team.id,
                           'period': 'day'})
        self.assertEqual(Target.search_count(
            ['|', ('user_id', '=', self.sales1.id),
             ('team_id', '=', self.team.id)]), 1)

    def test_weekly_summary_to_team_leader(self):
        rows = self.team._followup_summary_rows(day=date(2024, 1, 17))
        self.assertEqual([(r['name'], r['followups'], r['behind'])
                          for r in rows],
                         [('Li Na', 0, True), ('Zhang Wei', 2, False)])
        mails = self.env['mail.mail'].search([])
        self.env['crm.team']._cron_followup_summary()
        sent = (self.env['mail.mail'].search([]) - mails).filtered(
            lambda mail: self.leader.partner_id in mail.recipient_ids)
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.recipient_ids, self.leader.partner_id)
        self.assertIn('Zhang Wei', sent.body_html)
        self.assertIn('Li Na', sent.body_html)
