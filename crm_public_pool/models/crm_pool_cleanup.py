"""Cleanup (淘汰): invalid or never claimed records archived after
``cleanup_days``, set-based (policy/cleanup.py), with history rows;
``action_pool_restore`` brings them back."""
import logging

from odoo import SUPERUSER_ID, _, api, fields, models

from ..policy import cleanup as cleanup_policy

_logger = logging.getLogger(__name__)


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    _inherit = 'crm.pool'

    cleanup_days = fields.Integer(
        track_visibility='onchange',
        help="Records invalid, or waiting in the pool without being claimed, "
             "for this many days are archived (with history; a manager may "
             "restore them). 0 turns the cleanup off.",
    )

    _sql_constraints = [
        ('cleanup_days_positive', 'CHECK(cleanup_days >= 0)',
         'Policy numbers cannot be negative (0 turns a policy off).'),
    ]

    @api.model
    def _cron_cleanup(self, batch_size=20000, now=None):
        """Archive the due records of every pool: one query for the due ids,
        then chunks re-checked under their row locks, one statement and one
        commit each. Returns how many were archived."""
        commit = self._pool_start_batches()
        now = now or fields.Datetime.now()
        reasons = (_("Invalid: archived by the cleanup"),
                   _("Never claimed: archived by the cleanup"))
        total = 0
        for res_model in self._pool_models():
            target = self._pool_target(res_model)
            self._pool_begin_batch(commit)
            ids = cleanup_policy.due_ids(self.env.cr, target, now)
            self._pool_end_batch(commit)
            for start in range(0, len(ids), batch_size):
                self._pool_begin_batch(commit)
                total += len(cleanup_policy.cleanup_batch(
                    self.env.cr, target, now, SUPERUSER_ID,
                    ids[start:start + batch_size], reasons=reasons))
                self._pool_end_batch(commit)
            self.env[res_model].invalidate_cache()
        if total:
            _logger.info("Pool cleanup archived %s records", total)
        return total
