"""The pool actions on leads and customers, callable over RPC.

Claim (领取), assign (分配), release (退回), transfer, freeze (冻结) and its
approval and unfreeze (logging a follow-up: crm_followup_link.py). Each
checks the user's right on every record and refuses with a specific, translated message;
claims and assignments run the claim engine (crm_pool_claim.py).
"""
from datetime import datetime, time

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..policy import deadline as deadline_policy
from .crm_pool_internal import POOL_INTERNAL


class CrmPoolActionsMixin(models.AbstractModel):
    _name = 'crm.pool.actions.mixin'
    _description = 'Ownership'

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.multi
    def action_pool_claim(self):
        """Claim (领取) the records for the current user."""
        user = self.env.user
        with self.env.cr.savepoint():
            self._pool_take(user, 'claim')
        return True

    @api.multi
    def action_pool_assign(self, user_id):
        """Assign (分配) the records to ``user_id`` (pool managers only).

        A pool manager passes the quota only explicitly, with the context key
        ``pool_force_quota``.
        """
        user = self.env['res.users'].browse(
            user_id.id if isinstance(user_id, models.BaseModel) else user_id)
        if not user.exists():
            raise UserError(_("Choose a salesperson to assign to."))
        with self.env.cr.savepoint():
            self._pool_take(user, 'assign')
        return True

    @api.multi
    def action_pool_release(self, reason=None, note=None):
        """Release (退回) the records to their pool with a reason.

        ``reason``: a ``crm.pool.release.reason`` id or a text; ``note``: an
        optional comment added to the reason.
        """
        reason_rec, reason_text = self._pool_parse_reason(reason)
        if note and note.strip():
            reason_text = ('%s: %s' % (reason_text, note.strip())
                           if reason_text else note.strip())
        if not reason_rec and not reason_text:
            raise UserError(_("Please give a reason for returning the records "
                              "to the pool."))
        user = self.env.user
        now = fields.Datetime.now()
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            owners = {}
            for record in self:
                record._pool_check_in_pool()
                # sudo: the owner and the pool's managers are read to check
                # right below that the user is the owner or a pool manager.
                sudo_record = record.sudo()
                if not sudo_record.user_id:
                    raise UserError(_("%(name)s is already in pool %(pool)s.")
                                    % record._pool_msg_args())
                if sudo_record.user_id != user and \
                        not sudo_record.pool_id._is_manager(user):
                    raise UserError(_("Only the owner or a manager of pool "
                                      "%(pool)s may return %(name)s to the "
                                      "pool.") % record._pool_msg_args())
                owners[record.id] = sudo_record.user_id
            for record in self:
                previous = owners[record.id]
                record._pool_write({
                    'user_id': False,
                    'pool_state': 'pool',
                    'pool_date_claimed': False,
                    **deadline_policy.FREEZE_CLEAR
                })
                record._pool_log('release', from_user=previous, date=now,
                                 reason=reason_text, reason_rec=reason_rec)
        return True

    @api.multi
    def action_pool_transfer(self, pool_id):
        """Move the records to another pool (pool managers only).

        Owned records keep no owner: they wait in the new pool.
        """
        # sudo: the target pool's kind and name are checked, nothing else.
        target = self.env['crm.pool'].sudo().browse(
            pool_id.id if isinstance(pool_id, models.BaseModel) else pool_id)
        if not target.exists():
            raise UserError(_("Choose the pool to transfer to."))
        user = self.env.user
        if target.res_model != self._name:
            raise UserError(_("Pool %(pool)s does not hold this kind of "
                              "records.") % {'pool': target.display_name})
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            sources = {}
            for record in self:
                record._pool_check_in_pool()
                # sudo: the source pool's managers and the owner are read; the
                # transfer is refused right below unless the user manages it.
                sudo_record = record.sudo()
                if not sudo_record.pool_id._is_manager(user):
                    raise UserError(_("Only the managers of pool %(pool)s may "
                                      "transfer %(name)s.")
                                    % record._pool_msg_args())
                if sudo_record.pool_id == target:
                    raise UserError(_("%(name)s is already in pool %(pool)s.")
                                    % record._pool_msg_args())
                sources[record.id] = (sudo_record.pool_id, sudo_record.user_id)
            now = fields.Datetime.now()
            for record in self:
                source, previous = sources[record.id]
                record._pool_write({
                    'pool_id': target.id,
                    'user_id': False,
                    'pool_state': 'pool',
                    'pool_date_claimed': False,
                    **deadline_policy.FREEZE_CLEAR
                })
                record._pool_log(
                    'transfer', from_user=previous, date=now,
                    reason=_("From pool %s") % source.display_name)
        return True

    @api.multi
    def action_pool_freeze(self, until, reason):
        """Freeze (冻结) owned records until ``until`` (a datetime string)."""
        user = self.env.user
        if not reason or not str(reason).strip():
            raise UserError(_("Please give a reason for the freeze."))
        until_dt = self._pool_parse_datetime(until)
        now_dt = datetime.utcnow()
        if not until_dt or until_dt <= now_dt:
            raise UserError(_("A freeze must end in the future."))
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            for record in self:
                record._pool_check_in_pool()
                # sudo: the state, the owner and the pool's freeze policy are
                # read to check the user's rights and limits right below; the
                # frozen count covers the owner's records the user may not see.
                sudo_record = record.sudo()
                pool = sudo_record.pool_id
                is_manager = pool._is_manager(user)
                if sudo_record.pool_state != 'owned':
                    raise UserError(_("Only an owned record can be frozen; "
                                      "%(name)s is not.")
                                    % record._pool_msg_args())
                if sudo_record.user_id != user and not is_manager:
                    raise UserError(_("Only the owner or a manager of pool "
                                      "%(pool)s may freeze %(name)s.")
                                    % record._pool_msg_args())
                limit = deadline_policy.freeze_limit(now_dt,
                                                     pool.max_freeze_days)
                if limit and until_dt > limit:
                    raise UserError(_(
                        "A freeze in pool %(pool)s may last at most %(days)s "
                        "days (until %(limit)s).") % {
                        'pool': pool.display_name,
                        'days': pool.max_freeze_days,
                        'limit': self._pool_format_date(limit)})
                if pool.max_frozen_per_user:
                    # one owner's freezes queue up on their membership row:
                    # a concurrent freeze committed after our snapshot makes
                    # this fail with a serialization error, and the request
                    # is retried on a fresh snapshot that counts it
                    self.env.cr.execute(
                        'UPDATE crm_pool_member SET user_id = user_id '
                        'WHERE pool_id = %s AND user_id = %s',
                        (pool.id, sudo_record.user_id.id),
                        log_exceptions=False)
                    frozen = sudo_record.search_count([
                        ('pool_id', '=', pool.id),
                        ('user_id', '=', sudo_record.user_id.id),
                        '|', ('pool_state', '=', 'frozen'),
                        ('pool_freeze_pending', '=', True)])
                    if frozen >= pool.max_frozen_per_user:
                        raise UserError(_(
                            "%(user)s already has %(count)s of %(max)s frozen "
                            "%(what)s allowed in pool %(pool)s.") % {
                            'user': sudo_record.user_id.display_name,
                            'count': frozen,
                            'max': pool.max_frozen_per_user,
                            'what': record._pool_label(plural=True),
                            'pool': pool.display_name})
                vals = {
                    'pool_freeze_until': fields.Datetime.to_string(until_dt),
                    'pool_freeze_reason': reason,
                }
                if pool.freeze_needs_approval and not is_manager:
                    vals['pool_freeze_pending'] = True
                    record._pool_write(vals)
                    record._pool_log('freeze_request', reason=reason)
                    record._pool_notify_freeze_request()
                else:
                    vals.update(pool_state='frozen', pool_freeze_pending=False)
                    record._pool_write(vals)
                    record._pool_log('freeze', reason=reason)
        return True

    @api.multi
    def action_pool_freeze_approve(self):
        """A pool manager approves pending freeze requests."""
        user = self.env.user
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            for record in self:
                record._pool_check_in_pool()
                # sudo: the pool's managers and the pending request are read;
                # only a manager of the record's pool gets past the check.
                sudo_record = record.sudo()
                if not sudo_record.pool_id._is_manager(user):
                    raise UserError(_("Only the managers of pool %(pool)s may "
                                      "approve a freeze.")
                                    % record._pool_msg_args())
                if not sudo_record.pool_freeze_pending:
                    raise UserError(_("No freeze of %(name)s awaits approval.")
                                    % record._pool_msg_args())
                until = fields.Datetime.from_string(
                    sudo_record.pool_freeze_until)
                if until and until <= datetime.utcnow():
                    raise UserError(_(
                        "The freeze requested for %(name)s ended on %(date)s; "
                        "it can no longer be approved.") % dict(
                        record._pool_msg_args(),
                        date=self._pool_format_date(until)))
                record._pool_write({'pool_state': 'frozen',
                                    'pool_freeze_pending': False})
                record._pool_log(
                    'freeze', reason=sudo_record.pool_freeze_reason)
        return True

    @api.multi
    def action_pool_unfreeze(self):
        """Unfreeze records (owner or manager); the deadline clocks restart."""
        user = self.env.user
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            frozen_ids = set()
            for record in self:
                record._pool_check_in_pool()
                # sudo: the state, the owner and the pool's managers are read
                # to check right below that the user is the owner or a manager.
                sudo_record = record.sudo()
                if sudo_record.pool_state != 'frozen' \
                        and not sudo_record.pool_freeze_pending:
                    raise UserError(_("%(name)s is not frozen.")
                                    % record._pool_msg_args())
                if sudo_record.user_id != user and \
                        not sudo_record.pool_id._is_manager(user):
                    raise UserError(_("Only the owner or a manager of pool "
                                      "%(pool)s may unfreeze %(name)s.")
                                    % record._pool_msg_args())
                if sudo_record.pool_state == 'frozen':
                    frozen_ids.add(record.id)
            for record in self:
                if record.id in frozen_ids:
                    record._pool_write(record._pool_unfreeze_values())
                    record._pool_log('unfreeze')
                else:
                    # a request withdrawn before approval: the record was
                    # never frozen, its reclaim clocks keep running
                    record._pool_write(dict(deadline_policy.FREEZE_CLEAR))
                    record._pool_log('freeze_withdrawn')
        return True

    # ------------------------------------------------------------------
    # Helpers of the actions
    # ------------------------------------------------------------------
    def _pool_parse_datetime(self, value):
        if not value:
            return None
        if isinstance(value, datetime):
            return value
        try:
            if len(value) <= 10:
                return datetime.combine(fields.Date.from_string(value),
                                        time(23, 59, 59))
            return fields.Datetime.from_string(value)
        except (TypeError, ValueError):
            raise UserError(_("%s is not a valid date.") % value)

    def _pool_parse_reason(self, reason):
        Reason = self.env['crm.pool.release.reason']
        if isinstance(reason, models.BaseModel):
            return reason, reason.name
        if isinstance(reason, int) and not isinstance(reason, bool):
            rec = Reason.browse(reason).exists()
            if not rec:
                raise UserError(_("Unknown release reason."))
            return rec, rec.name
        text = (reason or '').strip() if isinstance(reason, str) else ''
        return Reason, text

    def _pool_unfreeze_values(self):
        """Values that end a freeze; the deadline clocks restart now."""
        now = fields.Datetime.now()
        return {
            'pool_state': 'owned' if self.user_id else 'pool',
            **deadline_policy.FREEZE_CLEAR,
            'pool_date_claimed': now if self.user_id else False,
            'pool_date_followup': now if self.user_id else False,
        }

    def _pool_notify_freeze_request(self):
        """Ask the pool's first manager to approve the freeze."""
        # sudo: the requester may neither read the pool's managers nor create
        # an activity for someone else; only this approval to-do is created.
        sudo_self = self.sudo()
        manager = sudo_self.pool_id.manager_ids[:1]
        if not manager:
            return
        sudo_self._pool_schedule_freeze_activity(manager)

    def _pool_schedule_freeze_activity(self, manager):
        self.ensure_one()
        self.env['mail.activity'].create({
            'res_model_id': self.env['ir.model']._get_id(self._name),
            'res_id': self.id,
            'activity_type_id': self.env.ref('mail.mail_activity_data_todo').id,
            'summary': _("Approve the freeze until %s")
            % self.pool_freeze_until,
            'note': self.pool_freeze_reason,
            'user_id': manager.id,
        })

    def _pool_activity_type(self, method):
        xmlid = {
            'call': 'mail.mail_activity_data_call',
            'email': 'mail.mail_activity_data_email',
            'meeting': 'mail.mail_activity_data_meeting',
        }.get(method, 'mail.mail_activity_data_todo')
        return self.env.ref(xmlid)

    def _pool_touch_followup(self, when=None):
        """Record a real follow-up: moves the idle clock of owned records."""
        records = self.filtered('pool_id')
        if records:
            # sudo: bookkeeping of a follow-up the user was allowed to make.
            records.sudo().with_context(
                crm_pool_internal=POOL_INTERNAL, mail_notrack=True).write(
                {'pool_date_followup': when or fields.Datetime.now()})

    def _pool_on_message(self, message):
        """Customer emails count as real follow-ups; notes do not."""
        if message.message_type != 'email':
            return
        author = message.author_id
        if author and author.user_ids.filtered(lambda u: not u.share):
            return
        self._pool_touch_followup(message.date)
