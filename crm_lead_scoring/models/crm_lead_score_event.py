# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..controllers.plain_json import ensure_rate_table

TOKEN_PARAM = 'crm_lead_scoring.event_token'
RATE_LIMIT_PARAM = 'crm_lead_scoring.event_rate_limit'
DEFAULT_RATE_LIMIT = 120  # requests per minute and token


class CrmLeadScoreEvent(models.Model):
    _name = 'crm.lead.score.event'
    _inherit = ['crm.lead.score.lead.bound']
    _description = 'Lead Score Event'
    _order = 'date desc, id desc'

    lead_id = fields.Many2one(
        comodel_name='crm.lead',
        string='Lead',
        required=True,
        ondelete='cascade',
        index=True,
    )
    event_type_id = fields.Many2one(
        comodel_name='crm.lead.score.event.type',
        string='Event Type',
        required=True,
        ondelete='restrict',
        index=True,
    )
    points = fields.Float(
        string='Base Points',
        digits=(16, 2),
        help="Points of the engagement rules of this type when the event was "
             "recorded, before decay (for information).",
    )
    date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        index=True,
    )
    source = fields.Selection(
        selection=[
            ('email', 'Customer Email'),
            ('activity', 'Activity Done'),
            ('stage', 'Stage Change'),
            ('api', 'External (API)'),
            ('manual', 'Manual'),
            ('ticket', 'Service Ticket'),
        ],
        required=True,
        default='manual',
    )
    note = fields.Char()

    @api.model_cr
    def init(self):
        # Rate limit of the HTTP endpoint (see controllers/plain_json.py);
        # the per-minute counters of earlier versions are gone.
        ensure_rate_table(self.env.cr)
        self.env.cr.execute("DROP TABLE IF EXISTS crm_lead_score_api_hit")

    @api.model
    def create(self, vals):
        if 'points' not in vals and vals.get('event_type_id'):
            vals['points'] = sum(
                rule['points'] for rule in
                self.env['crm.lead.score.rule']._get_rules_data()
                if rule['kind'] == 'engagement'
                and rule['event_type_id'] == vals['event_type_id'])
        event = super(CrmLeadScoreEvent, self).create(vals)
        if not self.env.context.get('crm_score_no_recompute'):
            event.lead_id._score_recompute(fit_rule_ids=[])
        return event

    @api.multi
    def write(self, vals):
        if set(vals) & {'lead_id', 'event_type_id', 'date'}:
            raise UserError(_("Score events are a ledger: record a new event "
                              "instead of changing one."))
        return super(CrmLeadScoreEvent, self).write(vals)

    @api.multi
    def unlink(self):
        leads = self.mapped('lead_id')
        res = super(CrmLeadScoreEvent, self).unlink()
        leads.exists()._score_recompute(fit_rule_ids=[])
        return res

    @api.model
    def _score_record(self, code, leads, source, date=None, note=None):
        """Record one event of type ``code`` on each lead; recompute them.

        Unknown or archived event types record nothing (an integrator may
        have archived one on purpose). Returns the new events.
        """
        events = self.browse()
        if not leads:
            return events
        # sudo: the ledger is written by the system on behalf of whoever did
        # the action (email, activity, stage move) on a lead they may edit.
        event_type = self.env['crm.lead.score.event.type'].sudo().search(
            [('code', '=', code)], limit=1)
        if not event_type:
            return events
        # sudo: ledger rows are system records (users have no create right);
        # the caller acted on these leads with its own rights.
        quiet = self.sudo().with_context(crm_score_no_recompute=True)
        for lead in leads:
            events |= quiet.create({
                'lead_id': lead.id,
                'event_type_id': event_type.id,
                'date': date or fields.Datetime.now(),
                'source': source,
                'note': note,
            })
        leads._score_recompute(fit_rule_ids=[])
        return events

    @api.model
    def _score_record_manual(self, lead, event_type, reason):
        """Record one event of a ``manual`` type on ``lead`` for the current
        user, who must own the lead (or be a sales manager). The score
        updates at once. Refusals name neither the lead nor its owner."""
        reason = (reason or '').strip()
        if not reason:
            raise UserError(_("Give the reason for recording this behaviour."))
        # sudo: reads the type's manual flag, a setting without user data.
        event_type = event_type.sudo()
        if not event_type.exists() or not event_type.manual \
                or not event_type.active:
            raise UserError(_("Only event types marked as recorded by "
                              "salespeople can be recorded by hand."))
        # sudo: the owner is compared only; nothing of the lead is shown.
        owner = lead.sudo().exists().user_id
        is_manager = self.env.user.has_group('sales_team.group_sale_manager')
        if not lead.exists() or (owner != self.env.user and not is_manager):
            raise UserError(_("You can only record behaviour on leads you own."))
        lead.check_access_rule('read')
        # sudo: ledger rows are system records (users have no create right);
        # the owner (or a manager) was checked above.
        return self.sudo().create({
            'lead_id': lead.id,
            'event_type_id': event_type.id,
            'date': fields.Datetime.now(),
            'source': 'manual',
            'note': reason,
        })

    @api.model
    def _score_ensure_token(self):
        # sudo: the endpoint's secret lives in a system parameter; it is only
        # returned to the controller and to administrators' settings.
        params = self.env['ir.config_parameter'].sudo()
        if not params.get_param(TOKEN_PARAM):
            params.set_param(TOKEN_PARAM, secrets.token_urlsafe(32))
        return params.get_param(TOKEN_PARAM)
