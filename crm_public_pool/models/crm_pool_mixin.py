import logging
from datetime import datetime, time

import pytz

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from ..policy import contact as contact_policy
from ..policy import deadline as deadline_policy
# the parent models are defined before this one, whichever module imports
# this one first
from . import crm_pool_guard  # noqa: F401 pylint: disable=unused-import
from .crm_pool_internal import POOL_INTERNAL, is_pool_internal
from .crm_pool_mask import NORM_FIELDS

_logger = logging.getLogger(__name__)


# The models a pool holds, as the pool form and the searches name them
POOL_MODELS = [('crm.lead', 'Leads'), ('res.partner', 'Customers')]
# One record of them, as the reports name it
RECORD_KINDS = [('crm.lead', 'Lead'), ('res.partner', 'Customer')]

POOL_STATES = [
    ('pool', 'In pool'),
    ('owned', 'Owned'),
    ('frozen', 'Frozen'),
]

# Fields only the pool actions may write.
PROTECTED_FIELDS = {
    'pool_state', 'pool_date_claimed', 'pool_date_followup', 'pool_deadline',
    'pool_freeze_until', 'pool_freeze_reason', 'pool_freeze_pending',
} | set(NORM_FIELDS)


class CrmPoolMixin(models.AbstractModel):
    """Pool ownership shared by leads and customers (owner = ``user_id``)."""

    _name = 'crm.pool.mixin'
    _inherit = ['crm.pool.mask.mixin', 'crm.pool.guard.mixin']
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
        index=True,
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
    pool_log_ids = fields.One2many(
        comodel_name='crm.pool.log',
        inverse_name='res_id',
        string='Ownership History',
        domain=lambda self: [('res_model', '=', self._name)],
        readonly=True,
        # Salespeople outside the pool groups may open leads and contacts
        # but have no right on the history: the field is not theirs to read.
        groups='crm_public_pool.group_pool_user',
    )
    pool_phone_norm = fields.Char(
        string='Normalized Phone',
        compute='_compute_pool_norm',
        store=True,
        index=True,
        copy=False,
    )
    pool_mobile_norm = fields.Char(
        string='Normalized Mobile',
        compute='_compute_pool_norm',
        store=True,
        index=True,
        copy=False,
    )
    pool_email_norm = fields.Char(
        string='Normalized Email',
        compute='_compute_pool_norm',
        store=True,
        index=True,
        copy=False,
    )
    pool_company_norm = fields.Char(
        string='Normalized Company',
        compute='_compute_pool_norm',
        store=True,
        index=True,
        copy=False,
    )
    pool_visible_uid = fields.Integer(
        compute='_compute_pool_visible_uid',
        search='_search_pool_visible_uid',
        help="Technical: record rules search it with the user id to get the "
             "pool visibility domain of that user.",
    )

    # ------------------------------------------------------------------
    # Hooks the concrete models implement
    # ------------------------------------------------------------------
    def _pool_contact_values(self):
        """(phone, mobile, email, company name) used by the duplicate check."""
        return (self.phone, self.mobile, False, False)

    def _pool_is_won(self):
        return False

    @api.model
    def _pool_won_sql(self):
        """SQL predicate on alias ``t``: the record is won (no deadline)."""
        return 'FALSE'

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
                    nodeal_days=pool.nodeal_days,
                    owned=record.pool_state in ('owned', 'frozen'),
                    frozen=record.pool_state == 'frozen',
                    won=record._pool_is_won(),
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

    def _compute_pool_norm(self):
        for record in self:
            phone, mobile, email, company = record._pool_contact_values()
            record.pool_phone_norm = contact_policy.normalize_phone(phone) \
                or False
            record.pool_mobile_norm = contact_policy.normalize_phone(mobile) \
                or False
            record.pool_email_norm = contact_policy.normalize_email(email) \
                or False
            record.pool_company_norm = contact_policy.normalize_company(
                company) or False

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
        return expression.OR([
            [('pool_id', '=', False)],
            [('user_id', '=', value)],
            ['&', ('user_id', '=', False),
             ('pool_id', 'in', list(member_pools) or [0])],
            [('pool_id', 'in', list(managed_pools) or [0])],
        ])

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

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        internal = self._pool_internal()
        if not internal and not self.env.user._is_superuser():
            forbidden = PROTECTED_FIELDS.intersection(vals)
            if forbidden:
                raise UserError(_("Pool fields are set by the pool actions "
                                  "only (%s).") % ', '.join(sorted(forbidden)))
        self._pool_check_no_placeholder(vals)
        claim = False
        if vals.get('pool_id') and not internal:
            if 'user_id' not in vals:
                # created into a pool without an owner: it waits in the pool,
                # whatever default owner Odoo would give it
                vals = dict(vals, user_id=False)
            claim = self._pool_check_create_in_pool(vals)
            if claim:
                vals = dict(vals, user_id=False)
        record = super(CrmPoolMixin, self).create(vals)
        if not internal:
            record._pool_after_create()
        if claim:
            record._pool_claim_created()
        return record

    @api.model
    def _pool_check_no_placeholder(self, vals):
        """A masked value (138****5678) shown to a salesperson is never
        stored as contact data, whoever sends it back."""
        for name in self._pool_mask_fields():
            if contact_policy.is_placeholder(vals.get(name)):
                raise ValidationError(_(
                    "%(value)s is a hidden value, not a real one: enter the "
                    "real %(field)s or leave it empty.") % {
                    'value': vals[name],
                    'field': self._fields[name].get_description(
                        self.env)['string']})

    @api.model
    def _pool_check_create_in_pool(self, vals):
        """Check that the user may create a record in the pool of ``vals``;
        True when the creator owns it, which is then a claim (membership,
        quota and daily limit apply)."""
        user = self.env.user
        if user._is_superuser():
            return False
        # sudo: only the pool's managers and name are read, for the checks
        pool = self.env['crm.pool'].sudo().browse(vals['pool_id']).exists()
        if not pool or pool.res_model != self._name:
            raise UserError(_("Choose a pool that holds this kind of records."))
        is_manager = pool._is_manager(user)
        owner = vals.get('user_id')
        owner = owner.id if isinstance(owner, models.BaseModel) else owner
        if is_manager:
            return False
        if not self._pool_memberships([pool.id], user):
            raise UserError(_("You are not a member of pool %(pool)s.")
                            % {'pool': self._pool_name_for_user(pool)})
        if owner and owner != user.id:
            raise UserError(_("Only the managers of pool %(pool)s may give "
                              "its records to another salesperson.")
                            % {'pool': pool.display_name})
        return bool(owner)

    def _pool_claim_created(self):
        """The creator of a pool record owns it when the claim checks let
        them; otherwise it stays unowned in the pool, with a note saying why
        (e.g. over quota: "超过设定的数量，则新增的潜在客户将默认为未分配状态")."""
        try:
            self.action_pool_claim()
        except UserError as error:
            # sudo: the note explains on the record why its creator does not
            # own it; the creator may no longer write to it.
            self.sudo().message_post(
                body=_("Left unowned in the pool: %s") % (error.name or ''),
                subtype='mail.mt_note')

    @api.multi
    def write(self, vals):
        if self._pool_internal():
            return super(CrmPoolMixin, self).write(vals)
        superuser = self.env.user._is_superuser()
        forbidden = PROTECTED_FIELDS.intersection(vals)
        if forbidden and not superuser:
            raise UserError(_("Pool fields are set by the pool actions only "
                              "(%s).") % ', '.join(sorted(forbidden)))
        self._pool_check_no_placeholder(vals)
        if 'user_id' not in vals and 'pool_id' not in vals:
            self._pool_check_owner_or_manager('write')
            return super(CrmPoolMixin, self).write(vals)
        vals = dict(vals)
        # sudo: the pool, owner and pool managers are read only to route the
        # change to the pool actions below, which check the user's rights
        # themselves; nothing read here is returned or written.
        sudo_self = self.sudo()
        pooled = self.browse([r.id for r in sudo_self if r.pool_id])
        if 'pool_id' in vals:
            target = self.env['crm.pool'].browse(vals.pop('pool_id') or [])
            moving = pooled.filtered(
                lambda r: sudo_self.browse(r.id).pool_id != target)
            if moving and target:
                moving.action_pool_transfer(target.id)
            elif moving:
                moving._pool_remove_from_pool()
            entering = (self - pooled)
            if target and entering:
                entering._pool_enter(target)
            pooled = self.browse([r.id for r in sudo_self if r.pool_id])
        if 'user_id' in vals and pooled:
            new_user = self.env['res.users'].browse(vals.pop('user_id') or [])
            quiet = pooled.with_context(mail_notrack=True)
            if superuser:
                # the superuser setting an owner explicitly passes the quota
                quiet = quiet.with_context(pool_force_quota=True)
            if not new_user:
                owned = quiet.filtered(lambda r: sudo_self.browse(r.id).user_id)
                if owned:
                    owned.action_pool_release(_("Owner removed"))
            else:
                changing = quiet.filtered(
                    lambda r: sudo_self.browse(r.id).user_id != new_user)
                if new_user == self.env.user and not any(
                        sudo_self.browse(r.id).pool_id._is_manager(self.env.user)
                        for r in changing):
                    changing.action_pool_claim()
                elif changing:
                    changing.action_pool_assign(new_user.id)
            rest = self - pooled
            if rest:
                super(CrmPoolMixin, rest).write(
                    dict(vals, user_id=new_user.id))
        if vals:
            # the rest of the values, once the owner changed (a claim makes
            # the user the owner who may edit)
            self._pool_check_owner_or_manager('write')
            return super(CrmPoolMixin, self).write(vals)
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.multi
    def action_pool_claim(self):
        """Claim (领取) the records for the current user."""
        user = self.env.user
        with self.env.cr.savepoint():
            self._pool_take(user, 'claim')
        return True

    @api.multi
    def action_pool_assign(self, user_id):
        """Assign (分配) the records to ``user_id`` (pool managers only).

        A pool manager passes the quota only explicitly, with the context key
        ``pool_force_quota``.
        """
        user = self.env['res.users'].browse(
            user_id.id if isinstance(user_id, models.BaseModel) else user_id)
        if not user.exists():
            raise UserError(_("Choose a salesperson to assign to."))
        with self.env.cr.savepoint():
            self._pool_take(user, 'assign')
        return True

    @api.multi
    def action_pool_release(self, reason=None, note=None):
        """Release (退回) the records to their pool with a reason.

        ``reason``: a ``crm.pool.release.reason`` id or a text; ``note``: an
        optional comment added to the reason.
        """
        reason_rec, reason_text = self._pool_parse_reason(reason)
        if note and note.strip():
            reason_text = ('%s: %s' % (reason_text, note.strip())
                           if reason_text else note.strip())
        if not reason_rec and not reason_text:
            raise UserError(_("Please give a reason for returning the records "
                              "to the pool."))
        user = self.env.user
        now = fields.Datetime.now()
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            owners = {}
            for record in self:
                record._pool_check_in_pool()
                # sudo: the owner and the pool's managers are read to check
                # right below that the user is the owner or a pool manager.
                sudo_record = record.sudo()
                if not sudo_record.user_id:
                    raise UserError(_("%(name)s is already in pool %(pool)s.")
                                    % record._pool_msg_args())
                if sudo_record.user_id != user and \
                        not sudo_record.pool_id._is_manager(user):
                    raise UserError(_("Only the owner or a manager of pool "
                                      "%(pool)s may return %(name)s to the "
                                      "pool.") % record._pool_msg_args())
                owners[record.id] = sudo_record.user_id
            for record in self:
                previous = owners[record.id]
                record._pool_write({
                    'user_id': False,
                    'pool_state': 'pool',
                    'pool_date_claimed': False,
                    'pool_freeze_until': False,
                    'pool_freeze_reason': False,
                    'pool_freeze_pending': False,
                })
                record._pool_log('release', from_user=previous, date=now,
                                 reason=reason_text, reason_rec=reason_rec)
        return True

    @api.multi
    def action_pool_transfer(self, pool_id):
        """Move the records to another pool (pool managers only).

        Owned records keep no owner: they wait in the new pool.
        """
        # sudo: the target pool's kind and name are checked, nothing else.
        target = self.env['crm.pool'].sudo().browse(
            pool_id.id if isinstance(pool_id, models.BaseModel) else pool_id)
        if not target.exists():
            raise UserError(_("Choose the pool to transfer to."))
        user = self.env.user
        if target.res_model != self._name:
            raise UserError(_("Pool %(pool)s does not hold this kind of "
                              "records.") % {'pool': target.display_name})
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            sources = {}
            for record in self:
                record._pool_check_in_pool()
                # sudo: the source pool's managers and the owner are read; the
                # transfer is refused right below unless the user manages it.
                sudo_record = record.sudo()
                if not sudo_record.pool_id._is_manager(user):
                    raise UserError(_("Only the managers of pool %(pool)s may "
                                      "transfer %(name)s.")
                                    % record._pool_msg_args())
                if sudo_record.pool_id == target:
                    raise UserError(_("%(name)s is already in pool %(pool)s.")
                                    % record._pool_msg_args())
                sources[record.id] = (sudo_record.pool_id, sudo_record.user_id)
            now = fields.Datetime.now()
            for record in self:
                source, previous = sources[record.id]
                record._pool_write({
                    'pool_id': target.id,
                    'user_id': False,
                    'pool_state': 'pool',
                    'pool_date_claimed': False,
                    'pool_freeze_until': False,
                    'pool_freeze_reason': False,
                    'pool_freeze_pending': False,
                })
                record._pool_log(
                    'transfer', from_user=previous, date=now,
                    reason=_("From pool %s") % source.display_name)
        return True

    @api.multi
    def action_pool_freeze(self, until, reason):
        """Freeze (冻结) owned records until ``until`` (a datetime string)."""
        user = self.env.user
        if not reason or not str(reason).strip():
            raise UserError(_("Please give a reason for the freeze."))
        until_dt = self._pool_parse_datetime(until)
        now_dt = datetime.utcnow()
        if not until_dt or until_dt <= now_dt:
            raise UserError(_("A freeze must end in the future."))
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            for record in self:
                record._pool_check_in_pool()
                # sudo: the state, the owner and the pool's freeze policy are
                # read to check the user's rights and limits right below; the
                # frozen count covers the owner's records the user may not see.
                sudo_record = record.sudo()
                pool = sudo_record.pool_id
                is_manager = pool._is_manager(user)
                if sudo_record.pool_state != 'owned':
                    raise UserError(_("Only an owned record can be frozen; "
                                      "%(name)s is not.")
                                    % record._pool_msg_args())
                if sudo_record.user_id != user and not is_manager:
                    raise UserError(_("Only the owner or a manager of pool "
                                      "%(pool)s may freeze %(name)s.")
                                    % record._pool_msg_args())
                limit = deadline_policy.freeze_limit(now_dt,
                                                     pool.max_freeze_days)
                if limit and until_dt > limit:
                    raise UserError(_(
                        "A freeze in pool %(pool)s may last at most %(days)s "
                        "days (until %(limit)s).") % {
                        'pool': pool.display_name,
                        'days': pool.max_freeze_days,
                        'limit': self._pool_format_date(limit)})
                if pool.max_frozen_per_user:
                    # one owner's freezes queue up on their membership row:
                    # a concurrent freeze committed after our snapshot makes
                    # this fail with a serialization error, and the request
                    # is retried on a fresh snapshot that counts it
                    self.env.cr.execute(
                        'UPDATE crm_pool_member SET user_id = user_id '
                        'WHERE pool_id = %s AND user_id = %s',
                        (pool.id, sudo_record.user_id.id),
                        log_exceptions=False)
                    frozen = sudo_record.search_count([
                        ('pool_id', '=', pool.id),
                        ('user_id', '=', sudo_record.user_id.id),
                        '|', ('pool_state', '=', 'frozen'),
                        ('pool_freeze_pending', '=', True)])
                    if frozen >= pool.max_frozen_per_user:
                        raise UserError(_(
                            "%(user)s already has %(count)s of %(max)s frozen "
                            "%(what)s allowed in pool %(pool)s.") % {
                            'user': sudo_record.user_id.display_name,
                            'count': frozen,
                            'max': pool.max_frozen_per_user,
                            'what': record._pool_label(plural=True),
                            'pool': pool.display_name})
                vals = {
                    'pool_freeze_until': fields.Datetime.to_string(until_dt),
                    'pool_freeze_reason': reason,
                }
                if pool.freeze_needs_approval and not is_manager:
                    vals['pool_freeze_pending'] = True
                    record._pool_write(vals)
                    record._pool_log('freeze_request', reason=reason)
                    record._pool_notify_freeze_request()
                else:
                    vals.update(pool_state='frozen', pool_freeze_pending=False)
                    record._pool_write(vals)
                    record._pool_log('freeze', reason=reason)
        return True

    @api.multi
    def action_pool_freeze_approve(self):
        """A pool manager approves pending freeze requests."""
        user = self.env.user
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            for record in self:
                record._pool_check_in_pool()
                # sudo: the pool's managers and the pending request are read;
                # only a manager of the record's pool gets past the check.
                sudo_record = record.sudo()
                if not sudo_record.pool_id._is_manager(user):
                    raise UserError(_("Only the managers of pool %(pool)s may "
                                      "approve a freeze.")
                                    % record._pool_msg_args())
                if not sudo_record.pool_freeze_pending:
                    raise UserError(_("No freeze of %(name)s awaits approval.")
                                    % record._pool_msg_args())
                until = fields.Datetime.from_string(
                    sudo_record.pool_freeze_until)
                if until and until <= datetime.utcnow():
                    raise UserError(_(
                        "The freeze requested for %(name)s ended on %(date)s; "
                        "it can no longer be approved.") % dict(
                        record._pool_msg_args(),
                        date=self._pool_format_date(until)))
                record._pool_write({'pool_state': 'frozen',
                                    'pool_freeze_pending': False})
                record._pool_log(
                    'freeze', reason=sudo_record.pool_freeze_reason)
        return True

    @api.multi
    def action_pool_unfreeze(self):
        """Unfreeze records (owner or manager); the deadline clocks restart."""
        user = self.env.user
        with self.env.cr.savepoint():
            self._pool_lock_rows()
            frozen_ids = set()
            for record in self:
                record._pool_check_in_pool()
                # sudo: the state, the owner and the pool's managers are read
                # to check right below that the user is the owner or a manager.
                sudo_record = record.sudo()
                if sudo_record.pool_state != 'frozen' \
                        and not sudo_record.pool_freeze_pending:
                    raise UserError(_("%(name)s is not frozen.")
                                    % record._pool_msg_args())
                if sudo_record.user_id != user and \
                        not sudo_record.pool_id._is_manager(user):
                    raise UserError(_("Only the owner or a manager of pool "
                                      "%(pool)s may unfreeze %(name)s.")
                                    % record._pool_msg_args())
                if sudo_record.pool_state == 'frozen':
                    frozen_ids.add(record.id)
            for record in self:
                if record.id in frozen_ids:
                    record._pool_write(record._pool_unfreeze_values())
                    record._pool_log('unfreeze')
                else:
                    # a request withdrawn before approval: the record was
                    # never frozen, its reclaim clocks keep running
                    record._pool_write({'pool_freeze_until': False,
                                        'pool_freeze_reason': False,
                                        'pool_freeze_pending': False})
                    record._pool_log('freeze_withdrawn')
        return True

    @api.multi
    def action_pool_log_followup(self, method, content, next_date=False,
                                 summary=False):
        """Log a real follow-up (call, visit, WeChat, email, meeting).

        Moves ``pool_date_followup`` and schedules the next contact as an
        activity when ``next_date`` (a date string) is given.
        """
        methods = dict(self.env['crm.pool.followup.wizard']._fields[
            'method']._description_selection(self.env))
        if method not in methods:
            raise UserError(_("Unknown follow-up method: %s") % method)
        if not content or not content.strip():
            raise UserError(_("Please describe the follow-up."))
        user = self.env.user
        owners = {}
        for record in self:
            # sudo: the pool, the owner and the pool's managers are read to
            # check right below that the user is the owner or a manager.
            sudo_record = record.sudo()
            if sudo_record.pool_id and sudo_record.user_id != user \
                    and not sudo_record.pool_id._is_manager(user):
                raise UserError(_("Only the owner or a manager of pool "
                                  "%(pool)s may log a follow-up on %(name)s.")
                                % record._pool_msg_args())
            owners[record.id] = sudo_record.user_id
        activity_type = self._pool_activity_type(method)
        for record in self:
            record.message_post(
                body=_("<b>Follow-up (%(method)s)</b><br/>%(content)s") % {
                    'method': methods[method],
                    'content': content.replace('\n', '<br/>')},
                subtype='mail.mt_note',
                message_type='comment',
            )
            if next_date:
                self.env['mail.activity'].create({
                    'res_model_id': self.env['ir.model']._get_id(self._name),
                    'res_id': record.id,
                    'activity_type_id': activity_type.id,
                    'summary': summary or _("Next contact"),
                    'date_deadline': next_date,
                    'user_id': (owners[record.id] or user).id,
                })
        self._pool_touch_followup()
        return True

    # ------------------------------------------------------------------
    # Business methods
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

    def _pool_log(self, action, from_user=None, to_user=None, date=None,
                  reason=None, reason_rec=None, pool=None):
        self.ensure_one()
        # sudo: the record's name and pool are copied into the history of an
        # action that passed its checks; the record may be invisible to the
        # user afterwards (released, transferred).
        sudo_self = self.sudo()
        pool = pool or sudo_self.pool_id
        # sudo: the history is append-only and written only here, after the
        # action's own checks; users have no create right on it.
        return self.env['crm.pool.log'].sudo().create({
            'res_model': self._name,
            'res_id': self.id,
            'res_name': sudo_self.display_name,
            'action': action,
            'pool_id': pool.id,
            'company_id': pool.company_id.id,
            'from_user_id': from_user.id if from_user else False,
            'to_user_id': to_user.id if to_user else False,
            'actor_id': self.env.uid,
            'reason': reason or False,
            'reason_id': reason_rec.id if reason_rec else False,
            'date': date or fields.Datetime.now(),
        })

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

    def _pool_take(self, user, action):
        """Give the records to ``user`` by claim or assignment, atomically.

        Order of locks (always the same, so no deadlock): the membership rows
        of (pool, user), by pool id, then the records' rows, by id. Every
        claim updates the membership row, so two claims by one user queue up
        and the second one counts the first one's records.
        """
        actor = self.env.user
        force = action == 'assign' and self.env.context.get('pool_force_quota')
        records = self.sorted('id')
        # sudo: the pools' policy, members and managers are read to check the
        # user's rights; the records' owners come from the raw rows below.
        sudo_records = records.sudo()
        pool_of = {record.id: record.pool_id for record in sudo_records}
        # 1. cheap checks on the snapshot, without locks
        current = records._pool_current_rows()
        members = self._pool_memberships(
            [row['pool_id'] for row in current.values() if row['pool_id']],
            user)
        for record in records:
            row = current[record.id]
            record._pool_check_in_pool()
            pool = pool_of[record.id]
            if action == 'claim':
                if row['user_id'] == user.id:
                    raise UserError(_("You already own %(name)s.")
                                    % record._pool_msg_args())
                if row['user_id']:
                    raise UserError(_("This %(what)s has already been claimed "
                                      "by another user.")
                                    % record._pool_msg_args())
            else:
                if not pool._is_manager(actor):
                    raise UserError(_("Only the managers of pool %(pool)s may "
                                      "assign its records.")
                                    % record._pool_msg_args())
                if row['user_id'] == user.id:
                    raise UserError(_("%(user)s already owns %(name)s.") % dict(
                        record._pool_msg_args(), user=user.display_name))
            if pool.id not in members:
                if user == actor:
                    raise UserError(_("You are not a member of pool %(pool)s.")
                                    % record._pool_msg_args())
                raise UserError(_("%(user)s is not a member of pool %(pool)s.")
                                % dict(record._pool_msg_args(),
                                       user=user.display_name))
        if action == 'claim':
            records._pool_check_cooldown(user)
        # 2. serialise per (pool, user), then check quota and daily limit
        pools = sudo_records.mapped('pool_id').sorted('id')
        now = fields.Datetime.now()
        for pool in pools:
            member_id, member_quota = members[pool.id]
            # A concurrent claim of this member committed after our snapshot
            # makes this fail with a serialization error: the request is then
            # retried on a fresh snapshot (not an error worth logging).
            self.env.cr.execute(
                'UPDATE crm_pool_member SET last_claim_date = %s WHERE id = %s',
                (now, member_id), log_exceptions=False)
            batch = records.filtered(lambda r: pool_of[r.id] == pool)
            # the member's own quota, else the pool's (crm.pool
            # _effective_quota, without reading every membership)
            quota = member_quota or pool.quota
            if quota and not force:
                owned = self._pool_count_owned(pool, user)
                if owned + len(batch) > quota:
                    if user == actor:
                        msg = _("You own %(owned)s of %(quota)s %(what)s "
                                "allowed in pool %(pool)s.")
                    else:
                        msg = _("%(user)s owns %(owned)s of %(quota)s "
                                "%(what)s allowed in pool %(pool)s.")
                    raise UserError(msg % {
                        'owned': owned, 'quota': quota, 'user': user.name,
                        'what': self._pool_label(plural=True),
                        'pool': pool.display_name})
            if action == 'claim' and pool.daily_claim_limit:
                today = self._pool_count_claims_today(pool, user)
                if today + len(batch) > pool.daily_claim_limit:
                    raise UserError(_(
                        "You have claimed %(count)s %(what)s today in pool "
                        "%(pool)s; the daily limit is %(limit)s.") % {
                        'count': today, 'limit': pool.daily_claim_limit,
                        'what': self._pool_label(plural=True),
                        'pool': pool.display_name})
        # 3. lock the records and check again on the locked rows
        records._pool_lock_rows()
        current = records._pool_current_rows()
        for record in records:
            row = current[record.id]
            if row['pool_id'] != pool_of[record.id].id:
                raise UserError(_("%(name)s was moved to another pool "
                                  "meanwhile.") % record._pool_msg_args())
            if action == 'claim' and row['user_id']:
                raise UserError(_("This %(what)s has already been claimed by "
                                  "another user.") % record._pool_msg_args())
        records._pool_check_duplicates_on_claim(user, pool_of)
        # 4. write and log. The standard side effects of changing the owner
        # (value tracking, auto-subscription, the "assigned to you" email)
        # are replaced by one follower subscription and one chatter entry
        # per record, written below by _pool_take_chatter().
        records = records.with_context(tracking_disable=True,
                                       crm_pool_owner_values=POOL_INTERNAL)
        for record in records:
            previous = self.env['res.users'].browse(
                current[record.id]['user_id'] or [])
            vals = {
                'user_id': user.id,
                'pool_state': 'owned',
                'pool_date_claimed': now,
            }
            if current[record.id]['pool_state'] == 'frozen' \
                    or current[record.id]['pool_freeze_pending']:
                vals.update(pool_freeze_until=False, pool_freeze_reason=False,
                            pool_freeze_pending=False)
            vals.update(record._pool_owner_values(user))
            record._pool_write(vals)
            record._pool_log(action, from_user=previous, to_user=user,
                             date=now)
            record._pool_take_chatter(action, previous, user)
        return True

    def _pool_owner_values(self, user):
        """Values that follow the owner (e.g. the sales team of a lead),
        written in the same write as the owner during a claim or an
        assignment (context key ``crm_pool_owner_values``)."""
        return {}

    def _pool_take_chatter(self, action, previous, user):
        """The new owner follows the record; one note says who took it.

        Stands for the mail tracking and auto-subscription of ``user_id``,
        disabled during the claim: the owner's partner is subscribed once
        (default subtypes) and a single note carries the salesperson's
        tracking value. Followers of notes are notified as usual.
        """
        self.ensure_one()
        actor = self.env.user
        # sudo: the record's name for the chatter entry, on a record the
        # claim or assignment checks already allowed.
        record_name = self.sudo().display_name
        # sudo: the follower row and the chatter entry of a claim or an
        # assignment that passed its checks; the actor may lack the write
        # right on the record (author = actor, default subtypes).
        Followers = self.env['mail.followers'].sudo()
        if action == 'claim':
            body = _("Claimed from the public pool by %s.") % user.name
        else:
            body = _("Assigned to %(user)s by %(actor)s.") % {
                'user': user.name, 'actor': actor.name}
        note = self.env['mail.message.subtype'].browse(
            self.env['ir.model.data'].xmlid_to_res_id('mail.mt_note'))
        # sudo: see above; the note is logged without the standard
        # notification pass, done right below only when someone follows notes.
        message = self.env['mail.message'].sudo().with_context(
            message_create_from_mail_mail=True).create({
                'model': self._name,
                'res_id': self.id,
                'record_name': record_name,
                'body': body,
                'message_type': 'notification',
                'subtype_id': note.id,
                'author_id': actor.partner_id.id,
                'email_from': tools.formataddr((actor.name, actor.email))
                if actor.email else False,
            })
        tracking = self.env['mail.tracking.value'].create_tracking_values(
            previous, user, 'user_id',
            {'string': self._fields['user_id'].get_description(
                self.env)['string'], 'type': 'many2one'})
        if tracking:
            tracking['mail_message_id'] = message.id
            # sudo: same tracking row mail.message.create writes as superuser
            self.env['mail.tracking.value'].sudo().create(tracking)
        if user.partner_id.active:
            new_followers = Followers._add_follower_command(
                self._name, self.ids, {user.partner_id.id: None}, {},
                force=False)[0]
            for command in new_followers:
                if command[0] == 0:
                    Followers.create(dict(command[2], res_id=self.id))
            if action == 'assign' and user != actor \
                    and user.notification_type == 'email':
                # the standard "you have been assigned" email of the assignee
                # (a claimer needs none: they assigned themselves)
                notifier = self
                if not self.check_access_rights('write',
                                                raise_exception=False):
                    # sudo: like _pool_write, only when the manager lacks
                    # the model's write right; the assignment was checked.
                    notifier = self.sudo()
                notifier._message_auto_subscribe_notify([user.partner_id.id])
        if Followers.search_count([
                ('res_model', '=', self._name), ('res_id', '=', self.id),
                ('subtype_ids', 'in', note.id),
                ('partner_id', '!=', actor.partner_id.id)]):
            message._notify()

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
                   THEN LEAST(
                       CASE WHEN p.idle_days > 0
                            THEN GREATEST(t.pool_date_claimed,
                                          COALESCE(t.pool_date_followup,
                                                   t.pool_date_claimed))
                                 + p.idle_days * interval '1 day' END,
                       CASE WHEN p.nodeal_days > 0
                            THEN t.pool_date_claimed
                                 + p.nodeal_days * interval '1 day' END)
                   END
              FROM crm_pool p
             WHERE p.id = t.pool_id AND t.pool_id IN %s
        """.format(table=self._table, won=self._pool_won_sql()),
            (tuple(pool_ids),))
        self.invalidate_cache(['pool_deadline'])

    def _pool_current_rows(self):
        """Owner and pool straight from the table (no cache, no masking)."""
        if not self.ids:
            return {}
        self.env.cr.execute(
            'SELECT id, user_id, pool_id, pool_state, pool_freeze_pending '
            'FROM "%s" WHERE id IN %%s' % self._table, (tuple(self.ids),))
        return {row[0]: {'user_id': row[1], 'pool_id': row[2],
                         'pool_state': row[3], 'pool_freeze_pending': row[4]}
                for row in self.env.cr.fetchall()}

    def _pool_memberships(self, pool_ids, user):
        """{pool id: (membership id, membership quota)} of the active
        memberships of ``user`` in the pools, in one query."""
        if not pool_ids:
            return {}
        self.env.cr.execute("""
            SELECT pool_id, id, quota FROM crm_pool_member
            WHERE pool_id IN %s AND user_id = %s AND active
            ORDER BY id
        """, (tuple(set(pool_ids)), user.id))
        members = {}
        for pool_id, member_id, quota in self.env.cr.fetchall():
            members.setdefault(pool_id, (member_id, quota))
        return members

    def _pool_count_owned(self, pool, user):
        self.env.cr.execute(
            'SELECT count(*) FROM "%s" WHERE pool_id = %%s AND user_id = %%s'
            % self._table, (pool.id, user.id))
        return self.env.cr.fetchone()[0]

    def _pool_day_start(self, user):
        """Start of the user's current day, as a naive UTC datetime."""
        tz = pytz.timezone(user.tz or 'UTC')
        local_now = pytz.utc.localize(datetime.utcnow()).astimezone(tz)
        start = tz.localize(datetime.combine(local_now.date(), time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    def _pool_count_claims_today(self, pool, user):
        self.env.cr.execute("""
            SELECT count(*) FROM crm_pool_log
            WHERE pool_id = %s AND to_user_id = %s AND actor_id = %s
              AND action = 'claim' AND res_model = %s AND date >= %s
        """, (pool.id, user.id, user.id, self._name,
              fields.Datetime.to_string(self._pool_day_start(user))))
        return self.env.cr.fetchone()[0]

    def _pool_check_cooldown(self, user):
        """A previous owner may not claim again within the cooldown."""
        for record in self:
            # sudo: only the pool's cooldown setting is read.
            days = record.sudo().pool_id.cooldown_days
            if not days:
                continue
            self.env.cr.execute("""
                SELECT max(date) FROM crm_pool_log
                WHERE res_model = %s AND res_id = %s AND from_user_id = %s
                  AND action IN ('release', 'reclaim', 'transfer', 'assign')
            """, (self._name, record.id, user.id))
            released = fields.Datetime.from_string(
                self.env.cr.fetchone()[0])
            end = deadline_policy.cooldown_end(released, days)
            if end and end > datetime.utcnow():
                raise UserError(_(
                    "You released this %(what)s on %(released)s; you may "
                    "claim it again from %(allowed)s.") % dict(
                    record._pool_msg_args(),
                    released=self._pool_format_date(released),
                    allowed=self._pool_format_date(end)))

    def _pool_format_date(self, value):
        """A naive UTC datetime shown as a date-time in the user's timezone."""
        local = fields.Datetime.context_timestamp(self, value)
        return local.strftime('%Y-%m-%d %H:%M')

    def _pool_parse_datetime(self, value):
        if not value:
            return None
        if isinstance(value, datetime):
            return value
        try:
            if len(value) <= 10:
                return datetime.combine(fields.Date.from_string(value),
                                        time(23, 59, 59))
            return fields.Datetime.from_string(value)
        except (TypeError, ValueError):
            raise UserError(_("%s is not a valid date.") % value)

    def _pool_parse_reason(self, reason):
        Reason = self.env['crm.pool.release.reason']
        if isinstance(reason, models.BaseModel):
            return reason, reason.name
        if isinstance(reason, int) and not isinstance(reason, bool):
            rec = Reason.browse(reason).exists()
            if not rec:
                raise UserError(_("Unknown release reason."))
            return rec, rec.name
        text = (reason or '').strip() if isinstance(reason, str) else ''
        return Reason, text

    def _pool_unfreeze_values(self):
        """Values that end a freeze; the deadline clocks restart now."""
        now = fields.Datetime.now()
        return {
            'pool_state': 'owned' if self.user_id else 'pool',
            'pool_freeze_until': False,
            'pool_freeze_reason': False,
            'pool_freeze_pending': False,
            'pool_date_claimed': now if self.user_id else False,
            'pool_date_followup': now if self.user_id else False,
        }

    def _pool_notify_freeze_request(self):
        """Ask the pool's first manager to approve the freeze."""
        # sudo: the requester may neither read the pool's managers nor create
        # an activity for someone else; only this approval to-do is created.
        sudo_self = self.sudo()
        manager = sudo_self.pool_id.manager_ids[:1]
        if not manager:
            return
        sudo_self._pool_schedule_freeze_activity(manager)

    def _pool_schedule_freeze_activity(self, manager):
        self.ensure_one()
        self.env['mail.activity'].create({
            'res_model_id': self.env['ir.model']._get_id(self._name),
            'res_id': self.id,
            'activity_type_id': self.env.ref('mail.mail_activity_data_todo').id,
            'summary': _("Approve the freeze until %s")
            % self.pool_freeze_until,
            'note': self.pool_freeze_reason,
            'user_id': manager.id,
        })

    def _pool_activity_type(self, method):
        xmlid = {
            'call': 'mail.mail_activity_data_call',
            'email': 'mail.mail_activity_data_email',
            'meeting': 'mail.mail_activity_data_meeting',
        }.get(method, 'mail.mail_activity_data_todo')
        return self.env.ref(xmlid)

    def _pool_touch_followup(self, when=None):
        """Record a real follow-up: moves the idle clock of owned records."""
        records = self.filtered('pool_id')
        if records:
            # sudo: bookkeeping of a follow-up the user was allowed to make.
            records.sudo().with_context(
                crm_pool_internal=POOL_INTERNAL, mail_notrack=True).write(
                {'pool_date_followup': when or fields.Datetime.now()})

    def _pool_enter(self, pool):
        """Put records that had no pool into ``pool``."""
        user = self.env.user
        # sudo: the pool's managers are read to check the user is one
        if not user._is_superuser() and not pool.sudo()._is_manager(user) \
                and not self._pool_memberships([pool.id], user):
            raise UserError(_("You are not a member of pool %(pool)s.")
                            % {'pool': self._pool_name_for_user(pool)})
        for record in self:
            record._pool_write({
                'pool_id': pool.id,
                'pool_state': 'owned' if record.user_id else 'pool',
                'pool_date_claimed': fields.Datetime.now()
                if record.user_id else False,
            })
            record._pool_log('create', to_user=record.user_id, pool=pool)

    def _pool_remove_from_pool(self):
        user = self.env.user
        for record in self:
            # sudo: the pool's managers are read to check the user is one.
            if not record.sudo().pool_id._is_manager(user):
                raise UserError(_("Only the managers of pool %(pool)s may "
                                  "take %(name)s out of it.")
                                % record._pool_msg_args())
        self._pool_write({
            'pool_id': False, 'pool_state': False, 'pool_date_claimed': False,
            'pool_freeze_until': False, 'pool_freeze_reason': False,
            'pool_freeze_pending': False,
        })

    def _pool_after_create(self):
        """Route new records by the pools' entry domains, log, check dupes."""
        # sudo: pools are routing configuration, read regardless of rules.
        Pool = self.env['crm.pool'].sudo()
        candidates = Pool.search([('res_model', '=', self._name),
                                  ('entry_domain', '!=', False)])
        for record in self:
            # sudo: the entry domains route the new record whatever the
            # creator may read; only its pool is set, by _pool_write().
            sudo_record = record.sudo()
            if not sudo_record.pool_id:
                for pool in candidates:
                    if pool.company_id and record._fields.get('company_id') \
                            and record.company_id \
                            and record.company_id != pool.company_id:
                        continue
                    domain = safe_eval(pool.entry_domain)
                    if sudo_record.search_count(
                            [('id', '=', record.id)] + domain):
                        record._pool_write({'pool_id': pool.id})
                        break
            if sudo_record.pool_id:
                record._pool_write({
                    'pool_state': 'owned' if record.user_id else 'pool',
                    'pool_date_claimed': fields.Datetime.now()
                    if record.user_id else False,
                })
                record._pool_log('create', to_user=record.user_id)
                record._pool_check_duplicates_on_create()

    def _pool_find_duplicates(self):
        """Other records of the same model sharing a normalized contact."""
        self.ensure_one()
        self.env.cr.execute(
            'SELECT pool_phone_norm, pool_mobile_norm, pool_email_norm, '
            'pool_company_norm FROM "%s" WHERE id = %%s' % self._table,
            (self.id,))
        phone, mobile, email, company = self.env.cr.fetchone()
        return self.browse(self._pool_duplicate_ids(
            [phone, mobile], email, company, exclude_id=self.id))

    @api.model
    def _pool_duplicate_ids(self, phones, email, company=None,
                            exclude_id=None, company_id=None, limit=20):
        """Ids of the active records sharing one of the normalized keys
        (the duplicate look-up of create, claim and web capture). Archived
        records (a lost lead) do not make a new enquiry a duplicate."""
        phones = tuple(p for p in phones if p)
        clauses, params = [], []
        if phones:
            clauses += ['pool_phone_norm IN %s', 'pool_mobile_norm IN %s']
            params += [phones, phones]
        if email:
            clauses.append('pool_email_norm = %s')
            params.append(email)
        if company:
            clauses.append('pool_company_norm = %s')
            params.append(company)
        if not clauses:
            return []
        where = ['(%s)' % ' OR '.join(clauses)]
        if exclude_id:
            where.append('id != %s')
            params.append(exclude_id)
        if 'active' in self._fields:
            where.append('active')
        if company_id is not None and 'company_id' in self._fields:
            where.append('company_id IS NOT DISTINCT FROM %s')
            params.append(company_id or None)
        self.env.cr.execute(
            'SELECT id FROM "%s" WHERE %s ORDER BY id LIMIT %d'
            % (self._table, ' AND '.join(where), limit), params)
        return [row[0] for row in self.env.cr.fetchall()]

    def _pool_duplicate_text(self, duplicates):
        # sudo: the duplicates may belong to other salespeople; only their
        # names and owners are shown (the pool's duplicate check policy),
        # never their contact data.
        duplicates = duplicates.sudo()
        return ', '.join(
            '%s (%s)' % (dup.display_name,
                         dup.user_id.name or _("in pool"))
            for dup in duplicates)

    def _pool_check_duplicates_on_create(self):
        # sudo: the pool's duplicate setting and the new record's name are
        # read, and the warning note is posted as superuser: the creator may
        # not read the record once it is in the pool.
        sudo_self = self.sudo()
        mode = sudo_self.pool_id.duplicate_check
        if mode == 'none':
            return
        duplicates = self._pool_find_duplicates()
        if not duplicates:
            return
        if mode == 'block':
            raise ValidationError(_(
                "%(name)s duplicates existing records: %(dups)s.") % {
                'name': sudo_self.display_name,
                'dups': self._pool_duplicate_text(duplicates)})
        sudo_self.message_post(
            body=_("Possible duplicate of: %s")
            % self._pool_duplicate_text(duplicates),
            subtype='mail.mt_note')

    def _pool_check_duplicates_on_claim(self, user, pool_of=None):
        """``pool_of``: {record id: pool (sudo)} already read by the claim."""
        for record in self:
            # sudo: the pool's duplicate setting and the record's name are
            # read, and the warning note is posted as superuser, on a record
            # the claim checks already allowed.
            sudo_record = record.sudo()
            pool = pool_of[record.id] if pool_of else sudo_record.pool_id
            mode = pool.duplicate_check
            if mode == 'none':
                continue
            # sudo: owners of duplicates are compared, nothing is shown
            duplicates = record._pool_find_duplicates().sudo().filtered(
                lambda d: d.user_id and d.user_id != user)
            if not duplicates:
                continue
            if mode == 'block':
                raise UserError(_(
                    "%(name)s duplicates records already owned by other "
                    "salespeople: %(dups)s.") % {
                    'name': sudo_record.display_name,
                    'dups': record._pool_duplicate_text(duplicates)})
            sudo_record.message_post(
                body=_("Claimed although it may duplicate: %s")
                % record._pool_duplicate_text(duplicates),
                subtype='mail.mt_note')

    def _pool_on_message(self, message):
        """Customer emails count as real follow-ups; notes do not."""
        if message.message_type != 'email':
            return
        author = message.author_id
        if author and author.user_ids.filtered(lambda u: not u.share):
            return
        self._pool_touch_followup(message.date)
