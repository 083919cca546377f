from odoo import api, fields, models


class CrmPoolReleaseWizard(models.TransientModel):
    """Return records to their pool (退回) with a reason."""

    _name = 'crm.pool.release.wizard'
    _inherit = 'crm.pool.wizard.mixin'
    _description = 'Return to Pool'

    reason_id = fields.Many2one(
        comodel_name='crm.pool.release.reason',
        string='Reason',
        required=True,
    )
    note = fields.Text()

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self._records().action_pool_release(self.reason_id.id, note=self.note)
        return {'type': 'ir.actions.act_window_close'}
