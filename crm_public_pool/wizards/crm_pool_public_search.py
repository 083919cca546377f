from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..models.crm_pool_mixin import POOL_STATES
from ..policy import contact as contact_policy


class CrmPoolPublicSearch(models.TransientModel):
    """Public search (查重): who owns a customer, without contact data."""

    _name = 'crm.pool.public.search'
    _description = 'Public Search'

    res_model = fields.Selection(
        selection=lambda self: self.env[
            'crm.pool.mixin']._pool_model_selection(plural=True),
        string='Search in',
        required=True,
        default='crm.lead',
    )
    query = fields.Char(
        string='Name, phone, email or company',
        required=True,
    )
    line_ids = fields.One2many(
        comodel_name='crm.pool.public.search.line',
        inverse_name='search_id',
        string='Results',
        readonly=True,
    )

    def _check_salesperson(self):
        """The search spans every owner: for salespeople only, never for
        portal or public users (transient models have no access rules)."""
        if not self.env.user.has_group('sales_team.group_sale_salesman'):
            raise AccessError(_("The public search is for salespeople only."))

    @api.model
    def create(self, vals):
        self._check_salesperson()
        return super(CrmPoolPublicSearch, self).create(vals)

    @api.multi
    def action_search(self):
        self.ensure_one()
        self._check_salesperson()
        self.line_ids.unlink()
        query = (self.query or '').strip()
        domain = [('name', 'ilike', query)]
        phone = contact_policy.normalize_phone(query)
        if len(phone) >= 5:
            domain = ['|', '|'] + domain + [
                ('pool_phone_norm', '=', phone), ('pool_mobile_norm', '=', phone)]
        if '@' in query:
            domain = ['|'] + domain + [
                ('pool_email_norm', '=', contact_policy.normalize_email(query))]
        company = contact_policy.normalize_company(query)
        if company:
            domain = ['|'] + domain + [('pool_company_norm', '=', company)]
        # sudo: the search spans every owner on purpose; only the name, the
        # owner, the pool and the pool state are copied into the result.
        found = self.env[self.res_model].sudo().with_context(
            active_test=False).search(domain, limit=50)
        self.write({'line_ids': [(0, 0, {
            'name': rec.display_name,
            'owner': rec.user_id.name or _("(nobody)"),
            'pool_name': rec.pool_id.display_name or '',
            'pool_state': rec.pool_state,
        }) for rec in found]})
        return {
            'type': 'ir.actions.act_window',
            'res_model': self._name,
            'res_id': self.id,
            'view_type': 'form',
            'view_mode': 'form',
            'target': 'new',
        }


class CrmPoolPublicSearchLine(models.TransientModel):
    _name = 'crm.pool.public.search.line'
    _description = 'Public Search Result'

    search_id = fields.Many2one(
        comodel_name='crm.pool.public.search',
        required=True,
        ondelete='cascade',
    )
    name = fields.Char(readonly=True)
    owner = fields.Char(readonly=True)
    pool_name = fields.Char(string='Pool', readonly=True)
    pool_state = fields.Selection(
        selection=POOL_STATES,
        readonly=True,
    )

    @api.model
    def create(self, vals):
        self.env['crm.pool.public.search']._check_salesperson()
        return super(CrmPoolPublicSearchLine, self).create(vals)
