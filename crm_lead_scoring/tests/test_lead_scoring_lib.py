# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scoring math, without a database."""
import unittest
from datetime import datetime, timedelta

from ..lib import scoring

NOW = datetime(2030, 1, 31, 12, 0, 0)


def fit(rule_id, points, max_points=0.0, knockout=False):
    return {'id': rule_id, 'kind': 'fit', 'points': points, 'max_points': max_points,
            'knockout': knockout, 'half_life_days': 0.0, 'event_type_id': False}


def engagement(rule_id, type_id, points, half_life=30.0, max_points=0.0,
               knockout=False):
    return {'id': rule_id, 'kind': 'engagement', 'points': points,
            'max_points': max_points, 'knockout': knockout,
            'half_life_days': half_life, 'event_type_id': type_id}


class TestScoringMath(unittest.TestCase):

    def test_decay_halves_every_half_life(self):
        self.assertEqual(scoring.decay_factor(0, 30), 1.0)
        self.assertAlmostEqual(scoring.decay_factor(30, 30), 0.5)
        self.assertAlmostEqual(scoring.decay_factor(60, 30), 0.25)
        self.assertAlmostEqual(scoring.decay_factor(15, 30), 0.5 ** 0.5)

    def test_no_decay_without_half_life_and_future_events_count_fully(self):
        self.assertEqual(scoring.decay_factor(365, 0), 1.0)
        self.assertEqual(scoring.decay_factor(-5, 30), 1.0)

    def test_cap_bounds_rewards_and_penalties(self):
        self.assertEqual(scoring.apply_cap(70, 50), 50)
        self.assertEqual(scoring.apply_cap(-70, 50), -50)
        self.assertEqual(scoring.apply_cap(30, 50), 30)
        self.assertEqual(scoring.apply_cap(70, 0), 70)

    def test_engagement_line_decays_each_event_then_caps(self):
        rule = engagement(1, 7, 10.0, half_life=30.0)
        dates = [NOW - timedelta(days=30), NOW - timedelta(days=60), NOW]
        line = scoring.engagement_line(rule, dates, NOW)
        self.assertEqual(line['points'], 18.0)  # 5 + 2.5 + 10, whole points
        self.assertEqual(line['count'], 3)
        self.assertEqual(line['event_type_id'], 7)
        capped = scoring.engagement_line(dict(rule, max_points=12.0), dates, NOW)
        self.assertEqual(capped['points'], 12.0)
        self.assertIsNone(scoring.engagement_line(rule, [], NOW))

    def test_ages_from_the_database_give_the_same_lines_as_dates(self):
        rule = engagement(1, 7, 10.0, half_life=30.0, max_points=16.0)
        dates = [NOW - timedelta(days=30), NOW - timedelta(days=60), NOW]
        by_ages = scoring.engagement_line_from_ages(rule, [30.0, 60.0, 0.0])
        self.assertEqual(by_ages, scoring.engagement_line(rule, dates, NOW))
        self.assertEqual(by_ages['points'], 16.0)
        fit_rules = [fit(2, 5.0), fit(3, 7.0)]
        shared = {rule['id']: scoring.fit_line(rule) for rule in fit_rules}
        lines = scoring.score_lines(fit_rules, [rule], {3}, {7: [30.0]}, None,
                                    fit_lines=shared)
        self.assertEqual([line['points'] for line in lines], [7.0, 5.0])
        self.assertIs(lines[0], shared[3])

    def test_decay_summed_by_the_database_gives_the_same_lines(self):
        rule = engagement(1, 7, 10.0, half_life=30.0, max_points=16.0)
        dates = [NOW - timedelta(days=30), NOW - timedelta(days=60), NOW]
        # 0.5 + 0.25 + 1: the sum of the three events' decay factors
        line = scoring.engagement_line_from_decay(rule, 3, 1.75)
        self.assertEqual(line, scoring.engagement_line(rule, dates, NOW))
        self.assertIsNone(scoring.engagement_line_from_decay(rule, 0, 0.0))
        fit_rules = [fit(2, 5.0), fit(3, 7.0)]
        scorer = scoring.BatchScorer(fit_rules, [rule])
        lines, totals, step = scorer.score(frozenset({3}), {1: (1, 0.5)})
        self.assertEqual([line['points'] for line in lines], [7.0, 5.0])
        self.assertEqual(totals['score'], 12.0)
        self.assertEqual(step, scoring.decay_step_days(rule, 1, 0.5))
        self.assertEqual(scorer.score(frozenset(), {}), (
            [], scoring.summarize([]), None))

    def test_batch_scorer_shares_only_what_leads_have_in_common(self):
        fit_rules = [fit(2, 5.0), fit(3, 7.0, knockout=True)]
        rule = engagement(1, 7, 10.0, half_life=30.0)
        scorer = scoring.BatchScorer(fit_rules, [rule], {'A': 80, 'B': 50, 'C': 20})
        first, first_totals, _step = scorer.score(frozenset({2}), {1: (2, 1.0)})
        second, second_totals, _step = scorer.score(frozenset({2}), {1: (3, 1.01)})
        # the same fit rule line, one line per lead for its events
        self.assertIs(first[0], second[0])
        self.assertEqual((first[1]['count'], second[1]['count']), (2, 3))
        # the same points: the same totals
        self.assertEqual(first_totals, second_totals)
        self.assertEqual(first_totals['score'], 15.0)
        other, other_totals, _step = scorer.score(frozenset({2}), {1: (2, 4.0)})
        self.assertEqual(other_totals['score'], 45.0)
        self.assertEqual(other_totals['grade'], 'C')
        knocked, knocked_totals, _step = scorer.score(frozenset({2, 3}), {})
        self.assertEqual([line['rule_id'] for line in knocked], [2, 3])
        self.assertTrue(knocked_totals['disqualified'])
        self.assertEqual(knocked_totals['grade'], 'D')
        # kept lines (a partial refresh) come first and count in the totals
        kept = [dict(fit(9, 30.0), rule_id=9, count=1)]
        lines, totals, _step = scorer.score(frozenset({2}), {1: (2, 1.0)},
                                            kept=kept)
        self.assertEqual([line['rule_id'] for line in lines], [9, 2, 1])
        self.assertEqual(totals['score'], 45.0)
        self.assertEqual(scorer.score(frozenset({2}), {1: (2, 1.0)})[1]['score'],
                         15.0)

    def test_negative_engagement_decays_towards_zero(self):
        rule = engagement(1, 7, -20.0, half_life=10.0, max_points=30.0)
        dates = [NOW - timedelta(days=10)] * 4
        self.assertEqual(scoring.engagement_line(rule, dates, NOW)['points'], -30.0)
        self.assertEqual(
            scoring.engagement_line(rule, dates[:1], NOW)['points'], -10.0)

    def test_grades_from_thresholds(self):
        thresholds = {'A': 80, 'B': 50, 'C': 20}
        self.assertEqual(scoring.grade_for(80, thresholds), 'A')
        self.assertEqual(scoring.grade_for(79.99, thresholds), 'B')
        self.assertEqual(scoring.grade_for(50, thresholds), 'B')
        self.assertEqual(scoring.grade_for(20, thresholds), 'C')
        self.assertEqual(scoring.grade_for(19.99, thresholds), 'D')
        self.assertEqual(scoring.grade_for(-5, thresholds), 'D')
        self.assertEqual(scoring.grade_for(500, thresholds, disqualified=True), 'D')
        self.assertEqual(scoring.grade_for(60, {'A': 60, 'B': 40, 'C': 10}), 'A')

    def test_thresholds_must_decrease(self):
        self.assertTrue(scoring.check_thresholds({'A': 80, 'B': 50, 'C': 20}))
        self.assertFalse(scoring.check_thresholds({'A': 50, 'B': 50, 'C': 20}))
        self.assertFalse(scoring.check_thresholds({'A': 80, 'B': 10, 'C': 20}))

    def test_score_lead_lines_sum_to_score(self):
        fit_rules = [fit(1, 12.345), fit(2, -7.0), fit(3, 100.0, max_points=40.0),
                     fit(4, 9.0)]
        eng_rules = [engagement(5, 70, 10.0, half_life=7.0),
                     engagement(6, 71, 3.0, half_life=0.0, max_points=5.0)]
        events = {70: [NOW - timedelta(days=d) for d in (1, 3, 11)],
                  71: [NOW - timedelta(days=400)] * 3}
        lines, totals = scoring.score_lead(fit_rules, eng_rules, {1, 2, 3}, events,
                                           NOW, {'A': 80, 'B': 50, 'C': 20})
        self.assertEqual([line['rule_id'] for line in lines], [1, 2, 3, 5, 6])
        self.assertEqual(lines[2]['points'], 40.0)
        self.assertEqual(lines[4]['points'], 5.0)
        self.assertAlmostEqual(sum(line['points'] for line in lines), totals['score'],
                               places=6)
        self.assertAlmostEqual(totals['score_fit'] + totals['score_engagement'],
                               totals['score'], places=6)
        self.assertEqual(totals['score_fit'], 45.35)
        self.assertFalse(totals['disqualified'])

    def test_knockout_disqualifies(self):
        lines, totals = scoring.score_lead(
            [fit(1, 90.0), fit(2, 0.0, knockout=True)], [], {1, 2}, {}, NOW)
        self.assertEqual(totals['score'], 90.0)
        self.assertTrue(totals['disqualified'])
        self.assertEqual(totals['grade'], 'D')

    def test_enters_grade_a_only_on_transition(self):
        self.assertTrue(scoring.enters_grade_a('B', 'A'))
        self.assertTrue(scoring.enters_grade_a(None, 'A'))
        self.assertFalse(scoring.enters_grade_a('A', 'A'))
        self.assertFalse(scoring.enters_grade_a('A', 'B'))

    def test_win_rates_and_lift(self):
        match_rate, other_rate, lift = scoring.win_rates(3, 4, 1, 4)
        self.assertEqual((match_rate, other_rate, lift), (0.75, 0.25, 3.0))
        self.assertEqual(scoring.win_rates(0, 0, 1, 2), (None, 0.5, None))
        self.assertEqual(scoring.win_rates(1, 2, 0, 5), (0.5, 0.0, None))

    def test_parse_iso_datetime(self):
        parse = scoring.parse_iso_datetime
        self.assertEqual(parse('2030-01-02'), datetime(2030, 1, 2))
        self.assertEqual(parse('2030-01-02T03:04:05Z'), datetime(2030, 1, 2, 3, 4, 5))
        self.assertEqual(parse('2030-01-02T11:04:05+08:00'),
                         datetime(2030, 1, 2, 3, 4, 5))
        self.assertEqual(parse('2030-01-02 03:04:05.123'),
                         datetime(2030, 1, 2, 3, 4, 5))
        for bad in ('', 'yesterday', '2030-13-01', 20300102, None):
            with self.assertRaises(ValueError):
                parse(bad)
        with self.assertRaises(ValueError):
            parse('2030-02-05', now=datetime(2030, 2, 1))
        self.assertEqual(parse('2030-02-01T12:00:00', now=datetime(2030, 2, 1)),
                         datetime(2030, 2, 1, 12))
