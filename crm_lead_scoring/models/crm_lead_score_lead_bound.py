"""Score events and lines are visible exactly where their lead is.

The salesman rules of this addon mirror crm's (own or unassigned leads);
another addon may narrow who reads a lead further (a public pool shows an
unclaimed lead to the pool's members only). Whatever restricts the lead
restricts its score data too: a read or search of events or lines adds the
lead's own record rules, as a subquery on crm_lead.
"""
from odoo import api, models


class CrmLeadScoreLeadBound(models.AbstractModel):
    _name = 'crm.lead.score.lead.bound'
    _description = 'Score Data Bound to its Lead'

    @api.model
    def _apply_ir_rules(self, query, mode='read'):
        super(CrmLeadScoreLeadBound, self)._apply_ir_rules(query, mode=mode)
        if self.env.user._is_superuser():
            return
        Lead = self.env['crm.lead'].with_context(active_test=False)
        lead_query = Lead._where_calc([])
        Lead._apply_ir_rules(lead_query, 'read')
        from_clause, where_clause, params = lead_query.get_sql()
        if not where_clause:
            return
        query.where_clause.append(
            '"%s"."lead_id" IN (SELECT "crm_lead"."id" FROM %s WHERE %s)'
            % (self._table, from_clause, where_clause))
        query.where_clause_params.extend(params)
