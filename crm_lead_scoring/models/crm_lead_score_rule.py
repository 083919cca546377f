# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from . import score_domain_sql

RULES_CHANGED_PARAM = 'crm_lead_scoring.rules_changed'


def eval_domain(text):
    """The domain list of a rule's ``domain`` text."""
    domain = safe_eval(text or '[]', {
        'datetime': datetime,
        'relativedelta': relativedelta,
        'context_today': datetime.date.today,
    })
    if not isinstance(domain, (list, tuple)):
        raise ValueError(_("a domain must be a list"))
    return list(domain)


class CrmLeadScoreRule(models.Model):
    _name = 'crm.lead.score.rule'
    _description = 'Lead Scoring Rule'
    _order = 'sequence, id'

    name = fields.Char(
        required=True,
        translate=True,
    )
    sequence = fields.Integer(
        default=10,
    )
    active = fields.Boolean(
        default=True,
    )
    kind = fields.Selection(
        selection=[
            ('fit', 'Fit'),
            ('engagement', 'Engagement'),
        ],
        required=True,
        default='fit',
        help="Fit: the lead matches a domain (industry, region, size, source, "
             "filled-in contact data...).\n"
             "Engagement: the lead received an event of a type (email reply, "
             "activity done, website visit...); each event brings the points, "
             "decaying with the half-life.",
    )
    domain = fields.Char(
        default='[]',
        help="Leads matching this domain get the points (fit rules).",
    )
    event_type_id = fields.Many2one(
        comodel_name='crm.lead.score.event.type',
        string='Event Type',
        ondelete='restrict',
        help="Each event of this type on the lead brings the points "
             "(engagement rules).",
    )
    points = fields.Float(
        required=True,
        digits=(16, 2),
        help="Points added to the score; negative points lower it.",
    )
    half_life_days = fields.Float(
        string='Half-life (days)',
        digits=(16, 2),
        default=30.0,
        help="Engagement points lose half their value every N days. "
             "0 means they never decay.",
    )
    max_points = fields.Float(
        string='Cap',
        digits=(16, 2),
        help="The rule never adds more than this many points (or removes more "
             "than this many for negative rules). 0 means no cap.",
    )
    knockout = fields.Boolean(
        help="A lead matching this rule is disqualified: its grade is D "
             "whatever its score.",
    )
    description = fields.Text(
        translate=True,
    )
    line_count = fields.Integer(
        string='Scored Leads',
        compute='_compute_line_count',
    )

    @api.multi
    def _compute_line_count(self):
        data = self.env['crm.lead.score.line'].read_group(
            [('rule_id', 'in', self.ids)], ['rule_id'], ['rule_id'])
        counts = {row['rule_id'][0]: row['rule_id_count'] for row in data}
        for rule in self:
            rule.line_count = counts.get(rule.id, 0)

    @api.constrains('kind', 'domain', 'event_type_id')
    def _check_kind(self):
        for rule in self:
            if rule.kind == 'engagement' and not rule.event_type_id:
                raise ValidationError(
                    _("The engagement rule %s needs an event type.") % rule.name)
            if rule.kind == 'fit':
                try:
                    domain = rule._get_domain()
                    # sudo: only parses the domain; reads no lead.
                    leads = self.env['crm.lead'].sudo().with_context(
                        active_test=False)
                    score_domain_sql.domain_sql(leads, domain)
                except Exception as exc:  # any parse or field error
                    raise ValidationError(
                        _("The domain of the rule %(rule)s is invalid: %(error)s")
                        % {'rule': rule.name, 'error': exc})

    @api.constrains('half_life_days', 'max_points')
    def _check_numbers(self):
        for rule in self:
            if rule.half_life_days < 0 or rule.max_points < 0:
                raise ValidationError(
                    _("The half-life and the cap of the rule %s cannot be "
                      "negative (use 0 to turn them off).") % rule.name)

    @api.model
    def create(self, vals):
        rule = super(CrmLeadScoreRule, self).create(vals)
        self._rules_changed()
        return rule

    @api.multi
    def write(self, vals):
        res = super(CrmLeadScoreRule, self).write(vals)
        self._rules_changed()
        return res

    @api.multi
    def unlink(self):
        res = super(CrmLeadScoreRule, self).unlink()
        self._rules_changed()
        return res

    @api.multi
    def action_preview(self):
        """Open the preview: matching open leads and the rule's lift."""
        self.ensure_one()
        wizard = self.env['crm.lead.score.rule.preview'].create({
            'rule_id': self.id,
        })
        return {
            'type': 'ir.actions.act_window',
            'name': _('Rule Preview'),
            'res_model': 'crm.lead.score.rule.preview',
            'view_type': 'form',
            'view_mode': 'form',
            'res_id': wizard.id,
            'target': 'new',
        }

    @api.multi
    def _get_domain(self):
        self.ensure_one()
        return eval_domain(self.domain)

    @api.model
    def _rules_changed(self):
        """Drop the cached rules and ask the nightly job to run soon.

        The job recomputes every open lead scored before this moment, so a
        rule change reaches all leads within minutes, set-based.
        """
        self.clear_caches()
        # sudo: the rule editor is a sales manager, not a settings admin;
        # only the date of the change and the job's next call are written.
        self.env['ir.config_parameter'].sudo().set_param(
            RULES_CHANGED_PARAM, fields.Datetime.now())
        # sudo: as above, the manager may not write scheduled actions.
        cron = self.sudo().env.ref(
            'crm_lead_scoring.ir_cron_score_recompute', raise_if_not_found=False)
        if cron and cron.active:
            cron.write({'nextcall': fields.Datetime.now()})

    @api.model
    @tools.ormcache()
    def _get_rules_data(self):
        """Active rules as plain data, cached per registry.

        Each item: id, kind, points, half_life_days, max_points, knockout,
        event_type_id, domain (a list, fit rules) and fields (the lead
        fields the domain reads, to know which rules a write may change).
        """
        # One query, not the ORM: the rules as stored in this transaction,
        # whatever an environment's cache holds (a rule written through
        # another environment may sit there with its old values).
        self.env.cr.execute("""
            SELECT r.id, r.kind, r.points, r.half_life_days, r.max_points,
                   r.knockout, r.event_type_id, r.domain, t.active
            FROM crm_lead_score_rule r
            LEFT JOIN crm_lead_score_event_type t ON t.id = r.event_type_id
            WHERE r.active
            ORDER BY r.sequence, r.id
        """)
        rules = []
        for (rule_id, kind, points, half_life, max_points, knockout, type_id,
             domain, type_active) in self.env.cr.fetchall():
            data = {
                'id': rule_id,
                'kind': kind,
                'points': points or 0.0,
                'half_life_days': half_life or 0.0,
                'max_points': max_points or 0.0,
                'knockout': bool(knockout),
                'event_type_id': type_id or False,
                'domain': [],
                'fields': frozenset(),
            }
            if kind == 'fit':
                domain = eval_domain(domain)
                data['domain'] = domain
                data['fields'] = frozenset(
                    leaf[0].split('.')[0] for leaf in domain
                    if isinstance(leaf, (list, tuple)) and len(leaf) == 3
                    and isinstance(leaf[0], str))
            elif not type_active:
                continue
            rules.append(data)
        return tuple(rules)
