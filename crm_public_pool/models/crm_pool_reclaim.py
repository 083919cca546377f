"""Reclaim (回收) of idle and no-deal records: the ORM layer of the cron.

The due rows are found, moved and logged set-based by policy/reclaim.py;
this file runs it batch by batch and posts one summary per owner.
"""
import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.tools import html_escape

from ..policy import reclaim as reclaim_policy
from .crm_pool_policy import RESET_REMINDER_SQL

_logger = logging.getLogger(__name__)

# Records named per pool in an owner's summary message.
SUMMARY_NAMES = 5


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """Reclaim of idle and no-deal records to their pools."""

    _inherit = 'crm.pool'

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
        """One message per owner: "12 leads returned to pool 华东: …", in
        the owner's language; its email goes out with the mail queue.

        The owners' languages and partners are read in one query and the
        messages written language by language: one environment (and cache)
        per language, not per owner.
        """
        if not summary:
            return
        self.env.cr.execute("""
            SELECT u.id, p.id, p.lang FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
             WHERE u.id IN %s ORDER BY u.id
        """, (tuple(summary),))
        by_lang = {}
        for uid, partner_id, lang in self.env.cr.fetchall():
            by_lang.setdefault(lang or 'en_US', []).append((uid, partner_id))
        pool_ids = sorted({pool_id for per_user in summary.values()
                           for _model, pool_id in per_user})
        for lang, owners in sorted(by_lang.items()):
            this = self.with_context(lang=lang, mail_notify_force_send=False)
            pools = this.browse(pool_ids).exists()
            subject = this._pool_reclaim_summary_subject()
            for uid, partner_id in owners:
                main_pool, lines = this._pool_reclaim_summary_lines(
                    summary[uid], pools)
                if not main_pool:
                    continue
                main_pool.message_post(
                    body='<br/>'.join(lines), subject=subject,
                    partner_ids=[partner_id], subtype='mail.mt_note')

    @api.model
    def _pool_reclaim_summary_subject(self):
        return _("Records returned to the pool")

    @api.model
    def _pool_reclaim_summary_lines(self, per_pool, pools):
        """(the pool most records returned to, the summary lines) of one
        owner; ``per_pool``: {(model, pool id): [count, names]}."""
        lines, main_pool, best = [], None, -1
        for (res_model, pool_id), (count, names) in sorted(per_pool.items()):
            pool = pools.filtered(lambda p, pid=pool_id: p.id == pid)
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
                                'pool': pool.display_name, 'names': text}))
            if count > best:
                main_pool, best = pool, count
        return main_pool, lines
