from odoo import _, api, fields, models
from odoo.exceptions import AccessError


QUALIFICATION_STATES = [
    ('new', 'New'),
    ('contacted', 'Contacted'),
    ('unqualified', 'Unqualified'),
    ('qualified', 'Qualified'),
]


class CrmLead(models.Model):
    _name = 'crm.lead'
    _inherit = ['crm.lead', 'crm.pool.mixin']
    _pool_priority_column = 'priority'
    _pool_records_action = 'crm_public_pool.crm_lead_pool_action'

    # crm's related field, computed so the pool's masking applies to it
    partner_address_email = fields.Char(
        related=False,
        compute='_compute_pool_partner_address_email',
        search='_search_pool_partner_address_email',
    )
    qualification_state = fields.Selection(
        selection=QUALIFICATION_STATES,
        string='Qualification',
        default='new',
        index=True,
        track_visibility='onchange',
    )

    @api.depends('probability', 'active')
    def _compute_pool_deadline(self):
        return super(CrmLead, self)._compute_pool_deadline()

    @api.depends('phone', 'mobile', 'email_from', 'partner_name')
    def _compute_pool_norm(self):
        return super(CrmLead, self)._compute_pool_norm()

    def _pool_mask_fields(self):
        return {'phone': 'phone', 'mobile': 'phone', 'email_from': 'email',
                'partner_address_email': 'email'}

    @api.depends('partner_id.email')
    def _compute_pool_partner_address_email(self):
        """The customer's email, for a customer the user may read (crm's
        related field read it as superuser for any customer set on the
        lead). Masked on its way to the client like the lead's own email
        (see :meth:`_pool_mask_dicts`)."""
        partners = self.mapped('partner_id')
        partner_ids = [pid for pid in partners.ids if isinstance(pid, int)]
        readable = set(partners.browse(partner_ids).with_context(
            active_test=False).search([('id', 'in', partner_ids)]).ids) \
            if partner_ids else set()
        for lead in self:
            partner = lead.partner_id
            lead.partner_address_email = partner.email \
                if partner.id in readable or not isinstance(partner.id, int) \
                else False

    def _pool_mask_dicts(self, rows):
        rows = super(CrmLead, self)._pool_mask_dicts(rows)
        if not rows or 'partner_address_email' not in rows[0] \
                or not self._pool_masking_user():
            return rows
        leads = self.browse([row['id'] for row in rows])
        partner_of = {lead.id: lead.partner_id.id for lead in leads}
        masked = set(leads.mapped('partner_id')._pool_masked_ids())
        for row in rows:
            if partner_of.get(row['id']) in masked:
                row['partner_address_email'] = self._pool_mask_value(
                    'email', row['partner_address_email'])
        return rows

    def _onchange_partner_id_values(self, partner_id):
        values = super(CrmLead, self)._onchange_partner_id_values(partner_id)
        if partner_id and isinstance(partner_id, int) and self.env[
                'res.partner'].browse(partner_id)._pool_masked_ids():
            # a customer whose contact data the user may not see: its email
            # and phones are neither shown nor copied onto the lead
            for name in ('email_from', 'phone', 'mobile'):
                values.pop(name, None)
        return values

    def _search_pool_partner_address_email(self, operator, value):
        return [('partner_id.email', operator, value)]

    def _pool_contact_values(self):
        return (self.phone, self.mobile, self.email_from, self.partner_name)

    @api.model
    def _pool_won_sql(self, alias='t'):
        return '({alias}.active AND COALESCE({alias}.probability, 0) >= 100)' \
            .format(alias=alias)

    def _pool_take_owner_columns(self):
        """The new owner's teams, read with the claim's snapshot: the team
        the owner is a member of, the teams they lead or belong to in their
        companies (two are enough to know there are several) and whether
        the default sales team takes leads (NULL: no such team)."""
        default_id = self.env['ir.model.data'].xmlid_to_res_id(
            'sales_team.team_sales_department') or None
        return [
            ('owner_team', 'CASE WHEN ou.active THEN ou.sale_team_id END'),
            ('owner_teams', """ARRAY(
                SELECT ct.id FROM crm_team ct
                 WHERE ct.active
                   AND (ct.user_id = ou.id
                        OR (ou.active AND ct.id = ou.sale_team_id))
                   AND (ct.company_id IS NULL OR ct.company_id IN (
                        WITH RECURSIVE companies(id) AS (
                            SELECT company_id FROM res_users
                             WHERE id = %(uid)s
                            UNION
                            SELECT c.id FROM res_company c
                              JOIN companies ON c.parent_id = companies.id)
                        SELECT id FROM companies))
                 LIMIT 2)"""),
            ('default_team_leads', """(
                SELECT ct.active AND ct.use_leads FROM crm_team ct
                 WHERE ct.id = %(default_team)s)"""),
        ], {'default_team': default_id}

    def _pool_take_owner_sql(self, user, rows, now):
        """What crm's write and its owner onchange do when a lead gets an
        owner, for the claim's UPDATE: the assignment date (and the days to
        assign computed from it) and the sales team of the new owner, kept
        when the lead's team is already the owner's (crm's
        ``_onchange_user_values``)."""
        sets = [
            'date_open = %(now)s',
            "day_open = CASE WHEN t.create_date IS NULL THEN t.day_open "
            "ELSE abs(floor(extract(epoch FROM %(now)s::timestamp "
            "- date_trunc('second', t.create_date)) / 86400)) END",
            'team_id = CASE WHEN t.team_id = %(owner_team)s THEN t.team_id '
            'ELSE %(default_team)s END',
        ]
        owner_team, default_team = self._pool_owner_teams(
            user, next(iter(rows.values())))
        return sets, {'owner_team': owner_team, 'default_team': default_team}, [
            'date_open', 'day_open', 'team_id']

    @api.model
    def _pool_owner_teams(self, user, row):
        """(the team ``user`` is a member of, the team crm gives a lead of
        ``user``), as crm's ``_get_default_team_id`` finds it: the one team
        the user leads or belongs to (in the user's companies), else the
        default sales team when the current user may read it. From the
        claim's snapshot ``row`` (see :meth:`_pool_take_owner_columns`) and
        a record rule check; crm's own lookup when the user has several
        teams (their order is by translated name) or a default team is
        given in the context."""
        owner_team, candidates = row['owner_team'], row['owner_teams']
        takes_leads = row['default_team_leads']
        if len(candidates) == 1:
            return owner_team, candidates[0]
        if candidates or 'default_team_id' in self.env.context:
            return owner_team, self.env['crm.team']._get_default_team_id(
                user_id=user.id).id or None
        if takes_leads is None:
            return owner_team, None
        default = self.env['crm.team'].browse(
            self.env['ir.model.data'].xmlid_to_res_id(
                'sales_team.team_sales_department'))
        try:
            default.check_access_rule('read')
        except AccessError:
            return owner_team, None
        if self.env.context.get('default_type') != 'lead' or takes_leads:
            return owner_team, default.id
        return owner_team, None

    def _pool_label(self, plural=False):
        return _('leads') if plural else _('lead')

    @api.multi
    def merge_opportunity(self, user_id=False, team_id=False):
        self._pool_check_owner_or_manager('merge')
        return super(CrmLead, self).merge_opportunity(
            user_id=user_id, team_id=team_id)

    @api.multi
    def convert_opportunity(self, partner_id, user_ids=False, team_id=False):
        self._pool_check_owner_or_manager('convert')
        return super(CrmLead, self).convert_opportunity(
            partner_id, user_ids=user_ids, team_id=team_id)

    @api.multi
    def handle_partner_assignation(self, action='create', partner_id=False):
        self._pool_check_owner_or_manager('convert')
        return super(CrmLead, self).handle_partner_assignation(
            action=action, partner_id=partner_id)

    @api.model
    def create(self, vals):
        return super(CrmLead, self._pool_creating(vals)).create(vals)

    @api.multi
    def message_subscribe(self, partner_ids=None, channel_ids=None,
                          subtype_ids=None, force=True):
        self._pool_check_follow()
        return super(CrmLead, self).message_subscribe(
            partner_ids=partner_ids, channel_ids=channel_ids,
            subtype_ids=subtype_ids, force=force)

    @api.multi
    def message_get_default_recipients(self, *args, **kwargs):
        result = super(CrmLead, self).message_get_default_recipients(
            *args, **kwargs)
        return self._pool_mask_default_recipients(result)

    @api.multi
    def message_get_suggested_recipients(self):
        result = super(CrmLead, self).message_get_suggested_recipients()
        return self._pool_mask_recipients(result)

    @api.multi
    @api.returns('mail.message', lambda value: value.id)
    def message_post(self, *args, **kwargs):
        return super(CrmLead, self._pool_posting(args, kwargs)).message_post(
            *args, **kwargs)

    @api.multi
    def _message_post_after_hook(self, message):
        result = super(CrmLead, self)._message_post_after_hook(message)
        self._pool_on_message(message)
        return result
