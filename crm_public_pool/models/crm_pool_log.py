from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

LOG_ACTIONS = [
    ('create', 'Created'),
    ('claim', 'Claimed'),
    ('release', 'Released'),
    ('assign', 'Assigned'),
    ('transfer', 'Transferred'),
    ('freeze', 'Frozen'),
    ('freeze_request', 'Freeze requested'),
    ('freeze_lapsed', 'Freeze request lapsed'),
    ('freeze_withdrawn', 'Freeze request withdrawn'),
    ('unfreeze', 'Unfrozen'),
    ('reclaim', 'Reclaimed'),
    ('handover', 'Handed over'),
    ('invalid', 'Marked invalid'),
    ('restore', 'Restored'),
    ('cleanup', 'Archived by cleanup'),
    ('merge', 'Merged'),
]


class CrmPoolLog(models.Model):
    """Append-only ownership history of pool records."""

    _name = 'crm.pool.log'
    _description = 'Pool Ownership History'
    _order = 'date desc, id desc'
    _rec_name = 'res_name'

    res_model = fields.Char(
        string='Model',
        required=True,
        index=True,
        readonly=True,
    )
    res_id = fields.Integer(
        string='Record ID',
        required=True,
        index=True,
        readonly=True,
    )
    res_name = fields.Char(
        string='Record',
        readonly=True,
    )
    action = fields.Selection(
        selection=LOG_ACTIONS,
        required=True,
        index=True,
        readonly=True,
    )
    pool_id = fields.Many2one(
        comodel_name='crm.pool',
        string='Pool',
        index=True,
        ondelete='set null',
        readonly=True,
    )
    from_user_id = fields.Many2one(
        comodel_name='res.users',
        string='From',
        index=True,
        ondelete='set null',
        readonly=True,
    )
    to_user_id = fields.Many2one(
        comodel_name='res.users',
        string='To',
        index=True,
        ondelete='set null',
        readonly=True,
    )
    actor_id = fields.Many2one(
        comodel_name='res.users',
        string='By',
        index=True,
        ondelete='set null',
        readonly=True,
    )
    reason_id = fields.Many2one(
        comodel_name='crm.pool.release.reason',
        string='Reason Type',
        ondelete='set null',
        readonly=True,
    )
    reason = fields.Text(readonly=True)
    date = fields.Datetime(
        required=True,
        index=True,
        readonly=True,
        default=fields.Datetime.now,
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
        index=True,
        readonly=True,
    )

    @api.model
    def create(self, vals):
        # Rows are written by the pool actions (as superuser, after their own
        # checks) or by code running as superuser; nobody creates them by hand.
        if self.env.uid != SUPERUSER_ID and not self.env.context.get(
                'crm_pool_log_internal'):
            raise AccessError(_("The ownership history is written by the pool "
                                "actions only."))
        return super(CrmPoolLog, self).create(vals)

    @api.multi
    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("The ownership history cannot be modified."))
        return super(CrmPoolLog, self).write(vals)

    @api.multi
    def unlink(self):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("The ownership history cannot be deleted."))
        return super(CrmPoolLog, self).unlink()

    @api.multi
    def action_open_record(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': self.res_model,
            'res_id': self.res_id,
            'view_type': 'form',
            'view_mode': 'form',
        }
