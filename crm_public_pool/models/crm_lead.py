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
        """The customer's email, masked when the lead or the customer is."""
        leads = self.filtered(lambda lead: isinstance(lead.id, int))
        masked = set(leads._pool_masked_ids()) if leads else set()
        partners = leads.mapped('partner_id')
        masked_partners = set(partners._pool_masked_ids()) if partners else set()
        # sudo: crm's related field read the customer's email as superuser
        # too (a salesperson may not read every customer); it is masked
        # below like the lead's own email.
        for lead, lead_sudo in zip(self, self.sudo()):
            partner = lead_sudo.partner_id
            email = partner.email
            if lead.id in masked or partner.id in masked_partners:
                email = self._pool_mask_value('email', email)
            lead.partner_address_email = email

    def _search_pool_partner_address_email(self, operator, value):
        return [('partner_id.email', operator, value)]

    def _pool_contact_values(self):
        return (self.phone, self.mobile, self.email_from, self.partner_name)

    def _pool_is_won(self):
        return self.active and self.probability >= 100

    @api.model
    def _pool_won_sql(self):
        return '(t.active AND t.probability >= 100)'

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
    def _message_post_after_hook(self, message):
        result = super(CrmLead, self)._message_post_after_hook(message)
        self._pool_on_message(message)
        return result
