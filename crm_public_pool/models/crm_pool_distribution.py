"""Automatic distribution of unowned records to the pools' members.

The choice is plain Python (policy/distribution.py); this file reads the
members and the batch, applies the assignment and posts the summaries.
"""
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.tools.safe_eval import safe_eval

from ..policy import distribution as distribution_policy
from ..policy import reclaim as reclaim_policy
from . import mail_summary
from .crm_pool_policy import RESET_REMINDER_SQL

_logger = logging.getLogger(__name__)

# Namespace of the advisory locks taken per pool by the distribution.
DISTRIBUTION_LOCK = 480620


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """Automatic distribution (round robin, balanced, rule based)."""

    _inherit = 'crm.pool'

    @api.multi
    def action_distribute_now(self):
        """Run the automatic distribution of these pools now."""
        self.check_access_rights('write')
        self.check_access_rule('write')
        # sudo: the manager may edit the pool; the distribution writes
        # records of members they may not see.
        self.sudo()._pool_distribute(commit=False)
        return True

    @api.model
    def _cron_distribute(self, batch_size=1000, now=None):
        """Automatic distribution of the pools not distributed manually."""
        pools = self.search([('distribution', '!=', 'manual')])
        return pools._pool_distribute(batch_size=batch_size,
                                      commit=self._pool_start_batches(),
                                      now=now)

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
        target = self._pool_target()
        table, guard = target.table, target.guard
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
            cr, table, self.id, batch_size,
            priority_column=target.priority_column,
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
        done = distribution_policy.apply_assignment(
            cr, table, self.res_model, assignment, now, SUPERUSER_ID,
            "CASE WHEN %s THEN %s END" % (
                guard, reclaim_policy.deadline_sql(
                    'c.now', 'NULL', 'p.idle_days',
                    target.nodeal_days('p.nodeal_days'))),
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
        """One message per salesperson: how many records of the pool they
        were given (template ``mail_template_pool_distribution``, in their
        language)."""
        self.ensure_one()
        template = self.env.ref(
            'crm_public_pool.mail_template_pool_distribution')
        Records = self.env[self.res_model]
        users = self.env['res.users'].browse(list(assigned)).exists()
        for user in users:
            count = assigned[user.id]
            mail_summary.post(template, self, user.partner_id, {
                'pool_summary_count': count,
                'pool_summary_what': Records.with_context(
                    lang=user.lang)._pool_label(plural=count > 1),
            }, subtype='mail.mt_note')
