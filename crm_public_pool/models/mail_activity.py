from odoo import api, models


class MailActivity(models.Model):
    _inherit = 'mail.activity'

    @api.multi
    def action_feedback(self, feedback=False):
        """An activity marked done is a real follow-up of a pool record."""
        done = {}
        for activity in self:
            if activity.res_model in self.env.registry and 'pool_date_followup' \
                    in self.env[activity.res_model]._fields:
                done.setdefault(activity.res_model, set()).add(activity.res_id)
        result = super(MailActivity, self).action_feedback(feedback=feedback)
        for res_model, res_ids in done.items():
            self.env[res_model].browse(list(res_ids)).exists() \
                ._pool_touch_followup()
        return result
