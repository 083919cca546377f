"""What the scheduled policies of the pools share.

The models they run on (every pool model, each described by its own hooks,
see crm_pool_mixin.py) and the batch-commit helpers. Each policy's ORM
layer has its own file: crm_pool_reclaim.py, crm_pool_reminder.py,
crm_pool_freeze_expiry.py and crm_pool_distribution.py; their SQL and math
live in ``policy/``.
"""
from odoo import api, models

from ..policy import reclaim as reclaim_policy
from . import batch_commit

# Reclaim also clears the reminder bookkeeping of the records it moves.
RESET_REMINDER_SQL = "pool_remind_deadline = NULL, pool_remind_level = 0,"


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """Plumbing of the scheduled policies: targets and batch commits."""

    _inherit = 'crm.pool'

    @api.model
    def _pool_models(self):
        return self.env['crm.pool.mixin']._pool_models()

    @api.model
    def _pool_target(self, res_model=None):
        """The policies' view of a pool model, from the model's own hooks:
        its table, which rows a policy may touch, what distribution sorts
        by."""
        res_model = res_model or self.res_model
        model = self.env[res_model]
        return reclaim_policy.Target(
            model._table, res_model, guard=model._pool_policy_sql('r'),
            priority_column=model._pool_priority_column,
            nodeal=model._pool_nodeal_sql('r', '{days}'))

    # Batch commits: the suite's one mechanism (models/batch_commit.py)
    @api.model
    def _pool_start_batches(self):
        return batch_commit.start(self.env)

    @api.model
    def _pool_begin_batch(self, commit):
        batch_commit.begin(self.env, commit)

    @api.model
    def _pool_end_batch(self, commit):
        batch_commit.end(self.env, commit)
