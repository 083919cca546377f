# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Deals: a customer with a won opportunity (成交客户).

A customer (``res.partner``) has a deal when an opportunity of it (of the
company or of one of its contact persons) is won, by the leads' one
definition of "won" (``crm.lead._pool_won_sql``). Its no-deal clock is
stopped (never reclaimed for no deal); the idle clock still runs. The
deadline of the customers concerned is recomputed when an opportunity is
won, lost, reopened or changes customer.
"""
from odoo import api, models

# The models are extended here once more for this concern (files by concern).
# pylint: disable=consider-merging-classes-inherited

DEAL_FIELDS = {'probability', 'stage_id', 'active', 'partner_id', 'type'}


class ResPartner(models.Model):
    _inherit = 'res.partner'

    @api.model
    def _pool_deal_sql(self, alias='t'):
        return """EXISTS (
            SELECT 1 FROM crm_lead dl
              JOIN res_partner dp ON dp.id = dl.partner_id
             WHERE dp.commercial_partner_id = {alias}.id
               AND dl.type = 'opportunity' AND {won})""".format(
            alias=alias, won=self.env['crm.lead']._pool_won_sql('dl'))


class CrmLead(models.Model):
    _inherit = 'crm.lead'

    @api.model
    def create(self, vals):
        lead = super(CrmLead, self).create(vals)
        if vals.get('partner_id'):
            lead._pool_deal_refresh(lead._pool_deal_customers())
        return lead

    @api.multi
    def write(self, vals):
        if not DEAL_FIELDS & set(vals):
            return super(CrmLead, self).write(vals)
        before = self._pool_deal_customers()
        res = super(CrmLead, self).write(vals)
        self._pool_deal_refresh(before | self._pool_deal_customers())
        return res

    def _pool_deal_customers(self):
        """Ids of the pool customers (commercial entities) of these leads."""
        if not self.ids:
            return set()
        self.env.cr.execute("""
            SELECT DISTINCT c.id FROM crm_lead l
              JOIN res_partner lp ON lp.id = l.partner_id
              JOIN res_partner c ON c.id = lp.commercial_partner_id
             WHERE l.id IN %s AND c.pool_id IS NOT NULL
        """, (tuple(self.ids),))
        return {row[0] for row in self.env.cr.fetchall()}

    def _pool_deal_refresh(self, partner_ids):
        if not partner_ids:
            return
        # sudo: the customers' stored deadline follows their deals, whoever
        # won the opportunity (the customer may be unreadable to them).
        partners = self.env['res.partner'].sudo().browse(list(partner_ids))
        partners.invalidate_cache(['pool_deadline'], partners.ids)
        self.env.add_todo(partners._fields['pool_deadline'], partners)
        partners.recompute()
