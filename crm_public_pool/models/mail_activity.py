from odoo import api, fields, models

# The follow-up method of the standard activity types marked done
ACTIVITY_METHODS = {
    'mail.mail_activity_data_call': 'call',
    'mail.mail_activity_data_email': 'email',
    'mail.mail_activity_data_meeting': 'meeting',
}


class MailActivity(models.Model):
    _inherit = 'mail.activity'

    stage_playbook_id = fields.Many2one(
        comodel_name='crm.stage.playbook',
        string='Playbook Step',
        ondelete='set null',
        index=True,
        readonly=True,
        help="The stage playbook step that scheduled this activity.",
    )

    @api.multi
    def action_feedback(self, feedback=False):
        """An activity marked done on a lead or customer is a real follow-up
        (a ``crm.followup`` of the user who did it)."""
        done = []
        methods = {self.env.ref(xmlid).id: method
                   for xmlid, method in ACTIVITY_METHODS.items()}
        for activity in self:
            if activity.res_model in ('crm.lead', 'res.partner'):
                done.append({
                    'lead_id' if activity.res_model == 'crm.lead'
                    else 'partner_id': activity.res_id,
                    'method': methods.get(activity.activity_type_id.id,
                                          'other'),
                    'content': feedback or activity.summary
                    or activity.activity_type_id.name,
                    'user_id': self.env.uid,
                })
        result = super(MailActivity, self).action_feedback(feedback=feedback)
        if done:
            self.env['crm.followup']._followup_from_activities(done)
        return result
