# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The nightly recompute of the lead scores: the leads whose inputs changed,
in batches that two servers (and two workers of one run) share without
ever taking the same lead, committed one by one (resumable). The scoring
itself is crm_lead_score_recompute.py."""
import logging
import threading
from datetime import timedelta

from odoo import api, fields, models

from . import batch_commit
from .crm_lead import SCORE_FIELDS

_logger = logging.getLogger(__name__)

# Workers of one nightly run. The scoring of a batch is about 40 % Python
# and 60 % PostgreSQL (the update of the leads, the COPY of the lines): with
# two workers one computes while the database writes the other's batch, on
# two cores. More would only wait for each other on the Python side.
NIGHTLY_WORKERS = 2

# The leads whose score may have changed, from a lead id on, locked;
# ``FOR UPDATE SKIP LOCKED``: the batch of another server is left to it.
STALE_LEADS_SQL = """
    SELECT l.id FROM crm_lead l
    WHERE l.active AND COALESCE(l.probability, 0) < 100
      AND l.id > %(last)s
      AND (%(all)s OR l.id = ANY(%(ids)s))
      AND (l.score_date IS NULL
           OR l.score_date < %(cutoff)s
           OR l.score_decay_date <= %(now)s
           OR l.write_date > l.score_date
           OR EXISTS (SELECT 1 FROM crm_lead_score_event e
                       WHERE e.lead_id = l.id
                         AND e.create_date > l.score_date))
    ORDER BY l.id LIMIT %(limit)s
    FOR UPDATE OF l SKIP LOCKED
"""


class Frontier(object):
    """What the workers of one run share: the highest lead id taken so far
    (each batch query starts after it, so two workers never take the same
    leads, even those the other has just committed), and a stop signal
    (a worker failed: the others end after their current batch)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.last = 0
        self.stop = threading.Event()


# crm.lead is extended once more on purpose: the nightly job apart from the
# engine (one file per concern).
# pylint: disable=consider-merging-classes-inherited


class CrmLead(models.Model):
    _inherit = 'crm.lead'

    @api.model
    def _score_cutoff(self, now):
        """Leads scored before this moment are stale whatever changed: the
        last change of the rules or grade settings (a second later, as the
        change is stored to the second), or None."""
        # sudo: reads the technical date of the last rule change.
        changed = self.env['ir.config_parameter'].sudo().get_param(
            'crm_lead_scoring.rules_changed')
        if not changed:
            return None
        return fields.Datetime.from_string(changed) + timedelta(seconds=1)

    @api.model
    def _cron_score_recompute(self, batch_size=5000, now=None, cutoff=None,
                              lead_ids=None, workers=NIGHTLY_WORKERS):
        """Nightly recompute of the open leads whose score may have changed.

        Only leads whose inputs changed since they were scored are
        recomputed and rewritten: never scored, scored before ``cutoff``
        (default: the last rule change), written since (a field a rule
        reads may have changed, whatever wrote it), with an event recorded
        since, or whose engagement lines decay past a rounding step by
        ``now`` (``score_decay_date``, set at each scoring). An untouched
        lead is left alone.

        Set-based and resumable: batches of those leads are taken in id
        order with ``FOR UPDATE SKIP LOCKED`` (two servers never take the
        same batch), recomputed in a few queries and committed one by one.
        A rerun continues where a stopped run left. Returns the number of
        leads recomputed.

        When it may commit, the run has ``workers`` workers, each with its
        own database connection, taking the batches in turn (see
        NIGHTLY_WORKERS); inside a test or a request it is one worker on
        the caller's transaction.

        In a cron each batch is its own READ COMMITTED transaction: a
        lead another server has just scored is re-checked and left out,
        where Odoo's REPEATABLE READ would fail the batch with a
        serialization error.
        """
        now = (now or fields.Datetime.from_string(fields.Datetime.now())).replace(
            microsecond=0)
        args = (batch_size, now, cutoff or self._score_cutoff(now), lead_ids)
        commit = batch_commit.start(self.env)
        frontier = Frontier()
        helpers = []
        for _index in range(workers - 1 if commit else 0):
            helper = threading.Thread(
                target=self._score_helper, args=(frontier, args),
                name='crm_lead_scoring nightly worker', daemon=True)
            helper.result = {}
            helper.start()
            helpers.append(helper)
        try:
            done = [self._score_batches(frontier, commit, *args)]
        except Exception:
            frontier.stop.set()
            raise
        finally:
            for helper in helpers:
                helper.join()
        for helper in helpers:
            if 'error' in helper.result:
                raise helper.result['error']
            done.append(helper.result['done'])
        if helpers:
            # the other workers' leads changed under this environment
            self.invalidate_cache(fnames=SCORE_FIELDS + ['score_decay_date'])
        _logger.info("crm_lead_scoring: recomputed %d leads (%s by worker)",
                     sum(done), ' + '.join(str(count) for count in done))
        return sum(done)

    @api.model
    def _score_helper(self, frontier, args):
        """A worker of the nightly run beside the cron's own, on a cursor
        of its own (its batches commit on their own too)."""
        result = threading.current_thread().result
        threading.current_thread().dbname = self.env.cr.dbname
        try:
            with api.Environment.manage(), self.pool.cursor() as cr:
                env = api.Environment(cr, self.env.uid, dict(self.env.context))
                result['done'] = env[self._name]._score_batches(
                    frontier, True, *args)
        except Exception as error:  # pylint: disable=broad-except
            # raised again by the cron's worker, once every worker stopped
            _logger.exception("crm_lead_scoring: a nightly worker failed")
            result['error'] = error
            frontier.stop.set()

    @api.model
    def _score_batches(self, frontier, commit, batch_size, now, cutoff,
                       lead_ids):
        """One worker's loop: take the next batch after the frontier,
        recompute it, commit; until no stale lead is left (or another
        worker failed). Returns the number of leads recomputed."""
        cr = self.env.cr
        done = 0
        while not frontier.stop.is_set():
            batch_commit.begin(self.env, commit)
            if commit:
                # The planner prices the query below far above PostgreSQL's
                # JIT threshold (an EXISTS per lead) and compiles it for
                # each batch: 15 ms of a 100 ms query. Off for the batch's
                # own transaction only.
                cr.execute("SET LOCAL jit = off")
            with frontier.lock:
                cr.execute(STALE_LEADS_SQL, {
                    'cutoff': cutoff, 'last': frontier.last, 'now': now,
                    'all': not lead_ids, 'ids': lead_ids or [],
                    'limit': batch_size})
                ids = [row[0] for row in cr.fetchall()]
                if ids:
                    frontier.last = max(frontier.last, ids[-1])
            if not ids:
                break
            self.browse(ids)._score_recompute(now=now)
            done += len(ids)
            # each batch is final and the run resumable: commit to release
            # the row locks and keep transactions short
            batch_commit.end(self.env, commit)
        return done
