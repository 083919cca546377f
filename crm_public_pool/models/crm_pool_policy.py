"""What the scheduled policies of the pools share.

The models they run on (``POLICY_TARGETS``) and the batch-commit helpers.
Each policy's ORM layer has its own file: crm_pool_reclaim.py,
crm_pool_reminder.py, crm_pool_freeze_expiry.py and crm_pool_distribution.py;
their SQL and math live in ``policy/``.
"""
import threading

import psycopg2.extensions

from odoo import api, models

from ..policy import reclaim as reclaim_policy

# Guards of the set-based policies (SQL over alias ``r``): won leads never
# fall back, archived (lost) records are left alone.
POLICY_TARGETS = {
    'crm.lead': ('crm_lead', "r.active AND COALESCE(r.probability, 0) < 100",
                 'priority'),
    'res.partner': ('res_partner', "r.active", None),
}
# Reclaim also clears the reminder bookkeeping of the records it moves.
RESET_REMINDER_SQL = "pool_remind_deadline = NULL, pool_remind_level = 0,"


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """Plumbing of the scheduled policies: targets and batch commits."""

    _inherit = 'crm.pool'

    @api.model
    def _pool_models(self):
        return [name for name in POLICY_TARGETS if name in self.env]

    @api.model
    def _pool_target(self, res_model=None):
        res_model = res_model or self.res_model
        table, guard, _priority = POLICY_TARGETS[res_model]
        return reclaim_policy.Target(table, res_model, guard=guard)

    @api.model
    def _pool_can_commit(self):
        """Crons commit per batch; tests and callers inside a request don't.
        """
        return not (self.env.context.get('crm_pool_no_commit')
                    or getattr(threading.current_thread(), 'testing', False)
                    or self.pool.in_test_mode())

    @api.model
    def _pool_start_batches(self):
        commit = self._pool_can_commit()
        if commit:
            # Close the caller's snapshot so that each batch starts its own
            # READ COMMITTED transaction (see _pool_begin_batch).
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return commit

    @api.model
    def _pool_begin_batch(self, commit):
        if commit:
            # Reads made between two batches (pool settings, translations)
            # opened a transaction: close it, a batch starts its own.
            # pylint: disable=protected-access
            status = self.env.cr._cnx.get_transaction_status()
            if status != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # A batch under READ COMMITTED re-checks rows another server just
            # changed instead of failing on them (REPEATABLE READ would raise
            # a serialization error); SKIP LOCKED does the rest.
            self.env.cr.execute(
                "SET TRANSACTION ISOLATION LEVEL READ COMMITTED")

    @api.model
    def _pool_end_batch(self, commit):
        if commit:
            # One commit per batch: a killed run leaves whole batches only.
            self.env.cr.commit()  # pylint: disable=invalid-commit
