"""Rule preview on the pool form: what the next reclaim run would return.

The count per owner comes from policy/reclaim.py (the reclaim's own query).
"""
from odoo import _, api, fields, models
from odoo.tools import html_escape

from ..policy import reclaim as reclaim_policy


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """Rule preview with the policy numbers on screen."""

    _inherit = 'crm.pool'

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
