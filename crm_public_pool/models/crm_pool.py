import secrets

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval


def _new_token():
    return secrets.token_urlsafe(32)


class CrmPool(models.Model):
    """A public pool (公海) of leads or customers and its policies."""

    _name = 'crm.pool'
    _description = 'Public Pool'
    _inherit = ['mail.thread']
    _order = 'sequence, name, id'

    name = fields.Char(
        required=True,
        translate=True,
        track_visibility='onchange',
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name='res.company',
        required=True,
        default=lambda self: self.env.user.company_id,
        index=True,
    )
    res_model = fields.Selection(
        selection=lambda self: self.env[
            'crm.pool.mixin']._pool_model_selection(plural=True),
        string='Records',
        required=True,
        default='crm.lead',
        help="Kind of records this pool holds.",
    )
    member_ids = fields.One2many(
        comodel_name='crm.pool.member',
        inverse_name='pool_id',
        string='Members',
        context={'active_test': False},
    )
    manager_ids = fields.Many2many(
        comodel_name='res.users',
        relation='crm_pool_manager_rel',
        column1='pool_id',
        column2='user_id',
        string='Managers',
        domain=[('share', '=', False)],
    )
    entry_domain = fields.Char(
        help="New records matching this domain land in this pool when they "
             "are created without a pool. Leave empty to add records only "
             "explicitly.",
    )
    recycle_pool_id = fields.Many2one(
        comodel_name='crm.pool',
        string='Recycle To',
        help="Pool receiving the records reclaimed from this pool. "
             "Empty means this pool itself.",
    )
    idle_days = fields.Integer(
        track_visibility='onchange',
        help="An owned record without a real follow-up for this many days "
             "returns to the pool. 0 turns this policy off.",
    )
    nodeal_days = fields.Integer(
        string='No-deal Days',
        track_visibility='onchange',
        help="An owned record not won this many days after its claim returns "
             "to the pool. 0 turns this policy off.",
    )
    remind_days = fields.Integer(
        help="Owners are reminded this many days before a deadline. "
             "0 turns reminders off.",
    )
    quota = fields.Integer(
        track_visibility='onchange',
        help="Maximum number of records a member may own from this pool "
             "(a member's own quota overrides it). 0 turns the quota off.",
    )
    daily_claim_limit = fields.Integer(
        track_visibility='onchange',
        help="Maximum number of claims per member per day. 0 turns the "
             "limit off.",
    )
    cooldown_days = fields.Integer(
        track_visibility='onchange',
        help="A previous owner may not claim the record again within this "
             "many days after it left them. 0 turns the cooldown off.",
    )
    max_freeze_days = fields.Integer(
        help="Longest freeze allowed, in days. 0 means no limit.",
    )
    max_frozen_per_user = fields.Integer(
        string='Frozen Records per User',
        help="Maximum number of frozen records per owner in this pool. "
             "0 means no limit.",
    )
    freeze_needs_approval = fields.Boolean(
        help="A freeze asked by a salesperson waits for a pool manager's "
             "approval.",
    )
    mask_contact = fields.Boolean(
        help="Hide phone, mobile and email of the records still in the pool "
             "from everybody but the pool managers. Revealed once claimed.",
    )
    duplicate_check = fields.Selection(
        selection=[
            ('none', 'No check'),
            ('warn', 'Warn'),
            ('block', 'Block'),
        ],
        default='warn',
        required=True,
        help="What to do when a new or claimed record has the same phone, "
             "email or company name as an existing one.",
    )
    distribution = fields.Selection(
        selection=[
            ('manual', 'Manual'),
            ('round_robin', 'Round robin'),
            ('balanced', 'Balanced'),
            ('rule', 'Rule based'),
        ],
        default='manual',
        required=True,
    )
    record_count = fields.Integer(
        string='In Pool',
        compute='_compute_record_count',
    )
    owned_count = fields.Integer(
        string='Owned',
        compute='_compute_record_count',
    )
    # scheduled policies and web capture (crm_pool_distribution.py,
    # crm_pool_preview.py, crm_pool_capture.py)
    capture_token = fields.Char(
        copy=False,
        index=True,
        readonly=True,
        groups='crm_public_pool.group_pool_manager',
        default=lambda self: _new_token(),
        help="Secret of the web capture endpoint POST /crm_pool/capture, sent "
             "as 'Authorization: Bearer <token>'.",
    )
    capture_rate_limit = fields.Integer(
        string='Captures per Minute',
        default=60,
        help="Web captures accepted per minute with this pool's token "
             "(bursts up to the same number). 0 turns the limit off.",
    )
    distribution_user_id = fields.Many2one(
        comodel_name='res.users',
        string='Last Distributed To',
        copy=False,
        readonly=True,
        help="Round robin pointer: the next record goes to the member after "
             "this one.",
    )
    preview_count = fields.Integer(
        string='Would Return',
        compute='_compute_preview',
        groups='crm_public_pool.group_pool_manager',
        help="Records that would return to the pool at the next reclaim run "
             "with the policy numbers on screen.",
    )
    preview_html = fields.Html(
        string='Rule Preview',
        compute='_compute_preview',
        sanitize=False,
        groups='crm_public_pool.group_pool_manager',
    )

    _sql_constraints = [
        ('policy_positive',
         'CHECK(idle_days >= 0 AND nodeal_days >= 0 AND remind_days >= 0 '
         'AND quota >= 0 AND daily_claim_limit >= 0 AND cooldown_days >= 0 '
         'AND max_freeze_days >= 0 AND max_frozen_per_user >= 0)',
         'Policy numbers cannot be negative (0 turns a policy off).'),
    ]

    @api.multi
    def _compute_record_count(self):
        counts = {}
        for res_model in set(self.mapped('res_model')):
            table = self.env[res_model]._table
            # Plain counters for the pool form / kanban: one grouped query
            # instead of one search_count per pool and state.
            self.env.cr.execute(
                'SELECT pool_id, pool_state, count(*) FROM "%s" '  # noqa: S608
                'WHERE pool_id IN %%s GROUP BY pool_id, pool_state' % table,
                (tuple(self.ids) or (0,),),
            )
            for pool_id, state, count in self.env.cr.fetchall():
                counts[(pool_id, state)] = count
        for pool in self:
            pool.record_count = counts.get((pool.id, 'pool'), 0)
            pool.owned_count = (counts.get((pool.id, 'owned'), 0)
                                + counts.get((pool.id, 'frozen'), 0))

    @api.model
    def create(self, vals):
        pool = super(CrmPool, self).create(vals)
        self.clear_caches()  # pool visibility of the record rules
        return pool

    @api.multi
    def write(self, vals):
        result = super(CrmPool, self).write(vals)
        if {'manager_ids', 'member_ids', 'company_id', 'res_model',
                'active', 'mask_contact'} & set(vals):
            self.clear_caches()  # record rules' visibility, masking pools
        if {'idle_days', 'nodeal_days'} & set(vals):
            # one UPDATE per kind of records instead of an ORM recompute of
            # every record of the pools
            for res_model in set(self.mapped('res_model')):
                pools = self.filtered(lambda p: p.res_model == res_model)
                self.env[res_model]._pool_recompute_deadlines(pools.ids)
        return result

    @api.multi
    def unlink(self):
        result = super(CrmPool, self).unlink()
        self.clear_caches()
        return result

    @api.constrains('entry_domain', 'res_model')
    def _check_entry_domain(self):
        for pool in self.filtered('entry_domain'):
            try:
                domain = safe_eval(pool.entry_domain)
                self.env[pool.res_model].search_count(domain)
            except Exception:
                raise ValidationError(
                    _("The entry domain of pool %s is not a valid domain.")
                    % pool.name)

    @api.constrains('recycle_pool_id', 'res_model')
    def _check_recycle_pool(self):
        for pool in self.filtered('recycle_pool_id'):
            if pool.recycle_pool_id.res_model != pool.res_model:
                raise ValidationError(
                    _("Pool %(pool)s can only recycle into a pool of the same "
                      "kind of records.") % {'pool': pool.name})

    @api.multi
    def _member_for(self, user):
        """The active membership of ``user`` in this pool (or empty)."""
        self.ensure_one()
        return self.member_ids.filtered(
            lambda m: m.active and m.user_id == user)

    @api.multi
    def _is_manager(self, user):
        """Whether ``user`` manages this pool (pool manager or sales manager)."""
        self.ensure_one()
        if user._is_superuser() or user.has_group(
                'sales_team.group_sale_manager'):
            return True
        return (user in self.manager_ids
                and user.has_group('crm_public_pool.group_pool_manager'))

    @api.multi
    def _effective_quota(self, member):
        self.ensure_one()
        return member.quota or self.quota

    @api.multi
    def _target_pool(self):
        """Where reclaimed records of this pool go."""
        self.ensure_one()
        return self.recycle_pool_id or self

    @api.multi
    def action_view_records(self):
        self.ensure_one()
        action = self.env.ref(
            self.env[self.res_model]._pool_records_action).read()[0]
        action['domain'] = [('pool_id', '=', self.id)]
        action['context'] = {'default_pool_id': self.id,
                             'search_default_filter_in_pool': 1}
        return action

    @api.model
    def _demo_populate(self, pool_ids, lead_count, partner_count):
        """Demo data: leads spread over the lead pools, customers in the
        customer pool, some of them already claimed by the members."""
        pools = self.browse(pool_ids).exists()
        lead_pools = pools.filtered(lambda p: p.res_model == 'crm.lead')
        partner_pools = pools.filtered(lambda p: p.res_model == 'res.partner')
        surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
        given = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '军', '杰',
                 '娟', '涛', '明', '超', '秀英', '丽', '强', '平', '刚', '桂英']
        cities = ['上海', '杭州', '南京', '苏州', '宁波', '广州', '深圳', '厦门',
                  '福州', '东莞']
        trades = ['科技', '贸易', '机械', '电子', '建材', '食品', '物流', '医疗',
                  '教育', '咨询']
        sources = self.env['utm.source'].search([], limit=5)
        Lead = self.env['crm.lead'].with_context(
            tracking_disable=True, mail_create_nolog=True)
        for index in range(lead_count if lead_pools else 0):
            pool = lead_pools[index % len(lead_pools)]
            person = (surnames[index % len(surnames)]
                      + given[(index // len(surnames)) % len(given)])
            city = cities[(index // 3) % len(cities)]
            company = '%s%s%s有限公司' % (city, person, trades[index % len(trades)])
            members = pool.member_ids
            # every third lead of a pool is owned, by its members in turn
            rank = index // len(lead_pools)
            owner = members[rank // 3 % len(members)].user_id \
                if members and rank % 3 == 0 else False
            lead = Lead.create({
                'name': '%s - %s' % (company, trades[(index + 3) % len(trades)]),
                'partner_name': company,
                'contact_name': person,
                'phone': '13%09d' % (index * 7919 % 1000000000),
                'email_from': 'contact%03d@example.com' % index,
                'city': city,
                'pool_id': pool.id,
                'user_id': False,
                'source_id': sources[index % len(sources)].id
                if sources else False,
                'qualification_state': ['new', 'contacted', 'unqualified',
                                        'qualified'][index % 4],
            })
            if owner:
                lead.with_context(pool_force_quota=True).action_pool_assign(
                    owner.id)
        Partner = self.env['res.partner'].with_context(
            tracking_disable=True, mail_create_nolog=True)
        for index in range(partner_count if partner_pools else 0):
            pool = partner_pools[index % len(partner_pools)]
            city = cities[index % len(cities)]
            Partner.create({
                'name': '%s%s%s%s股份有限公司' % (
                    city, surnames[index % len(surnames)],
                    given[(index // len(surnames)) % len(given)],
                    trades[(index + 1) % len(trades)]),
                'is_company': True,
                'customer': True,
                'phone': '0%d-%08d' % (20 + index % 8, index * 104729 % 100000000),
                'email': 'info%03d@example.com' % index,
                'city': city,
                'pool_id': pool.id,
            })
        return True
