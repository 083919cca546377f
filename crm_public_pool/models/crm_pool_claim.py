"""The claim engine: claims and assignments, atomic in the database.

``_pool_take`` gives records to a user in a handful of statements whatever
their number: one snapshot of the records with their pool's policy, the
user's membership and what the owner's values need (checked without locks),
the membership row updated (it serialises the claims of one user) returning
the counts the quota and the daily limit are checked on, one conditional
UPDATE of the records (it locks them and writes the owner, the deadline and
the owner's values) that inserts their history rows in the same statement,
and one insert of the chatter notes with their tracking values and the
owner's follower rows.
"""
from datetime import datetime, time

import pytz

from odoo import SUPERUSER_ID, _, fields, models, tools
from odoo.exceptions import UserError

from ..policy import deadline as deadline_policy
from ..policy import history as history_policy
from ..policy.claim import NOTES_SQL

# The actions after which a previous owner waits for the cooldown
COOLDOWN_ACTIONS = ('release', 'reclaim', 'transfer', 'assign')


class CrmPoolClaimMixin(models.AbstractModel):
    _name = 'crm.pool.claim.mixin'
    _description = 'Claims and Assignments'

    # ------------------------------------------------------------------
    # The claim engine
    # ------------------------------------------------------------------
    def _pool_take(self, user, action):
        """Give the records to ``user`` by claim or assignment, atomically.

        Order of locks (always the same, so no deadlock): the membership rows
        of (pool, user), by pool id, then the records' rows. Every claim
        updates the membership row, so two claims by one user queue up and
        the second one (retried on a fresh snapshot after the serialization
        failure) counts the first one's records.
        """
        if not self:
            return True
        records = self.sorted('id')
        rows = records._pool_take_rows(user)
        # sudo: the pools' managers and names, read for the checks and the
        # refusal messages only (their policy comes with the rows).
        pools = self.env['crm.pool'].sudo()
        pool_of = {rid: pools.browse(row['pool_id'] or [])
                   for rid, row in rows.items()}
        # 1. checks on the snapshot, without locks
        for record in records:
            record._pool_take_check_record(user, action, rows[record.id],
                                           pool_of[record.id])
        if action == 'claim':
            records._pool_check_cooldown(user, rows)
        # 2. serialise per (pool, user), then check quota and daily limit
        now = fields.Datetime.now()
        for pool_id in sorted({row['pool_id'] for row in rows.values()}):
            pool_rows = [row for row in rows.values()
                         if row['pool_id'] == pool_id]
            self._pool_take_check_limits(user, action, pool_of[pool_rows[0][
                'id']], pool_rows[0], len(pool_rows), now)
        # 3. one conditional UPDATE locks and writes the records
        records._pool_take_update(user, action, rows, now)
        checked = records.filtered(
            lambda r: rows[r.id]['duplicate_check'] != 'none')
        if checked:
            checked._pool_check_duplicates_on_claim(user, pool_of)
        # 4. chatter, set-based (the history came with the UPDATE)
        records._pool_take_chatter(action, rows, user)
        return True

    def _pool_take_rows(self, user):
        """{record id: row}: the raw owner, pool and state of the records
        (no cache, no masking), their pool's policy, the active membership
        of ``user`` in it, the names the chatter needs (previous owner,
        actor, new owner) and the columns of :meth:`_pool_take_owner_columns`,
        in one query."""
        if not self.ids:
            return {}
        extra, params = self._pool_take_owner_columns()
        params.update(uid=user.id, actor=self.env.uid, ids=tuple(self.ids))
        self.env.cr.execute("""
            SELECT t.id, t.user_id, t.pool_id, t.pool_state,
                   t.pool_freeze_pending, {name}, p.company_id, p.quota,
                   p.daily_claim_limit, p.cooldown_days, p.duplicate_check,
                   m.id, m.quota, prev.name, who.*
              FROM "{table}" t
              LEFT JOIN crm_pool p ON p.id = t.pool_id
              LEFT JOIN LATERAL (
                   SELECT id, quota FROM crm_pool_member
                    WHERE pool_id = t.pool_id AND user_id = %(uid)s AND active
                    ORDER BY id LIMIT 1) m ON TRUE
              LEFT JOIN res_users pu ON pu.id = t.user_id
              LEFT JOIN res_partner prev ON prev.id = pu.partner_id
             CROSS JOIN (
                   SELECT ap.id, ap.name, ap.email, op.id, op.name, op.active
                          {extra}
                     FROM res_users au
                     JOIN res_partner ap ON ap.id = au.partner_id,
                          res_users ou
                     JOIN res_partner op ON op.id = ou.partner_id
                    WHERE au.id = %(actor)s AND ou.id = %(uid)s) who
             WHERE t.id IN %(ids)s
        """.format(table=self._table, name=self._pool_take_name_sql(),
                   extra=''.join(', ' + sql for _key, sql in extra)), params)
        keys = ('id', 'user_id', 'pool_id', 'pool_state',
                'pool_freeze_pending', 'name', 'company_id', 'pool_quota',
                'daily_claim_limit', 'cooldown_days', 'duplicate_check',
                'member_id', 'member_quota', 'previous_name',
                'actor_partner_id', 'actor_name', 'actor_email',
                'owner_partner_id', 'owner_name', 'owner_partner_active') \
            + tuple(key for key, _sql in extra)
        return {row[0]: dict(zip(keys, row))
                for row in self.env.cr.fetchall()}

    def _pool_take_owner_columns(self):
        """What :meth:`_pool_take_owner_sql` needs to know of the new owner,
        read with the snapshot: ``([(key, SQL)], params)``, each SQL an
        expression on the new owner's ``res_users`` row (alias ``ou``, id
        ``%(uid)s``) with named parameters, its value in each row under
        ``key``."""
        return [], {}

    def _pool_take_name_sql(self):
        """The record's name in the history and the chatter (alias ``t``):
        the stored display name when there is one, else the name."""
        if self._fields['display_name'].store:
            return 't.display_name'
        return 't."%s"' % self._rec_name

    def _pool_take_check_record(self, user, action, row, pool):
        """Step 1 of :meth:`_pool_take` for one record: may ``user`` get it,
        judged on the snapshot ``row`` (see :meth:`_pool_take_rows`) without
        locks. ``pool``: the record's pool (sudo)."""
        self.ensure_one()
        actor = self.env.user
        if not row['pool_id']:
            raise UserError(_("%(name)s is not in a public pool.")
                            % self._pool_msg_args())
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
        if not row['member_id']:
            if user == actor:
                raise UserError(_("You are not a member of pool %(pool)s.")
                                % self._pool_msg_args())
            raise UserError(_("%(user)s is not a member of pool %(pool)s.")
                            % dict(self._pool_msg_args(),
                                   user=user.display_name))

    def _pool_take_check_limits(self, user, action, pool, row, count, now):
        """Step 2 of :meth:`_pool_take` for one pool: serialise on the
        membership row of (``pool``, ``user``), then check that ``count``
        more records keep ``user`` within the quota and the daily limit.
        ``row``: the snapshot row of one of the records (the pool's policy
        and the membership)."""
        # the member's own quota, else the pool's (crm.pool
        # _effective_quota, without reading every membership)
        quota = row['member_quota'] or row['pool_quota']
        force = action == 'assign' and self.env.context.get('pool_force_quota')
        check_quota = bool(quota and not force)
        daily = row['daily_claim_limit'] if action == 'claim' else 0
        counts, params = [], {'now': now, 'member': row['member_id'],
                              'pool': row['pool_id'], 'uid': user.id,
                              'model': self._name}
        if check_quota:
            counts.append('(SELECT count(*) FROM "%s" WHERE pool_id = '
                          '%%(pool)s AND user_id = %%(uid)s)' % self._table)
        if daily:
            counts.append("""(SELECT count(*) FROM crm_pool_log
                WHERE pool_id = %(pool)s AND to_user_id = %(uid)s
                  AND actor_id = %(uid)s AND action = 'claim'
                  AND res_model = %(model)s AND date >= %(day)s)""")
            params['day'] = fields.Datetime.to_string(
                self._pool_day_start(user))
        # A concurrent claim of this member committed after our snapshot
        # makes this fail with a serialization error: the request is then
        # retried on a fresh snapshot (not an error worth logging). The
        # counts are read on the same snapshot as the checks of step 1.
        self.env.cr.execute(
            'UPDATE crm_pool_member SET last_claim_date = %%(now)s '
            'WHERE id = %%(member)s RETURNING %s'
            % ', '.join(counts or ['id']), params, log_exceptions=False)
        result = list(self.env.cr.fetchone())
        if check_quota:
            owned = result.pop(0)
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
        if daily and result[0] + count > daily:
            raise UserError(_(
                "You have claimed %(count)s %(what)s today in pool "
                "%(pool)s; the daily limit is %(limit)s.") % {
                'count': result[0], 'limit': daily,
                'what': self._pool_label(plural=True),
                'pool': pool.display_name})

    def _pool_take_guard_sql(self, action):
        """SQL conditions (alias ``t``) the conditional UPDATE of a claim or
        an assignment checks on the locked rows, besides the pool read at
        step 1: never an invalid record, and a claim only an unowned one."""
        guards = ["t.pool_state IS DISTINCT FROM 'invalid'"]
        if action == 'claim':
            guards.append('t.user_id IS NULL')
        return guards

    def _pool_take_owner_sql(self, user, rows, now):
        """Columns that follow the owner (e.g. the sales team and the
        assignment date of a lead), set by the claim's UPDATE: a list of
        ``column = SQL`` (alias ``t``, named ``%(...)s`` parameters), the
        parameters and the names of the fields written (stored computed
        fields among them are computed by that SQL too)."""
        return [], {}, []

    def _pool_take_update(self, user, action, rows, now):
        """Step 3 of :meth:`_pool_take`: one statement writes the new owner,
        the claim date, the deadline (SQL twin of ``_compute_pool_deadline``)
        and the owner's values of the records still in the pool read at
        step 1 (and, for a claim, still unowned), without Odoo's write,
        tracking and auto-subscription (see :meth:`_pool_take_chatter`),
        and inserts one history row per record it took."""
        owner_sets, params, owner_fields = self._pool_take_owner_sql(
            user, rows, now)
        frozen = "(t.pool_state = 'frozen' OR t.pool_freeze_pending)"
        sets = ['%s = CASE WHEN %s THEN %s ELSE t.%s END'
                % (name, frozen, value, name)
                for name, value in deadline_policy.FREEZE_COLUMNS]
        query = """
            WITH taken AS (
                UPDATE "{table}" t
                   SET user_id = %(uid)s, pool_state = 'owned',
                       pool_date_claimed = %(now)s,
                       pool_deadline = CASE WHEN NOT ({won})
                                            THEN {deadline} END,
                       {sets}
                       write_uid = %(actor)s,
                       write_date = (now() at time zone 'UTC')
                  FROM crm_pool p,
                       unnest(%(ids)s::int[], %(pools)s::int[],
                              %(names)s::varchar[], %(companies)s::int[],
                              %(previous)s::int[])
                       AS v(id, pool_id, name, company_id, previous)
                 WHERE t.id = v.id AND t.pool_id = v.pool_id
                   AND p.id = v.pool_id
                       {guard}
             RETURNING t.id, v.name, v.pool_id, v.company_id, v.previous
                       {returning}
            ), logged AS (
                {history}
                SELECT %(model)s, id, name, %(action)s, pool_id, company_id,
                       previous, %(uid)s, %(actor)s, NULL, NULL, %(now)s
                  FROM taken ORDER BY id
            )
            SELECT id {owner_columns} FROM taken
        """.format(
            table=self._table, won=self._pool_won_sql(),
            deadline=deadline_policy.deadline_sql(
                '%(now)s::timestamp', 't.pool_date_followup', 'p.idle_days',
                'p.nodeal_days'),
            sets=''.join(s + ', ' for s in sets + owner_sets),
            guard=''.join(' AND ' + g for g in self._pool_take_guard_sql(
                action)),
            history=history_policy.INSERT,
            returning=''.join(', t.%s' % name for name in owner_fields),
            owner_columns=''.join(', %s' % name for name in owner_fields))
        ids = sorted(rows)
        params.update(
            uid=user.id, now=now, actor=self.env.uid, ids=ids,
            model=self._name, action=action,
            pools=[rows[rid]['pool_id'] for rid in ids],
            names=[rows[rid]['name'] for rid in ids],
            companies=[rows[rid]['company_id'] for rid in ids],
            previous=[rows[rid]['user_id'] for rid in ids])
        # Locks the rows; a row a concurrent transaction changed after our
        # snapshot fails with a serialization error (the request is retried).
        self.env.cr.execute(query, params, log_exceptions=False)
        taken = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        written = ['user_id', 'pool_state', 'pool_date_claimed',
                   'pool_deadline', 'write_uid', 'write_date'] + [
            name for name, _value in deadline_policy.FREEZE_COLUMNS
        ] + owner_fields
        self.modified(written)
        for name in written:
            field = self._fields[name]
            if field.compute and field.store:
                self.env.remove_todo(field, self)
        self.invalidate_cache(['pool_log_ids'], self.ids)
        for record in self:
            if record.id not in taken:
                record._pool_take_refuse(action, rows[record.id])
        # The owner's values as written, for the superuser's reads that
        # follow (e.g. the sales team, for the notes' reply-to address).
        # sudo: the cache of the values this statement wrote, nothing read.
        cache, sudo_self = self.env.cache, self.sudo()
        for index, name in enumerate(owner_fields):
            field = self._fields[name]
            for record in sudo_self:
                cache.set(record, field, field.convert_to_cache(
                    taken[record.id][index], record, validate=False))

    def _pool_take_refuse(self, action, row):
        """The conditional UPDATE left this record out: say why, from its
        row as it is now (the savepoint of the action undoes the rest)."""
        self.env.cr.execute(
            'SELECT pool_id, user_id, pool_state FROM "%s" WHERE id = %%s'
            % self._table, (self.id,))
        pool_id, user_id, pool_state = self.env.cr.fetchone()
        self._pool_check_not_invalid({'pool_state': pool_state})
        if pool_id != row['pool_id']:
            raise UserError(_("%(name)s was moved to another pool "
                              "meanwhile.") % self._pool_msg_args())
        if action == 'claim' and user_id:
            raise UserError(_("This %(what)s has already been claimed by "
                              "another user.") % self._pool_msg_args())
        raise UserError(_("%(name)s cannot be given to a salesperson now.")
                        % self._pool_msg_args())

    def _pool_take_chatter(self, action, rows, user):
        """The new owner follows the records; one note per record says who
        took it, in one statement for all of them.

        Stands for the mail tracking and auto-subscription of ``user_id``,
        which the claim's UPDATE skips: the owner's partner is subscribed
        once (default subtypes) and a single note carries the salesperson's
        tracking value (ids and names, as mail.tracking.value stores a
        many2one). Followers of notes are notified as usual.
        """
        actor = self.env.user
        ids = self.ids
        who = rows[ids[0]]
        if action == 'claim':
            body = _("Claimed from the public pool by %s.") % who['owner_name']
        else:
            body = _("Assigned to %(user)s by %(actor)s.") % {
                'user': who['owner_name'], 'actor': who['actor_name']}
        # sudo: the chatter entries and the follower rows of a claim or an
        # assignment that passed its checks; the actor may lack the write
        # right on the records (author = actor, default subtypes).
        Message = self.env['mail.message'].sudo()
        note = self.env['ir.model.data'].xmlid_to_res_id('mail.mt_note')
        email_from = tools.formataddr((who['actor_name'], who['actor_email'])) \
            if who['actor_email'] else False
        # sudo: as above, the reply-to address of the notes (reading only
        # the fields it needs, not every field of the records)
        reply_to = self.sudo().with_context(
            prefetch_fields=False).message_get_reply_to(
                ids, default=email_from)
        subtypes = []
        if who['owner_partner_active']:
            subtypes = self.env['mail.message.subtype'].default_subtypes(
                self._name)[0].ids
        self.env.cr.execute(NOTES_SQL, {
            'model': self._name, 'ids': ids, 'now': fields.Datetime.now(),
            'names': [rows[rid]['name'] for rid in ids],
            'message_ids': [Message._get_message_id(
                {'model': self._name, 'res_id': rid}) for rid in ids],
            'reply_to': [reply_to.get(rid) or None for rid in ids],
            'body': Message._fields['body'].convert_to_column(body, Message),
            'subtype': note, 'author': who['actor_partner_id'],
            'email_from': email_from, 'root': SUPERUSER_ID,
            'field': 'user_id', 'field_desc': self._fields[
                'user_id'].get_description(self.env)['string'],
            'old_ids': [rows[rid]['user_id'] or 0 for rid in ids],
            'old_names': [rows[rid]['previous_name'] or '' for rid in ids],
            'new_id': user.id, 'new_name': who['owner_name'] or '',
            'partner': who['owner_partner_id'], 'subtypes': subtypes,
            'follow': bool(subtypes), 'note_new': note in subtypes,
            'actor_partner': who['actor_partner_id'],
        })
        notified = [row[0] for row in self.env.cr.fetchall() if row[1]]
        self.invalidate_cache(ids=ids)
        Message.invalidate_cache()
        self.env['mail.followers'].invalidate_cache()
        if notified:
            # the standard notification pass, only for notes someone follows
            Message.browse(notified)._notify()
        if action == 'assign' and user != actor \
                and user.notification_type == 'email':
            # the standard "you have been assigned" email of the assignee (a
            # claimer needs none: they assigned themselves)
            notifier = self
            if not self.check_access_rights('write', raise_exception=False):
                # sudo: like _pool_write, only when the manager lacks the
                # model's write right; the assignment was checked.
                notifier = self.sudo()
            notifier._message_auto_subscribe_notify([user.partner_id.id])

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

    def _pool_check_cooldown(self, user, rows):
        """A previous owner may not claim again within the cooldown (one
        query for the records whose pool has one)."""
        cooled = [rid for rid in self.ids if rows[rid]['cooldown_days']]
        if not cooled:
            return
        self.env.cr.execute("""
            SELECT res_id, max(date) FROM crm_pool_log
            WHERE res_model = %s AND res_id IN %s AND from_user_id = %s
              AND action IN %s
            GROUP BY res_id
        """, (self._name, tuple(cooled), user.id, COOLDOWN_ACTIONS))
        released_on = dict(self.env.cr.fetchall())
        for record in self.browse(cooled):
            released = fields.Datetime.from_string(released_on.get(record.id))
            end = deadline_policy.cooldown_end(
                released, rows[record.id]['cooldown_days'])
            if end and end > datetime.utcnow():
                raise UserError(_(
                    "You released this %(what)s on %(released)s; you may "
                    "claim it again from %(allowed)s.") % dict(
                    record._pool_msg_args(),
                    released=self._pool_format_date(released),
                    allowed=self._pool_format_date(end)))
