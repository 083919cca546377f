# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Working-hours SLA arithmetic, without database (fixed dates)."""
import unittest
from datetime import datetime

from ..lib import assignment, sla

# Mon-Fri 09:00-12:00 and 13:00-18:00 Beijing time (UTC+8, no DST): 8 h a day.
OFFICE = [(d, 9, 12) for d in range(5)] + [(d, 13, 18) for d in range(5)]


def utc(*args):
    return datetime(*args)


class TestWorkingHours(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.schedule = sla.Schedule(OFFICE, 'Asia/Shanghai')

    def test_within_one_morning(self):
        # Wed 2024-03-06 09:30 local = 01:30 UTC; +2 h -> 11:30 local.
        self.assertEqual(
            sla.add_working_hours(utc(2024, 3, 6, 1, 30), 2, self.schedule),
            utc(2024, 3, 6, 3, 30))

    def test_lunch_break_skipped(self):
        # 11:00 local + 2 h: 1 h before lunch, 1 h after -> 14:00 local.
        self.assertEqual(
            sla.add_working_hours(utc(2024, 3, 6, 3, 0), 2, self.schedule),
            utc(2024, 3, 6, 6, 0))

    def test_across_night(self):
        # Wed 17:00 local + 4 h -> 1 h Wed, 3 h Thu morning -> Thu 12:00 local.
        self.assertEqual(
            sla.add_working_hours(utc(2024, 3, 6, 9, 0), 4, self.schedule),
            utc(2024, 3, 7, 4, 0))

    def test_across_weekend(self):
        # Fri 2024-03-08 16:00 local + 4 h -> 2 h Fri, 2 h Mon -> Mon 11:00.
        self.assertEqual(
            sla.add_working_hours(utc(2024, 3, 8, 8, 0), 4, self.schedule),
            utc(2024, 3, 11, 3, 0))

    def test_opened_on_saturday_night(self):
        # Sat 23:00 local: the clock starts Monday 09:00 local.
        start = utc(2024, 3, 9, 15, 0)
        self.assertEqual(sla.add_working_hours(start, 0, self.schedule),
                         utc(2024, 3, 11, 1, 0))
        self.assertEqual(sla.add_working_hours(start, 8, self.schedule),
                         utc(2024, 3, 11, 10, 0))

    def test_utc_date_differs_from_local_date(self):
        # Mon 2024-03-11 00:30 local is still Sunday 16:30 UTC.
        start = utc(2024, 3, 10, 16, 30)
        self.assertEqual(sla.add_working_hours(start, 1, self.schedule),
                         utc(2024, 3, 11, 2, 0))

    def test_multi_day_resolution(self):
        # 40 h = one full working week: Mon 09:00 -> Fri 18:00 local.
        self.assertEqual(
            sla.add_working_hours(utc(2024, 3, 11, 1, 0), 40, self.schedule),
            utc(2024, 3, 15, 10, 0))

    def test_between_is_inverse_of_add(self):
        start = utc(2024, 3, 8, 8, 17)
        for hours in (0.5, 3, 7.25, 19, 55):
            end = sla.add_working_hours(start, hours, self.schedule)
            self.assertAlmostEqual(
                sla.working_hours_between(start, end, self.schedule), hours, places=6)

    def test_between_over_weekend_counts_nothing(self):
        self.assertEqual(sla.working_hours_between(
            utc(2024, 3, 8, 10, 0), utc(2024, 3, 11, 1, 0), self.schedule), 0.0)
        self.assertEqual(sla.working_hours_between(
            utc(2024, 3, 11, 1, 0), utc(2024, 3, 8, 10, 0), self.schedule), 0.0)

    def test_holiday_is_skipped(self):
        # Monday 2024-03-11 is a holiday (whole local day).
        holiday = [(utc(2024, 3, 10, 16, 0), utc(2024, 3, 11, 16, 0))]
        schedule = sla.Schedule(OFFICE, 'Asia/Shanghai', leaves=holiday)
        self.assertEqual(
            sla.add_working_hours(utc(2024, 3, 8, 8, 0), 4, schedule),
            utc(2024, 3, 12, 3, 0))

    def test_daylight_saving_change(self):
        # Paris switches to summer time on Sunday 2024-03-31: 09:00 local is
        # 08:00 UTC on Friday the 29th and 07:00 UTC on Monday 1 April.
        schedule = sla.Schedule([(d, 9, 17) for d in range(5)], 'Europe/Paris')
        self.assertEqual(
            sla.add_working_hours(utc(2024, 3, 29, 15, 0), 2, schedule),
            utc(2024, 4, 1, 8, 0))

    def test_empty_schedule_refused(self):
        with self.assertRaisesRegex(ValueError, 'no working hours'):
            sla.add_working_hours(utc(2024, 3, 6), 1, sla.Schedule([]))

    def test_invalid_interval_refused(self):
        with self.assertRaisesRegex(ValueError, 'invalid working interval'):
            sla.Schedule([(0, 18, 9)])
        with self.assertRaisesRegex(ValueError, 'weekday'):
            sla.Schedule([(7, 9, 18)])

    def test_negative_hours_refused(self):
        with self.assertRaisesRegex(ValueError, 'negative'):
            sla.add_working_hours(utc(2024, 3, 6), -1, self.schedule)


class TestPauseAndState(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.schedule = sla.Schedule(OFFICE, 'Asia/Shanghai')

    def test_pause_over_weekend_shifts_by_worked_hours_only(self):
        # Paused Fri 15:00 local, resumed Mon 10:00 local: 3 h Fri + 1 h Mon.
        deadline = utc(2024, 3, 11, 5, 0)  # Mon 13:00 local
        new = sla.shift_after_pause(
            deadline, utc(2024, 3, 8, 7, 0), utc(2024, 3, 11, 2, 0), self.schedule)
        self.assertEqual(new, utc(2024, 3, 11, 9, 0))  # Mon 17:00 local

    def test_pause_outside_working_hours_changes_nothing(self):
        deadline = utc(2024, 3, 11, 5, 0)
        self.assertEqual(sla.shift_after_pause(
            deadline, utc(2024, 3, 9, 2, 0), utc(2024, 3, 10, 2, 0), self.schedule),
            deadline)
        self.assertFalse(sla.shift_after_pause(
            False, utc(2024, 3, 9), utc(2024, 3, 10), self.schedule))

    def test_share_used_and_warn_date(self):
        start = utc(2024, 3, 8, 8, 0)  # Fri 16:00 local
        deadline = sla.add_working_hours(start, 4, self.schedule)
        self.assertAlmostEqual(sla.share_used(
            start, deadline, utc(2024, 3, 10, 4, 0), self.schedule), 0.5)
        self.assertEqual(sla.warn_date(start, 4, 0.75, self.schedule),
                         utc(2024, 3, 11, 2, 0))
        with self.assertRaisesRegex(ValueError, 'share'):
            sla.warn_date(start, 4, 1.5, self.schedule)

    def test_sla_state(self):
        now = utc(2024, 3, 6, 12)
        early, late = utc(2024, 3, 6, 10), utc(2024, 3, 6, 14)
        self.assertEqual(sla.sla_state(now, early, False, late, closed=True), 'done')
        self.assertEqual(sla.sla_state(now, early, False, late, paused=True), 'paused')
        self.assertEqual(sla.sla_state(now, early, False, late), 'breached')
        self.assertEqual(sla.sla_state(now, early, True, late), 'ok')
        self.assertEqual(
            sla.sla_state(now, early, True, late, warn_at=early), 'at_risk')
        self.assertEqual(sla.sla_state(now, late, False, early), 'breached')

    def test_backlog_bucket(self):
        self.assertEqual([sla.backlog_bucket(d) for d in (0.2, 2, 5, 10, 45)],
                         ['0_1', '1_3', '3_7', '7_30', '30_plus'])


class TestAssignment(unittest.TestCase):

    def test_round_robin_wraps_and_restarts(self):
        self.assertEqual(assignment.next_round_robin([4, 7, 9], 7), 9)
        self.assertEqual(assignment.next_round_robin([4, 7, 9], 9), 4)
        self.assertEqual(assignment.next_round_robin([4, 7, 9], 5), 4)
        self.assertFalse(assignment.next_round_robin([], 5))

    def test_least_loaded_ties_by_order(self):
        self.assertEqual(assignment.least_loaded([4, 7, 9], {4: 3, 7: 1, 9: 1}), 7)
        self.assertEqual(assignment.least_loaded([4, 7], {}), 4)
        self.assertFalse(assignment.least_loaded([], {}))

    def test_raised_priority_capped(self):
        self.assertEqual(assignment.raised_priority('1'), '2')
        self.assertEqual(assignment.raised_priority('3'), '3')
        self.assertEqual(assignment.raised_priority(False), '1')
