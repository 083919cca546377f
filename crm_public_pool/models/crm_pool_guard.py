"""Odoo's standard flows on pool records, kept to the owner and the pool's
managers.

Copying, deleting, merging and converting a pool record are for the
record's owner or a manager of its pool; editing it, following it and
writing to its customer from the chatter too, for the users the pool
restricts (salespeople). A salesperson who may only claim an unclaimed
record (and sees its contact data masked) must claim it first; the pool
actions (claim, release, freeze...) have their own checks.
"""
from odoo import _, api, models
from odoo.exceptions import UserError

from .crm_pool_internal import (POOL_CREATING, is_pool_creating,
                                is_pool_internal)


class CrmPoolGuardMixin(models.AbstractModel):
    _name = 'crm.pool.guard.mixin'
    _description = 'Public Pool Standard Flow Guard'

    def _pool_operation_label(self, operation):
        return {
            'write': _("edit"),
            'unlink': _("delete"),
            'copy': _("duplicate"),
            'merge': _("merge"),
            'convert': _("convert"),
            'message': _("send messages about"),
            'follow': _("follow"),
        }.get(operation, operation)

    def _pool_foreign_rows(self):
        """[(id, owner id, pool id)] of the pool records of ``self`` that
        the user neither owns nor manages the pool of."""
        ids = [rid for rid in self.ids if isinstance(rid, int)]
        if not ids or is_pool_internal(self.env) \
                or self.env.user._is_superuser():
            return []
        self.env.cr.execute(
            'SELECT id, user_id, pool_id FROM "%s" '
            'WHERE id IN %%s AND pool_id IS NOT NULL ORDER BY id'
            % self._table, (tuple(ids),))
        rows = [row for row in self.env.cr.fetchall()
                if row[1] != self.env.uid]
        if not rows:
            return []
        user = self.env.user
        # sudo: the pools' managers are read to check that the user is one;
        # nothing read here is returned.
        pools = self.env['crm.pool'].sudo().browse({row[2] for row in rows})
        managed = {pool.id for pool in pools if pool._is_manager(user)}
        return [row for row in rows if row[2] not in managed]

    def _pool_check_owner_or_manager(self, operation):
        """Refuse ``operation`` unless the user owns every pool record of
        ``self`` or manages its pool. Records outside the pools are left to
        Odoo's own access rules.

        Everyday edits (write, follow, message) are kept from the users the
        pool restricts (salespeople); the other users of Odoo who may open
        the record (an accountant on a customer, a "see all leads" team
        leader) edit it as usual. Copying, deleting, merging and converting
        a pool record is for its owner or a pool manager, whoever asks."""
        if operation in ('write', 'follow', 'message') \
                and not self._pool_restricted_user(self.env.user):
            return
        for record_id, owner_id, _pool_id in self._pool_foreign_rows()[:1]:
            record = self.browse(record_id)
            args = record._pool_msg_args()
            args['operation'] = self._pool_operation_label(operation)
            if owner_id:
                raise UserError(_(
                    "Only the owner or a manager of pool %(pool)s may "
                    "%(operation)s %(name)s.") % args)
            raise UserError(_(
                "%(name)s is in public pool %(pool)s: claim it before you "
                "%(operation)s it (only its owner or a manager of the pool "
                "may).") % args)

    def _pool_creating(self, vals):
        """``self`` to create a record with ``vals``: created into a pool,
        it is followed by its owner once claimed (see _pool_take_chatter),
        not by its creator."""
        if vals.get('pool_id') and not is_pool_internal(self.env):
            return self.with_context(mail_create_nosubscribe=True,
                                     crm_pool_creating=POOL_CREATING)
        return self

    def _pool_check_follow(self):
        """A follower gets the customer's emails whole: pool records are
        followed by their owner and the pool's managers (Odoo's own
        subscriptions at creation, e.g. the sales team's, stay)."""
        if not is_pool_creating(self.env):
            self._pool_check_owner_or_manager('follow')

    def _pool_posting(self, args, kwargs):
        """``self`` to post a message with ``args``/``kwargs``, once
        allowed: a note by a salesperson who may only claim the record does
        not make them a follower."""
        self._pool_check_message_post(args, kwargs)
        if self._pool_foreign_rows():
            return self.with_context(mail_create_nosubscribe=True)
        return self

    def _pool_check_message_post(self, args, kwargs):
        """Only internal notes on pool records the user neither owns nor
        manages: a message to the customer or to chosen recipients is for
        the owner (claim first)."""
        message_type = kwargs.get(
            'message_type', args[2] if len(args) > 2 else 'notification')
        subtype = kwargs.get('subtype', args[3] if len(args) > 3 else None)
        subtype_id = kwargs.get('subtype_id')
        Data = self.env['ir.model.data']
        if subtype:
            subtype_id = Data.xmlid_to_res_id(
                subtype if '.' in subtype else 'mail.%s' % subtype)
        comment_id = Data.xmlid_to_res_id('mail.mt_comment')
        if kwargs.get('partner_ids') or subtype_id == comment_id or (
                message_type != 'notification' and subtype_id and subtype_id
                != Data.xmlid_to_res_id('mail.mt_note')):
            # a message to chosen recipients or to the followers (the
            # customer): the owner's to send; notes and the system's own
            # notifications (tracking) stay possible
            self._pool_check_owner_or_manager('message')

    @api.multi
    def copy(self, default=None):
        self._pool_check_owner_or_manager('copy')
        return super(CrmPoolGuardMixin, self).copy(default=default)

    @api.multi
    def copy_data(self, default=None):
        # the values of a copy are the record's real ones
        self._pool_check_owner_or_manager('copy')
        return super(CrmPoolGuardMixin, self).copy_data(default=default)

    @api.multi
    def unlink(self):
        self._pool_check_owner_or_manager('unlink')
        return super(CrmPoolGuardMixin, self).unlink()
