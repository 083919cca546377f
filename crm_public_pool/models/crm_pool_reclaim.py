"""Reclaim (回收) of idle and no-deal records: the ORM layer of the cron.

The due rows are found, moved and logged set-based by policy/reclaim.py;
this file runs it batch by batch, then tells each owner what they lost in
one message rendered from an editable template
(``crm_public_pool.mail_template_pool_reclaim_summary``), written for all
owners at once by policy/reclaim_summary.py.
"""
import logging

from odoo import SUPERUSER_ID, _, api, fields, models, tools

from ..policy import reclaim as reclaim_policy
from ..policy import reclaim_summary as summary_policy
from .crm_pool_policy import RESET_REMINDER_SQL

_logger = logging.getLogger(__name__)

# Records named per pool in an owner's summary message.
SUMMARY_NAMES = 5
# Records per batch (one statement and one commit each): each batch costs a
# plan, a commit and a round trip besides its rows, and holds the locks of
# its rows until its commit (a fraction of a second at this size).
RECLAIM_BATCH = 5000
SUMMARY_TEMPLATE = 'crm_public_pool.mail_template_pool_reclaim_summary'


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """Reclaim of idle and no-deal records to their pools."""

    _inherit = 'crm.pool'

    @api.model
    def _cron_reclaim(self, batch_size=RECLAIM_BATCH, max_batches=None,
                      now=None, pool_ids=None):
        """Idle / no-deal reclaim of every pool, set-based, batch by batch.

        Each batch is one statement (select due rows ``FOR UPDATE SKIP
        LOCKED``, move them, insert their history) and one commit: a killed
        run leaves whole batches, two servers never take the same rows. Then
        one summary message per owner, read from the history rows not yet
        summarised (those of a killed run included).
        """
        reasons = self._pool_reclaim_reasons()
        commit = self._pool_start_batches()
        now = now or fields.Datetime.now()
        total = batches = 0
        self._pool_begin_batch(commit)
        summary_policy.summary_mark(self.env.cr)
        self._pool_end_batch(commit)
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
                if commit:
                    # A batch lost by a crash of the database (its rows
                    # still owned, without history) runs again with the
                    # next run: its commit need not wait for the disk. The
                    # summaries' commit, synchronous, flushes every batch.
                    self.env.cr.execute('SET LOCAL synchronous_commit TO OFF')
                summary_policy.lock_batch(self.env.cr)
                rows = reclaim_policy.reclaim_batch(
                    self.env.cr, target, now, SUPERUSER_ID,
                    reasons=reasons, pool_ids=pool_ids,
                    ids=ids[start:start + batch_size],
                    extra_set=RESET_REMINDER_SQL)
                self._pool_end_batch(commit)
                batches += 1
                total += len(rows)
            self.env[res_model].invalidate_cache()
        self._pool_begin_batch(commit)
        self._pool_post_reclaim_summaries()
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
    def _pool_post_reclaim_summaries(self):
        """One message per owner ("12 leads returned to pool 华东: …") on
        the pool most of their records returned to, addressed to them and
        rendered from the template in their language; its email goes out
        with the mail queue.

        The history rows not yet summarised are read in one query, the
        template rendered once per language for all its owners, and the
        messages written in one statement. Returns the number of messages.
        """
        cr = self.env.cr
        last, rows = summary_policy.summary_rows(cr, SUMMARY_NAMES)
        per_owner = {}
        for owner, res_model, pool_id, count, names in rows:
            per_owner.setdefault(owner, []).append(
                (res_model, pool_id, count, names))
        template = self.env.ref(SUMMARY_TEMPLATE, raise_if_not_found=False)
        messages = []
        if per_owner and template:
            messages = self._pool_reclaim_summary_messages(template, per_owner)
        if messages:
            author = self.env.user.partner_id
            email_from = tools.formataddr((author.name, author.email)) \
                if author.email else None
            summary_policy.post_summaries(
                cr, messages, fields.Datetime.now(), self.env.uid, author.id,
                email_from,
                self.env['ir.model.data'].xmlid_to_res_id('mail.mt_note'))
            self.env['mail.message'].invalidate_cache()
        summary_policy.set_summary_mark(cr, last)
        return len(messages)

    @api.model
    def _pool_reclaim_summary_messages(self, template, per_owner):
        """The messages (dicts for policy/reclaim_summary.post_summaries) of
        the owners ``{uid: [(model, pool id, count, names)]}``."""
        self.env.cr.execute("""
            SELECT u.id, p.id, COALESCE(p.lang, 'en_US'),
                   u.notification_type = 'email' AND p.email IS NOT NULL
              FROM res_users u JOIN res_partner p ON p.id = u.partner_id
             WHERE u.id IN %s ORDER BY u.id
        """, (tuple(per_owner),))
        by_lang = {}
        for uid, partner_id, lang, by_email in self.env.cr.fetchall():
            by_lang.setdefault(lang, []).append((uid, partner_id, by_email))
        pool_ids = sorted({line[1] for lines in per_owner.values()
                           for line in lines})
        Message = self.env['mail.message']
        messages = []
        for lang, owners in sorted(by_lang.items()):
            this = self.with_context(lang=lang)
            pools = {pool.id: pool for pool in this.browse(pool_ids).exists()}
            lines, main = {}, {}
            for uid, _partner, _email in owners:
                lines[uid], main[uid] = this._pool_reclaim_summary_lines(
                    per_owner[uid], pools)
            owners = [owner for owner in owners if main[owner[0]]]
            if not owners:
                continue
            # the owners are read field by field: what the template uses
            tmpl = template.with_context(lang=lang, prefetch_fields=False,
                                         pool_reclaim_lines=lines)
            uids = [owner[0] for owner in owners]
            bodies = tmpl.render_template(tmpl.body_html, 'res.users', uids)
            subjects = tmpl.render_template(tmpl.subject, 'res.users', uids)
            for uid, partner_id, by_email in owners:
                pool = main[uid]
                messages.append({
                    'pool_id': pool.id, 'record_name': pool.display_name,
                    'partner_id': partner_id, 'by_email': by_email,
                    'subject': subjects[uid],
                    'body': Message._fields['body'].convert_to_column(
                        bodies[uid], Message),
                    'message_id': Message._get_message_id(
                        {'model': self._name, 'res_id': pool.id}),
                })
        return messages

    @api.model
    def _pool_reclaim_summary_lines(self, per_pool, pools):
        """(the template's lines, the pool most records returned to) of one
        owner; ``per_pool``: [(model, pool id, count, first names)]."""
        lines, main_pool, best = [], None, -1
        for res_model, pool_id, count, names in per_pool:
            pool = pools.get(pool_id)
            if not pool:
                continue
            lines.append({
                'count': count, 'pool': pool.display_name,
                'what': self.env[res_model]._pool_label(plural=count > 1),
                'names': ', '.join(names), 'more': count - len(names)})
            if count > best:
                main_pool, best = pool, count
        return lines, main_pool
