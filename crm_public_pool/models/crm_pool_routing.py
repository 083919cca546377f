"""Create and write of pool records, routed to the pool actions.

A record created into a pool lands unowned there (or claimed by its
creator); entry domains route new records to a pool; writing ``user_id`` or
``pool_id`` goes through the claim, assign, release and transfer actions
with their checks. Pool fields are written by the pool actions only.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.safe_eval import safe_eval

from ..policy import contact as contact_policy
from ..policy import deadline as deadline_policy
from .crm_pool_mask import NORM_FIELDS

# Fields only the pool actions may write.
PROTECTED_FIELDS = {
    'pool_state', 'pool_date_claimed', 'pool_date_followup', 'pool_deadline',
    'pool_freeze_until', 'pool_freeze_reason', 'pool_freeze_pending',
    'pool_invalid_reason', 'pool_date_invalid', 'pool_lapsed',
    'pool_lapse_date',
} | set(NORM_FIELDS)


class CrmPoolRoutingMixin(models.AbstractModel):
    _name = 'crm.pool.routing.mixin'
    _description = 'Ownership Change'

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
        record = super(CrmPoolRoutingMixin, self).create(vals)
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
            return super(CrmPoolRoutingMixin, self).write(vals)
        superuser = self.env.user._is_superuser()
        forbidden = PROTECTED_FIELDS.intersection(vals)
        if forbidden and not superuser:
            raise UserError(_("Pool fields are set by the pool actions only "
                              "(%s).") % ', '.join(sorted(forbidden)))
        self._pool_check_no_placeholder(vals)
        if 'user_id' not in vals and 'pool_id' not in vals:
            self._pool_check_owner_or_manager('write')
            return super(CrmPoolRoutingMixin, self).write(vals)
        vals = dict(vals)
        # sudo: the pool, owner and pool managers are read only to route the
        # change to the pool actions below, which check the user's rights
        # themselves; nothing read here is returned or written.
        sudo_self = self.sudo()
        pooled = self.browse([r.id for r in sudo_self if r.pool_id])
        if 'pool_id' in vals:
            pooled = self._pool_write_route_pool(vals.pop('pool_id'), pooled,
                                                 sudo_self)
        if 'user_id' in vals and pooled:
            new_user = self.env['res.users'].browse(vals.pop('user_id') or [])
            pooled._pool_write_route_owner(new_user, sudo_self)
            rest = self - pooled
            if rest:
                super(CrmPoolRoutingMixin, rest).write(
                    dict(vals, user_id=new_user.id))
        if vals:
            # the rest of the values, once the owner changed (a claim makes
            # the user the owner who may edit)
            self._pool_check_owner_or_manager('write')
            return super(CrmPoolRoutingMixin, self).write(vals)
        return True

    def _pool_write_route_pool(self, pool_id, pooled, sudo_self):
        """Route ``write({'pool_id': pool_id})`` to the pool actions.

        ``pooled``: the records of ``self`` that are in a pool; they are
        transferred to the new pool (or taken out of theirs), the others
        enter it. ``sudo_self``: ``self`` as superuser, read to route only.
        Returns the records of ``self`` in a pool afterwards.
        """
        target = self.env['crm.pool'].browse(pool_id or [])
        moving = pooled.filtered(
            lambda r: sudo_self.browse(r.id).pool_id != target)
        if moving and target:
            moving.action_pool_transfer(target.id)
        elif moving:
            moving._pool_remove_from_pool()
        entering = (self - pooled)
        if target and entering:
            entering._pool_enter(target)
        return self.browse([r.id for r in sudo_self if r.pool_id])

    def _pool_write_route_owner(self, new_user, sudo_self):
        """Route ``write({'user_id': new_user})`` of pool records ``self`` to
        the pool actions: no owner is a release, the user themselves a claim
        (unless they manage the pool), anyone else an assignment.
        ``sudo_self``: the written records as superuser, read to route only.
        """
        quiet = self.with_context(mail_notrack=True)
        if self.env.user._is_superuser():
            # the superuser setting an owner explicitly passes the quota
            quiet = quiet.with_context(pool_force_quota=True)
        if not new_user:
            owned = quiet.filtered(lambda r: sudo_self.browse(r.id).user_id)
            if owned:
                owned.action_pool_release(_("Owner removed"))
            return
        changing = quiet.filtered(
            lambda r: sudo_self.browse(r.id).user_id != new_user)
        if new_user == self.env.user and not any(
                sudo_self.browse(r.id).pool_id._is_manager(self.env.user)
                for r in changing):
            changing.action_pool_claim()
        elif changing:
            changing.action_pool_assign(new_user.id)

    # ------------------------------------------------------------------
    # Entering and leaving a pool
    # ------------------------------------------------------------------
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
            **deadline_policy.FREEZE_CLEAR
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
