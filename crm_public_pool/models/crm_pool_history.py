"""Ownership history of pool records (append-only ``crm.pool.log``)."""
from odoo import fields, models

from ..policy import history as history_policy


class CrmPoolHistoryMixin(models.AbstractModel):
    _name = 'crm.pool.history.mixin'
    _description = 'Ownership History'

    pool_log_ids = fields.One2many(
        comodel_name='crm.pool.log',
        inverse_name='res_id',
        string='Ownership History',
        domain=lambda self: [('res_model', '=', self._name)],
        readonly=True,
        # Salespeople outside the pool groups may open leads and contacts
        # but have no right on the history: the field is not theirs to read.
        groups='crm_public_pool.group_pool_user',
    )

    def _pool_log(self, action, from_user=None, to_user=None, date=None,
                  reason=None, reason_rec=None, pool=None):
        """Append one history row for this record's pool ``action`` (the
        set-based policies insert theirs in SQL, see policy/)."""
        self.ensure_one()
        # sudo: the record's name and pool are copied into the history of an
        # action that passed its checks; the record may be invisible to the
        # user afterwards (released, transferred).
        sudo_self = self.sudo()
        pool = pool or sudo_self.pool_id
        # The history is append-only: its row is inserted directly (users
        # have no create right on it), after the action's own checks.
        values = {
            'res_model': self._name,
            'res_id': self.id,
            'res_name': sudo_self.display_name,
            'action': action,
            'pool_id': pool.id or None,
            'company_id': pool.company_id.id or None,
            'from_user_id': from_user.id if from_user else None,
            'to_user_id': to_user.id if to_user else None,
            'actor_id': self.env.uid,
            'reason': reason or None,
            'reason_id': reason_rec.id if reason_rec else None,
            'date': date or fields.Datetime.now(),
        }
        log_id = history_policy.insert_row(self.env.cr, values)
        self.invalidate_cache(['pool_log_ids'], [self.id])
        return self.env['crm.pool.log'].browse(log_id)
