from odoo import api, models


class ResUsers(models.Model):
    _inherit = 'res.users'

    @api.multi
    def write(self, vals):
        leaving = self.browse()
        if 'active' in vals and not vals['active']:
            leaving = self.filtered('active')
        result = super(ResUsers, self).write(vals)
        if leaving:
            # sudo: archiving a user (an administrator's right, checked by
            # the write above) hands their pool records over per each
            # pool's handover setting.
            self.env['crm.pool'].sudo()._pool_handover_leaver(leaving)
        return result

    @api.multi
    def action_pool_handover_wizard(self):
        """Open the handover (交接) wizard for this salesperson."""
        self.ensure_one()
        action = self.env.ref(
            'crm_public_pool.crm_pool_handover_wizard_action').read()[0]
        action['context'] = {'default_from_user_id': self.id}
        return action
