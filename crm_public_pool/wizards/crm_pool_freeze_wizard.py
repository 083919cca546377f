from odoo import api, fields, models


class CrmPoolFreezeWizard(models.TransientModel):
    """Freeze (冻结) owned records until a date."""

    _name = 'crm.pool.freeze.wizard'
    _inherit = 'crm.pool.wizard.mixin'
    _description = 'Freeze Pool Records'

    date_until = fields.Date(
        string='Frozen until',
        required=True,
    )
    reason = fields.Text(required=True)

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self._records().action_pool_freeze(self.date_until, self.reason)
        return {'type': 'ir.actions.act_window_close'}
