# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmServiceTag(models.Model):
    _name = 'crm.service.tag'
    _description = 'Service Ticket Tag'
    _order = 'name'

    name = fields.Char(
        required=True,
        translate=True,
    )
    color = fields.Integer(
        string='Color Index',
    )

    _sql_constraints = [
        ('name_uniq', 'unique (name)', 'A tag with this name already exists.'),
    ]
