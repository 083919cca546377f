# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stage playbooks (阶段销售活动) and the optional Chinese B2B stage template.

A playbook step of a stage (activity type, summary, days) is scheduled for
the lead's owner when the lead enters the stage. Rule: a step is not
scheduled again while an activity it scheduled on that lead is still open,
so a lead moved back and forth between stages gets no pile of duplicate
to-dos; once that activity is done, a later entry into the stage schedules
the step again. Leads without an owner (waiting in a pool) get none.
"""
from datetime import timedelta

from odoo import _, api, fields, models, tools

# (xml id suffix, probability, activity type xml id, days) of the template;
# names and summaries are in _stage_template() (translated per language).
TEMPLATE_STAGES = [
    ('initial_contact', 10.0, 'mail.mail_activity_data_call', 1),
    ('needs_confirmed', 30.0, 'mail.mail_activity_data_meeting', 3),
    ('quotation', 50.0, 'mail.mail_activity_data_email', 2),
    ('negotiation', 75.0, 'mail.mail_activity_data_meeting', 3),
    ('won', 100.0, 'mail.mail_activity_data_todo', 1),
]


class CrmStagePlaybook(models.Model):
    _name = 'crm.stage.playbook'
    _description = 'Stage Playbook Step'
    _order = 'stage_id, sequence, id'

    stage_id = fields.Many2one(
        comodel_name='crm.stage',
        string='Stage',
        required=True,
        ondelete='cascade',
        index=True,
    )
    sequence = fields.Integer(
        default=10,
    )
    activity_type_id = fields.Many2one(
        comodel_name='mail.activity.type',
        string='Activity Type',
        required=True,
        ondelete='restrict',
    )
    summary = fields.Char(
        required=True,
        translate=True,
        help="What the salesperson does in this stage.",
    )
    note = fields.Text(
        translate=True,
    )
    days = fields.Integer(
        string='Due in (days)',
        default=1,
        help="Days after the lead enters the stage the activity is due.",
    )

    _sql_constraints = [
        ('days_positive', 'CHECK(days >= 0)',
         'The days of a playbook step cannot be negative.'),
    ]

    @api.model
    def create(self, vals):
        self.clear_caches()
        return super(CrmStagePlaybook, self).create(vals)

    @api.multi
    def write(self, vals):
        self.clear_caches()
        return super(CrmStagePlaybook, self).write(vals)

    @api.multi
    def unlink(self):
        self.clear_caches()
        return super(CrmStagePlaybook, self).unlink()

    @api.model
    @tools.ormcache()
    def _stage_ids_with_playbook(self):
        """Stages that have steps (cached: most stage moves need no query)."""
        self.env.cr.execute('SELECT DISTINCT stage_id FROM crm_stage_playbook')
        return frozenset(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _schedule(self, leads):
        """Schedule the steps of each lead's current stage (see the module
        docstring for when a step is skipped)."""
        stage_ids = self._stage_ids_with_playbook()
        leads = leads.filtered(
            lambda lead: lead.stage_id.id in stage_ids and lead.user_id)
        if not leads:
            return
        steps = self.search([('stage_id', 'in', leads.mapped('stage_id').ids)])
        self.env.cr.execute("""
            SELECT res_id, stage_playbook_id FROM mail_activity
            WHERE res_model = 'crm.lead' AND res_id = ANY(%s)
              AND stage_playbook_id = ANY(%s)
        """, (leads.ids, steps.ids))
        open_steps = set(self.env.cr.fetchall())
        model = self.env['ir.model']._get('crm.lead')
        Activity = self.env['mail.activity']
        for lead in leads:
            today = fields.Date.from_string(fields.Date.context_today(lead))
            for step in steps.filtered(lambda s: s.stage_id == lead.stage_id):
                if (lead.id, step.id) in open_steps:
                    continue
                # the step's texts in the salesperson's language, whoever
                # moved the lead
                text = step.with_context(lang=lead.user_id.lang)
                Activity.create({
                    'res_model_id': model.id,
                    'res_id': lead.id,
                    'activity_type_id': step.activity_type_id.id,
                    'summary': text.summary,
                    'note': text.note,
                    'user_id': lead.user_id.id,
                    'date_deadline': fields.Date.to_string(
                        today + timedelta(days=step.days)),
                    'stage_playbook_id': step.id,
                })


class CrmStage(models.Model):
    _inherit = 'crm.stage'

    playbook_ids = fields.One2many(
        comodel_name='crm.stage.playbook',
        inverse_name='stage_id',
        string='Playbook',
        help="Activities scheduled for the owner when a lead enters the "
             "stage.",
    )

    @api.model
    def _stage_template(self):
        """The template's (name, playbook summary) in the context language."""
        return [
            (_("First Contact"),
             _("Call the contact: introduce us and confirm who decides")),
            (_("Needs Confirmed"),
             _("Meet to confirm needs, budget, decision makers and timeline")),
            (_("Proposal & Quotation"),
             _("Send the solution proposal and the quotation")),
            (_("Business Negotiation"),
             _("Negotiate price, terms and the contract")),
            (_("Deal Won"),
             _("Hand the deal over to delivery and thank the customer")),
        ]

    @api.model
    def _pool_load_stage_template(self):
        """Create the template's stages (with their playbook) that are not
        loaded yet, after the existing stages; existing stages are left as
        they are. Returns the stages created."""
        self.check_access_rights('create')
        # sudo: registers the template's xml ids (kept so that loading it
        # again creates nothing twice); the manager's own rights create the
        # stages themselves.
        IrData = self.env['ir.model.data'].sudo()
        langs = [code for code, _name in self.env['res.lang'].get_installed()
                 if code != 'en_US']
        source = self.with_context(lang='en_US')
        texts = {code: self.with_context(lang=code)._stage_template()
                 for code in langs + ['en_US']}
        self.env.cr.execute('SELECT COALESCE(MAX(sequence), 0) FROM crm_stage')
        sequence = self.env.cr.fetchone()[0]
        created = self.browse()
        for index, (key, probability, type_xmlid, days) in enumerate(
                TEMPLATE_STAGES):
            xmlid = 'crm_stage_template_%s' % key
            if self.env.ref('crm_public_pool.%s' % xmlid,
                            raise_if_not_found=False):
                continue
            activity_type = self.env.ref(type_xmlid, raise_if_not_found=False)
            name, summary = texts['en_US'][index]
            stage = source.create({
                'name': name,
                'sequence': sequence + 10 * (index + 1),
                'probability': probability,
                'on_change': True,
                'playbook_ids': [(0, 0, {
                    'activity_type_id': activity_type.id,
                    'summary': summary,
                    'days': days,
                })] if activity_type else [],
            })
            # translations are written as such: with one language installed
            # Odoo would store a translated write as the source term
            Translation = self.env['ir.translation']
            for code in langs:
                Translation._set_ids('crm.stage,name', 'model', code,
                                     stage.ids, texts[code][index][0], name)
                Translation._set_ids('crm.stage.playbook,summary', 'model',
                                     code, stage.playbook_ids.ids,
                                     texts[code][index][1], summary)
            IrData.create({
                'module': 'crm_public_pool', 'name': xmlid,
                'model': 'crm.stage', 'res_id': stage.id, 'noupdate': True})
            created |= stage.with_env(self.env)
        return created
