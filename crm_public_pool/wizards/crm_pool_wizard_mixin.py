from odoo import api, fields, models


class CrmPoolWizardMixin(models.AbstractModel):
    """Records a pool wizard works on (from the context's active ids)."""

    _name = 'crm.pool.wizard.mixin'
    _description = 'Pool Wizard Records'

    res_model = fields.Char(
        default=lambda self: self.env.context.get('active_model'),
        required=True,
    )
    res_ids = fields.Char(
        default=lambda self: ','.join(
            str(i) for i in self.env.context.get('active_ids') or []),
        required=True,
    )

    @api.multi
    def _records(self):
        self.ensure_one()
        ids = [int(i) for i in (self.res_ids or '').split(',') if i]
        return self.env[self.res_model].browse(ids)
