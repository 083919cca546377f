from odoo import api, fields, models


class CrmPoolAssignWizard(models.TransientModel):
    """Assign (分配) records to a salesperson (pool managers)."""

    _name = 'crm.pool.assign.wizard'
    _inherit = 'crm.pool.wizard.mixin'
    _description = 'Assign Pool Records'

    user_id = fields.Many2one(
        comodel_name='res.users',
        string='Salesperson',
        required=True,
        domain=[('share', '=', False)],
    )
    force_quota = fields.Boolean(
        string='Exceed the quota',
        help="Assign even when the salesperson's quota in the pool is "
             "reached.",
    )

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        records = self._records().with_context(
            pool_force_quota=self.force_quota)
        records.action_pool_assign(self.user_id.id)
        return {'type': 'ir.actions.act_window_close'}
