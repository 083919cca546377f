from odoo import _, api, fields, models

from .crm_pool_mixin import POOL_INTERNAL

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

    def _pool_owner_values(self, user):
        # the sales team follows the salesperson, as crm's _valid_team does
        # (skipped in the claim's single write, see _valid_team below)
        # sudo: only the id of the lead's current team is read (already in
        # the cache of the claim's checks); the team rules apply below.
        values = self.with_context(
            team_id=self.sudo().team_id.id)._onchange_user_values(user.id)
        if 'team_id' in values:
            return {'team_id': values['team_id'].id}
        return {}

    @api.constrains('user_id')
    @api.multi
    def _valid_team(self):
        if self.env.context.get('crm_pool_owner_values') is POOL_INTERNAL:
            return
        super(CrmLead, self)._valid_team()

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
