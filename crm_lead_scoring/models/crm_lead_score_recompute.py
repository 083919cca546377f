# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The set-based scoring engine of crm.lead: fit matches and engagement
events read in SQL, lines diffed and written in batches. The nightly job
that runs it is in crm_lead_score_nightly.py; the fields, the incremental
triggers and the grade-A action are in crm_lead.py."""
import io
from collections import defaultdict

from odoo import api, fields, models

from ..lib import scoring
from . import score_domain_sql
from .crm_lead import COPY_THRESHOLD, SCORE_FIELDS


def pg_array(values):
    """The text of a PostgreSQL array of these numbers, booleans, short
    codes or timestamps (None is NULL), to cast in SQL (``%s::int[]``).
    One string per column: psycopg2 would adapt each of the thousands of
    values of a batch one by one, a third of the time of the update."""
    return '{%s}' % ','.join(['NULL' if value is None else '"%s"' % (value,)
                              for value in values])


# crm.lead is extended twice on purpose: the engine apart from the fields
# and triggers (one file per concern).
# pylint: disable=consider-merging-classes-inherited


class CrmLead(models.Model):
    _inherit = 'crm.lead'

    score_decay_date = fields.Datetime(
        string='Score Decays on',
        readonly=True,
        copy=False,
        prefetch=False,  # bookkeeping of the nightly job
        help="When decay next changes the points of an engagement line of "
             "the lead: the nightly job recomputes the lead then.",
    )

    @api.model
    def _score_fit_matches(self, rules, lead_ids):
        """{lead id: set of the fit rule ids it matches}, in one query.

        Each rule's domain is a boolean column of a single read of the
        leads, starting from their ids; a path through a relation is an
        EXISTS on the lead's related row (see score_domain_sql), so the
        query costs the same whatever the size of the tables. Big batches
        read their id range.
        """
        matches = defaultdict(frozenset)
        if not rules or not lead_ids:
            return matches
        # the id range lets the planner read a big batch's slice of the
        # table in one pass; the ids keep the leads of a sparse batch only
        # (the nightly job's leads are a few in each range)
        id_clause = '"crm_lead".id = ANY(%s)'
        id_params = [list(lead_ids)]
        if len(lead_ids) >= COPY_THRESHOLD:
            id_clause += ' AND "crm_lead".id BETWEEN %s AND %s'
            id_params += [min(lead_ids), max(lead_ids)]
        # sudo + active_test=False: a rule matches on the lead's data, not on
        # what the current user may see; archived (lost) leads match too.
        model = self.sudo().with_context(active_test=False)
        columns, params = [], []
        for rule in rules:
            sql, rule_params = score_domain_sql.domain_sql(model, rule['domain'])
            columns.append('COALESCE(%s, false)' % sql)
            params += rule_params
        # the flags as one text ('{t,f,...}'): a key of the set they
        # stand for, which is built once per distinct text
        self.env.cr.execute(
            'SELECT "crm_lead".id, ARRAY[%s]::text FROM "crm_lead" WHERE %s'
            % (', '.join(columns), id_clause), params + id_params)
        rule_ids = [rule['id'] for rule in rules]
        sets = {}
        for lead_id, flags in self.env.cr.fetchall():
            matched = sets.get(flags)
            if matched is None:
                matched = sets[flags] = frozenset(
                    rule_id for rule_id, flag
                    in zip(rule_ids, flags[1:-1].split(',')) if flag == 't')
            matches[lead_id] = matched
        return matches

    @api.model
    def _score_events(self, rules, lead_ids, now):
        """{lead id: {engagement rule id: (event count, sum of the events'
        decay factors at ``now``)}}, summed by the database, and {lead id:
        date of its first event dated after ``now``}."""
        events, future = {}, {}
        if not rules or not lead_ids:
            return events, future
        # one row per lead and rule: no per-event data reaches Python. The
        # exponent is bounded: PostgreSQL raises an underflow error below
        # 0.5 ** 1074, and 0.5 ** 1000 counts for nothing anyway.
        self.env.cr.execute("""
            SELECT e.lead_id, r.id, count(*),
                   sum(CASE WHEN r.half_life > 0
                       THEN power(0.5::float8, LEAST(GREATEST(
                           EXTRACT(EPOCH FROM (%s::timestamp - e.date))
                           / 86400.0, 0) / r.half_life, 1000))
                       ELSE 1 END),
                   min(e.date) FILTER (WHERE e.date > %s)
            FROM crm_lead_score_event e
            JOIN unnest(%s::int[], %s::int[], %s::float8[])
                AS r(id, event_type_id, half_life)
                ON r.event_type_id = e.event_type_id
            WHERE e.lead_id = ANY(%s) AND e.lead_id BETWEEN %s AND %s
            GROUP BY e.lead_id, r.id
        """, (now, now, [rule['id'] for rule in rules],
              [rule['event_type_id'] for rule in rules],
              [rule.get('half_life_days') or 0.0 for rule in rules],
              list(lead_ids), min(lead_ids), max(lead_ids)))
        for lead_id, rule_id, count, decayed, first in self.env.cr.fetchall():
            by_rule = events.get(lead_id)
            if by_rule is None:
                by_rule = events[lead_id] = {}
            by_rule[rule_id] = (count, decayed)
            if first:
                first = fields.Datetime.from_string(first)
                if lead_id not in future or first < future[lead_id]:
                    future[lead_id] = first
        return events, future

    @api.multi
    def _score_recompute(self, fit_rule_ids=None, engagement=None, now=None):
        """Recompute the score of these leads, set-based.

        :param fit_rule_ids: None recomputes every rule (fit and
            engagement); a list refreshes only these fit rules and keeps the
            other lines (the incremental path after a write); [] refreshes
            no fit rule (the path after a new event).
        :param engagement: refresh the engagement lines (default: when
            ``fit_rule_ids`` is None or [])
        :param now: datetime the decay is computed at (default: now)

        About four queries whatever the number of leads: read the current
        state (and the lines to keep), evaluate the fit rules, read the
        events (when engagement is refreshed), replace the lines, update the
        leads. The grade A action runs for the leads entering grade A.
        """
        ids = [lead_id for lead_id in self.ids if lead_id]
        if not ids:
            return
        now = (now or fields.Datetime.from_string(fields.Datetime.now())).replace(
            microsecond=0)
        if engagement is None:
            engagement = not fit_rule_ids
        rules = self.env['crm.lead.score.rule']._get_rules_data()
        fit_rules = [rule for rule in rules if rule['kind'] == 'fit']
        engagement_rules = [rule for rule in rules if rule['kind'] == 'engagement']
        refresh = fit_rules if fit_rule_ids is None else [
            rule for rule in fit_rules if rule['id'] in set(fit_rule_ids)]
        refreshed_ids = {rule['id'] for rule in refresh}
        if engagement:
            refreshed_ids |= {rule['id'] for rule in engagement_rules}
        active_ids = {rule['id'] for rule in rules}
        cr = self.env.cr

        # current state: grade A entry date and the lines (kept or diffed);
        # the id range lets the planner read the batch's slice of the leads
        # (with the ids alone it scans the whole table)
        state, kept, existing = {}, {lead_id: [] for lead_id in ids}, {}
        keep_some = bool(active_ids - refreshed_ids)
        cr.execute("""
            SELECT l.id, l.score_hot_date, sl.id, sl.rule_id, sl.points::float8,
                   sl.event_count, sl.knockout, sl.kind
            FROM crm_lead l
            LEFT JOIN crm_lead_score_line sl ON sl.lead_id = l.id
            WHERE l.id = ANY(%(ids)s) AND l.id BETWEEN %(low)s AND %(high)s
            ORDER BY sl.id
        """, {'ids': ids, 'low': min(ids), 'high': max(ids)})
        for (lead_id, hot_date, line_id, rule_id, points, count, knockout,
             kind) in cr.fetchall():
            state[lead_id] = hot_date
            if not line_id:
                continue
            # {rule id: (line id, points, event count, knockout)}; a second
            # line of one rule (two recomputes raced) is dropped as stale
            lines = existing.setdefault(lead_id, {})
            key = rule_id if rule_id not in lines else ('stale', line_id)
            lines[key] = (line_id, points or 0.0, count or 0, knockout)
            if (keep_some and key == rule_id and rule_id in active_ids
                    and rule_id not in refreshed_ids):
                kept[lead_id].append({
                    'rule_id': rule_id, 'kind': kind,
                    'points': points or 0.0, 'knockout': knockout,
                    'count': count or 0})
        ids = [lead_id for lead_id in ids if lead_id in state]
        if not ids:
            return
        matches = self._score_fit_matches(refresh, ids)
        events, future = self._score_events(
            engagement_rules, ids, now) if engagement else ({}, {})
        scorer = scoring.BatchScorer(
            refresh, engagement_rules if engagement else [],
            self._score_thresholds())
        all_lines, totals, decays = {}, {}, {}
        no_events, no_match = {}, frozenset()
        for lead_id in ids:
            lines, totals[lead_id], step = scorer.score(
                matches.get(lead_id, no_match), events.get(lead_id, no_events),
                kept[lead_id])
            all_lines[lead_id] = lines
            if engagement:
                decays[lead_id] = scoring.change_moment(
                    step, future.get(lead_id), now)
        entering = self._score_write(ids, all_lines, totals, state, now, existing,
                                     decays if engagement else None)
        # only the fields written above: invalidating every field of every
        # lead of a big batch costs more than the queries themselves.
        self.invalidate_cache(fnames=SCORE_FIELDS + ['score_decay_date'], ids=ids)
        # the lines' fields only: invalidate_cache() without arguments would
        # empty the whole cache (the user, the rules...) and cost queries
        # later in the same request.
        lines = self.env['crm.lead.score.line']
        lines.invalidate_cache(fnames=list(lines._fields))
        if entering:
            self.browse(entering)._score_on_grade_a()

    @api.model
    def _score_write(self, ids, all_lines, totals, state, now, existing,
                     decays=None):
        """Store the totals, then replace the lines (two queries).

        ``decays``: {lead id: when decay next changes its engagement lines}
        when they were refreshed (None keeps the stored moments). Returns
        the ids of the leads entering grade A.

        The leads are updated first: the update locks their rows, so a lead
        deleted meanwhile by another transaction either waits for this one
        (and its delete trigger then removes the lines written here) or is
        already gone, and gets no line (the lines have no foreign key to
        check that, see crm.lead.score.line).
        """
        sync = self._score_priority_sync()
        entering, columns = set(), [[], [], [], [], [], [], [], [], []]
        for lead_id in ids:
            total = totals[lead_id]
            hot_date = state.get(lead_id)
            if total['grade'] == 'A':
                if not hot_date:
                    entering.add(lead_id)
                    hot_date = now
            else:
                hot_date = None
            for column, value in zip(columns, (
                    lead_id, total['score_fit'], total['score_engagement'],
                    total['score'], total['grade'], total['disqualified'], hot_date,
                    scoring.GRADE_PRIORITY[total['grade']],
                    (decays or {}).get(lead_id))):
                column.append(value)
        cr = self.env.cr
        cr.execute("""
            UPDATE crm_lead l SET
                score_fit = v.fit, score_engagement = v.engagement,
                score = v.score, grade = v.grade, score_disqualified = v.disq,
                score_hot_date = v.hot_date, score_date = %s,
                priority = CASE WHEN %s THEN v.priority ELSE l.priority END,
                score_decay_date = CASE WHEN %s THEN v.decay_date
                                        ELSE l.score_decay_date END
            FROM unnest(%s::int[], %s::numeric[], %s::numeric[], %s::numeric[],
                        %s::varchar[], %s::bool[], %s::timestamp[], %s::varchar[],
                        %s::timestamp[])
                AS v(id, fit, engagement, score, grade, disq, hot_date, priority,
                     decay_date)
            WHERE l.id = v.id AND l.id BETWEEN %s AND %s
            RETURNING l.id
        """, [now, sync, decays is not None] + [pg_array(column) for column in columns]
           + [min(ids), max(ids)])
        updated = {row[0] for row in cr.fetchall()}
        if len(updated) < len(ids):
            ids = [lead_id for lead_id in ids if lead_id in updated]
        if len(ids) >= COPY_THRESHOLD:
            self._score_diff_lines(ids, all_lines, existing)
        elif ids:
            rows, params = [], []
            for lead_id in ids:
                for line in all_lines[lead_id]:
                    rows.append('(%s, %s, %s, %s, %s, %s)')
                    params += [lead_id, line['rule_id'], line['kind'],
                               line['points'], line['count'], line['knockout']]
            if rows:
                cr.execute("""
                    WITH old AS (
                        DELETE FROM crm_lead_score_line WHERE lead_id = ANY(%s))
                    INSERT INTO crm_lead_score_line
                        (lead_id, rule_id, kind, points, event_count, knockout)
                    VALUES """ + ', '.join(rows), [ids] + params)
            else:
                cr.execute("DELETE FROM crm_lead_score_line WHERE lead_id = ANY(%s)",
                           (ids,))
        return [lead_id for lead_id in ids if lead_id in entering]

    @api.model
    def _score_diff_lines(self, ids, all_lines, existing):
        """Store the lines of many leads, touching only what changed.

        The nightly job mostly sees decayed engagement points and the same
        fit lines: changed lines are UPDATEd in place, vanished ones
        DELETEd and new ones COPYed (much faster than INSERT; the lines that
        stay cost no index write).
        """
        cr = self.env.cr
        removed, changed, added, rows = [], [], [], []
        # a line's columns after the lead's id, as COPY text once per line
        # object: the fit lines are shared by the leads matching the same
        # rules (the line objects all live until the end: ids are unique)
        tails = {}

        def tail(line):
            text = tails.get(id(line))
            if text is None:
                text = tails[id(line)] = '\t%d\t%s\t%r\t%d\t%s\n' % (
                    line['rule_id'], line['kind'], line['points'],
                    line['count'], 't' if line['knockout'] else 'f')
            return text

        for lead_id in ids:
            old = existing.get(lead_id)  # consumed: not used after
            if not old:  # a lead scored for the first time
                rows += ['%d%s' % (lead_id, tails.get(id(line)) or tail(line))
                         for line in all_lines[lead_id]]
                continue
            for line in all_lines[lead_id]:
                current = old.pop(line['rule_id'], None)
                if current is None:
                    added.append((lead_id, line))
                elif (current[1] != line['points'] or current[2] != line['count']
                      or current[3] != line['knockout']):
                    changed.append((current[0], line))
            removed += [current[0] for current in old.values()]
        rows += ['%d%s' % (lead_id, tail(line)) for lead_id, line in added]
        if removed:
            cr.execute("DELETE FROM crm_lead_score_line WHERE id = ANY(%s)", (removed,))
        if changed:
            # The id range (a batch's lines are mostly contiguous) lets the
            # planner read only that slice of the table: with the thousands
            # of rows of an array it otherwise hashes a full scan of it.
            changed_ids = [line_id for line_id, _line in changed]
            cr.execute("""
                UPDATE crm_lead_score_line s
                SET points = v.points, event_count = v.event_count,
                    knockout = v.knockout
                FROM unnest(%s::int[], %s::numeric[], %s::int[], %s::bool[])
                    AS v(id, points, event_count, knockout)
                WHERE s.id = v.id AND s.id BETWEEN %s AND %s
            """, (pg_array(changed_ids),
                  pg_array([line['points'] for _id, line in changed]),
                  pg_array([line['count'] for _id, line in changed]),
                  pg_array([line['knockout'] for _id, line in changed]),
                  min(changed_ids), max(changed_ids)))
        if rows:
            cr.copy_from(io.StringIO(''.join(rows)), 'crm_lead_score_line',
                         columns=('lead_id', 'rule_id', 'kind', 'points',
                                  'event_count', 'knockout'))
