from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CrmPoolHandoverWizard(models.TransientModel):
    """Hand over (交接) a salesperson's records, pool by pool."""

    _name = 'crm.pool.handover.wizard'
    _description = 'Handover'

    from_user_id = fields.Many2one(
        comodel_name='res.users',
        string='From',
        required=True,
        context={'active_test': False},
    )
    to_user_id = fields.Many2one(
        comodel_name='res.users',
        string='Successor',
        domain=[('share', '=', False)],
        help="Leave empty to return the records to their pools.",
    )
    pool_ids = fields.Many2many(
        comodel_name='crm.pool',
        string='Pools',
        required=True,
        default=lambda self: self._default_pool_ids(),
    )
    force_quota = fields.Boolean(
        string='Ignore the Quota',
        help="Hand the records over even when the successor's quota is "
             "reached.",
    )

    def _default_pool_ids(self):
        if self.env.context.get('active_model') == 'crm.pool':
            return self.env.context.get('active_ids') or []
        return self.env['crm.pool'].search([]).filtered(
            lambda p: p._is_manager(self.env.user)).ids

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        moved = self.pool_ids.action_pool_handover(
            self.from_user_id.id, self.to_user_id.id or False,
            force=self.force_quota)
        if not moved:
            raise UserError(_("%s owns no record in these pools.")
                            % self.from_user_id.name)
        return {'type': 'ir.actions.act_window_close'}
