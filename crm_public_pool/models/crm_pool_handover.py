"""Handover (交接): every record a salesperson owns in a pool goes back to
the pool or to a named successor, set-based, with their open activities and
one history row per record (action 'handover')."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..policy import handover as handover_policy

HANDOVER_MODES = [
    ('pool', 'Back to the pool'),
    ('manager', 'To the pool manager'),
]


# crm.pool is extended once per concern on purpose (one file each).
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    _inherit = 'crm.pool'

    handover = fields.Selection(
        selection=HANDOVER_MODES,
        string='When a Salesperson Leaves',
        required=True,
        default='pool',
        help="Where the records of an archived salesperson go: back to the "
             "pool, or to the pool's first manager.",
    )

    @api.multi
    def action_pool_handover(self, from_user_id, to_user_id=False,
                             force=False):
        """Hand over (交接) every record ``from_user_id`` owns in these pools
        to ``to_user_id`` (a member; quota applies unless a manager passes
        ``force``) or, without successor, back to the pools.

        Returns the number of records moved.
        """
        Users = self.env['res.users'].with_context(active_test=False)
        from_user = Users.browse(_user_id(from_user_id)).exists()
        if not from_user:
            raise UserError(_("Choose the salesperson whose records are "
                              "handed over."))
        to_user = Users.browse(_user_id(to_user_id)).exists() \
            if to_user_id else Users
        if to_user_id and not to_user:
            raise UserError(_("The successor does not exist."))
        if to_user and not to_user.active:
            raise UserError(_("%s is archived: choose an active successor.")
                            % to_user.name)
        if to_user == from_user:
            raise UserError(_("Hand the records over to somebody else."))
        moved = 0
        with self.env.cr.savepoint():
            for pool in self:
                if not pool._is_manager(self.env.user):
                    raise UserError(_("Only the managers of pool %s may hand "
                                      "over its records.") % pool.display_name)
                moved += pool._pool_handover(from_user, to_user, force=force)
        return moved

    def _pool_handover(self, from_user, to_user, force=False, member=True):
        """The handover of one pool, checks then SQL (no access check:
        callers check the actor). ``member``: the successor must be a
        member of the pool (not for the pool's own manager)."""
        self.ensure_one()
        # sudo: the pool's records are moved by SQL after the checks; the
        # policy settings are read whoever runs it (a user being archived).
        pool = self.sudo()
        Records = self.env[pool.res_model]
        count = pool._pool_handover_count(Records, from_user)
        if not count:
            return 0
        if to_user:
            pool._pool_handover_check_successor(
                Records, to_user, count, force=force, member=member)
        now = fields.Datetime.now()
        moved = handover_policy.move(
            self.env.cr, Records._table, pool.res_model, {
                'pool_id': pool.id,
                'company_id': pool.company_id.id,
                'from_user_id': from_user.id,
                'to_user_id': to_user.id or None,
                'activity_user_id': (to_user or pool.manager_ids[:1]).id
                or None,
                'actor_id': self.env.uid,
                'now': now,
                'idle_days': pool.idle_days,
                'nodeal_days': pool.nodeal_days,
            }, won_sql=Records._pool_won_sql())
        Records.invalidate_cache()
        self.env['mail.activity'].invalidate_cache()
        pool.message_post(body=_(
            "Handover: %(count)s %(what)s of %(from)s %(to)s.") % {
            'count': moved,
            'what': Records._pool_label(plural=True),
            'from': from_user.name,
            'to': _("to %s") % to_user.name if to_user
            else _("back to the pool")})
        return moved

    def _pool_handover_count(self, Records, from_user):
        self.env.cr.execute(
            'SELECT count(*) FROM "%s" WHERE pool_id = %%s AND user_id = %%s '
            "AND pool_state IN ('owned', 'frozen')" % Records._table,
            (self.id, from_user.id))
        return self.env.cr.fetchone()[0]

    def _pool_handover_check_successor(self, Records, to_user, count,
                                       force=False, member=True):
        members = Records._pool_memberships([self.id], to_user)
        if member and self.id not in members:
            raise UserError(_("%(user)s is not a member of pool %(pool)s.")
                            % {'user': to_user.name,
                               'pool': self.display_name})
        if self.id in members:
            # serialise with the successor's claims (see _pool_take)
            self.env.cr.execute(
                'UPDATE crm_pool_member SET last_claim_date = %s '
                'WHERE id = %s', (fields.Datetime.now(), members[self.id][0]),
                log_exceptions=False)
        quota = (members.get(self.id, (None, 0))[1]) or self.quota
        if quota and not force:
            owned = Records._pool_count_owned(self, to_user)
            if owned + count > quota:
                raise UserError(_(
                    "%(user)s owns %(owned)s of %(quota)s %(what)s allowed in "
                    "pool %(pool)s and cannot take %(count)s more.") % {
                    'user': to_user.name, 'owned': owned, 'quota': quota,
                    'count': count, 'what': Records._pool_label(plural=True),
                    'pool': self.display_name})

    @api.model
    def _pool_handover_leaver(self, users):
        """Archived salespeople: each pool where they own records applies its
        ``handover`` setting (run as superuser by res.users.write)."""
        pools = self.with_context(active_test=False).search([])
        for user in users:
            for pool in pools:
                manager = pool.manager_ids.filtered(
                    lambda u, user=user: u.active and u != user)[:1]
                if pool.handover == 'manager' and manager:
                    pool._pool_handover(user, manager, force=True,
                                        member=False)
                else:
                    pool._pool_handover(user, self.env['res.users'])


def _user_id(value):
    return value.id if isinstance(value, models.BaseModel) else value
