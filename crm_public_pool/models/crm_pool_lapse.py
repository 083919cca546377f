"""Lapsed customers (流失客户回访): the pool policy ``lapse_days`` with
``revisit_user_id``, its set-based cron (policy/lapse.py) and the list of
lapsed customers with the days since their last deal or follow-up."""
import json
from datetime import datetime

from odoo import _, api, fields, models

from ..policy import lapse as lapse_policy
from . import mail_summary

# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    _inherit = 'crm.pool'

    lapse_days = fields.Integer(
        track_visibility='onchange',
        help="Customers pools: a customer without a won deal or a real "
             "follow-up for this many days gets one return visit (回访) "
             "activity. 0 turns this policy off.",
    )
    revisit_user_id = fields.Many2one(
        comodel_name='res.users',
        string='Return Visits by',
        domain=[('share', '=', False)],
        help="Who gets the return visit activities (empty: the customer's "
             "owner).",
    )

    _sql_constraints = [
        ('lapse_days_positive', 'CHECK(lapse_days >= 0)',
         'Policy numbers cannot be negative (0 turns a policy off).'),
    ]

    @api.model
    def _cron_lapse(self, batch_size=50000, now=None):
        """One 回访 activity per lapsed customer and lapse, batch by batch
        of ids (one statement and one commit each). Returns the count."""
        commit = self._pool_start_batches()
        now = now or fields.Datetime.now()
        self.env.cr.execute(
            'SELECT min(id), max(id) FROM res_partner WHERE pool_id IN '
            '(SELECT id FROM crm_pool WHERE lapse_days > 0 AND active)')
        min_id, max_id = self.env.cr.fetchone()
        params = {
            'now': now, 'today': now[:10], 'uid': self.env.uid,
            'res_model_id': self.env['ir.model']._get_id('res.partner'),
            'activity_type_id': self.env.ref(
                'crm_public_pool.mail_activity_type_pool_revisit').id,
            'summary': self._pool_lapse_summary(),
            'summaries': json.dumps({
                code: self.with_context(lang=code)._pool_lapse_summary()
                for code, _name in self.env['res.lang'].get_installed()}),
        }
        total = 0
        for after, upto in lapse_policy.id_batches(min_id, max_id,
                                                   batch_size):
            self._pool_begin_batch(commit)
            total += lapse_policy.lapse_batch(self.env.cr, after, upto, params)
            self._pool_end_batch(commit)
        self.env['res.partner'].invalidate_cache()
        self.env['mail.activity'].invalidate_cache()
        return total

    @api.model
    def _pool_lapse_summary(self):
        return _("Return visit: no deal or follow-up for a long time")


class ResPartner(models.Model):
    _inherit = 'res.partner'

    pool_lapsed = fields.Boolean(
        string='Lapsed',
        copy=False,
        readonly=True,
        index=True,
        help="No won deal nor real follow-up for the pool's lapse days: a "
             "return visit is planned.",
    )
    pool_lapse_date = fields.Datetime(
        string='Last Deal or Follow-up',
        copy=False,
        readonly=True,
    )
    pool_lapse_days = fields.Integer(
        string='Days since Last Contact',
        compute='_compute_pool_lapse_days',
    )

    @api.depends('pool_lapse_date')
    def _compute_pool_lapse_days(self):
        now = datetime.utcnow()
        for partner in self:
            last = fields.Datetime.from_string(partner.pool_lapse_date)
            partner.pool_lapse_days = (now - last).days if last else 0

    @api.multi
    def action_pool_revisit_send(self):
        """The email composer on this customer with the return visit (回访)
        template, in the customer's language."""
        self.ensure_one()
        return mail_summary.composer_action(self, self.env.ref(
            'crm_public_pool.mail_template_partner_revisit'))
