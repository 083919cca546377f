from odoo import _, api, models


class ResPartner(models.Model):
    _name = 'res.partner'
    _inherit = ['res.partner', 'crm.pool.mixin']
    _pool_records_action = 'crm_public_pool.res_partner_pool_action'

    @api.depends('phone', 'mobile', 'email', 'name', 'is_company',
                 'parent_id.name')
    def _compute_pool_norm(self):
        return super(ResPartner, self)._compute_pool_norm()

    def _pool_mask_fields(self):
        return {'phone': 'phone', 'mobile': 'phone', 'email': 'email'}

    @api.model
    def name_search(self, name, args=None, operator='ilike', limit=100):
        result = super(ResPartner, self).name_search(
            name, args=args, operator=operator, limit=limit)
        if not name or not result or not self._pool_masking_user():
            return result
        masked = self.browse([row[0] for row in result])._pool_masked_ids()
        if not masked:
            return result
        # Odoo also matches the email: a masked customer found by its email
        # alone would confirm a hidden address.
        shown = set(self.search([
            ('id', 'in', masked), '|', '|',
            ('display_name', operator, name), ('ref', operator, name),
            ('vat', operator, name)]).ids)
        hidden = set(masked) - shown
        return [row for row in result if row[0] not in hidden]

    def _pool_contact_values(self):
        company = self.name if self.is_company else self.parent_id.name
        return (self.phone, self.mobile, self.email, company)

    def _pool_label(self, plural=False):
        return _('customers') if plural else _('customer')

    def _pool_restricted_user(self, user):
        # Partners are shared by every Odoo application: only salespeople
        # are kept away from other salespeople's pool customers.
        return (super(ResPartner, self)._pool_restricted_user(user)
                and user.has_group('sales_team.group_sale_salesman'))

    @api.multi
    def name_get(self):
        # res.partner builds its names itself (with the email when asked
        # for): the masking of the pool mixin is applied here
        return self._pool_mask_names(super(ResPartner, self).name_get())

    @api.model
    def create(self, vals):
        return super(ResPartner, self._pool_creating(vals)).create(vals)

    @api.multi
    def message_subscribe(self, partner_ids=None, channel_ids=None,
                          subtype_ids=None, force=True):
        self._pool_check_follow()
        return super(ResPartner, self).message_subscribe(
            partner_ids=partner_ids, channel_ids=channel_ids,
            subtype_ids=subtype_ids, force=force)

    @api.multi
    def message_get_suggested_recipients(self):
        result = super(ResPartner, self).message_get_suggested_recipients()
        return self._pool_mask_recipients(result)

    @api.multi
    @api.returns('mail.message', lambda value: value.id)
    def message_post(self, *args, **kwargs):
        return super(ResPartner, self._pool_posting(args, kwargs)).message_post(
            *args, **kwargs)

    @api.multi
    def _message_post_after_hook(self, message):
        result = super(ResPartner, self)._message_post_after_hook(message)
        self._pool_on_message(message)
        return result
