"""Ownership history of pool records (append-only ``crm.pool.log``)."""
from odoo import fields, models


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
        # sudo: the history is append-only and written only here, after the
        # action's own checks; users have no create right on it.
        return self.env['crm.pool.log'].sudo().create({
            'res_model': self._name,
            'res_id': self.id,
            'res_name': sudo_self.display_name,
            'action': action,
            'pool_id': pool.id,
            'company_id': pool.company_id.id,
            'from_user_id': from_user.id if from_user else False,
            'to_user_id': to_user.id if to_user else False,
            'actor_id': self.env.uid,
            'reason': reason or False,
            'reason_id': reason_rec.id if reason_rec else False,
            'date': date or fields.Datetime.now(),
        })
