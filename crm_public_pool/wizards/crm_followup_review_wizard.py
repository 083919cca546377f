from odoo import api, fields, models


class CrmFollowupReviewWizard(models.TransientModel):
    """Flag follow-ups (稽核) with the reason told to their owners."""

    _name = 'crm.followup.review.wizard'
    _description = 'Flag Follow-ups'

    followup_ids = fields.Many2many(
        comodel_name='crm.followup',
        string='Follow-ups',
        default=lambda self: [(6, 0, self.env.context.get('active_ids')
                               or [])],
    )
    review_note = fields.Text(
        string='Reason',
        required=True,
        help="Told to the salesperson: why this follow-up does not count.",
    )

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self.followup_ids.action_review_flag(self.review_note)
        return {'type': 'ir.actions.act_window_close'}
