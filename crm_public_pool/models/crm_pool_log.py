from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import sql

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


class HistoryMany2one(fields.Many2one):
    """A Many2one of the ownership history, without a foreign key.

    The history is append-only and outlives what it names: a deleted user,
    pool, reason or company keeps its id in the rows that name it, where a
    foreign key (``ON DELETE SET NULL``) would erase who took a record from
    whom. The ids come from columns the database already checked (the
    records' owner and pool, the pools, the current user, the reasons), and
    without the key inserting a row looks up nothing: a reclaim batch
    writes thousands of rows naming five records each. A name that no
    longer exists reads as empty (Odoo's ``Many2one.convert_to_read``) and
    its rows drop out of searches and record rules that join the
    comodel.
    """

    def update_db_foreign_key(self, model, column):
        # Odoo creates (or restores) the key at every update: drop the one
        # an earlier version of the model created, and its reflection.
        cr = model.env.cr
        name = '%s_%s_fkey' % (model._table, self.name)
        cr.execute("""
            SELECT 1 FROM pg_constraint
             WHERE conname = %s AND conrelid = %s::regclass
        """, (name, model._table))
        if cr.fetchone():
            sql.drop_constraint(cr, model._table, name)
        cr.execute("DELETE FROM ir_model_constraint "
                   "WHERE name = %s AND type = 'f'", (name,))


class CrmPoolLog(models.Model):
    """Append-only ownership history of pool records."""

    _name = 'crm.pool.log'
    _description = 'Pool Ownership History'
    _order = 'date desc, id desc'
    _rec_name = 'res_name'
    # Append-only: ``date`` and ``actor_id`` say when and by whom; no
    # create_uid / write_uid (two foreign-key checks per row in the
    # set-based policies that write thousands of rows per batch).
    _log_access = False

    res_model = fields.Char(
        string='Model',
        required=True,
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
        readonly=True,
    )
    pool_id = HistoryMany2one(
        comodel_name='crm.pool',
        string='Pool',
        readonly=True,
    )
    from_user_id = HistoryMany2one(
        comodel_name='res.users',
        string='From',
        readonly=True,
    )
    to_user_id = HistoryMany2one(
        comodel_name='res.users',
        string='To',
        readonly=True,
    )
    actor_id = HistoryMany2one(
        comodel_name='res.users',
        string='By',
        readonly=True,
    )
    reason_id = HistoryMany2one(
        comodel_name='crm.pool.release.reason',
        string='Reason Type',
        readonly=True,
    )
    reason = fields.Text(readonly=True)
    date = fields.Datetime(
        required=True,
        index=True,
        readonly=True,
        default=fields.Datetime.now,
    )
    company_id = HistoryMany2one(
        comodel_name='res.company',
        readonly=True,
    )

    @api.model_cr
    def init(self):
        """Indexes for the look-ups that run often, nothing more: each index
        costs every history row of a policy batch.

        Kept: ``res_id`` (a record's history, cooldowns, cleanup, merge) and
        ``date`` (the list's order), plus the daily claim count below. The
        other columns are read by reports over the whole table, or filtered
        after the ``date`` index (the lists): an index there would only slow
        the writes. Databases from before ``_log_access = False`` keep their
        ``create_uid`` / ``write_uid`` columns, without foreign keys.
        """
        cr = self.env.cr
        cr.execute("""
            CREATE INDEX IF NOT EXISTS crm_pool_log_claim_day_index
                ON crm_pool_log (to_user_id, date) WHERE action = 'claim'
        """)
        cr.execute("""
            ALTER TABLE crm_pool_log
                DROP CONSTRAINT IF EXISTS crm_pool_log_create_uid_fkey,
                DROP CONSTRAINT IF EXISTS crm_pool_log_write_uid_fkey
        """)

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
