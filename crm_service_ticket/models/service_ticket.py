# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The service ticket: its fields, numbering, assignment, stages and actions.

The other concerns of ``crm.service.ticket`` live next to it: the SLA
bookkeeping in ``service_sla_mixin.py`` and its escalation job in
``service_ticket_sla_escalation.py``, email in and out in
``service_ticket_mail_gateway.py``, ratings in ``service_ticket_rating.py``
and the portal URL in ``service_ticket_portal.py``.
"""
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib.like import escape_like
from . import activity_lang, batch_commit
from .service_sla import KINDS, PRIORITIES
# SLA_STATES is imported from here by the analysis report.
from .service_sla_mixin import SLA_STATES  # noqa: F401 pylint: disable=unused-import

CHANNELS = [
    ('email', 'Email'),
    ('portal', 'Portal'),
    ('phone', 'Phone'),
    ('wechat', 'WeChat'),
    ('web', 'Website'),
    ('other', 'Other'),
]
#: Tickets handled per transaction by the crons.
CRON_BATCH = 1000


class CrmServiceTicket(models.Model):
    _name = 'crm.service.ticket'
    _description = 'Service Ticket'
    _inherit = ['mail.thread', 'mail.activity.mixin', 'rating.mixin',
                'portal.mixin', 'crm.service.sla.mixin']
    _order = 'priority desc, id desc'
    _mail_post_access = 'read'

    @api.model
    def _default_stage_id(self):
        return self._first_open_stage(self._default_team())

    @api.model
    def _default_team(self):
        team_id = self.env.context.get('default_team_id')
        return self.env['crm.service.team'].browse(team_id)

    number = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        default='/',
    )
    name = fields.Char(
        string='Subject',
        required=True,
        track_visibility='onchange',
    )
    description = fields.Text()
    active = fields.Boolean(
        default=True,
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
        default=lambda self: self.env['res.company']._company_default_get(
            'crm.service.ticket'),
    )
    partner_id = fields.Many2one(
        comodel_name='res.partner',
        string='Customer',
        track_visibility='onchange',
        index=True,
    )
    commercial_partner_id = fields.Many2one(
        comodel_name='res.partner',
        related='partner_id.commercial_partner_id',
        string='Customer Company',
        store=True,
        readonly=True,
        index=True,
    )
    email_from = fields.Char(
        string='Email',
        help="Address the ticket came from.",
    )
    lead_id = fields.Many2one(
        comodel_name='crm.lead',
        string='Lead / Opportunity',
        index=True,
        track_visibility='onchange',
    )
    team_id = fields.Many2one(
        comodel_name='crm.service.team',
        index=True,
        default=lambda self: self._default_team(),
        track_visibility='onchange',
    )
    user_id = fields.Many2one(
        comodel_name='res.users',
        string='Assigned to',
        index=True,
        domain=[('share', '=', False)],
        track_visibility='onchange',
    )
    stage_id = fields.Many2one(
        comodel_name='crm.service.stage',
        index=True,
        ondelete='restrict',
        default=lambda self: self._default_stage_id(),
        group_expand='_read_group_stage_ids',
        track_visibility='onchange',
        copy=False,
    )
    is_closed = fields.Boolean(
        related='stage_id.is_closed',
        readonly=True,
    )
    priority = fields.Selection(
        selection=PRIORITIES,
        default='1',
        index=True,
        track_visibility='onchange',
    )
    category_id = fields.Many2one(
        comodel_name='crm.service.category',
    )
    tag_ids = fields.Many2many(
        comodel_name='crm.service.tag',
        string='Tags',
    )
    channel = fields.Selection(
        selection=CHANNELS,
        default='phone',
    )
    kind = fields.Selection(
        selection=KINDS,
        required=True,
        default='question',
        track_visibility='onchange',
    )
    color = fields.Integer(
        string='Color Index',
    )
    closed_date = fields.Datetime(
        readonly=True,
        copy=False,
        index=True,
    )
    resolution = fields.Text(
        copy=False,
    )
    reopen_count = fields.Integer(
        readonly=True,
        copy=False,
    )
    parent_id = fields.Many2one(
        comodel_name='crm.service.ticket',
        string='Follow-up of',
        readonly=True,
        copy=False,
        index=True,  # the FK check on delete would scan the table
        ondelete='set null',
    )
    child_ids = fields.One2many(
        comodel_name='crm.service.ticket',
        inverse_name='parent_id',
        string='Follow-up Tickets',
    )
    worklog_ids = fields.One2many(
        comodel_name='crm.service.worklog',
        inverse_name='ticket_id',
        string='Time Spent',
    )
    hours_spent = fields.Float(
        compute='_compute_hours_spent',
    )

    _sql_constraints = [
        ('number_uniq', 'unique (company_id, number)',
         'The ticket number must be unique per company.'),
    ]

    @api.depends('worklog_ids.hours')
    def _compute_hours_spent(self):
        for ticket in self:
            ticket.hours_spent = sum(ticket.worklog_ids.mapped('hours'))

    @api.model
    def _read_group_stage_ids(self, stages, domain, order):
        return stages.search([], order=order)

    @api.model_cr
    def init(self):
        # Keep the round-robin pick and the crons O(log n) whatever the size.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS crm_service_ticket_team_id_id_idx
                ON crm_service_ticket (team_id, id DESC);
            CREATE INDEX IF NOT EXISTS crm_service_ticket_open_warn_idx
                ON crm_service_ticket (sla_warn_date)
             WHERE closed_date IS NULL AND NOT COALESCE(sla_warned, false);
            CREATE INDEX IF NOT EXISTS crm_service_ticket_open_deadline_idx
                ON crm_service_ticket (deadline_resolution)
             WHERE closed_date IS NULL AND NOT COALESCE(sla_escalated, false);
        """)

    @api.multi
    def name_get(self):
        return [(t.id, '[%s] %s' % (t.number, t.name) if t.number else t.name)
                for t in self]

    @api.model
    def name_search(self, name='', args=None, operator='ilike', limit=100):
        args = list(args or [])
        if name:
            args = ['|', ('number', '=ilike', escape_like(name) + '%'),
                    ('name', operator, name)] + args
            return self.search(args, limit=limit).name_get()
        return super(CrmServiceTicket, self).name_search(
            name=name, args=args, operator=operator, limit=limit)

    # ------------------------------------------------------------------ CRUD

    @api.model
    def create(self, vals):
        vals = dict(vals)
        if vals.get('number', '/') == '/':
            vals['number'] = self.env['ir.sequence'].next_by_code(
                'crm.service.ticket') or '/'
        team = self.env['crm.service.team'].browse(vals.get('team_id'))
        if team and not vals.get('user_id'):
            vals['user_id'] = team._pick_assignee()
        stage = self.env['crm.service.stage'].browse(vals.get('stage_id'))
        first_stage = self._first_open_stage(team)
        if not stage or stage.is_closed or stage.sla_pause:
            # Created open; a closing or pausing stage goes through write().
            vals['stage_id'] = first_stage.id or stage.id
        if vals.get('partner_id') and not vals.get('email_from'):
            vals['email_from'] = self._visible_partner_email(
                vals['partner_id'])
        ticket = super(CrmServiceTicket, self).create(vals)
        ticket._apply_sla()
        if stage and ticket.stage_id != stage:
            ticket.write({'stage_id': stage.id})
        return ticket

    @api.model
    def _visible_partner_email(self, partner_id):
        """The customer's email as the user sees it: an address hidden from
        them (e.g. masked by a public pool) is not copied onto the ticket,
        where they would read it."""
        partner = self.env['res.partner'].browse(partner_id)
        try:
            seen = partner.read(['email'])[0]['email']
        except AccessError:
            return False
        return partner.email if seen == partner.email else False

    @api.multi
    def write(self, vals):
        vals = dict(vals)
        if vals.get('user_id') and 'sla_warned' not in vals:
            # A new assignee gets a fresh warning (the old one had his).
            vals['sla_warned'] = False
        if 'stage_id' in vals:
            stage = self.env['crm.service.stage'].browse(vals['stage_id'])
            for ticket in self:
                was_closed = bool(ticket.closed_date)
                super(CrmServiceTicket, ticket).write(
                    ticket._stage_change_values(stage, vals))
                ticket._refresh_sla_state()
                if ticket.closed_date and not was_closed:
                    ticket._on_closed()
        else:
            super(CrmServiceTicket, self).write(vals)
        if {'team_id', 'priority', 'kind', 'category_id'} & set(vals) \
                and not self.env.context.get('ticket_no_sla'):
            self.filtered(lambda t: not t.closed_date)._apply_sla()
        return True

    # -------------------------------------------------------------- actions

    @api.multi
    def action_assign_to_me(self):
        self.write({'user_id': self.env.uid})
        return True

    @api.multi
    def action_close(self):
        """Close with the team's final stage (used by the portal too)."""
        for ticket in self:
            stage = ticket._closing_stage(solved=False)
            if not stage:
                raise UserError(_("There is no closing stage for ticket %s.")
                                % ticket.number)
            ticket.write({'stage_id': stage.id})
        return True

    @api.multi
    def action_solve(self):
        for ticket in self:
            stage = ticket._closing_stage(solved=True)
            if not stage:
                raise UserError(_("There is no solved stage for ticket %s.")
                                % ticket.number)
            ticket.write({'stage_id': stage.id})
        return True

    @api.multi
    def action_reopen(self):
        for ticket in self:
            if not ticket.closed_date:
                raise UserError(_("Ticket %s is not closed.") % ticket.number)
            ticket.write({'stage_id': ticket._first_open_stage(ticket.team_id).id})
        return True

    @api.multi
    def action_create_opportunity(self):
        """Create an opportunity from the ticket and open it."""
        self.ensure_one()
        if self.lead_id:
            raise UserError(_(
                "Ticket %(number)s is already linked to %(lead)s.") % {
                    'number': self.number, 'lead': self.lead_id.name})
        lead = self.env['crm.lead'].create({
            'name': self.name,
            'type': 'opportunity',
            'partner_id': self.partner_id.id,
            'email_from': self.email_from or self.partner_id.email,
            'description': self.description,
        })
        self.lead_id = lead
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'crm.lead',
            'res_id': lead.id,
            'view_type': 'form',
            'view_mode': 'form',
            'views': [(self.env.ref('crm.crm_case_form_view_oppor').id,
                       'form')],
        }

    # ------------------------------------------------------------ business

    @api.model
    def _first_open_stage(self, team):
        domain = [('is_closed', '=', False), ('sla_pause', '=', False)]
        if team:
            domain += ['|', ('team_ids', '=', False), ('team_ids', 'in', team.ids)]
        return self.env['crm.service.stage'].search(domain, limit=1)

    @api.multi
    def _closing_stage(self, solved):
        self.ensure_one()
        domain = [('is_closed', '=', True), ('is_solved', '=', solved)]
        if self.team_id:
            domain += ['|', ('team_ids', '=', False),
                       ('team_ids', 'in', self.team_id.ids)]
        return self.env['crm.service.stage'].search(domain, limit=1)

    @api.multi
    def _stage_change_values(self, stage, vals):
        """Values written with a move to ``stage`` (one ticket)."""
        self.ensure_one()
        values = dict(vals)
        now_str = self._now()
        was_closed = bool(self.closed_date)
        if stage.is_closed and not was_closed:
            resolution = values.get('resolution', self.resolution)
            if not (resolution or '').strip():
                raise UserError(_(
                    "Please describe the resolution before closing ticket "
                    "%s.") % self.number)
            values['closed_date'] = now_str
        elif not stage.is_closed and was_closed:
            values.update(closed_date=False, reopen_count=self.reopen_count + 1)
        values.update(self._sla_stage_values(stage, now_str))
        return values

    @api.multi
    def _sla_write(self, values):
        # Past the ticket's own write(): SLA bookkeeping must not apply the
        # SLA again nor run the stage logic.
        return super(CrmServiceTicket, self.with_context(
            tracking_disable=True)).write(values)

    @api.multi
    def _on_closed(self):
        """Return visit, once per closing (the rating request is added in
        ``service_ticket_rating.py``)."""
        self.ensure_one()
        team = self.team_id
        days = team.return_visit_days if team else 3
        user = self.user_id or team.leader_id
        if days and user:
            closed = fields.Datetime.from_string(self.closed_date)
            self._add_activity(
                'crm_service_ticket.mail_activity_type_return_visit', user,
                '_summary_return_visit',
                fields.Date.to_string((closed + timedelta(days=days)).date()))

    @api.multi
    def _summary_return_visit(self):
        return _("Return visit: %s") % self.display_name

    @api.multi
    def _add_activity(self, type_xmlid, user, summary_method, date_deadline,
                      note=None):
        """Plan an activity for ``user``; its summary is
        ``self.<summary_method>()`` in that user's language."""
        self.ensure_one()
        activity_type = self.env.ref(type_xmlid)
        summary = activity_lang.text_for(self, user, summary_method)
        # sudo: the activity is planned by the system for someone else (the
        # assignee or the leader) on a ticket the current user may not read.
        return self.env['mail.activity'].sudo().create({
            'res_model_id': self.env['ir.model']._get(self._name).id,
            'res_id': self.id,
            'activity_type_id': activity_type.id,
            'summary': summary,
            'note': note or False,
            'user_id': user.id,
            'date_deadline': date_deadline,
        })

    # ----------------------------------------------------------------- crons

    @api.model
    def _cron_autoclose(self, now=None, batch_size=CRON_BATCH):
        """Close solved tickets the customer did not answer in time."""
        now = now or fields.Datetime.now()
        cr = self.env.cr
        closed = 0
        last_id = 0
        commit = batch_commit.start(self.env)
        while True:
            batch_commit.begin(self.env, commit)
            cr.execute("""
                SELECT t.id FROM crm_service_ticket t
                  JOIN crm_service_stage s ON s.id = t.stage_id
                  JOIN crm_service_team tm ON tm.id = t.team_id
                 WHERE s.is_solved AND tm.autoclose_days > 0 AND t.id > %s
                   AND t.closed_date + tm.autoclose_days * interval '1 day'
                       <= %s
                 ORDER BY t.id LIMIT %s
                   FOR UPDATE OF t SKIP LOCKED""", (last_id, now, batch_size))
            ids = [r[0] for r in cr.fetchall()]
            if not ids:
                break
            last_id = ids[-1]
            for ticket in self.browse(ids):
                stage = ticket._closing_stage(solved=False)
                if stage:
                    ticket.write({'stage_id': stage.id})
                    ticket.message_post(
                        body=_("Closed automatically: no reply from the "
                               "customer since the ticket was solved."),
                        subtype='mail.mt_note')
                    closed += 1
            # resumable: the closed ones drop out of the next run
            batch_commit.end(self.env, commit)
        return closed
