from odoo import api, fields, models


class CrmPoolTransferWizard(models.TransientModel):
    """Move records to another pool (pool managers)."""

    _name = 'crm.pool.transfer.wizard'
    _inherit = 'crm.pool.wizard.mixin'
    _description = 'Transfer to Another Pool'

    pool_id = fields.Many2one(
        comodel_name='crm.pool',
        string='Target Pool',
        required=True,
    )

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self._records().action_pool_transfer(self.pool_id.id)
        return {'type': 'ir.actions.act_window_close'}
