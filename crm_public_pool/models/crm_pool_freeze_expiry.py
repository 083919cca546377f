"""End of expired freezes: the ORM layer of the cron (SQL in
policy/reclaim.py)."""
from odoo import SUPERUSER_ID, _, api, fields, models

from ..policy import reclaim as reclaim_policy


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """End of expired freezes and of lapsed freeze requests."""

    _inherit = 'crm.pool'

    @api.model
    def _cron_freeze_expiry(self, batch_size=1000, now=None):
        """Unfreeze records whose freeze ended; their clocks restart.

        Freeze requests still awaiting approval when the freeze they asked
        for has ended are withdrawn (history: *Freeze request lapsed*).
        Returns the number of records unfrozen.
        """
        commit = self._pool_start_batches()
        total = 0
        for res_model in self._pool_models():
            target = self._pool_target(res_model)
            while True:
                self._pool_begin_batch(commit)
                ids = reclaim_policy.freeze_expiry_batch(
                    self.env.cr, target, now or fields.Datetime.now(),
                    SUPERUSER_ID,
                    limit=batch_size, reason=_("Freeze ended"))
                self._pool_end_batch(commit)
                total += len(ids)
                if len(ids) < batch_size:
                    break
            while True:
                self._pool_begin_batch(commit)
                ids = reclaim_policy.freeze_request_lapse_batch(
                    self.env.cr, target, now or fields.Datetime.now(),
                    SUPERUSER_ID, limit=batch_size,
                    reason=_("The freeze ended before it was approved"))
                self._pool_end_batch(commit)
                if len(ids) < batch_size:
                    break
            self.env[res_model].invalidate_cache()
        return total
