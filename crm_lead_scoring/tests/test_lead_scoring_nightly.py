# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The nightly job recomputes only the leads whose score may have changed."""
import math
import unittest
from datetime import timedelta

from odoo import fields

from ..lib import scoring
from .common import NOW, ScoringCase

DAY = timedelta(days=1)


def at(moment):
    return fields.Datetime.to_string(moment)


class TestDecayStep(unittest.TestCase):
    """When decay changes a line at the rounding (no database)."""

    rule = {'id': 1, 'points': 10.0, 'half_life_days': 30.0, 'max_points': 0.0}

    def shown(self, decayed, days, rule=None):
        rule = rule or self.rule
        return scoring.round_engagement(scoring.apply_cap(
            rule['points'] * decayed * 0.5 ** (days / rule['half_life_days']),
            rule.get('max_points')))

    def test_the_step_is_when_the_whole_points_change(self):
        for decayed in (1.0, 0.8, 0.3, 2.5, 0.07):
            days = scoring.decay_step_days(self.rule, 1, decayed)
            self.assertEqual(self.shown(decayed, days * 0.999),
                             self.shown(decayed, 0))
            self.assertNotEqual(self.shown(decayed, days + 1e-4),
                                self.shown(decayed, 0))

    def test_a_capped_line_waits_until_it_falls_below_its_cap(self):
        rule = dict(self.rule, max_points=15.0)
        days = scoring.decay_step_days(rule, 3, 3.0)  # 30 points, shows 15
        # 15 until the points fall below 14.5
        self.assertAlmostEqual(days, 30.0 * math.log(30.0 / 14.5, 2), delta=0.001)
        self.assertEqual(self.shown(3.0, days * 0.999, rule), 15.0)

    def test_no_decay_or_nothing_left_never_changes(self):
        self.assertIsNone(scoring.decay_step_days(
            dict(self.rule, half_life_days=0.0), 1, 1.0))
        self.assertIsNone(scoring.decay_step_days(self.rule, 1, 1e-6))
        # 0.49 points show as 0: nothing left to lose
        self.assertIsNone(scoring.decay_step_days(self.rule, 1, 0.049))
        self.assertIsNone(scoring.decay_step_days(self.rule, 0, 0.0))

    def test_penalties_decay_like_rewards(self):
        penalty = dict(self.rule, points=-10.0)
        self.assertAlmostEqual(scoring.decay_step_days(penalty, 1, 0.8),
                               scoring.decay_step_days(self.rule, 1, 0.8))

    def test_next_change_is_the_earliest_step_or_future_event(self):
        slow = dict(self.rule, event_type_id=7)
        fast = dict(slow, id=2, half_life_days=1.0)
        scorer = scoring.BatchScorer([], [slow, fast])

        def next_change(decayed, first_future):
            # as the recompute stores it: the lead's step, or its first
            # future-dated event when that comes first
            _lines, _totals, step = scorer.score(frozenset(), decayed)
            return scoring.change_moment(step, first_future, NOW)

        decayed = {1: (1, 1.0), 2: (1, 1.0)}
        change = next_change(decayed, None)
        self.assertEqual(change, NOW + timedelta(
            days=scoring.decay_step_days(fast, 1, 1.0)))
        soon = NOW + timedelta(seconds=30)
        self.assertEqual(next_change(decayed, soon), soon)
        self.assertIsNone(next_change({}, None))


class TestNightlyRecompute(ScoringCase):

    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(TestNightlyRecompute, cls).setUpClass()
        cls.rule_region = cls.rule(
            'Nightly region', 30.0,
            domain="[('country_id', '=', %s)]" % cls.country_cn.id)
        cls.rule_email = cls.rule('Nightly replies', 10.0, kind='engagement',
                                  event_type_id=cls.type_email.id,
                                  half_life_days=30.0)
        cls.rule_visit = cls.rule('Nightly visits', 10.0, kind='engagement',
                                  event_type_id=cls.type_visit.id,
                                  half_life_days=1.0)
        leads = cls.Lead.with_context(crm_score_no_recompute=True)
        cls.untouched = leads.create({'name': 'Nightly untouched',
                                      'country_id': cls.country_cn.id})
        cls.decaying = leads.create({'name': 'Nightly decaying'})
        cls.steady = leads.create({'name': 'Nightly decaying within a point'})
        cls.faded = leads.create({'name': 'Nightly faded'})
        cls.edited = leads.create({'name': 'Nightly edited in SQL'})
        cls.replied = leads.create({'name': 'Nightly replied'})
        Event = cls.Event.with_context(crm_score_no_recompute=True)
        # 10 points halved every 30 days: 7.58 after 12 days (shows 8),
        # 7.41 after 13 (shows 7)
        Event.create({'lead_id': cls.decaying.id, 'event_type_id': cls.type_email.id,
                      'date': at(NOW - 12 * DAY), 'source': 'api'})
        # 7.94 after 10 days, 7.77 after 11: shows 8 on both
        Event.create({'lead_id': cls.steady.id, 'event_type_id': cls.type_email.id,
                      'date': at(NOW - 10 * DAY), 'source': 'api'})
        # 10 points halved every day for 60 days: 0.00 for ever
        Event.create({'lead_id': cls.faded.id, 'event_type_id': cls.type_visit.id,
                      'date': at(NOW - 60 * DAY), 'source': 'api'})
        cls.all_leads = (cls.untouched | cls.decaying | cls.steady | cls.faded
                         | cls.edited | cls.replied)
        # every lead scored at NOW, as by last night's job
        cls.Lead._cron_score_recompute(now=NOW, cutoff=NOW + DAY,
                                       lead_ids=cls.all_leads.ids)

    def row_versions(self):
        """Physical row version of each lead: an UPDATE always makes a new
        one, even when it writes the same values."""
        self.env.cr.execute("SELECT id, ctid::text FROM crm_lead WHERE id IN %s",
                            (tuple(self.all_leads.ids),))
        return dict(self.env.cr.fetchall())

    def test_untouched_lead_not_rewritten_decayed_one_is(self):
        self.assertEqual(self.line_of(self.decaying, self.rule_email).points, 8.0)
        self.assertEqual(self.line_of(self.steady, self.rule_email).points, 8.0)
        self.assertEqual(self.line_of(self.faded, self.rule_visit).points, 0.0)
        before = self.row_versions()
        done = self.Lead._cron_score_recompute(now=NOW + DAY,
                                               lead_ids=self.all_leads.ids)
        after = self.row_versions()
        self.all_leads.invalidate_cache()
        self.assertEqual(done, 1)
        # the decayed lead: new points, rewritten
        self.assertNotEqual(after[self.decaying.id], before[self.decaying.id])
        self.assertEqual(self.line_of(self.decaying, self.rule_email).points, 7.0)
        self.assertEqual(self.decaying.score, 7.0)
        self.assertEqual(self.decaying.score_date, at(NOW + DAY))
        # the others: same row, same score date
        for lead in (self.untouched | self.steady | self.faded | self.edited
                     | self.replied):
            self.assertEqual(after[lead.id], before[lead.id], lead.name)
            self.assertEqual(lead.score_date, at(NOW), lead.name)
        self.assertEqual(self.untouched.score, 30.0)
        self.assertEqual(self.steady.score, 8.0)

    def test_changed_fields_and_new_events_are_recomputed(self):
        # written behind the ORM's back (an import, another module's SQL)
        self.env.cr.execute("UPDATE crm_lead SET country_id = %s, write_date = %s "
                            "WHERE id = %s", (self.country_cn.id, at(NOW + DAY / 2),
                                              self.edited.id))
        self.env.cr.execute("""
            INSERT INTO crm_lead_score_event (lead_id, event_type_id, points, date,
                                              source, create_date, create_uid)
            VALUES (%s, %s, 10, %s, 'api', %s, 1)
        """, (self.replied.id, self.type_email.id, at(NOW + DAY / 2),
              at(NOW + DAY / 2)))
        before = self.row_versions()
        done = self.Lead._cron_score_recompute(now=NOW + DAY,
                                               lead_ids=self.all_leads.ids)
        after = self.row_versions()
        self.all_leads.invalidate_cache()
        self.assertEqual(done, 3)
        self.assertEqual(self.edited.score, 30.0)
        self.assertEqual(self.line_of(self.replied, self.rule_email).points, 10.0)
        self.assertEqual(after[self.untouched.id], before[self.untouched.id])
        # once done, a second run finds nothing to do
        self.assertEqual(self.Lead._cron_score_recompute(
            now=NOW + DAY, lead_ids=self.all_leads.ids), 0)

    def test_rule_change_recomputes_every_lead(self):
        self.rule_region.write({'points': 40.0})
        # the change is stored with the real clock: make it this test's
        # "today", after last night's job
        self.env['ir.config_parameter'].set_param(
            'crm_lead_scoring.rules_changed', at(NOW + DAY / 2))
        done = self.Lead._cron_score_recompute(now=NOW + DAY,
                                               lead_ids=self.all_leads.ids)
        self.assertEqual(done, len(self.all_leads))
        self.untouched.invalidate_cache()
        self.assertEqual(self.untouched.score, 40.0)

    def test_decay_date_follows_the_lines(self):
        self.assertFalse(self.untouched.score_decay_date)
        self.assertFalse(self.faded.score_decay_date)
        change = fields.Datetime.from_string(self.decaying.score_decay_date)
        self.assertGreater(change, NOW)
        self.assertLess(change, NOW + DAY)
        # exactly when 10 * 0.5 ** (age / 30) falls below 7.5 (to the second)
        crossing = NOW - 10 * DAY + timedelta(days=30 * math.log(10 / 7.5, 2))
        change = fields.Datetime.from_string(self.steady.score_decay_date)
        self.assertLessEqual(abs((change - crossing).total_seconds()), 1.0)
