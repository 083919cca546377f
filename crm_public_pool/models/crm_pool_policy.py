import logging
import secrets
import threading

import psycopg2.extensions
from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.tools import html_escape
from odoo.tools.safe_eval import safe_eval

from ..policy import distribution as distribution_policy
from ..policy import ratelimit as ratelimit_policy
from ..policy import reclaim as reclaim_policy
from ..policy import reminder as reminder_policy

_logger = logging.getLogger(__name__)

# Guards of the set-based policies (SQL over alias ``r``): won leads never
# fall back, archived (lost) records are left alone.
POLICY_TARGETS = {
    'crm.lead': ('crm_lead', "r.active AND COALESCE(r.probability, 0) < 100",
                 'priority'),
    'res.partner': ('res_partner', "r.active", None),
}
# Reclaim also clears the reminder bookkeeping of the records it moves.
RESET_REMINDER_SQL = "pool_remind_deadline = NULL, pool_remind_level = 0,"
SUMMARY_NAMES = 5
# Namespace of the advisory locks taken per pool by the distribution.
DISTRIBUTION_LOCK = 480620
REMIND_LOCK = 480621


def _new_token():
    return secrets.token_urlsafe(32)


class CrmPool(models.Model):
    """Scheduled policies, rule preview, distribution and web capture."""

    _inherit = 'crm.pool'

    capture_token = fields.Char(
        copy=False,
        index=True,
        readonly=True,
        groups='crm_public_pool.group_pool_manager',
        default=lambda self: _new_token(),
        help="Secret of the web capture endpoint POST /crm_pool/capture, sent "
             "as 'Authorization: Bearer <token>'.",
    )
    capture_rate_limit = fields.Integer(
        string='Captures per Minute',
        default=60,
        help="Web captures accepted per minute with this pool's token "
             "(bursts up to the same number). 0 turns the limit off.",
    )
    capture_bucket_tokens = fields.Float(
        copy=False,
        readonly=True,
        groups='base.group_system',
        help="Technical: rate limiter state.",
    )
    capture_bucket_date = fields.Datetime(
        copy=False,
        readonly=True,
        groups='base.group_system',
        help="Technical: rate limiter state.",
    )
    distribution_user_id = fields.Many2one(
        comodel_name='res.users',
        string='Last Distributed To',
        copy=False,
        readonly=True,
        help="Round robin pointer: the next record goes to the member after "
             "this one.",
    )
    preview_count = fields.Integer(
        string='Would Return',
        compute='_compute_preview',
        groups='crm_public_pool.group_pool_manager',
        help="Records that would return to the pool at the next reclaim run "
             "with the policy numbers on screen.",
    )
    preview_html = fields.Html(
        string='Rule Preview',
        compute='_compute_preview',
        sanitize=False,
        groups='crm_public_pool.group_pool_manager',
    )

    @api.depends('idle_days', 'nodeal_days', 'res_model')
    def _compute_preview(self):
        for pool in self:
            pool._pool_set_preview(pool.id if isinstance(pool.id, int)
                                   else False)

    @api.onchange('idle_days', 'nodeal_days')
    def _onchange_preview(self):
        """While the form is edited the record is new: preview with the
        numbers on screen over the saved pool's records (``_origin``)."""
        origin = getattr(self, '_origin', None)
        pool_id = origin.id if origin is not None and len(origin) == 1 \
            and isinstance(origin.id, int) else False
        self._pool_set_preview(pool_id)

    def _pool_set_preview(self, pool_id):
        if not pool_id or not self.res_model:
            self.preview_count = 0
            self.preview_html = '<p>%s</p>' % html_escape(_(
                "Save the pool to preview its rules."))
            return
        at = self._pool_next_reclaim_run()
        rows = reclaim_policy.preview(
            self.env.cr, self._pool_target(), pool_id,
            self.idle_days, self.nodeal_days, at)
        self.preview_count = sum(count for _uid, count in rows)
        self.preview_html = self._pool_preview_table(rows, at)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.multi
    def action_regenerate_capture_token(self):
        for pool in self:
            pool.capture_token = _new_token()
            pool.message_post(body=_("A new capture token was generated; "
                                     "the previous one no longer works."),
                              subtype='mail.mt_note')
        return True

    @api.multi
    def action_distribute_now(self):
        """Run the automatic distribution of these pools now."""
        self.check_access_rights('write')
        self.check_access_rule('write')
        # sudo: the manager may edit the pool; the distribution writes
        # records of members they may not see.
        self.sudo()._pool_distribute(commit=False)
        return True

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_reclaim(self, batch_size=1000, max_batches=None, now=None,
                      pool_ids=None):
        """Idle / no-deal reclaim of every pool, set-based, batch by batch.

        Each batch is one statement (select due rows ``FOR UPDATE SKIP
        LOCKED``, move them, insert their history) and one commit: a killed
        run leaves whole batches, two servers never take the same rows. One
        summary message per owner at the end of the run.
        """
        reasons = self._pool_reclaim_reasons()
        commit = self._pool_start_batches()
        now = now or fields.Datetime.now()
        summary = {}
        total = batches = 0
        for res_model in self._pool_models():
            target = self._pool_target(res_model)
            # One indexed query for the due ids (8 bytes each), then chunks
            # re-checked and locked row by row (SKIP LOCKED) by the batches.
            self._pool_begin_batch(commit)
            ids = reclaim_policy.due_ids(self.env.cr, target, now, pool_ids)
            self._pool_end_batch(commit)
            for start in range(0, len(ids), batch_size):
                if max_batches and batches >= max_batches:
                    break
                self._pool_begin_batch(commit)
                rows = reclaim_policy.reclaim_batch(
                    self.env.cr, target, now, SUPERUSER_ID,
                    reasons=reasons, pool_ids=pool_ids,
                    ids=ids[start:start + batch_size],
                    extra_set=RESET_REMINDER_SQL)
                self._pool_end_batch(commit)
                batches += 1
                total += len(rows)
                for rec_id, owner, src, _dst, _kind, name in rows:
                    entry = summary.setdefault(owner, {}).setdefault(
                        (res_model, src), [0, []])
                    entry[0] += 1
                    if len(entry[1]) < SUMMARY_NAMES:
                        entry[1].append(name or '#%s' % rec_id)
            self.env[res_model].invalidate_cache()
        self._pool_post_reclaim_summaries(summary)
        self._pool_end_batch(commit)
        _logger.info("Pool reclaim: %s records returned to their pools", total)
        return total

    @api.model
    def _cron_freeze_expiry(self, batch_size=1000, now=None):
        """Unfreeze records whose freeze ended; their clocks restart.

        Freeze requests still awaiting approval when the freeze they asked
        for has ended are withdrawn (history: *Freeze request lapsed*).
        Returns the number of records unfrozen.
        """
        commit = self._pool_start_batches()
        total = 0
        for res_model in self._pool_models():
            target = self._pool_target(res_model)
            while True:
                self._pool_begin_batch(commit)
                ids = reclaim_policy.freeze_expiry_batch(
                    self.env.cr, target, now or fields.Datetime.now(),
                    SUPERUSER_ID,
                    limit=batch_size, reason=_("Freeze ended"))
                self._pool_end_batch(commit)
                total += len(ids)
                if len(ids) < batch_size:
                    break
            while True:
                self._pool_begin_batch(commit)
                ids = reclaim_policy.freeze_request_lapse_batch(
                    self.env.cr, target, now or fields.Datetime.now(),
                    SUPERUSER_ID, limit=batch_size,
                    reason=_("The freeze ended before it was approved"))
                self._pool_end_batch(commit)
                if len(ids) < batch_size:
                    break
            self.env[res_model].invalidate_cache()
        return total

    @api.model
    def _cron_remind(self, now=None):
        """Deadline reminders: an activity for the owner ``remind_days``
        before; one day before, the pool managers are told too. Each level
        once per deadline."""
        commit = self._pool_start_batches()
        self._pool_begin_batch(commit)
        # One reminder run at a time (two servers): held until the commit.
        self.env.cr.execute('SELECT pg_try_advisory_xact_lock(%s, 0)',
                            (REMIND_LOCK,))
        if not self.env.cr.fetchone()[0]:
            return 0
        now_dt = fields.Datetime.from_string(now) if now else datetime.utcnow()
        horizon = now_dt + timedelta(days=max(self._pool_max_remind_days(), 1))
        sent = 0
        for res_model in self._pool_models():
            target = self._pool_target(res_model)
            rows = reclaim_policy.reminder_candidates(
                self.env.cr, target, now_dt, horizon)
            marks, final = [], {}
            for (rec_id, owner, pool_id, deadline, reminded, level, days,
                 name) in rows:
                deadline = fields.Datetime.from_string(deadline)
                reminded = fields.Datetime.from_string(reminded)
                todo = reminder_policy.to_send(deadline, now_dt, days,
                                               reminded, level)
                if not todo:
                    continue
                already = level if reminded == deadline else 0
                if not already:
                    self._pool_remind_owner(res_model, rec_id, owner, deadline)
                if todo == reminder_policy.LEVEL_FINAL:
                    final.setdefault(pool_id, []).append((rec_id, owner, name,
                                                          deadline))
                marks.append((rec_id, deadline, todo))
            self._pool_remind_managers(res_model, final)
            if marks:
                values = ', '.join(['(%s, %s::timestamp, %s)'] * len(marks))
                self.env.cr.execute(
                    'UPDATE "%s" r SET pool_remind_deadline = v.d, '
                    'pool_remind_level = v.l FROM (VALUES %s) v(id, d, l) '
                    'WHERE r.id = v.id' % (target.table, values),
                    [x for mark in marks for x in mark])
                self.env[res_model].invalidate_cache(
                    ['pool_remind_deadline', 'pool_remind_level'])
            sent += len(marks)
        self._pool_end_batch(commit)
        return sent

    @api.model
    def _cron_distribute(self, batch_size=1000, now=None):
        """Automatic distribution of the pools not distributed manually."""
        pools = self.search([('distribution', '!=', 'manual')])
        return pools._pool_distribute(batch_size=batch_size,
                                      commit=self._pool_start_batches(),
                                      now=now)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
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

    @api.model
    def _pool_reclaim_reasons(self):
        idle = self.env.ref('crm_public_pool.crm_pool_release_reason_idle',
                            raise_if_not_found=False)
        nodeal = self.env.ref(
            'crm_public_pool.crm_pool_release_reason_nodeal',
            raise_if_not_found=False)
        return {
            reclaim_policy.KIND_IDLE: (
                idle.id if idle else None,
                _("No real follow-up for %s days")),
            reclaim_policy.KIND_NODEAL: (
                nodeal.id if nodeal else None,
                _("Not won within %s days of the claim")),
        }

    @api.model
    def _pool_post_reclaim_summaries(self, summary):
        """One message per owner: "12 leads returned to pool 华东: …"."""
        users = self.env['res.users'].browse(list(summary)).exists()
        for user in users:
            lines, main_pool, best = [], None, -1
            for (res_model, pool_id), (count, names) in sorted(
                    summary[user.id].items()):
                pool = self.browse(pool_id).exists()
                if not pool:
                    continue
                label = self.env[res_model]._pool_label(plural=count > 1)
                more = count - len(names)
                text = ', '.join(names)
                if more > 0:
                    text = _("%(names)s and %(count)s more") % {
                        'names': text, 'count': more}
                lines.append(html_escape(_(
                    "%(count)s %(what)s returned to pool %(pool)s: "
                    "%(names)s") % {'count': count, 'what': label,
                                    'pool': pool.display_name,
                                    'names': text}))
                if count > best:
                    main_pool, best = pool, count
            if not main_pool:
                continue
            main_pool.with_context(lang=user.lang).message_post(
                body='<br/>'.join(lines),
                subject=_("Records returned to the pool"),
                partner_ids=[user.partner_id.id],
                subtype='mail.mt_note',
            )

    @api.model
    def _pool_max_remind_days(self):
        self.env.cr.execute("SELECT max(remind_days) FROM crm_pool")
        return self.env.cr.fetchone()[0] or 0

    @api.model
    def _pool_remind_owner(self, res_model, rec_id, owner, deadline):
        user = self.env['res.users'].browse(owner)
        record = self.env[res_model].browse(rec_id)
        local = fields.Datetime.context_timestamp(
            self.with_context(tz=user.tz or 'UTC'), deadline)
        self.env['mail.activity'].with_context(
            mail_activity_quick_update=True).create({
                'res_model_id': self.env['ir.model']._get_id(res_model),
                'res_id': record.id,
                'activity_type_id': self._pool_reminder_type().id,
                'summary': _("Follow up before %s or it returns to the pool")
                % local.strftime('%Y-%m-%d %H:%M'),
                'date_deadline': fields.Date.to_string(local.date()),
                'user_id': user.id,
            })

    @api.model
    def _pool_reminder_type(self):
        return (self.env.ref('crm_public_pool.mail_activity_type_pool_deadline',
                             raise_if_not_found=False)
                or self.env.ref('mail.mail_activity_data_todo'))

    @api.model
    def _pool_remind_managers(self, res_model, final):
        """One message per pool to its managers listing what returns within
        a day."""
        for pool_id, rows in final.items():
            pool = self.browse(pool_id)
            partners = pool.manager_ids.mapped('partner_id')
            if not partners:
                continue
            users = self.env['res.users'].browse({row[1] for row in rows})
            names = {u.id: u.name for u in users}
            items = ''.join(
                '<li>%s (%s)</li>' % (html_escape(name or '#%s' % rec_id),
                                      html_escape(names.get(owner, '')))
                for rec_id, owner, name, _deadline in rows)
            intro = html_escape(_(
                "%(count)s %(what)s of pool %(pool)s return to the pool "
                "within a day unless followed up:") % {
                'count': len(rows),
                'what': self.env[res_model]._pool_label(plural=len(rows) > 1),
                'pool': pool.display_name})
            body = '<p>%s</p><ul>%s</ul>' % (intro, items)
            pool.message_post(
                body=body,
                subject=_("Deadlines within a day"),
                partner_ids=partners.ids,
                subtype='mail.mt_note',
            )

    @api.model
    def _pool_next_reclaim_run(self):
        cron = self.env.ref('crm_public_pool.crm_pool_cron_reclaim',
                            raise_if_not_found=False)
        now = fields.Datetime.now()
        # sudo: only the reclaim cron's schedule (next call, active) is read
        # for the preview; scheduled actions are readable by admins only.
        cron = cron.sudo() if cron else cron
        nextcall = cron.nextcall if cron and cron.active else False
        return max(nextcall, now) if nextcall else now

    @api.multi
    def _pool_preview_table(self, rows, at):
        self.ensure_one()
        if not self.idle_days and not self.nodeal_days:
            return '<p>%s</p>' % html_escape(_(
                "Both reclaim policies are off (0 days): nothing returns "
                "to the pool."))
        at_text = fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(at)).strftime('%Y-%m-%d %H:%M')
        if not rows:
            return '<p>%s</p>' % html_escape(_(
                "Nothing would return to the pool at the next run (%s).")
                % at_text)
        users = self.env['res.users'].browse([r[0] for r in rows])
        # sudo: only the names of the owners counted in the preview are read,
        # also of users in companies the pool manager may not read.
        names = {u.id: u.name for u in users.sudo()}
        body = ''.join('<tr><td>%s</td><td class="text-right">%s</td></tr>'
                       % (html_escape(names.get(uid, '#%s' % uid)), count)
                       for uid, count in rows)
        return (
            '<p>%s</p><table class="table table-condensed">'
            '<thead><tr><th>%s</th><th class="text-right">%s</th></tr></thead>'
            '<tbody>%s</tbody></table>' % (
                html_escape(_("%(count)s records would return to the pool at "
                              "the next run (%(at)s):") % {
                    'count': sum(r[1] for r in rows), 'at': at_text}),
                html_escape(_("Owner")), html_escape(_("Records")), body))

    # ------------------------------------------------------------------
    # Distribution
    # ------------------------------------------------------------------
    @api.multi
    def _pool_distribute(self, batch_size=1000, commit=False, now=None):
        """Give the unowned records of these pools to their members.

        Per batch: a handful of aggregate queries (members, owned counts,
        the batch, cooldowns, one search per routing domain), the choice in
        plain Python (policy/distribution.py) and one UPDATE ... FROM
        (VALUES ...) with the history rows.
        """
        total = 0
        for pool in self.filtered(lambda p: p.distribution != 'manual'):
            assigned = {}
            skip = set()
            while True:
                self._pool_begin_batch(commit)
                done, stop = pool._pool_distribute_batch(
                    batch_size, skip, assigned, now or fields.Datetime.now())
                self._pool_end_batch(commit)
                total += done
                if stop:
                    break
            self.env[pool.res_model].invalidate_cache()
            pool._pool_post_distribution_summaries(assigned)
            self._pool_end_batch(commit)
        return total

    @api.multi
    def _pool_distribute_batch(self, batch_size, skip, assigned, now):
        """One batch; returns ``(assigned count, finished)``."""
        self.ensure_one()
        cr = self.env.cr
        table, guard, priority = POLICY_TARGETS[self.res_model]
        # One distributor per pool at a time (released at commit).
        cr.execute('SELECT pg_try_advisory_xact_lock(%s, %s)',
                   (DISTRIBUTION_LOCK, self.id))
        if not cr.fetchone()[0]:
            return 0, True
        # Lock the membership rows: claims lock them too (part 1), so the
        # quota holds against concurrent claims.
        cr.execute("""
            SELECT m.user_id, COALESCE(NULLIF(m.quota, 0), p.quota), m.domain
              FROM crm_pool_member m
              JOIN crm_pool p ON p.id = m.pool_id
              JOIN res_users u ON u.id = m.user_id
             WHERE m.pool_id = %s AND m.active AND u.active AND NOT u.share
             ORDER BY m.sequence, m.id
               FOR UPDATE OF m
        """, (self.id,))
        rows = cr.fetchall()
        if not rows:
            return 0, True
        cr.execute(
            'SELECT user_id, count(*) FROM "%s" WHERE pool_id = %%s AND '
            'user_id = ANY(%%s) GROUP BY user_id' % table,
            (self.id, [r[0] for r in rows]))
        owned = dict(cr.fetchall())
        members = [distribution_policy.Member(uid, quota, owned.get(uid, 0))
                   for uid, quota, _domain in rows]
        if not any(m.has_room() for m in members):
            return 0, True
        records = distribution_policy.select_batch(
            cr, table, self.id, batch_size, priority_column=priority,
            guard=guard,
            exclude_ids=skip)
        if not records:
            return 0, True
        ids = [r[0] for r in records]
        if self.distribution == 'rule':
            for member, (_uid, _quota, domain) in zip(members, rows):
                member.matches = self._pool_domain_matches(domain, ids)
        excluded = self._pool_cooldown_pairs(
            ids, [m.user_id for m in members], now)
        assignment, pointer = distribution_policy.distribute(
            self.distribution, records, members,
            pointer=self.distribution_user_id.id, excluded=excluded)
        target = self._pool_target()
        done = distribution_policy.apply_assignment(
            cr, table, self.res_model, assignment, now, SUPERUSER_ID,
            "CASE WHEN %s THEN %s END" % (
                guard, reclaim_policy.deadline_sql(
                    'c.now', 'NULL', 'p.idle_days', 'p.nodeal_days')),
            extra_set=RESET_REMINDER_SQL, reason=_("Automatic distribution"),
            name_column=target.name_column)
        if pointer and pointer != self.distribution_user_id.id:
            cr.execute('UPDATE crm_pool SET distribution_user_id = %s '
                       'WHERE id = %s', (pointer, self.id))
            self.invalidate_cache(['distribution_user_id'], self.ids)
        for rec_id, uid in assignment.items():
            assigned[uid] = assigned.get(uid, 0) + 1
        skip.update(set(ids) - set(assignment))
        return done, len(records) < batch_size

    @api.multi
    def _pool_domain_matches(self, domain, ids):
        if not domain:
            return None
        try:
            leaves = safe_eval(domain)
            # sudo: routing reads every record of the batch whatever the
            # cron user's rules; only ids are returned.
            found = self.env[self.res_model].sudo().with_context(
                active_test=False).search([('id', 'in', ids)] + leaves)
        except Exception:  # a broken routing domain must not stop the pool
            _logger.warning("Pool %s: invalid routing domain %r", self.id,
                            domain, exc_info=True)
            return None
        return set(found.ids)

    @api.multi
    def _pool_cooldown_pairs(self, ids, user_ids, now):
        """(record, user) pairs still in the previous owner's cooldown."""
        if not self.cooldown_days or not ids:
            return set()
        since = fields.Datetime.from_string(now) - timedelta(
            days=self.cooldown_days)
        self.env.cr.execute("""
            SELECT DISTINCT res_id, from_user_id FROM crm_pool_log
             WHERE res_model = %s AND res_id = ANY(%s)
               AND from_user_id = ANY(%s) AND date > %s
               AND action IN ('release', 'reclaim', 'transfer', 'assign')
        """, (self.res_model, ids, user_ids, since))
        return set(self.env.cr.fetchall())

    @api.multi
    def _pool_post_distribution_summaries(self, assigned):
        self.ensure_one()
        users = self.env['res.users'].browse(list(assigned)).exists()
        for user in users:
            count = assigned[user.id]
            self.with_context(lang=user.lang).message_post(
                body=html_escape(_(
                    "%(count)s %(what)s of pool %(pool)s were assigned to "
                    "you.") % {
                    'count': count,
                    'what': self.env[self.res_model]._pool_label(
                        plural=count > 1),
                    'pool': self.display_name}),
                partner_ids=[user.partner_id.id],
                subtype='mail.mt_note',
            )

    # ------------------------------------------------------------------
    # Web capture
    # ------------------------------------------------------------------
    @api.model
    def _pool_capture_admit(self, token):
        """Find the pool of a capture token and take one rate-limit token.

        Runs on its own short READ COMMITTED transaction (``self.env.cr`` is
        expected fresh) so concurrent captures queue on the pool row instead
        of failing. Returns ``(pool id or None, allowed, retry after)``.
        """
        cr = self.env.cr
        cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        cr.execute("""
            SELECT id, capture_rate_limit, capture_bucket_tokens,
                   capture_bucket_date
              FROM crm_pool
             WHERE capture_token = %s AND active AND res_model = 'crm.lead'
               FOR UPDATE
        """, (token,))
        row = cr.fetchone()
        if not row:
            return None, False, 0
        pool_id, limit, tokens, updated = row
        updated = fields.Datetime.from_string(updated)
        if not limit:
            return pool_id, True, 0
        capacity, rate = ratelimit_policy.per_minute(limit)
        now = datetime.utcnow()
        allowed, tokens, retry = ratelimit_policy.consume(
            tokens if updated else None, updated, now, capacity, rate)
        cr.execute("UPDATE crm_pool SET capture_bucket_tokens = %s, "
                   "capture_bucket_date = %s WHERE id = %s",
                   (tokens, now, pool_id))
        return pool_id, allowed, retry
