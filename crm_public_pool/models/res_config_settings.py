# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    @api.multi
    def action_pool_load_stage_template(self):
        """Load the Chinese B2B stage template (初步接触 ... 赢单) with its
        playbooks, then show the pipeline stages; existing stages are not
        touched and loading twice creates nothing more."""
        if not self.env.user.has_group('sales_team.group_sale_manager'):
            raise AccessError(_("Only sales managers may load the stage "
                                "template."))
        self.env['crm.stage']._pool_load_stage_template()
        action = self.env.ref('crm.crm_stage_action').read()[0]
        action['name'] = _("Pipeline Stages")
        return action
