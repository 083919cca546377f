# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmLeadScoreLine(models.Model):
    """Why a lead has its score: one line per rule that applies.

    Lines are written by the recompute only (set-based SQL); their points
    (after cap and decay) always add up to the lead's score.
    """
    _name = 'crm.lead.score.line'
    _inherit = ['crm.lead.score.lead.bound']
    _description = 'Lead Score Explanation Line'
    _order = 'kind desc, points desc, id'
    # Derived data, rewritten by every recompute: no author or date columns
    # (the lead's score_date says when), and so no foreign key for
    # PostgreSQL to check on each of the hundreds of thousands of lines a
    # full recompute inserts.
    _log_access = False

    lead_id = fields.Many2one(
        comodel_name='crm.lead',
        string='Lead',
        required=True,
        ondelete='cascade',
        index=True,
        readonly=True,
    )
    rule_id = fields.Many2one(
        comodel_name='crm.lead.score.rule',
        string='Rule',
        ondelete='cascade',
        index=True,
        readonly=True,
    )
    event_type_id = fields.Many2one(
        comodel_name='crm.lead.score.event.type',
        string='Event Type',
        related='rule_id.event_type_id',
        readonly=True,
    )
    kind = fields.Selection(
        selection=[
            ('fit', 'Fit'),
            ('engagement', 'Engagement'),
        ],
        required=True,
        readonly=True,
    )
    points = fields.Float(
        digits=(16, 2),
        readonly=True,
    )
    event_count = fields.Integer(
        string='Events',
        readonly=True,
    )
    knockout = fields.Boolean(
        readonly=True,
    )

    @api.model_cr
    def init(self):
        # The nightly recompute updates decayed points in place: free room in
        # each page lets PostgreSQL do it as HOT updates (no index writes).
        self.env.cr.execute(
            "ALTER TABLE crm_lead_score_line SET (fillfactor = 70)")
