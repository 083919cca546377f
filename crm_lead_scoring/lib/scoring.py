# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scoring math of crm_lead_scoring, free of any Odoo import.

Everything here works on plain numbers, dicts and datetimes so it can be
unit-tested without a database and reused by the set-based recompute.

Vocabulary:

* a *rule* is a dict with the keys ``id``, ``kind`` ('fit' or 'engagement'),
  ``points``, ``half_life_days``, ``max_points``, ``knockout`` and, for
  engagement rules, ``event_type_id``;
* a *line* is a dict ``{'rule_id', 'event_type_id', 'kind', 'points',
  'knockout', 'count'}``: why the lead got these points;
* *thresholds* map a grade ('A', 'B', 'C') to the minimum score for it;
  anything below the 'C' threshold, and every disqualified lead, is 'D'.
"""
import math
from datetime import datetime, timedelta, timezone

GRADES = ('A', 'B', 'C', 'D')
DEFAULT_THRESHOLDS = {'A': 80.0, 'B': 50.0, 'C': 20.0}
# Odoo's crm.lead priority stars ('0'..'3') for each grade.
GRADE_PRIORITY = {'A': '3', 'B': '2', 'C': '1', 'D': '0'}
PRECISION = 2
# Engagement points are kept in whole points: decay moves a line by one
# step at a time, so a lead is rewritten only when its score as shown
# changes, not every night by a hundredth.
DECAY_STEP = 1.0


def round_points(value):
    """Points are kept with two decimals everywhere (lines and totals)."""
    return round(float(value) + 0.0, PRECISION) + 0.0


def round_engagement(value):
    """Engagement points in whole steps of :data:`DECAY_STEP`, halves away
    from zero (so a penalty decays exactly like a reward)."""
    steps = math.floor(abs(float(value)) / DECAY_STEP + 0.5)
    return round_points(math.copysign(steps * DECAY_STEP, value) + 0.0)


def decay_factor(age_days, half_life_days):
    """Share of an event's points left after ``age_days``.

    A half-life of 0 (or less) means no decay. Events dated in the future
    count fully (age is clamped to 0).
    """
    if not half_life_days or half_life_days <= 0:
        return 1.0
    age = max(float(age_days), 0.0)
    return 0.5 ** (age / float(half_life_days))


def age_in_days(event_date, now):
    """Age of an event in (fractional) days at ``now``."""
    return (now - event_date).total_seconds() / 86400.0


def apply_cap(points, max_points):
    """Clamp ``points`` to +/- ``max_points``; a cap of 0 means no cap.

    The cap bounds the absolute value so it limits penalties (negative
    rules) the same way it limits rewards.
    """
    if not max_points or max_points <= 0:
        return points
    cap = abs(float(max_points))
    return max(-cap, min(cap, points))


def fit_line(rule):
    """The line a matching fit rule adds."""
    return {
        'rule_id': rule['id'],
        'event_type_id': False,
        'kind': 'fit',
        'points': round_points(apply_cap(rule['points'], rule.get('max_points'))),
        'knockout': bool(rule.get('knockout')),
        'count': 1,
    }


def engagement_line(rule, event_dates, now):
    """The line of an engagement rule for the dates of its events.

    Each event brings the rule's points decayed by the rule's half-life;
    their sum is capped. Returns None when there is no event.
    """
    if not event_dates:
        return None
    return engagement_line_from_ages(
        rule, [age_in_days(date, now) for date in event_dates])


def engagement_line_from_ages(rule, ages):
    """:func:`engagement_line` with the events' ages in days (the nightly
    job gets them from the database)."""
    if not ages:
        return None
    half_life = rule.get('half_life_days') or 0
    points = rule['points']
    total = sum(points * decay_factor(age, half_life) for age in ages)
    return {
        'rule_id': rule['id'],
        'event_type_id': rule['event_type_id'],
        'kind': 'engagement',
        'points': round_engagement(apply_cap(total, rule.get('max_points'))),
        'knockout': bool(rule.get('knockout')),
        'count': len(ages),
    }


def engagement_points(rule, decayed):
    """Whole points of an engagement line whose events' decay factors sum
    to ``decayed``: the rule's points decayed, capped, in whole steps."""
    return round_engagement(apply_cap(rule['points'] * decayed,
                                      rule.get('max_points')))


def engagement_line_from_decay(rule, count, decayed):
    """:func:`engagement_line` from the number of the rule's events and the
    sum of their decay factors (``0.5 ** (age / half-life)`` each, 1 without
    half-life), as the set-based recompute gets them from the database."""
    if not count:
        return None
    return {
        'rule_id': rule['id'],
        'event_type_id': rule['event_type_id'],
        'kind': 'engagement',
        'points': engagement_points(rule, decayed),
        'knockout': bool(rule.get('knockout')),
        'count': count,
    }


def decay_step_days(rule, count, decayed, shown=None):
    """Days until decay changes the (whole) points of the engagement line
    of ``rule`` with ``count`` events whose decay factors sum to
    ``decayed`` (see :func:`engagement_line_from_decay`), all events in the
    past; ``None`` when it never changes (no decay, or nothing left but 0).
    ``shown``: the line's points, when already computed.

    Past events decay together: the uncapped points are ``points *
    decayed * 0.5 ** (days / half-life)``, and the line changes once they
    fall below the points shown now minus half a step (a capped line
    first has to fall below its cap). The answer is rounded down a little:
    an early recompute costs a rewrite, a late one a stale score.
    """
    half_life = rule.get('half_life_days') or 0
    if not count or half_life <= 0:
        return None
    raw = abs(rule['points'] * decayed)
    if shown is None:
        shown = engagement_points(rule, decayed)
    threshold = abs(shown) - 0.5 * DECAY_STEP
    if threshold <= 0 or raw <= 0:
        return None
    if raw < threshold:
        return 0.0
    return max(half_life * math.log(raw / threshold, 2) - 1e-6, 0.0)


def change_moment(step_days, first_future, now):
    """The earlier of ``now`` plus ``step_days`` (None: never) and
    ``first_future`` (the first future-dated event, None: none)."""
    moment = now + timedelta(days=step_days) if step_days is not None else None
    if first_future and (moment is None or first_future < moment):
        return first_future
    return moment


def grade_for(score, thresholds=None, disqualified=False):
    """Grade 'A'..'D' of a score; disqualified leads are always 'D'."""
    if disqualified:
        return 'D'
    limits = dict(DEFAULT_THRESHOLDS)
    limits.update(thresholds or {})
    for grade in ('A', 'B', 'C'):
        if score >= limits[grade]:
            return grade
    return 'D'


def check_thresholds(thresholds):
    """True when the thresholds are strictly decreasing from A to C."""
    return thresholds['A'] > thresholds['B'] > thresholds['C']


def summarize(lines, thresholds=None):
    """Totals of a lead from its lines.

    Returns ``{'score_fit', 'score_engagement', 'score', 'disqualified',
    'grade'}``. ``score`` is exactly the sum of the (rounded) line points, so
    the explanation always adds up.
    """
    fit = sum(line['points'] for line in lines if line['kind'] == 'fit')
    engagement = sum(line['points'] for line in lines
                     if line['kind'] == 'engagement')
    fit, engagement = round_points(fit), round_points(engagement)
    score = round_points(fit + engagement)
    disqualified = any(line['knockout'] for line in lines)
    return {
        'score_fit': fit,
        'score_engagement': engagement,
        'score': score,
        'disqualified': disqualified,
        'grade': grade_for(score, thresholds, disqualified),
    }


def score_lines(fit_rules, engagement_rules, matched_rule_ids, events_by_type, now,
                fit_lines=None):
    """Lines of one lead: the matching fit rules, then the engagement rules
    with events (see :func:`score_lead`).

    ``events_by_type`` maps event type ids to event datetimes, or, when
    ``now`` is None, to the events' ages in days. ``fit_lines`` may give
    the (read-only) line of each fit rule, computed once for many leads.
    """
    if fit_lines is None:
        lines = [fit_line(rule) for rule in fit_rules
                 if rule['id'] in matched_rule_ids]
    else:
        lines = [fit_lines[rule['id']] for rule in fit_rules
                 if rule['id'] in matched_rule_ids]
    for rule in engagement_rules:
        events = events_by_type.get(rule['event_type_id'])
        if not events:
            continue
        if now is None:
            lines.append(engagement_line_from_ages(rule, events))
        else:
            lines.append(engagement_line(rule, events, now))
    return lines


class BatchScorer(object):
    """Scores many leads against the same rules.

    A lead's fit lines depend only on the set of fit rules it matches, and
    its totals only on the points of its lines: both are computed once per
    distinct case (a few hundred in a batch of thousands of leads) and
    shared, read-only, by the leads of that case.

    :param fit_rules: the fit rules refreshed
    :param engagement_rules: the engagement rules refreshed ([]: none)
    """

    def __init__(self, fit_rules, engagement_rules, thresholds=None):
        self.fit_rules = fit_rules
        self.engagement_rules = engagement_rules
        self.thresholds = thresholds
        self.fit_lines = {rule['id']: fit_line(rule) for rule in fit_rules}
        self._fit = {}
        self._totals = {}

    def fit_part(self, matched):
        """The (shared) lines of the fit rules of ``matched`` (a frozenset
        of fit rule ids), in the rules' order."""
        lines = self._fit.get(matched)
        if lines is None:
            lines = self._fit[matched] = [
                self.fit_lines[rule['id']] for rule in self.fit_rules
                if rule['id'] in matched]
        return lines

    def score(self, matched, decayed, kept=None):
        """``(lines, totals, step)`` of one lead: the ``kept`` lines, the
        lines of the fit rules in ``matched`` then the engagement lines
        from ``decayed`` (``{rule id: (event count, sum of decay
        factors)}``); the totals as :func:`summarize`; the days until
        decay changes an engagement line (:func:`decay_step_days`, None:
        never)."""
        engagement, points, step = [], [], None
        for rule in self.engagement_rules:
            events = decayed.get(rule['id'])
            if not events or not events[0]:
                continue
            line = engagement_line_from_decay(rule, *events)
            engagement.append(line)
            points.append((rule['id'], line['points']))
            days = decay_step_days(rule, events[0], events[1], line['points'])
            if days is not None and (step is None or days < step):
                step = days
        lines = self.fit_part(matched) + engagement
        if kept:
            lines = kept + lines
            return lines, summarize(lines, self.thresholds), step
        key = (matched, tuple(points))
        totals = self._totals.get(key)
        if totals is None:
            totals = self._totals[key] = summarize(lines, self.thresholds)
        return lines, totals, step


def score_lead(fit_rules, engagement_rules, matched_rule_ids, events_by_type, now,
               thresholds=None):
    """Full score of one lead.

    :param fit_rules: fit rule dicts (in display order)
    :param engagement_rules: engagement rule dicts (in display order)
    :param matched_rule_ids: ids of the fit rules whose domain the lead matches
    :param events_by_type: {event_type_id: [event datetimes]}
    :return: (lines, totals) as in :func:`summarize`
    """
    lines = score_lines(fit_rules, engagement_rules, matched_rule_ids,
                        events_by_type, now)
    return lines, summarize(lines, thresholds)


def enters_grade_a(old_grade, new_grade):
    """The threshold action fires on the transition into 'A' only."""
    return new_grade == 'A' and old_grade != 'A'


def win_rates(match_won, match_closed, other_won, other_closed):
    """Win rates (0..1 or None) of matching and non-matching closed leads and
    the lift (match rate / other rate, None when undefined)."""
    match_rate = float(match_won) / match_closed if match_closed else None
    other_rate = float(other_won) / other_closed if other_closed else None
    lift = None
    if match_rate is not None and other_rate:
        lift = match_rate / other_rate
    return match_rate, other_rate, lift


def parse_iso_datetime(value, now=None, max_future=timedelta(days=1)):
    """Parse an ISO 8601 date or datetime into a naive UTC datetime.

    Accepts 'YYYY-MM-DD', 'YYYY-MM-DDTHH:MM[:SS[.ffffff]]' with an optional
    'Z' or '+HH:MM' offset. Raises ValueError for anything else, and for
    dates more than ``max_future`` after ``now``.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError("not a string")
    text = value.strip()
    if text.endswith(('Z', 'z')):
        text = text[:-1] + '+00:00'
    if len(text) == 10:
        parsed = datetime.strptime(text, '%Y-%m-%d')
    else:
        parsed = datetime.fromisoformat(text.replace(' ', 'T', 1))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    if now is not None and parsed > now + max_future:
        raise ValueError("in the future")
    return parsed.replace(microsecond=0)
