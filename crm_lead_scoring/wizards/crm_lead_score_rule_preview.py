# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..lib import scoring
from ..models import score_domain_sql


class CrmLeadScoreRulePreview(models.TransientModel):
    """What a rule would do: matching open leads and its historical lift."""
    _name = 'crm.lead.score.rule.preview'
    _description = 'Lead Scoring Rule Preview'

    rule_id = fields.Many2one(
        comodel_name='crm.lead.score.rule',
        string='Rule',
        required=True,
        ondelete='cascade',
        readonly=True,
    )
    open_count = fields.Integer(
        string='Open Leads',
        compute='_compute_preview',
    )
    open_match_count = fields.Integer(
        string='Matching Open Leads',
        compute='_compute_preview',
    )
    match_closed_count = fields.Integer(
        string='Closed Matching Leads',
        compute='_compute_preview',
    )
    match_won_count = fields.Integer(
        string='Won Matching Leads',
        compute='_compute_preview',
    )
    other_closed_count = fields.Integer(
        string='Closed Other Leads',
        compute='_compute_preview',
    )
    other_won_count = fields.Integer(
        string='Won Other Leads',
        compute='_compute_preview',
    )
    match_win_rate = fields.Float(
        string='Win Rate (matching)',
        digits=(16, 2),
        compute='_compute_preview',
        help="Percentage of closed matching leads that were won.",
    )
    other_win_rate = fields.Float(
        string='Win Rate (others)',
        digits=(16, 2),
        compute='_compute_preview',
    )
    lift = fields.Float(
        digits=(16, 2),
        compute='_compute_preview',
        help="Win rate of matching leads divided by the win rate of the "
             "others: above 1 the rule points to better leads, below 1 to "
             "worse ones, 0 when there is not enough history.",
    )

    @api.multi
    @api.depends('rule_id')
    def _compute_preview(self):
        for wizard in self:
            counts = wizard._preview_counts()
            match_rate, other_rate, lift = scoring.win_rates(
                counts['match_won'], counts['match_closed'],
                counts['other_won'], counts['other_closed'])
            wizard.open_count = counts['open']
            wizard.open_match_count = counts['open_match']
            wizard.match_closed_count = counts['match_closed']
            wizard.match_won_count = counts['match_won']
            wizard.other_closed_count = counts['other_closed']
            wizard.other_won_count = counts['other_won']
            wizard.match_win_rate = (match_rate or 0.0) * 100.0
            wizard.other_win_rate = (other_rate or 0.0) * 100.0
            wizard.lift = lift or 0.0

    @api.multi
    def _preview_counts(self):
        """Counts in one query over all leads (open, won = probability 100,
        lost = archived)."""
        self.ensure_one()
        rule = self.rule_id
        # sudo: the preview counts leads of every salesperson for the
        # manager; only numbers are shown.
        leads = self.env['crm.lead'].sudo().with_context(active_test=False)
        if rule.kind == 'fit':
            # the same SQL as the scoring's (one meaning of a rule)
            where_clause, params = score_domain_sql.domain_sql(
                leads, rule._get_domain())
            match_sql = 'SELECT "crm_lead".id FROM "crm_lead" WHERE %s' % (
                where_clause)
        else:
            match_sql = ('SELECT lead_id AS id FROM crm_lead_score_event '
                         'WHERE event_type_id = %s')
            params = [rule.event_type_id.id]
        self.env.cr.execute("""
            WITH m AS (""" + match_sql + """),
            l AS (
                SELECT l.id IN (SELECT id FROM m) AS matched,
                       l.active AND COALESCE(l.probability, 0) < 100 AS is_open,
                       l.active AND l.probability >= 100 AS won
                FROM crm_lead l
            )
            SELECT
                count(*) FILTER (WHERE is_open),
                count(*) FILTER (WHERE is_open AND matched),
                count(*) FILTER (WHERE NOT is_open AND matched),
                count(*) FILTER (WHERE won AND matched),
                count(*) FILTER (WHERE NOT is_open AND NOT matched),
                count(*) FILTER (WHERE won AND NOT matched)
            FROM l
        """, params)
        row = self.env.cr.fetchone()
        keys = ('open', 'open_match', 'match_closed', 'match_won', 'other_closed',
                'other_won')
        return dict(zip(keys, row))
