from odoo import fields, models


class CrmPoolMixinReminder(models.AbstractModel):
    """Reminder bookkeeping of the deadline policies (cron-written only)."""

    _inherit = 'crm.pool.mixin'

    pool_remind_deadline = fields.Datetime(
        string='Reminded Deadline',
        copy=False,
        # technical (SQL only): not loaded with every read of the record
        prefetch=False,
        readonly=True,
        help="Technical: the deadline the last reminder was sent for.",
    )
    pool_remind_level = fields.Integer(
        string='Reminder Level',
        copy=False,
        # technical (SQL only): not loaded with every read of the record
        prefetch=False,
        readonly=True,
        help="Technical: 1 once the owner was reminded of the deadline above, "
             "2 once the pool managers were told too.",
    )
