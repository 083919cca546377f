from odoo import api, fields, models

from ..models.crm_followup import FOLLOWUP_METHODS
from ..models.crm_lead import QUALIFICATION_STATES


class CrmPoolFollowupWizard(models.TransientModel):
    """Log a real follow-up (跟进) and plan the next contact."""

    _name = 'crm.pool.followup.wizard'
    _inherit = 'crm.pool.wizard.mixin'
    _description = 'Log a Follow-up'

    method = fields.Selection(
        selection=FOLLOWUP_METHODS,
        required=True,
        default='call',
    )
    content = fields.Text(required=True)
    next_date = fields.Date(string='Next Contact')
    summary = fields.Char(string='Next Step')
    qualification_state = fields.Selection(
        selection=QUALIFICATION_STATES,
        string='Qualification',
        help="Leads only: the qualification after this follow-up.",
    )
    is_lead = fields.Boolean(
        compute='_compute_is_lead',
    )

    @api.depends('res_model')
    def _compute_is_lead(self):
        for wizard in self:
            wizard.is_lead = wizard.res_model == 'crm.lead'

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        records = self._records()
        records.action_pool_log_followup(
            self.method, self.content, next_date=self.next_date,
            summary=self.summary)
        if self.is_lead:
            state = self.qualification_state
            if state:
                records.write({'qualification_state': state})
            else:
                records.filtered(
                    lambda r: r.qualification_state == 'new').write(
                    {'qualification_state': 'contacted'})
        return {'type': 'ir.actions.act_window_close'}
