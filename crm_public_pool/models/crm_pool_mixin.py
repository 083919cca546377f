"""``crm.pool.mixin``: pool ownership of leads and customers.

The model integrators inherit. It holds the pool fields, the deadline and
visibility computes and the helpers shared by the pool actions; the other
concerns are AbstractModels of their own that it inherits, one per file:

* ``crm_pool_routing.py``: create and write routed to the pool actions;
* ``crm_pool_actions.py``: claim, release, assign, transfer, freeze,
  unfreeze and follow-up actions;
* ``crm_pool_claim.py``: the claim engine (claims and assignments);
* ``crm_pool_duplicate.py``: normalised contact copies and duplicate check;
* ``crm_pool_history.py``: the ownership history writer;
* ``crm_pool_invalid.py``: invalid records (无效) and their restore;
* ``crm_pool_mask.py`` and ``crm_pool_guard.py``: masking and the guard of
  Odoo's standard flows;
* ``crm_pool_count.py``: the capped counts of the web client's pool lists.
"""
from datetime import datetime

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.osv import expression

from ..policy import deadline as deadline_policy
# The parent models are defined before this one, whichever module imports
# this one first (crm_pool.py imports it for the constants below).
# pylint: disable=unused-import
from . import crm_pool_routing  # noqa: F401
from . import crm_pool_mask  # noqa: F401
from . import crm_pool_count  # noqa: F401
from . import crm_pool_guard  # noqa: F401
from . import crm_pool_actions  # noqa: F401
from . import crm_pool_claim  # noqa: F401
from . import crm_pool_duplicate  # noqa: F401
from . import crm_pool_history  # noqa: F401
from . import crm_pool_invalid  # noqa: F401
from . import crm_pool_lookup
# pylint: enable=unused-import
from .crm_pool_internal import POOL_INTERNAL, is_pool_internal


POOL_STATES = [
    ('pool', 'In pool'),
    ('owned', 'Owned'),
    ('frozen', 'Frozen'),
    ('invalid', 'Invalid'),
]


class CrmPoolMixin(models.AbstractModel):
    """Pool ownership shared by leads and customers (owner = ``user_id``).

    The order of the concern mixins below is their order in the MRO; it
    matters only where two of them override one method: the routing's
    ``create`` and ``write`` run first. All of them come after the concrete
    model's own overrides (crm.lead's, mail.thread's): a method that
    mail.thread or res.partner defines without calling super stays
    overridden in crm_lead.py / res_partner.py.
    """

    _name = 'crm.pool.mixin'
    _inherit = [
        'crm.pool.routing.mixin',
        'crm.pool.mask.mixin',
        'crm.pool.count.mixin',
        'crm.pool.guard.mixin',
        'crm.pool.actions.mixin',
        'crm.pool.claim.mixin',
        'crm.pool.duplicate.mixin',
        'crm.pool.history.mixin',
        'crm.pool.invalid.mixin',
    ]
    _description = 'Public Pool Ownership'

    pool_id = fields.Many2one(
        comodel_name='crm.pool',
        string='Pool',
        index=True,
        copy=False,
        track_visibility='onchange',
        domain=lambda self: [('res_model', '=', self._name)],
    )
    pool_state = fields.Selection(
        selection=POOL_STATES,
        index=True,
        copy=False,
        readonly=True,
        track_visibility='onchange',
    )
    pool_date_claimed = fields.Datetime(
        string='Claimed on',
        copy=False,
        readonly=True,
    )
    pool_date_followup = fields.Datetime(
        string='Last Follow-up',
        copy=False,
        readonly=True,
        help="Last real follow-up: a logged follow-up, an activity marked "
             "done or an email from the customer. Plain notes do not count.",
    )
    pool_deadline = fields.Datetime(
        string='Returns to Pool on',
        compute='_compute_pool_deadline',
        store=True,
        # indexed together with the id, in the pool lists' order (see
        # crm_pool_count.py): the index serves the policies' range scans too
        index=False,
        copy=False,
        help="When the record returns to the pool unless followed up or won.",
    )
    pool_days_left = fields.Integer(
        string='Days Left',
        compute='_compute_pool_days_left',
    )
    pool_freeze_until = fields.Datetime(
        string='Frozen until',
        copy=False,
        readonly=True,
    )
    pool_freeze_reason = fields.Text(
        string='Freeze Reason',
        copy=False,
        readonly=True,
    )
    pool_freeze_pending = fields.Boolean(
        string='Freeze Awaiting Approval',
        copy=False,
        readonly=True,
    )
    pool_visible_uid = fields.Integer(
        compute='_compute_pool_visible_uid',
        search='_search_pool_visible_uid',
        help="Technical: record rules search it with the user id to get the "
             "pool visibility domain of that user.",
    )

    # ------------------------------------------------------------------
    # Hooks a pool model implements (with _pool_contact_values in
    # crm_pool_duplicate.py, _pool_mask_fields in crm_pool_mask.py and
    # _pool_take_owner_sql in crm_pool_claim.py). Nothing else names the
    # pool models: the pool form, the reports and every scheduled policy
    # list them from the registry (_pool_models) and ask these hooks.
    # ------------------------------------------------------------------
    # Column the distribution hands out first (highest first), if any
    _pool_priority_column = None
    # Window action listing the model's pool records (pool form button)
    _pool_records_action = None

    def _register_hook(self):
        super(CrmPoolMixin, self)._register_hook()
        # the pool models' look-ups in one step (crm.pool.mixin itself has
        # subclasses and is left alone)
        crm_pool_lookup.flatten_lookups(type(self))

    @api.model
    def _pool_won_sql(self, alias='t'):
        """SQL predicate on ``alias``: the record is won, so it has no
        deadline and no policy reclaims it. The one definition of "won":
        :meth:`_pool_won_ids` and the policies' guard run it too."""
        return 'FALSE'

    @api.model
    def _pool_deal_sql(self, alias='t'):
        """SQL predicate on ``alias``: the record has a deal (a customer
        with a won opportunity). Its no-deal clock is stopped; unlike a won
        record it stays under the idle clock."""
        return 'FALSE'

    @api.model
    def _pool_nodeal_sql(self, alias, days):
        """SQL operand: the no-deal days that apply to the record
        ``alias``, from the pool's ``days`` (0, i.e. off, once it has a
        deal)."""
        deal = self._pool_deal_sql(alias)
        if deal == 'FALSE':
            return days
        return '(CASE WHEN {deal} THEN 0 ELSE {days} END)'.format(
            deal=deal, days=days)

    @api.model
    def _pool_policy_sql(self, alias='r'):
        """SQL predicate on ``alias``: the scheduled policies (reclaim,
        reminders, distribution, deadlines) may touch the record: it is
        active (archived means lost or merged) and not won."""
        return '({alias}.active AND NOT {won})'.format(
            alias=alias, won=self._pool_won_sql(alias))

    def _pool_won_ids(self, deal=False):
        """Ids among ``self`` that are won, by :meth:`_pool_won_sql` on the
        stored rows (new records are never won); with ``deal``, those that
        have a deal (:meth:`_pool_deal_sql`)."""
        ids = tuple(rid for rid in self.ids if isinstance(rid, int))
        predicate = self._pool_deal_sql('t') if deal else self._pool_won_sql('t')
        if not ids or predicate == 'FALSE':
            return set()
        self.env.cr.execute(
            'SELECT t.id FROM "{table}" t WHERE t.id IN %s AND {won}'.format(
                table=self._table, won=predicate), (ids,))
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _pool_models(self):
        """The models that hold pool records: every concrete model that
        inherits this mixin, by name."""
        mixin = self.env['crm.pool.mixin']
        return sorted(
            name for name in mixin._inherit_children
            if name in self.env and not self.env[name]._abstract)

    @api.model_cr
    def init(self):
        super(CrmPoolMixin, self).init()
        # A pool model of another addon joins the health report when that
        # addon installs (on this addon's first install the report creates
        # its view itself, once every pool table has its columns).
        report = self.env.get('crm.pool.health.report')
        if not self._abstract and report is not None \
                and tools.table_exists(self.env.cr, report._table):
            report.init()

    @api.model
    def _pool_model_selection(self, plural=False):
        """(model, label) of every pool model, labels translated."""
        result = []
        for name in self._pool_models():
            label = self.env[name]._pool_label(plural=plural)
            result.append((name, label[:1].upper() + label[1:]))
        return result

    def _pool_label(self, plural=False):
        return _('records') if plural else _('record')

    def _pool_restricted_user(self, user):
        """Whether the pool visibility rule applies to ``user``."""
        return (not user.share
                and not user.has_group('sales_team.group_sale_salesman_all_leads'))

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    # Policy edits (pool idle_days / nodeal_days) are applied set-based by
    # crm.pool.write through _pool_recompute_deadlines(), not by the ORM.
    @api.depends('pool_id', 'pool_state', 'pool_date_claimed',
                 'pool_date_followup')
    def _compute_pool_deadline(self):
        won_ids = self._pool_won_ids()
        deal_ids = self._pool_won_ids(deal=True)
        for record in self:
            # sudo: only the pool's reclaim policy (idle and no-deal days) is
            # read to compute the deadline; the pool may be unreadable to the
            # user whose pool action triggered the recompute.
            pool = record.sudo().pool_id
            deadline = None
            if pool:
                deadline = deadline_policy.compute_deadline(
                    fields.Datetime.from_string(record.pool_date_claimed),
                    fields.Datetime.from_string(record.pool_date_followup),
                    idle_days=pool.idle_days,
                    nodeal_days=0 if record.id in deal_ids
                    else pool.nodeal_days,
                    owned=record.pool_state in ('owned', 'frozen'),
                    frozen=record.pool_state == 'frozen',
                    won=record.id in won_ids,
                )
            record.pool_deadline = fields.Datetime.to_string(deadline) \
                if deadline else False

    @api.depends('pool_deadline')
    def _compute_pool_days_left(self):
        now = datetime.utcnow()
        for record in self:
            left = deadline_policy.days_left(
                fields.Datetime.from_string(record.pool_deadline), now)
            record.pool_days_left = left if left is not None else 0

    def _compute_pool_visible_uid(self):
        for record in self:
            record.pool_visible_uid = self.env.uid

    def _search_pool_visible_uid(self, operator, value):
        """Visibility of pool records for user ``value`` (record rules).

        Records outside any pool are left to the other rules. Pool records
        are visible to their owner, to the members of their pool while
        unowned, and to the pool's managers; only within the user's companies.
        """
        if operator != '=' or not value:
            return [expression.TRUE_LEAF]
        visibility = self._pool_visibility(value)
        if visibility is None:
            return [expression.TRUE_LEAF]
        member_pools, managed_pools = visibility
        # only the branches that can match: a salesperson in no pool costs
        # every query of theirs one short condition
        branches = [[('pool_id', '=', False)], [('user_id', '=', value)]]
        if member_pools:
            branches.append(['&', ('user_id', '=', False),
                             ('pool_id', 'in', list(member_pools))])
        if managed_pools:
            branches.append([('pool_id', 'in', list(managed_pools))])
        return expression.OR(branches)

    @tools.ormcache('uid', 'self._name')
    def _pool_visibility(self, uid):
        """(member pool ids, managed pool ids) of ``uid``, or ``None`` when
        the pool rule does not restrict that user.

        Cached like the record rules; pools, members and group changes clear
        the registry caches.
        """
        # sudo: called from ir.rule as superuser; reads the user's groups only.
        user = self.env['res.users'].sudo().browse(uid)
        if not self._pool_restricted_user(user):
            return None
        cr = self.env.cr
        cr.execute("""
            SELECT p.id FROM crm_pool p
            JOIN crm_pool_member m ON m.pool_id = p.id
            WHERE m.user_id = %s AND m.active AND p.res_model = %s
              AND p.company_id IN (SELECT cid FROM res_company_users_rel
                                   WHERE user_id = %s)
            ORDER BY p.id
        """, (uid, self._name, uid))
        member_pools = tuple(row[0] for row in cr.fetchall())
        managed_pools = ()
        if user.has_group('crm_public_pool.group_pool_manager'):
            cr.execute("""
                SELECT p.id FROM crm_pool p
                JOIN crm_pool_manager_rel r ON r.pool_id = p.id
                WHERE r.user_id = %s AND p.res_model = %s ORDER BY p.id
            """, (uid, self._name))
            managed_pools = tuple(row[0] for row in cr.fetchall())
        return member_pools, managed_pools

    @api.model
    def _pool_recompute_deadlines(self, pool_ids):
        """Recompute ``pool_deadline`` of every record of the pools in one
        statement (the SQL twin of policy.deadline.compute_deadline)."""
        if not pool_ids:
            return
        self.env.cr.execute("""
            UPDATE "{table}" t
               SET pool_deadline = CASE
                   WHEN t.pool_state = 'owned' AND t.pool_date_claimed IS NOT NULL
                        AND NOT ({won})
                   THEN {deadline}
                   END
              FROM crm_pool p
             WHERE p.id = t.pool_id AND t.pool_id IN %s
        """.format(table=self._table, won=self._pool_won_sql('t'),
                   deadline=deadline_policy.deadline_sql(
                       't.pool_date_claimed', 't.pool_date_followup',
                       'p.idle_days',
                       self._pool_nodeal_sql('t', 'p.nodeal_days'))),
            (tuple(pool_ids),))
        self.invalidate_cache(['pool_deadline'])

    # ------------------------------------------------------------------
    # Helpers shared by the pool actions
    # ------------------------------------------------------------------
    def _pool_internal(self):
        return is_pool_internal(self.env)

    def _pool_write(self, vals):
        """Write bookkeeping values once the pool checks passed.

        Written as the current user when the access rights allow it (tracking
        keeps the real author), else as superuser: every caller has checked
        the user's right to perform the pool action on these records first.
        """
        records = self.with_context(crm_pool_internal=POOL_INTERNAL)
        if not records.check_access_rights('write', raise_exception=False):
            # sudo: only when the user lacks the model's write access right;
            # every caller checked the user's right to this pool action first.
            records = records.sudo()
        return records.write(vals)

    def _pool_msg_args(self):
        """Names for the refusal messages of the pool actions: the record's
        and its pool's names where the user may read them, else only their
        kind and number (a refusal never names what the user cannot see)."""
        self.ensure_one()
        # sudo: the names, shown only when the user may read the record
        # (or, for the pool, the pool) as checked right below.
        sudo_self = self.sudo()
        pool = sudo_self.pool_id
        record_ids = self._pool_readable_ids(self)
        return {
            'name': sudo_self.display_name if self.id in record_ids
            else '%s #%s' % (self._pool_label(), self.id),
            'pool': self._pool_name_for_user(pool) if pool else '',
            'what': self._pool_label(),
        }

    @api.model
    def _pool_name_for_user(self, pool):
        """The pool's name, or only its number when the user may not read
        it."""
        pool = pool.with_env(self.env)
        if pool.id in self._pool_readable_ids(pool):
            return pool.display_name
        return '#%s' % pool.id

    @api.model
    def _pool_readable_ids(self, records):
        """Ids of ``records`` the current user may read."""
        if not records:
            return set()
        if not records.check_access_rights('read', raise_exception=False):
            return set()
        return set(records.with_context(active_test=False).search(
            [('id', 'in', records.ids)]).ids)

    def _pool_check_in_pool(self):
        # sudo: only whether the record is in a pool is read; the pool actions
        # check the user's rights on pool records themselves.
        if self.sudo().pool_id:
            return
        raise UserError(_("%(name)s is not in a public pool.")
                        % self._pool_msg_args())

    def _pool_lock_rows(self):
        """Lock the records' rows until the end of the transaction.

        Under REPEATABLE READ a row changed by a concurrent transaction after
        our snapshot raises a serialization failure here; the HTTP layer then
        retries the whole request on a fresh snapshot.
        """
        if not self.ids:
            return
        self.env.cr.execute(
            'SELECT id FROM "%s" WHERE id IN %%s ORDER BY id FOR UPDATE'
            % self._table, (tuple(self.ids),), log_exceptions=False)
        self.invalidate_cache(['user_id', 'pool_id', 'pool_state'], self.ids)

    def _pool_format_date(self, value):
        """A naive UTC datetime shown as a date-time in the user's timezone."""
        local = fields.Datetime.context_timestamp(self, value)
        return local.strftime('%Y-%m-%d %H:%M')
