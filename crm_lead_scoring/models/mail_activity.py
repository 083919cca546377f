# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MailActivity(models.Model):
    _inherit = 'mail.activity'

    def action_feedback(self, feedback=False):
        """An activity done on a lead (call, meeting...) is an engagement
        event of type 'activity_done'."""
        done = [(activity.res_id, activity.activity_type_id.name)
                for activity in self if activity.res_model == 'crm.lead']
        res = super(MailActivity, self).action_feedback(feedback=feedback)
        events = self.env['crm.lead.score.event']
        for lead_id, type_name in done:
            lead = self.env['crm.lead'].browse(lead_id).exists()
            if lead:
                events._score_record('activity_done', lead, 'activity',
                                     note=type_name)
        return res
