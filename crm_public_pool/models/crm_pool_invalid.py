"""Invalid records (无效): out of claim, assignment and distribution until a
pool manager restores them; restoring also brings back what the cleanup
archived."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..policy import deadline as deadline_policy


class CrmPoolInvalidMixin(models.AbstractModel):
    _name = 'crm.pool.invalid.mixin'
    _description = 'Invalid Pool Records'

    pool_invalid_reason = fields.Text(
        string='Invalid Because',
        copy=False,
        readonly=True,
    )
    pool_date_invalid = fields.Datetime(
        string='Invalid since',
        copy=False,
        readonly=True,
    )

    def _pool_check_not_invalid(self, row):
        """Invalid records are never claimed nor assigned (claim engine,
        ``row``: the raw row of crm_pool_claim._pool_current_rows)."""
        if row['pool_state'] == 'invalid':
            raise UserError(_("%(name)s is invalid: a pool manager restores "
                              "it before anyone may take it.")
                            % self._pool_msg_args())

    @api.multi
    def action_pool_mark_invalid(self, reason):
        """Mark the records invalid (无效) with a reason: they leave their
        owner and are never claimed, assigned or distributed."""
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(_("Please say why the records are invalid."))
        user = self.env.user
        now = fields.Datetime.now()
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            owners = {}
            for record in self:
                record._pool_check_in_pool()
                # sudo: the owner, state and pool's managers are read to
                # check right below that the user is the owner or a manager.
                sudo_record = record.sudo()
                if sudo_record.pool_state == 'invalid':
                    raise UserError(_("%(name)s is already invalid.")
                                    % record._pool_msg_args())
                manager = sudo_record.pool_id._is_manager(user)
                if not manager and sudo_record.user_id != user:
                    raise UserError(_("Only the owner or a manager of pool "
                                      "%(pool)s may mark %(name)s invalid.")
                                    % record._pool_msg_args())
                owners[record.id] = sudo_record.user_id
            for record in self:
                record._pool_write(dict(
                    deadline_policy.FREEZE_CLEAR,
                    user_id=False, pool_state='invalid',
                    pool_date_claimed=False, pool_invalid_reason=reason.strip(),
                    pool_date_invalid=now))
                record._pool_log('invalid', from_user=owners[record.id],
                                 date=now, reason=reason.strip())
        return True

    @api.multi
    def action_pool_restore(self):
        """Bring invalid records, archived by the cleanup or not, back into
        their pool (pool managers only)."""
        user = self.env.user
        now = fields.Datetime.now()
        records = self.with_context(active_test=False)
        with self.env.cr.savepoint():
            records._pool_lock_rows()
            for record in records:
                record._pool_check_in_pool()
                # sudo: state, activity and managers of the record's pool.
                sudo_record = record.sudo()
                if not sudo_record.pool_id._is_manager(user):
                    raise UserError(_("Only the managers of pool %(pool)s may "
                                      "restore %(name)s.")
                                    % record._pool_msg_args())
                if sudo_record.pool_state != 'invalid' and sudo_record.active:
                    raise UserError(_("%(name)s is neither invalid nor "
                                      "archived.") % record._pool_msg_args())
            for record in records:
                record._pool_write({
                    'active': True, 'pool_state': 'pool', 'user_id': False,
                    'pool_invalid_reason': False, 'pool_date_invalid': False})
                record._pool_log('restore', date=now)
        return True
