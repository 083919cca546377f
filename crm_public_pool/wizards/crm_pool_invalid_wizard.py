from odoo import api, fields, models


class CrmPoolInvalidWizard(models.TransientModel):
    """Mark records invalid (无效) with the reason."""

    _name = 'crm.pool.invalid.wizard'
    _inherit = 'crm.pool.wizard.mixin'
    _description = 'Mark Invalid'

    reason = fields.Text(required=True)

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self._records().action_pool_mark_invalid(self.reason)
        return {'type': 'ir.actions.act_window_close'}
