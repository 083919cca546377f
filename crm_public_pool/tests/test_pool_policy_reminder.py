"""Reminder schedule and rate limiter, without a database."""
import unittest
from datetime import datetime, timedelta

from odoo.addons.crm_public_pool.policy import reminder

DEADLINE = datetime(2024, 3, 20, 12, 0, 0)


class TestReminder(unittest.TestCase):

    def test_levels_and_boundaries(self):
        due = reminder.due_level
        # before the window
        self.assertEqual(due(DEADLINE, DEADLINE - timedelta(days=3, seconds=1),
                             3), reminder.LEVEL_NONE)
        # exactly remind_days before: due
        self.assertEqual(due(DEADLINE, DEADLINE - timedelta(days=3), 3),
                         reminder.LEVEL_OWNER)
        self.assertEqual(due(DEADLINE, DEADLINE - timedelta(days=1, seconds=1),
                             3), reminder.LEVEL_OWNER)
        # exactly one day before: owner and managers
        self.assertEqual(due(DEADLINE, DEADLINE - timedelta(days=1), 3),
                         reminder.LEVEL_FINAL)
        # at the deadline the reclaim takes over
        self.assertEqual(due(DEADLINE, DEADLINE, 3), reminder.LEVEL_NONE)
        # off / no deadline
        self.assertEqual(due(DEADLINE, DEADLINE - timedelta(hours=1), 0),
                         reminder.LEVEL_NONE)
        self.assertEqual(due(None, DEADLINE, 3), reminder.LEVEL_NONE)

    def test_once_per_deadline(self):
        now = DEADLINE - timedelta(days=2)
        self.assertEqual(reminder.to_send(DEADLINE, now, 3),
                         reminder.LEVEL_OWNER)
        self.assertEqual(reminder.to_send(DEADLINE, now, 3, DEADLINE,
                                          reminder.LEVEL_OWNER),
                         reminder.LEVEL_NONE)
        later = DEADLINE - timedelta(hours=5)
        self.assertEqual(reminder.to_send(DEADLINE, later, 3, DEADLINE,
                                          reminder.LEVEL_OWNER),
                         reminder.LEVEL_FINAL)
        self.assertEqual(reminder.to_send(DEADLINE, later, 3, DEADLINE,
                                          reminder.LEVEL_FINAL),
                         reminder.LEVEL_NONE)
        # a new deadline (follow-up) starts over
        new = DEADLINE + timedelta(days=1)
        self.assertEqual(reminder.to_send(new, new - timedelta(days=2), 3,
                                          DEADLINE, reminder.LEVEL_FINAL),
                         reminder.LEVEL_OWNER)

    def test_schedule(self):
        self.assertEqual(reminder.schedule(DEADLINE, 3), [
            (DEADLINE - timedelta(days=3), reminder.LEVEL_OWNER),
            (DEADLINE - timedelta(days=1), reminder.LEVEL_FINAL)])
        self.assertEqual(reminder.schedule(DEADLINE, 1), [
            (DEADLINE - timedelta(days=1), reminder.LEVEL_FINAL)])
        self.assertEqual(reminder.schedule(DEADLINE, 0), [])
        self.assertEqual(reminder.window_start(DEADLINE, 0),
                         DEADLINE + timedelta(days=1))
