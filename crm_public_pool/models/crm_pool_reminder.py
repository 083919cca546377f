"""Deadline reminders: the ORM layer of the cron.

Which reminder is due is decided by policy/reminder.py; the candidates come
from policy/reclaim.py. The bookkeeping fields on the records are in
crm_pool_mixin_reminder.py.
"""
from datetime import datetime, timedelta

from odoo import _, api, fields, models

from ..policy import reclaim as reclaim_policy
from ..policy import reminder as reminder_policy
from . import mail_summary

# Namespace of the advisory lock of a reminder run.
REMIND_LOCK = 480621


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """Deadline reminders to the owners, then to the pool managers."""

    _inherit = 'crm.pool'

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
                # in the owner's language, not the scheduler's
                'summary': self.with_context(
                    lang=user.lang)._pool_reminder_summary(local),
                'date_deadline': fields.Date.to_string(local.date()),
                'user_id': user.id,
            })

    @api.model
    def _pool_reminder_summary(self, local_deadline):
        return _("Follow up before %s or it returns to the pool") \
            % local_deadline.strftime('%Y-%m-%d %H:%M')

    @api.model
    def _pool_reminder_type(self):
        return (self.env.ref('crm_public_pool.mail_activity_type_pool_deadline',
                             raise_if_not_found=False)
                or self.env.ref('mail.mail_activity_data_todo'))

    @api.model
    def _pool_remind_managers(self, res_model, final):
        """One message per pool to its managers listing what returns within
        a day (template ``mail_template_pool_reminder``, rendered once per
        language of the managers)."""
        template = self.env.ref('crm_public_pool.mail_template_pool_reminder')
        Records = self.env[res_model]
        for pool_id, rows in final.items():
            pool = self.browse(pool_id)
            partners = pool.manager_ids.mapped('partner_id')
            if not partners:
                continue
            users = self.env['res.users'].browse({row[1] for row in rows})
            names = {u.id: u.name for u in users}
            items = [{'name': name or '#%s' % rec_id,
                      'owner': names.get(owner, '')}
                     for rec_id, owner, name, _deadline in rows]

            def values(lang, count=len(items), items=items):
                return {'pool_summary_count': count,
                        'pool_summary_what': Records.with_context(
                            lang=lang)._pool_label(plural=count > 1),
                        'pool_summary_rows': items}

            mail_summary.post(template, pool, partners, values,
                              subtype='mail.mt_note')
