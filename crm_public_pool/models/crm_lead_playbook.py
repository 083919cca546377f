# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Leads entering a stage get the stage's playbook activities
(see crm_stage_playbook.py for the rule)."""
from odoo import api, models


class CrmLead(models.Model):
    _inherit = 'crm.lead'
    # crm.lead is extended once per concern (files by concern).
    # pylint: disable=consider-merging-classes-inherited

    @api.model
    def create(self, vals):
        lead = super(CrmLead, self).create(vals)
        self.env['crm.stage.playbook']._schedule(lead)
        return lead

    @api.multi
    def write(self, vals):
        entering = self.browse()
        if vals.get('stage_id'):
            entering = self.filtered(
                lambda lead: lead.stage_id.id != vals['stage_id'])
        res = super(CrmLead, self).write(vals)
        if entering:
            self.env['crm.stage.playbook']._schedule(entering)
        return res
