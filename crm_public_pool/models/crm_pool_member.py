from odoo import api, fields, models


class CrmPoolMember(models.Model):
    """A salesperson allowed to claim from a pool."""

    _name = 'crm.pool.member'
    _description = 'Public Pool Member'
    _order = 'pool_id, sequence, id'

    pool_id = fields.Many2one(
        comodel_name='crm.pool',
        string='Pool',
        required=True,
        ondelete='cascade',
        index=True,
    )
    user_id = fields.Many2one(
        comodel_name='res.users',
        string='Salesperson',
        required=True,
        ondelete='cascade',
        index=True,
        domain=[('share', '=', False)],
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    quota = fields.Integer(
        help="Overrides the pool's quota for this member. 0 uses the pool's "
             "quota.",
    )
    domain = fields.Char(
        string='Routing Domain',
        help="Records matching this domain are routed to this member by the "
             "rule-based distribution (e.g. region or industry).",
    )
    company_id = fields.Many2one(
        related='pool_id.company_id',
        store=True,
        readonly=True,
    )
    last_claim_date = fields.Datetime(
        readonly=True,
        help="Also serialises concurrent claims of this member: every claim "
             "updates this row inside its transaction.",
    )
    owned_count = fields.Integer(
        string='Owned',
        compute='_compute_owned_count',
    )

    _sql_constraints = [
        ('pool_user_unique', 'UNIQUE(pool_id, user_id)',
         'A salesperson is a member of a pool only once.'),
        ('quota_positive', 'CHECK(quota >= 0)',
         'A quota cannot be negative.'),
    ]

    @api.multi
    def _compute_owned_count(self):
        for member in self:
            if not member.pool_id or not member.user_id:
                member.owned_count = 0
                continue
            # sudo: a plain count for the pool form, no record data exposed.
            model = self.env[member.pool_id.res_model].sudo()
            member.owned_count = model.search_count([
                ('pool_id', '=', member.pool_id.id),
                ('user_id', '=', member.user_id.id),
            ])

    @api.model
    def create(self, vals):
        member = super(CrmPoolMember, self).create(vals)
        self.clear_caches()  # pool visibility of the record rules
        return member

    @api.multi
    def write(self, vals):
        result = super(CrmPoolMember, self).write(vals)
        self.clear_caches()
        return result

    @api.multi
    def unlink(self):
        result = super(CrmPoolMember, self).unlink()
        self.clear_caches()
        return result

    @api.multi
    def name_get(self):
        return [
            (m.id, '%s / %s' % (m.pool_id.display_name, m.user_id.display_name))
            for m in self
        ]
