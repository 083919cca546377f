# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmServiceCategory(models.Model):
    _name = 'crm.service.category'
    _description = 'Service Ticket Category'
    _order = 'name'

    name = fields.Char(
        required=True,
        translate=True,
    )
    active = fields.Boolean(
        default=True,
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
    )
