"""The claim engine: claims and assignments, atomic in the database.

``_pool_take`` gives records to a user in four steps: cheap checks on the
snapshot, the membership row locked per (pool, user) with the quota and
daily limit checked under it, the records' rows locked and checked again,
then one write, one history row and one chatter entry per record.
"""
from datetime import datetime, time

import pytz

from odoo import _, fields, models, tools
from odoo.exceptions import UserError

from ..policy import deadline as deadline_policy
from .crm_pool_internal import POOL_INTERNAL


class CrmPoolClaimMixin(models.AbstractModel):
    _name = 'crm.pool.claim.mixin'
    _description = 'Claims and Assignments'

    # ------------------------------------------------------------------
    # The claim engine
    # ------------------------------------------------------------------
    def _pool_take(self, user, action):
        """Give the records to ``user`` by claim or assignment, atomically.

        Order of locks (always the same, so no deadlock): the membership rows
        of (pool, user), by pool id, then the records' rows, by id. Every
        claim updates the membership row, so two claims by one user queue up
        and the second one counts the first one's records.
        """
        records = self.sorted('id')
        # sudo: the pools' policy, members and managers are read to check the
        # user's rights; the records' owners come from the raw rows below.
        sudo_records = records.sudo()
        pool_of = {record.id: record.pool_id for record in sudo_records}
        # 1. cheap checks on the snapshot, without locks
        current = records._pool_current_rows()
        members = self._pool_memberships(
            [row['pool_id'] for row in current.values() if row['pool_id']],
            user)
        for record in records:
            record._pool_take_check_record(
                user, action, current[record.id], pool_of[record.id], members)
        if action == 'claim':
            records._pool_check_cooldown(user)
        # 2. serialise per (pool, user), then check quota and daily limit
        now = fields.Datetime.now()
        for pool in sudo_records.mapped('pool_id').sorted('id'):
            count = len(records.filtered(lambda r: pool_of[r.id] == pool))
            self._pool_take_check_limits(user, action, pool, members[pool.id],
                                         count, now)
        # 3. lock the records and check again on the locked rows
        records._pool_lock_rows()
        current = records._pool_current_rows()
        records._pool_take_check_locked(action, current, pool_of)
        records._pool_check_duplicates_on_claim(user, pool_of)
        # 4. write and log
        records._pool_take_write(user, action, current, now)
        return True

    def _pool_take_check_record(self, user, action, row, pool, members):
        """Step 1 of :meth:`_pool_take` for one record: may ``user`` get it,
        judged on the snapshot ``row`` (raw owner and pool) without locks.
        ``pool``: the record's pool (sudo); ``members``: the memberships of
        ``user`` (see :meth:`_pool_memberships`)."""
        self.ensure_one()
        actor = self.env.user
        self._pool_check_in_pool()
        self._pool_check_not_invalid(row)
        if action == 'claim':
            if row['user_id'] == user.id:
                raise UserError(_("You already own %(name)s.")
                                % self._pool_msg_args())
            if row['user_id']:
                raise UserError(_("This %(what)s has already been claimed "
                                  "by another user.")
                                % self._pool_msg_args())
        else:
            if not pool._is_manager(actor):
                raise UserError(_("Only the managers of pool %(pool)s may "
                                  "assign its records.")
                                % self._pool_msg_args())
            if row['user_id'] == user.id:
                raise UserError(_("%(user)s already owns %(name)s.") % dict(
                    self._pool_msg_args(), user=user.display_name))
        if pool.id not in members:
            if user == actor:
                raise UserError(_("You are not a member of pool %(pool)s.")
                                % self._pool_msg_args())
            raise UserError(_("%(user)s is not a member of pool %(pool)s.")
                            % dict(self._pool_msg_args(),
                                   user=user.display_name))

    def _pool_take_check_limits(self, user, action, pool, member, count, now):
        """Step 2 of :meth:`_pool_take` for one pool: serialise on the
        membership row of (``pool``, ``user``), then check that ``count``
        more records keep ``user`` within the quota and the daily limit.
        ``member``: (membership id, membership quota)."""
        member_id, member_quota = member
        # A concurrent claim of this member committed after our snapshot
        # makes this fail with a serialization error: the request is then
        # retried on a fresh snapshot (not an error worth logging).
        self.env.cr.execute(
            'UPDATE crm_pool_member SET last_claim_date = %s WHERE id = %s',
            (now, member_id), log_exceptions=False)
        # the member's own quota, else the pool's (crm.pool
        # _effective_quota, without reading every membership)
        quota = member_quota or pool.quota
        force = action == 'assign' and self.env.context.get('pool_force_quota')
        if quota and not force:
            owned = self._pool_count_owned(pool, user)
            if owned + count > quota:
                if user == self.env.user:
                    msg = _("You own %(owned)s of %(quota)s %(what)s "
                            "allowed in pool %(pool)s.")
                else:
                    msg = _("%(user)s owns %(owned)s of %(quota)s "
                            "%(what)s allowed in pool %(pool)s.")
                raise UserError(msg % {
                    'owned': owned, 'quota': quota, 'user': user.name,
                    'what': self._pool_label(plural=True),
                    'pool': pool.display_name})
        if action == 'claim' and pool.daily_claim_limit:
            today = self._pool_count_claims_today(pool, user)
            if today + count > pool.daily_claim_limit:
                raise UserError(_(
                    "You have claimed %(count)s %(what)s today in pool "
                    "%(pool)s; the daily limit is %(limit)s.") % {
                    'count': today, 'limit': pool.daily_claim_limit,
                    'what': self._pool_label(plural=True),
                    'pool': pool.display_name})

    def _pool_take_check_locked(self, action, current, pool_of):
        """Step 3 of :meth:`_pool_take`: the rows, now locked, still are in
        the pool read at step 1 and, for a claim, still unowned."""
        for record in self:
            row = current[record.id]
            if row['pool_id'] != pool_of[record.id].id:
                raise UserError(_("%(name)s was moved to another pool "
                                  "meanwhile.") % record._pool_msg_args())
            if action == 'claim' and row['user_id']:
                raise UserError(_("This %(what)s has already been claimed by "
                                  "another user.") % record._pool_msg_args())
            record._pool_check_not_invalid(row)

    def _pool_take_write(self, user, action, current, now):
        """Step 4 of :meth:`_pool_take`: write the new owner, log it.

        The standard side effects of changing the owner (value tracking,
        auto-subscription, the "assigned to you" email) are replaced by one
        follower subscription and one chatter entry per record, written by
        :meth:`_pool_take_chatter`.
        """
        records = self.with_context(tracking_disable=True,
                                    crm_pool_owner_values=POOL_INTERNAL)
        for record in records:
            previous = self.env['res.users'].browse(
                current[record.id]['user_id'] or [])
            vals = {
                'user_id': user.id,
                'pool_state': 'owned',
                'pool_date_claimed': now,
            }
            if current[record.id]['pool_state'] == 'frozen' \
                    or current[record.id]['pool_freeze_pending']:
                vals.update(deadline_policy.FREEZE_CLEAR)
            vals.update(record._pool_owner_values(user))
            record._pool_write(vals)
            record._pool_log(action, from_user=previous, to_user=user,
                             date=now)
            record._pool_take_chatter(action, previous, user)

    def _pool_owner_values(self, user):
        """Values that follow the owner (e.g. the sales team of a lead),
        written in the same write as the owner during a claim or an
        assignment (context key ``crm_pool_owner_values``)."""
        return {}

    def _pool_take_chatter(self, action, previous, user):
        """The new owner follows the record; one note says who took it.

        Stands for the mail tracking and auto-subscription of ``user_id``,
        disabled during the claim: the owner's partner is subscribed once
        (default subtypes) and a single note carries the salesperson's
        tracking value. Followers of notes are notified as usual.
        """
        self.ensure_one()
        actor = self.env.user
        # sudo: the record's name for the chatter entry, on a record the
        # claim or assignment checks already allowed.
        record_name = self.sudo().display_name
        # sudo: the follower row and the chatter entry of a claim or an
        # assignment that passed its checks; the actor may lack the write
        # right on the record (author = actor, default subtypes).
        Followers = self.env['mail.followers'].sudo()
        if action == 'claim':
            body = _("Claimed from the public pool by %s.") % user.name
        else:
            body = _("Assigned to %(user)s by %(actor)s.") % {
                'user': user.name, 'actor': actor.name}
        note = self.env['mail.message.subtype'].browse(
            self.env['ir.model.data'].xmlid_to_res_id('mail.mt_note'))
        # sudo: see above; the note is logged without the standard
        # notification pass, done right below only when someone follows notes.
        message = self.env['mail.message'].sudo().with_context(
            message_create_from_mail_mail=True).create({
                'model': self._name,
                'res_id': self.id,
                'record_name': record_name,
                'body': body,
                'message_type': 'notification',
                'subtype_id': note.id,
                'author_id': actor.partner_id.id,
                'email_from': tools.formataddr((actor.name, actor.email))
                if actor.email else False,
            })
        tracking = self.env['mail.tracking.value'].create_tracking_values(
            previous, user, 'user_id',
            {'string': self._fields['user_id'].get_description(
                self.env)['string'], 'type': 'many2one'})
        if tracking:
            tracking['mail_message_id'] = message.id
            # sudo: same tracking row mail.message.create writes as superuser
            self.env['mail.tracking.value'].sudo().create(tracking)
        if user.partner_id.active:
            new_followers = Followers._add_follower_command(
                self._name, self.ids, {user.partner_id.id: None}, {},
                force=False)[0]
            for command in new_followers:
                if command[0] == 0:
                    Followers.create(dict(command[2], res_id=self.id))
            if action == 'assign' and user != actor \
                    and user.notification_type == 'email':
                # the standard "you have been assigned" email of the assignee
                # (a claimer needs none: they assigned themselves)
                notifier = self
                if not self.check_access_rights('write',
                                                raise_exception=False):
                    # sudo: like _pool_write, only when the manager lacks
                    # the model's write right; the assignment was checked.
                    notifier = self.sudo()
                notifier._message_auto_subscribe_notify([user.partner_id.id])
        if Followers.search_count([
                ('res_model', '=', self._name), ('res_id', '=', self.id),
                ('subtype_ids', 'in', note.id),
                ('partner_id', '!=', actor.partner_id.id)]):
            message._notify()

    def _pool_current_rows(self):
        """Owner and pool straight from the table (no cache, no masking)."""
        if not self.ids:
            return {}
        self.env.cr.execute(
            'SELECT id, user_id, pool_id, pool_state, pool_freeze_pending '
            'FROM "%s" WHERE id IN %%s' % self._table, (tuple(self.ids),))
        return {row[0]: {'user_id': row[1], 'pool_id': row[2],
                         'pool_state': row[3], 'pool_freeze_pending': row[4]}
                for row in self.env.cr.fetchall()}

    def _pool_memberships(self, pool_ids, user):
        """{pool id: (membership id, membership quota)} of the active
        memberships of ``user`` in the pools, in one query."""
        if not pool_ids:
            return {}
        self.env.cr.execute("""
            SELECT pool_id, id, quota FROM crm_pool_member
            WHERE pool_id IN %s AND user_id = %s AND active
            ORDER BY id
        """, (tuple(set(pool_ids)), user.id))
        members = {}
        for pool_id, member_id, quota in self.env.cr.fetchall():
            members.setdefault(pool_id, (member_id, quota))
        return members

    def _pool_count_owned(self, pool, user):
        self.env.cr.execute(
            'SELECT count(*) FROM "%s" WHERE pool_id = %%s AND user_id = %%s'
            % self._table, (pool.id, user.id))
        return self.env.cr.fetchone()[0]

    def _pool_day_start(self, user):
        """Start of the user's current day, as a naive UTC datetime."""
        tz = pytz.timezone(user.tz or 'UTC')
        local_now = pytz.utc.localize(datetime.utcnow()).astimezone(tz)
        start = tz.localize(datetime.combine(local_now.date(), time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    def _pool_count_claims_today(self, pool, user):
        self.env.cr.execute("""
            SELECT count(*) FROM crm_pool_log
            WHERE pool_id = %s AND to_user_id = %s AND actor_id = %s
              AND action = 'claim' AND res_model = %s AND date >= %s
        """, (pool.id, user.id, user.id, self._name,
              fields.Datetime.to_string(self._pool_day_start(user))))
        return self.env.cr.fetchone()[0]

    def _pool_check_cooldown(self, user):
        """A previous owner may not claim again within the cooldown."""
        for record in self:
            # sudo: only the pool's cooldown setting is read.
            days = record.sudo().pool_id.cooldown_days
            if not days:
                continue
            self.env.cr.execute("""
                SELECT max(date) FROM crm_pool_log
                WHERE res_model = %s AND res_id = %s AND from_user_id = %s
                  AND action IN ('release', 'reclaim', 'transfer', 'assign')
            """, (self._name, record.id, user.id))
            released = fields.Datetime.from_string(
                self.env.cr.fetchone()[0])
            end = deadline_policy.cooldown_end(released, days)
            if end and end > datetime.utcnow():
                raise UserError(_(
                    "You released this %(what)s on %(released)s; you may "
                    "claim it again from %(allowed)s.") % dict(
                    record._pool_msg_args(),
                    released=self._pool_format_date(released),
                    allowed=self._pool_format_date(end)))
