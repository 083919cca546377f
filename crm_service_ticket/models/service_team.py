# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import assignment


class CrmServiceTeam(models.Model):
    _name = 'crm.service.team'
    _description = 'Service Team'
    _inherit = ['mail.alias.mixin', 'mail.thread']
    _order = 'sequence, name'

    name = fields.Char(
        required=True,
        translate=True,
        track_visibility='onchange',
    )
    sequence = fields.Integer(
        default=10,
    )
    active = fields.Boolean(
        default=True,
    )
    color = fields.Integer(
        string='Color Index',
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
        default=lambda self: self.env['res.company']._company_default_get(
            'crm.service.team'),
    )
    leader_id = fields.Many2one(
        comodel_name='res.users',
        string='Team Leader',
        domain=[('share', '=', False)],
        track_visibility='onchange',
    )
    member_ids = fields.Many2many(
        comodel_name='res.users',
        relation='crm_service_team_member_rel',
        column1='team_id',
        column2='user_id',
        string='Members',
        domain=[('share', '=', False)],
    )
    alias_id = fields.Many2one(
        comodel_name='mail.alias',
        string='Alias',
        ondelete='restrict',
        required=True,
        help="Emails sent to this address create tickets for the team.",
    )
    assignment = fields.Selection(
        selection=[
            ('manual', 'Manual'),
            ('round_robin', 'Round robin'),
            ('balanced', 'Balanced (fewest open tickets)'),
        ],
        required=True,
        default='manual',
        track_visibility='onchange',
        help="How new tickets get an assignee. Archived users are skipped.",
    )
    warn_share = fields.Integer(
        string='Warn at (% of SLA time)',
        default=80,
        help="The assignee gets an activity once this share of the working "
             "time allowed by the SLA is used. 0 turns the warning off.",
    )
    reopen_days = fields.Integer(
        default=7,
        help="A customer reply within this many days after closing reopens "
             "the ticket; a later reply opens a new linked ticket.",
    )
    autoclose_days = fields.Integer(
        default=7,
        help="Solved tickets without customer reply close themselves after "
             "this many days. 0 turns auto-closing off.",
    )
    return_visit_days = fields.Integer(
        default=3,
        help="A return visit activity is planned for the assignee this many "
             "days after closing. 0 turns it off.",
    )
    last_assignee_id = fields.Many2one(
        comodel_name='res.users',
        string='Last Round-Robin Assignee',
        readonly=True,
        copy=False,
        help="Round robin continues after this member.",
    )
    ticket_ids = fields.One2many(
        comodel_name='crm.service.ticket',
        inverse_name='team_id',
        string='Tickets',
    )
    open_ticket_count = fields.Integer(
        compute='_compute_open_ticket_count',
    )

    @api.multi
    def _compute_open_ticket_count(self):
        data = self.env['crm.service.ticket'].read_group(
            [('team_id', 'in', self.ids), ('closed_date', '=', False)],
            ['team_id'], ['team_id'])
        counts = {d['team_id'][0]: d['team_id_count'] for d in data}
        for team in self:
            team.open_ticket_count = counts.get(team.id, 0)

    @api.constrains('warn_share', 'reopen_days', 'autoclose_days',
                    'return_visit_days')
    def _check_policy_numbers(self):
        for team in self:
            if not 0 <= team.warn_share <= 100:
                raise ValidationError(_(
                    "The warning share must be between 0 and 100 %."))
            if min(team.reopen_days, team.autoclose_days,
                   team.return_visit_days) < 0:
                raise ValidationError(_("Numbers of days cannot be negative."))

    def get_alias_model_name(self, vals):
        return 'crm.service.ticket'

    def get_alias_values(self):
        values = super(CrmServiceTeam, self).get_alias_values()
        values['alias_defaults'] = {'team_id': self.id}
        return values

    @api.multi
    def action_view_tickets(self):
        self.ensure_one()
        action = self.env.ref(
            'crm_service_ticket.crm_service_ticket_action').read()[0]
        action['domain'] = [('team_id', '=', self.id)]
        action['context'] = {'default_team_id': self.id,
                             'search_default_filter_open': 1}
        return action

    @api.multi
    def _pick_assignee(self):
        """User for a new ticket of this team, or False (manual, no member)."""
        self.ensure_one()
        members = self.member_ids.filtered('active')
        if self.assignment == 'manual' or not members:
            return False
        cr = self.env.cr
        if self.assignment == 'round_robin':
            return self._advance_round_robin(members)
        cr.execute("""
            SELECT user_id, count(*) FROM crm_service_ticket
             WHERE team_id = %s AND user_id IN %s AND closed_date IS NULL
             GROUP BY user_id""", (self.id, tuple(members.ids)))
        return assignment.least_loaded(members.ids, dict(cr.fetchall()))

    @api.multi
    def _advance_round_robin(self, members):
        """Next member after the team's pointer, moved under a row lock.

        The team row is locked and its pointer updated in this transaction:
        a concurrent ticket of the same team waits, then fails with a
        serialization error and is retried (RPC, mail gateway), so two
        tickets never get the same turn.
        """
        self.ensure_one()
        cr = self.env.cr
        cr.execute("SELECT last_assignee_id FROM crm_service_team "
                   "WHERE id = %s FOR UPDATE", (self.id,))
        row = cr.fetchone()
        last = row and row[0]
        if not last:
            # No pointer yet (a team from before the pointer existed): the assignee of
            # the newest ticket; index (team_id, id): one index probe.
            cr.execute("""
                SELECT user_id FROM crm_service_ticket
                 WHERE team_id = %s AND user_id IS NOT NULL
                 ORDER BY id DESC LIMIT 1""", (self.id,))
            row = cr.fetchone()
            last = row and row[0]
        user_id = assignment.next_round_robin(members.ids, last)
        cr.execute("UPDATE crm_service_team SET last_assignee_id = %s "
                   "WHERE id = %s", (user_id, self.id))
        self.invalidate_cache(['last_assignee_id'], self.ids)
        return user_id
