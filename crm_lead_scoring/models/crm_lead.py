# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models

from ..lib import scoring
from . import mail_summary

_logger = logging.getLogger(__name__)

GRADE_PARAMS = {
    'A': 'crm_lead_scoring.grade_a_min',
    'B': 'crm_lead_scoring.grade_b_min',
    'C': 'crm_lead_scoring.grade_c_min',
}
PRIORITY_SYNC_PARAM = 'crm_lead_scoring.priority_sync'
SCORE_FIELDS = [
    'score_fit', 'score_engagement', 'score', 'grade', 'score_disqualified',
    'score_hot_date', 'score_date', 'priority', 'score_line_ids',
]
COPY_THRESHOLD = 200  # leads per recompute from which lines are COPYed


class CrmLead(models.Model):
    _inherit = 'crm.lead'

    score_fit = fields.Float(
        string='Fit Score',
        digits=(16, 2),
        readonly=True,
        copy=False,
        prefetch=False,  # read by the score views only
    )
    score_engagement = fields.Float(
        string='Engagement Score',
        digits=(16, 2),
        readonly=True,
        copy=False,
        prefetch=False,  # read by the score views only
    )
    score = fields.Float(
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="Fit score plus engagement score (after decay).",
    )
    grade = fields.Selection(
        selection=[
            ('A', 'A'),
            ('B', 'B'),
            ('C', 'C'),
            ('D', 'D'),
        ],
        readonly=True,
        copy=False,
        help="A to D from the score and the thresholds set in the CRM "
             "settings; disqualified leads are D.",
    )
    score_disqualified = fields.Boolean(
        string='Disqualified',
        readonly=True,
        copy=False,
        prefetch=False,  # read by the score views only
        help="A knockout rule applies to this lead.",
    )
    score_line_ids = fields.One2many(
        comodel_name='crm.lead.score.line',
        inverse_name='lead_id',
        string='Score Breakdown',
        readonly=True,
        copy=False,
    )
    score_event_ids = fields.One2many(
        comodel_name='crm.lead.score.event',
        inverse_name='lead_id',
        string='Score Events',
        copy=False,
    )
    score_date = fields.Datetime(
        string='Scored on',
        readonly=True,
        copy=False,
        prefetch=False,  # read by the score views only
    )
    score_hot_date = fields.Datetime(
        string='Grade A since',
        readonly=True,
        copy=False,
        prefetch=False,  # read by the score views only
        help="When the lead entered grade A; the grade A action runs once "
             "per entry.",
    )

    @api.model
    def create(self, vals):
        lead = super(CrmLead, self).create(vals)
        lead._score_recompute()
        return lead

    @api.multi
    def write(self, vals):
        stages_before = {}
        if vals.get('stage_id'):
            stages_before = {lead.id: lead.stage_id for lead in self}
        res = super(CrmLead, self).write(vals)
        # crm's write() adds the fields it derives (probability, dates) to vals.
        changed = set(vals)
        rule_ids = [
            rule['id'] for rule in self.env['crm.lead.score.rule']._get_rules_data()
            if rule['kind'] == 'fit' and rule['fields'] & changed]
        if rule_ids:
            self._score_recompute(fit_rule_ids=rule_ids)
        if stages_before:
            new_stage = self.env['crm.stage'].browse(vals['stage_id'])
            back = self.filtered(
                lambda lead: stages_before[lead.id]
                and new_stage.sequence < stages_before[lead.id].sequence)
            if back:
                self.env['crm.lead.score.event']._score_record(
                    'stage_back', back, 'stage', note=new_stage.name)
        return res

    @api.multi
    @api.returns('self', lambda value: value.id)
    def message_post(self, body='', subject=None, message_type='notification',
                     **kwargs):
        message = super(CrmLead, self).message_post(
            body=body, subject=subject, message_type=message_type, **kwargs)
        if message_type == 'email' and self and self._score_is_customer(message):
            self.env['crm.lead.score.event']._score_record(
                'email_reply', self, 'email', note=subject or message.subject)
        return message

    @api.model
    def _score_is_customer(self, message):
        """An incoming email counts when its author is no internal user."""
        # sudo: reading who the author's users are, whatever the reader's
        # access to users (portal/public authors included).
        users = message.sudo().author_id.user_ids
        return not users.filtered(lambda user: not user.share)

    @api.model
    def _score_thresholds(self):
        # sudo: reads the grade thresholds, technical settings holding no user data.
        params = self.env['ir.config_parameter'].sudo()
        thresholds = {}
        for grade, key in GRADE_PARAMS.items():
            try:
                thresholds[grade] = float(params.get_param(
                    key, scoring.DEFAULT_THRESHOLDS[grade]))
            except ValueError:
                thresholds[grade] = scoring.DEFAULT_THRESHOLDS[grade]
        return thresholds

    @api.model
    def _score_priority_sync(self):
        # sudo: reads one on/off setting; salespeople may not read settings.
        value = self.env['ir.config_parameter'].sudo().get_param(
            PRIORITY_SYNC_PARAM, 'False')
        return value not in ('False', '0', '')

    @api.multi
    def _score_on_grade_a(self):
        """Threshold action: the lead just entered grade A.

        Schedules a to-do for the owner, or notifies the sales channel's
        leader when the lead has no owner. Runs once per entry into A.
        """
        self.env.cr.execute("""
            SELECT l.id, l.user_id, t.user_id FROM crm_lead l
            LEFT JOIN crm_team t ON t.id = l.team_id
            WHERE l.id = ANY(%s) AND (l.user_id IS NOT NULL OR t.user_id IS NOT NULL)
        """, (self.ids,))
        rows = self.env.cr.fetchall()
        if not rows:
            return
        activity_type = self.env.ref('mail.mail_activity_data_todo',
                                     raise_if_not_found=False)
        model = self.env['ir.model']._get('crm.lead')
        users = self.env['res.users']
        for lead_id, owner_id, leader_id in rows:
            # sudo: a system action of the scoring: the current user (e.g.
            # whoever logged an email) may not manage the owner's activities.
            lead = self.browse(lead_id).sudo()
            if owner_id:
                # sudo: reads the owner's language only.
                owner = users.sudo().browse(owner_id)
                lead_lang = lead.with_context(lang=owner.lang or self.env.lang)
                # sudo: one activity for the lead's own owner, see above.
                self.env['mail.activity'].sudo().create({
                    'res_model_id': model.id,
                    'res_id': lead_id,
                    'activity_type_id': activity_type.id if activity_type else False,
                    'user_id': owner_id,
                    'summary': lead_lang._score_hot_summary(),
                    'date_deadline': fields.Date.context_today(lead),
                })
            else:
                # sudo: reads the team leader's language and partner only.
                leader = users.sudo().browse(leader_id)
                mail_summary.post(
                    self.env.ref('crm_lead_scoring.mail_template_lead_hot'),
                    lead, leader.partner_id,
                    subtype='mail.mt_note', message_type='comment')

    @api.multi
    def _score_hot_summary(self):
        return _("Hot lead: grade A (score %s)") % self.score
