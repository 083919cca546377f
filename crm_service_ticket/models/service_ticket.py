# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from psycopg2.extensions import TransactionRollbackError

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError

from ..lib import sla as sla_lib
from ..lib.like import escape_like
from .service_sla import KINDS, PRIORITIES

_logger = logging.getLogger(__name__)

CHANNELS = [
    ('email', 'Email'),
    ('portal', 'Portal'),
    ('phone', 'Phone'),
    ('wechat', 'WeChat'),
    ('web', 'Website'),
    ('other', 'Other'),
]
SLA_STATES = [
    ('ok', 'On time'),
    ('at_risk', 'At risk'),
    ('breached', 'Breached'),
    ('paused', 'Paused'),
    ('done', 'Done'),
]
#: Tickets handled per transaction by the crons.
CRON_BATCH = 1000
#: Default limit for one email attachment kept on a ticket (bytes).
DEFAULT_MAX_ATTACHMENT = 10 * 1024 * 1024
#: Default limits for all attachments of one email: number and bytes.
DEFAULT_MAX_ATTACHMENT_COUNT = 20
DEFAULT_MAX_ATTACHMENT_TOTAL = 25 * 1024 * 1024


class CrmServiceTicket(models.Model):
    _name = 'crm.service.ticket'
    _description = 'Service Ticket'
    _inherit = ['mail.thread', 'mail.activity.mixin', 'rating.mixin',
                'portal.mixin']
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
    sla_policy_id = fields.Many2one(
        comodel_name='crm.service.sla',
        string='SLA Policy',
        readonly=True,
        copy=False,
    )
    sla_start = fields.Datetime(
        string='SLA Start',
        default=lambda self: self._now(),
        copy=False,
        readonly=True,
    )
    deadline_first_response = fields.Datetime(
        readonly=True,
        copy=False,
    )
    deadline_resolution = fields.Datetime(
        readonly=True,
        copy=False,
        index=True,
    )
    first_response_date = fields.Datetime(
        readonly=True,
        copy=False,
    )
    sla_state = fields.Selection(
        selection=SLA_STATES,
        string='SLA Status',
        default='ok',
        readonly=True,
        copy=False,
        index=True,
    )
    sla_warn_date = fields.Datetime(
        string='SLA Warning Date',
        readonly=True,
        copy=False,
    )
    sla_paused_since = fields.Datetime(
        readonly=True,
        copy=False,
    )
    sla_warned = fields.Boolean(
        string='SLA Warning Sent',
        readonly=True,
        copy=False,
    )
    sla_escalated = fields.Boolean(
        string='SLA Breach Escalated',
        readonly=True,
        copy=False,
    )
    hours_to_first_response = fields.Float(
        string='Working Hours to First Response',
        readonly=True,
        copy=False,
        group_operator='avg',
    )
    hours_to_resolution = fields.Float(
        string='Working Hours to Resolution',
        readonly=True,
        copy=False,
        group_operator='avg',
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

    @api.multi
    def _compute_portal_url(self):
        for ticket in self:
            ticket.portal_url = '/my/ticket/%s' % ticket.id

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

    @api.multi
    def action_view_rating(self):
        self.ensure_one()
        action = self.env.ref('rating.action_view_rating').read()[0]
        action['domain'] = [('res_model', '=', self._name),
                            ('res_id', '=', self.id)]
        return action

    # ------------------------------------------------------------ business

    @api.model
    def _now(self):
        """Current UTC time as string; ``ticket_now`` in the context fixes it
        (tests and data imports)."""
        return self.env.context.get('ticket_now') or fields.Datetime.now()

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
    def _apply_sla(self, now=None):
        """Match the SLA policy and compute deadlines from ``sla_start``."""
        cache = {}
        for ticket in self:
            policy = self.env['crm.service.sla']._match(
                ticket.team_id, ticket.priority, ticket.kind,
                ticket.category_id, ticket.company_id)
            values = {'sla_policy_id': policy.id}
            if policy:
                if policy.id not in cache:
                    cache[policy.id] = policy._schedule()
                schedule = cache[policy.id]
                start = fields.Datetime.from_string(ticket.sla_start)
                try:
                    first = sla_lib.add_working_hours(
                        start, policy.hours_first_response, schedule)
                    resolution = sla_lib.add_working_hours(
                        start, policy.hours_resolution, schedule)
                    warn = ticket._warn_date_for(
                        policy, schedule, start,
                        bool(ticket.first_response_date))
                except ValueError:
                    # A working time without working hours (all removed,
                    # all dated, all on leave): no deadline rather than no
                    # ticket; the agents are told why.
                    first = resolution = warn = False
                    if ticket.sla_policy_id != policy or \
                            ticket.deadline_resolution:
                        ticket._post_no_working_time(policy)
                values.update(
                    deadline_first_response=fields.Datetime.to_string(first),
                    deadline_resolution=fields.Datetime.to_string(resolution),
                    sla_warn_date=warn,
                )
            else:
                values.update(deadline_first_response=False,
                              deadline_resolution=False, sla_warn_date=False)
            parse = fields.Datetime.from_string
            values['sla_state'] = sla_lib.sla_state(
                now or parse(self._now()),
                parse(values['deadline_first_response']),
                bool(ticket.first_response_date),
                parse(values['deadline_resolution']),
                warn_at=parse(values['sla_warn_date']),
                paused=bool(ticket.sla_paused_since),
                closed=bool(ticket.closed_date))
            # None of these fields is tracked: skip the chatter machinery.
            super(CrmServiceTicket, ticket.with_context(
                tracking_disable=True)).write(values)

    @api.multi
    def _post_no_working_time(self, policy):
        self.ensure_one()
        _logger.warning("SLA policy %s (id %s): its working time has no "
                        "working hours; ticket %s gets no deadline.",
                        policy.name, policy.id, self.id)
        self.message_post(
            body=_("SLA %s: its working time has no working hours, so this "
                   "ticket has no deadline. Please fix the SLA's working "
                   "time.") % policy.name,
            subtype='mail.mt_note')

    @api.multi
    def _warn_date_for(self, policy, schedule, start, first_done):
        share = (self.team_id.warn_share if self.team_id else 80) / 100.0
        if not share:
            return False
        hours = policy.hours_resolution if first_done \
            else policy.hours_first_response
        return fields.Datetime.to_string(
            sla_lib.warn_date(start, hours, share, schedule))

    @api.multi
    def _refresh_sla_state(self, now=None):
        now = now or fields.Datetime.from_string(self._now())
        parse = fields.Datetime.from_string
        for ticket in self:
            state = sla_lib.sla_state(
                now, parse(ticket.deadline_first_response),
                bool(ticket.first_response_date),
                parse(ticket.deadline_resolution),
                warn_at=parse(ticket.sla_warn_date),
                paused=bool(ticket.sla_paused_since),
                closed=bool(ticket.closed_date))
            if state != ticket.sla_state:
                super(CrmServiceTicket, ticket.with_context(
                    tracking_disable=True)).write({'sla_state': state})

    @api.multi
    def _stage_change_values(self, stage, vals):
        """Values written with a move to ``stage`` (one ticket)."""
        self.ensure_one()
        values = dict(vals)
        now_str = self._now()
        now = fields.Datetime.from_string(now_str)
        was_closed = bool(self.closed_date)
        if stage.is_closed and not was_closed:
            resolution = values.get('resolution', self.resolution)
            if not (resolution or '').strip():
                raise UserError(_(
                    "Please describe the resolution before closing ticket "
                    "%s.") % self.number)
            values['closed_date'] = now_str
            start = fields.Datetime.from_string(self.sla_start)
            if self.sla_policy_id:
                values['hours_to_resolution'] = sla_lib.working_hours_between(
                    start, now, self.sla_policy_id._schedule())
            values['sla_paused_since'] = False
        elif not stage.is_closed and was_closed:
            values.update(closed_date=False, reopen_count=self.reopen_count + 1,
                          sla_escalated=False, sla_warned=False)
        if not stage.is_closed:
            if stage.sla_pause and not self.sla_paused_since:
                values['sla_paused_since'] = now_str
            elif not stage.sla_pause and self.sla_paused_since:
                values.update(self._resume_values(now))
        return values

    @api.multi
    def _resume_values(self, now):
        """Deadlines pushed back by the working hours spent paused."""
        self.ensure_one()
        values = {'sla_paused_since': False}
        if not self.sla_policy_id:
            return values
        schedule = self.sla_policy_id._schedule()
        paused_from = fields.Datetime.from_string(self.sla_paused_since)
        for name in ('deadline_first_response', 'deadline_resolution',
                     'sla_warn_date'):
            value = fields.Datetime.from_string(self[name])
            if value:
                values[name] = fields.Datetime.to_string(
                    sla_lib.shift_after_pause(value, paused_from, now, schedule))
        return values

    @api.multi
    def _on_closed(self):
        """Rating request and return visit, once per closing."""
        self.ensure_one()
        team = self.team_id
        days = team.return_visit_days if team else 3
        user = self.user_id or team.leader_id
        if days and user:
            closed = fields.Datetime.from_string(self.closed_date)
            self._add_activity(
                'crm_service_ticket.mail_activity_type_return_visit', user,
                _("Return visit: %s") % self.display_name,
                fields.Date.to_string((closed + timedelta(days=days)).date()))
        if self.partner_id.email:
            template = self.env.ref(
                'crm_service_ticket.mail_template_ticket_rating',
                raise_if_not_found=False)
            if template:
                # The rating token must exist before rendering the mail.
                # sudo: the closing user may not write rating records; the
                # request only goes to the ticket's own customer.
                self.sudo().rating_send_request(
                    template, lang=self.partner_id.lang, force_send=False)

    @api.multi
    def _add_activity(self, type_xmlid, user, summary, date_deadline, note=None):
        self.ensure_one()
        activity_type = self.env.ref(type_xmlid)
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

    @api.multi
    def _is_customer_author(self, partner):
        self.ensure_one()
        if not partner or any(not u.share for u in partner.user_ids):
            return False
        return True

    @api.multi
    def _handle_customer_reply(self, body=None):
        """A customer wrote on a closed ticket: reopen it or open a new one.

        Returns the ticket that now carries the conversation.
        """
        self.ensure_one()
        if not self.closed_date:
            return self
        days = self.team_id.reopen_days if self.team_id else 7
        closed = fields.Datetime.from_string(self.closed_date)
        now = fields.Datetime.from_string(self._now())
        if now - closed <= timedelta(days=days):
            self.with_context(ticket_no_reopen=True).write(
                {'stage_id': self._first_open_stage(self.team_id).id})
            self.message_post(
                body=_("Reopened by the customer's reply."),
                subtype='mail.mt_note')
            return self
        new = self.create({
            'name': self.name,
            'description': tools.html2plaintext(body or ''),
            'partner_id': self.partner_id.id,
            'team_id': self.team_id.id,
            'kind': self.kind,
            'category_id': self.category_id.id,
            'priority': self.priority,
            'channel': self.channel,
            'parent_id': self.id,
            'company_id': self.company_id.id,
        })
        if body:
            new.with_context(ticket_no_reopen=True).message_post(
                body=body, author_id=self.partner_id.id,
                message_type='comment', subtype='mail.mt_comment')
        self.message_post(
            body=_("The customer wrote after the reopening delay: follow-up "
                   "ticket %s was opened.") % new.number,
            subtype='mail.mt_note')
        return new

    # ---------------------------------------------------------- mail gateway

    @api.model
    def _int_param(self, key, default):
        # sudo: reads one technical setting, returns no user data.
        value = self.env['ir.config_parameter'].sudo().get_param(key)
        try:
            return int(value) if value else default
        except ValueError:
            return default

    @api.model
    def _max_attachment_size(self):
        return self._int_param('crm_service_ticket.max_attachment_size',
                               DEFAULT_MAX_ATTACHMENT)

    @api.model
    def _strip_big_attachments(self, msg_dict):
        """Drop attachments over the limits; return the notes to post.

        Limits (system parameters, 0 or less turns one off): the size of one
        attachment, the number of attachments and their total size per email.
        """
        limit = self._max_attachment_size()
        max_count = self._int_param(
            'crm_service_ticket.max_attachment_count',
            DEFAULT_MAX_ATTACHMENT_COUNT)
        max_total = self._int_param(
            'crm_service_ticket.max_attachment_total',
            DEFAULT_MAX_ATTACHMENT_TOTAL)
        kept, notes, over, total = [], [], [], 0
        for attachment in msg_dict.get('attachments') or []:
            content = attachment[1] or b''
            if 0 < limit < len(content):
                notes.append(_(
                    "Attachment %(name)s was not kept: %(size)s bytes, over "
                    "the limit of %(limit)s bytes.") % {
                        'name': attachment[0], 'size': len(content),
                        'limit': limit})
            elif 0 < max_count <= len(kept) or \
                    0 < max_total < total + len(content):
                over.append(attachment[0])
            else:
                kept.append(attachment)
                total += len(content)
        if over:
            notes.append(_(
                "%(count)s attachments were not kept (%(names)s): an email "
                "keeps at most %(max_count)s attachments of %(max_total)s "
                "bytes in total.") % {
                    'count': len(over), 'names': ', '.join(over),
                    'max_count': max_count, 'max_total': max_total})
        if notes:
            msg_dict['attachments'] = kept
        return notes

    @api.model
    def _sender_partner(self, email, email_from):
        """The contact of a new ticket's sender: the partner with exactly
        this address, or a new one. Wildcards (``%``, ``_``) in the address
        are taken literally, so ``%@customer.example`` never matches the
        customer's contacts."""
        # sudo: the mail gateway may run as a user without contact
        # creation rights; we only look up or create the sender as a contact.
        Partner = self.env['res.partner'].sudo()
        partner = Partner.search([('email', '=ilike', escape_like(email))],
                                 limit=1)
        return partner or Partner.browse(Partner.name_create(email_from)[0])

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        notes = self._strip_big_attachments(msg_dict)
        values = dict(custom_values or {})
        email = (tools.email_split(msg_dict.get('email_from') or '') or [False])[0]
        partner = self.env['res.partner'].browse(msg_dict.get('author_id'))
        if not partner and email:
            partner = self._sender_partner(email, msg_dict.get('email_from'))
            msg_dict['author_id'] = partner.id
        auto_reply = self.env.context.get('ticket_auto_reply')
        values.setdefault('name', msg_dict.get('subject') or _('(no subject)'))
        values.setdefault('description', tools.html2plaintext(
            msg_dict.get('body') or ''))
        values.setdefault('channel', 'email')
        values.setdefault('email_from', email)
        if partner:
            values.setdefault('partner_id', partner.id)
        ticket = super(CrmServiceTicket, self).message_new(
            msg_dict, custom_values=values)
        if not email:
            notes.append(_("The message had no sender address: no customer "
                           "was linked and no acknowledgement was sent."))
        elif auto_reply:
            notes.append(_("The message is an automatic reply: no "
                           "acknowledgement was sent."))
        for note in notes:
            ticket.message_post(body=note, subtype='mail.mt_note')
        if partner and ticket.partner_id:
            ticket.message_subscribe([partner.id])
            if not auto_reply:
                ticket._send_acknowledgement()
        return ticket

    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        notes = self._strip_big_attachments(msg_dict)
        result = super(CrmServiceTicket, self).message_update(
            msg_dict, update_vals=update_vals)
        for ticket in self:
            for note in notes:
                ticket.message_post(body=note, subtype='mail.mt_note')
        return result

    @api.multi
    def message_post(self, body='', subject=None, message_type='notification',
                     subtype=None, parent_id=False, attachments=None,
                     content_subtype='html', **kwargs):
        if self.env.context.get('ticket_auto_reply') and \
                message_type == 'email':
            # An automatic email (out-of-office...) is only logged: as a note
            # it notifies nobody, so no robot answers it, and it neither
            # reopens the ticket nor opens a follow-up one (see below).
            subtype = 'mail.mt_note'
            kwargs['partner_ids'] = []
        message = super(CrmServiceTicket, self).message_post(
            body=body, subject=subject, message_type=message_type,
            subtype=subtype, parent_id=parent_id, attachments=attachments,
            content_subtype=content_subtype, **kwargs)
        comment = self.env.ref('mail.mt_comment')
        if len(self) != 1 or message.subtype_id != comment or \
                message.message_type not in ('comment', 'email'):
            return message
        author = message.author_id
        if self._is_customer_author(author):
            if not self.env.context.get('ticket_no_reopen') and \
                    not self.env.context.get('ticket_auto_reply'):
                # sudo: the message is already posted on this ticket; reopening
                # is the ticket's own bookkeeping, whoever posted it.
                self.sudo()._handle_customer_reply(body=body)
        elif author and author != self.partner_id and not self.first_response_date:
            # sudo: stamps the ticket's own first-response date only.
            self.sudo()._set_first_response(
                self.env.context.get('ticket_now') or message.date)
        return message

    @api.multi
    def _set_first_response(self, date):
        self.ensure_one()
        values = {'first_response_date': date}
        if self.sla_policy_id:
            schedule = self.sla_policy_id._schedule()
            start = fields.Datetime.from_string(self.sla_start)
            values['hours_to_first_response'] = sla_lib.working_hours_between(
                start, fields.Datetime.from_string(date), schedule)
            resolution = fields.Datetime.from_string(self.deadline_resolution)
            if resolution and resolution > fields.Datetime.from_string(date):
                # The first-response target is settled; the resolution target
                # gets its own warning and its own escalation (any earlier
                # one was about the first response).
                try:
                    warn = self._warn_date_for(
                        self.sla_policy_id, schedule, start, True)
                except ValueError:
                    # The working time lost its working hours since the
                    # deadlines were set: no new warning, the answer counts.
                    warn = False
                values.update(sla_warned=False, sla_escalated=False,
                              sla_warn_date=warn)
        super(CrmServiceTicket, self.with_context(
            tracking_disable=True)).write(values)
        self._refresh_sla_state()

    @api.multi
    def _send_acknowledgement(self):
        template = self.env.ref(
            'crm_service_ticket.mail_template_ticket_acknowledgement',
            raise_if_not_found=False)
        for ticket in self.filtered(lambda t: t.partner_id.email):
            if template:
                template.send_mail(ticket.id, force_send=False)

    @api.multi
    def rating_apply(self, rate, token=None, feedback=None, subtype=None):
        rating = super(CrmServiceTicket, self.with_context(
            ticket_no_reopen=True)).rating_apply(
                rate, token=token, feedback=feedback, subtype=subtype)
        if rating and rating.rating < 5:
            for ticket in self:
                leader = ticket.team_id.leader_id or ticket.user_id
                if leader:
                    ticket._add_activity(
                        'crm_service_ticket.mail_activity_type_bad_rating',
                        leader, _("Negative rating on %s") % ticket.display_name,
                        fields.Date.context_today(self),
                        note=tools.plaintext2html(feedback or ''))
        return rating

    # ----------------------------------------------------------------- crons

    @api.model
    def _cron_escalate(self, now=None, batch_size=CRON_BATCH, autocommit=True):
        """Warn assignees at the team's share of SLA time, escalate breaches.

        Set-based: each batch is claimed with ``FOR UPDATE SKIP LOCKED`` and
        its step flag set in the same UPDATE, so a step fires once even with
        two servers; a commit per batch makes the job resumable.
        """
        now = now or fields.Datetime.now()
        cr = self.env.cr
        model_id = self.env['ir.model']._get(self._name).id
        warn_type = self.env.ref('crm_service_ticket.mail_activity_type_sla_warning')
        breach_type = self.env.ref('crm_service_ticket.mail_activity_type_sla_breach')
        totals = {'warned': 0, 'escalated': 0}
        retries = 0
        while True:
            try:
                warned, breached = self._escalate_batch(
                    now, batch_size, model_id, warn_type, breach_type)
            except TransactionRollbackError:
                if not autocommit or retries >= 5:
                    raise
                # Another server committed rows of this batch after our
                # snapshot began: nothing was written, retry on a fresh one.
                cr.rollback()
                retries += 1
                continue
            totals['warned'] += len(warned)
            totals['escalated'] += len(breached)
            self.invalidate_cache()
            if autocommit:
                # pylint: disable=invalid-commit
                # Cron only: one transaction per batch keeps locks short and
                # makes the job resumable after a crash (flags are set).
                cr.commit()
            if len(warned) < batch_size and len(breached) < batch_size:
                break
        _logger.info('SLA escalation: %(warned)s warned, %(escalated)s '
                     'escalated', totals)
        return totals

    @api.model
    def _escalate_batch(self, now, batch_size, model_id, warn_type, breach_type):
        """One batch of each step; returns (warned ids, breached rows)."""
        cr = self.env.cr
        cr.execute("""
            WITH due AS (
                SELECT t.id FROM crm_service_ticket t
                 WHERE t.closed_date IS NULL AND t.sla_paused_since IS NULL
                   AND NOT COALESCE(t.sla_warned, false)
                   AND t.sla_warn_date <= %(now)s
                 ORDER BY t.id LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED)
            UPDATE crm_service_ticket t
               SET sla_warned = true,
                   sla_state = CASE WHEN t.sla_state = 'ok'
                                    THEN 'at_risk' ELSE t.sla_state END
              FROM due WHERE t.id = due.id
         RETURNING t.id""", {'now': now, 'limit': batch_size})
        warned = [r[0] for r in cr.fetchall()]
        if warned:
            self._insert_activities(
                warned, model_id, warn_type,
                _("SLA at risk: answer soon"), now, leader=False)
        cr.execute("""
            WITH due AS (
                SELECT t.id FROM crm_service_ticket t
                 WHERE t.closed_date IS NULL AND t.sla_paused_since IS NULL
                   AND NOT COALESCE(t.sla_escalated, false)
                   AND (t.deadline_resolution <= %(now)s
                        OR (t.first_response_date IS NULL
                            AND t.deadline_first_response <= %(now)s))
                 ORDER BY t.id LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED)
            UPDATE crm_service_ticket t
               SET sla_escalated = true, sla_warned = true,
                   sla_state = 'breached',
                   priority = LEAST(COALESCE(t.priority, '0')::int + 1, 3)::text
              FROM due WHERE t.id = due.id
         RETURNING t.id, t.team_id""", {'now': now, 'limit': batch_size})
        breached = cr.fetchall()
        if breached:
            self._insert_activities(
                [r[0] for r in breached], model_id, breach_type,
                _("SLA breached: escalated to you"), now, leader=True)
            self._notify_leaders(breached)
        return warned, breached

    @api.model
    def _insert_activities(self, ticket_ids, model_id, activity_type, summary,
                           now, leader):
        """One activity per ticket, for its assignee or its team leader."""
        target = 'COALESCE(tm.leader_id, t.user_id)' if leader \
            else 'COALESCE(t.user_id, tm.leader_id)'
        query = """
            INSERT INTO mail_activity
                (res_model_id, res_model, res_id, res_name, activity_type_id,
                 summary, date_deadline, user_id, create_uid, create_date,
                 write_uid, write_date)
            SELECT %(model)s, %(res_model)s, t.id,
                   '[' || t.number || '] ' || t.name, %(type)s, %(summary)s,
                   %(today)s::date, {target}, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM crm_service_ticket t
              LEFT JOIN crm_service_team tm ON tm.id = t.team_id
             WHERE t.id IN %(ids)s AND {target} IS NOT NULL
        """.format(target=target)  # target is one of two constants above
        self.env.cr.execute(query, {
            'model': model_id, 'res_model': self._name, 'type': activity_type.id,
            'summary': summary, 'today': now[:10], 'uid': self.env.uid,
            'now': now, 'ids': tuple(ticket_ids)})

    @api.model
    def _notify_leaders(self, rows):
        """One summary message per team to its leader for a batch of breaches."""
        by_team = {}
        for ticket_id, team_id in rows:
            if team_id:
                by_team.setdefault(team_id, []).append(ticket_id)
        for team in self.env['crm.service.team'].browse(list(by_team)):
            if not team.leader_id:
                continue
            tickets = self.browse(by_team[team.id])
            team.message_post(
                body=_("SLA breached, priority raised: %s")
                % ', '.join(tickets.mapped('number')),
                subtype='mail.mt_comment', message_type='comment',
                partner_ids=[(4, team.leader_id.partner_id.id)])

    @api.model
    def _cron_autoclose(self, now=None, batch_size=CRON_BATCH, autocommit=True):
        """Close solved tickets the customer did not answer in time."""
        now = now or fields.Datetime.now()
        cr = self.env.cr
        closed = 0
        last_id = 0
        while True:
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
            if autocommit:
                # pylint: disable=invalid-commit
                # Cron only: commit per batch, resumable (closed ones drop out).
                cr.commit()
        return closed
