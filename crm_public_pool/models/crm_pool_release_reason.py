from odoo import fields, models


class CrmPoolReleaseReason(models.Model):
    """Why a record was released to its pool (configurable)."""

    _name = 'crm.pool.release.reason'
    _description = 'Pool Release Reason'
    _order = 'sequence, id'

    name = fields.Char(
        required=True,
        translate=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
