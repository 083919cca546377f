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
        return {'phone': 'phone', 'mobile': 'phone', 'email_from': 'email'}

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
