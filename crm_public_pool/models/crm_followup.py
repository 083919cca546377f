"""``crm.followup``: one record per contact with a customer (跟进记录).

A follow-up is logged on a lead and/or a customer by the salesperson who made
the contact. Logging one moves the record's idle clock
(``pool_date_followup``), posts it in the chatter and plans the next contact
as an activity for the record's owner. A reviewer (稽核) marks it ok or
flagged; a flagged follow-up stops counting: the idle clock falls back to
the last real contact and the workload targets ignore it.
"""
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .crm_pool_internal import POOL_INTERNAL, is_pool_internal

FOLLOWUP_METHODS = [
    ('call', 'Phone call'),
    ('visit', 'Visit'),
    ('wechat', 'WeChat'),
    ('email', 'Email'),
    ('meeting', 'Meeting'),
    ('other', 'Other'),
]
REVIEW_STATES = [
    ('todo', 'To review'),
    ('ok', 'OK'),
    ('flagged', 'Flagged'),
]
# Fields only the review actions write (never a client)
REVIEW_FIELDS = ('review_state', 'reviewer_id', 'review_note', 'review_date')


class CrmFollowup(models.Model):
    _name = 'crm.followup'
    _description = 'Follow-up'
    _inherit = ['mail.thread']
    _order = 'date desc, id desc'
    _rec_name = 'content'

    lead_id = fields.Many2one(
        comodel_name='crm.lead',
        string='Lead',
        index=True,
        ondelete='cascade',
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name='res.partner',
        string='Customer',
        index=True,
        ondelete='cascade',
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name='res.users',
        string='Salesperson',
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    team_id = fields.Many2one(
        comodel_name='crm.team',
        string='Sales Team',
        index=True,
        readonly=True,
    )
    pool_id = fields.Many2one(
        comodel_name='crm.pool',
        string='Pool',
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name='res.company',
        index=True,
        readonly=True,
        default=lambda self: self.env.user.company_id,
    )
    method = fields.Selection(
        selection=FOLLOWUP_METHODS,
        required=True,
        default='call',
        readonly=True,
    )
    content = fields.Text(
        required=True,
        readonly=True,
    )
    date = fields.Datetime(
        required=True,
        index=True,
        readonly=True,
        default=fields.Datetime.now,
    )
    next_date = fields.Date(
        string='Next Contact',
        readonly=True,
    )
    review_state = fields.Selection(
        selection=REVIEW_STATES,
        string='Review',
        required=True,
        default='todo',
        index=True,
        readonly=True,
        track_visibility='onchange',
    )
    reviewer_id = fields.Many2one(
        comodel_name='res.users',
        string='Reviewer',
        readonly=True,
    )
    review_note = fields.Text(
        readonly=True,
        track_visibility='onchange',
    )
    review_date = fields.Datetime(
        string='Reviewed on',
        readonly=True,
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        # the right to create first: the checks below read the target as
        # superuser and would answer users who have no right at all
        self.check_access_rights('create')
        internal = is_pool_internal(self.env)
        reviewed = vals.get('review_state', 'todo') != 'todo' or any(
            vals.get(name) for name in REVIEW_FIELDS if name != 'review_state')
        if reviewed and not internal:
            raise AccessError(_("Only the review of a follow-up sets its "
                                "review fields."))
        target = self._followup_target(vals)
        vals = dict(vals, **self._followup_defaults(target, vals))
        self._followup_check(target, vals)
        # the salesperson follows their follow-up (and may so post on it)
        followup = super(CrmFollowup, self.with_context(
            mail_create_nolog=True)).create(vals)
        followup._followup_after_create(target)
        return followup

    @api.multi
    def write(self, vals):
        if not is_pool_internal(self.env):
            raise AccessError(_("Follow-ups are a record of what happened: "
                                "they are not edited. Log a new one."))
        return super(CrmFollowup, self).write(vals)

    # ------------------------------------------------------------------
    # Review (稽核)
    # ------------------------------------------------------------------
    @api.multi
    def action_review_ok(self):
        self._followup_review('ok')
        return True

    @api.multi
    def action_review_flag(self, note):
        if not note or not note.strip():
            raise UserError(_("Please say why the follow-up is flagged."))
        self._followup_review('flagged', note.strip())
        return True

    @api.multi
    def action_review_reset(self):
        self._followup_review('todo')
        return True

    def _followup_review(self, state, note=False):
        self._followup_check_reviewer()
        flagged_before = self.filtered(lambda f: f.review_state == 'flagged')
        values = {
            'review_state': state,
            'reviewer_id': self.env.uid if state != 'todo' else False,
            'review_note': note or False,
            'review_date': fields.Datetime.now() if state != 'todo' else False,
        }
        # sudo: nobody has write access on follow-ups; the reviewer's right
        # on each of them was checked just above.
        self.sudo().with_context(crm_pool_internal=POOL_INTERNAL).write(values)
        changed = flagged_before | self.filtered(
            lambda f: f.review_state == 'flagged')
        changed._followup_refresh_idle_clock()
        if state == 'flagged':
            self._followup_notify_flagged()

    def _followup_check_reviewer(self):
        user = self.env.user
        if not (user.has_group('crm_public_pool.group_pool_reviewer')
                or user.has_group('crm_public_pool.group_pool_manager')):
            raise AccessError(_("Only reviewers and pool managers review "
                                "follow-ups."))
        self.check_access_rights('read')
        self.check_access_rule('read')
        if any(followup.user_id == user for followup in self):
            raise UserError(_("You may not review your own follow-ups."))

    def _followup_notify_flagged(self):
        template = self.env.ref('crm_public_pool.mail_template_followup_flagged')
        author = self.env.user.partner_id.id
        for followup in self:
            # sudo: the owner is told why (a message on the follow-up, sent
            # to them, written by the reviewer) whatever the reviewer's
            # rights on the follow-up's chatter.
            followup.sudo().with_context(
                default_author_id=author).message_post_with_template(
                template.id, composition_mode='comment',
                subtype_id=self.env.ref('mail.mt_comment').id)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _followup_target(self, vals):
        """The lead or customer the follow-up is logged on."""
        if vals.get('lead_id'):
            return self.env['crm.lead'].browse(vals['lead_id'])
        if vals.get('partner_id'):
            return self.env['res.partner'].browse(vals['partner_id'])
        raise UserError(_("A follow-up is logged on a lead or a customer."))

    @api.model
    def _followup_defaults(self, target, vals):
        user = self.env['res.users'].browse(vals.get('user_id') or self.env.uid)
        values = {'user_id': user.id}
        # sudo: the salesperson's team, the record's pool and customer are
        # copied for the reports and the leaders' visibility.
        sudo_target, sudo_user = target.sudo(), user.sudo()
        if 'team_id' not in vals:
            values['team_id'] = sudo_user.sale_team_id.id or False
        values['pool_id'] = sudo_target.pool_id.id or False
        values['company_id'] = user.company_id.id
        if target._name == 'crm.lead':
            # the lead's customer, not one chosen by the client
            values['partner_id'] = sudo_target.partner_id.id or False
        return values

    @api.model
    def _followup_check(self, target, vals):
        if not (vals.get('content') or '').strip():
            raise UserError(_("Please describe the follow-up."))
        methods = dict(self._fields['method']._description_selection(self.env))
        if vals.get('method', 'call') not in methods:
            raise UserError(_("Unknown follow-up method: %s") % vals['method'])
        if vals.get('date') and str(vals['date']) > fields.Datetime.now():
            raise UserError(_("A follow-up cannot be dated in the future."))
        next_date = vals.get('next_date')
        if next_date:
            if not isinstance(next_date, str):
                next_date = fields.Date.to_string(next_date)
            today = fields.Date.context_today(self)
            if next_date < today:
                raise UserError(_("The next contact date %s is in the past.")
                                % next_date)
        if is_pool_internal(self.env):
            return
        if vals['user_id'] != self.env.uid:
            raise AccessError(_("You log your own follow-ups only."))
        target._pool_check_followup_right()

    @api.model
    def _followup_from_activities(self, vals_list):
        """Follow-ups of activities marked done (no message of their own:
        the activity posted it)."""
        # sudo: marking the activity done was allowed; its follow-up is
        # recorded for the user who did it (user_id in the values).
        Followup = self.sudo().with_context(
            crm_pool_internal=POOL_INTERNAL, crm_followup_from_activity=True)
        for vals in vals_list:
            model = 'crm.lead' if vals.get('lead_id') else 'res.partner'
            if Followup.env[model].browse(
                    vals.get('lead_id') or vals['partner_id']).exists():
                Followup.create(vals)

    def _followup_after_create(self, target):
        """Chatter message, next contact activity and idle clock."""
        self.ensure_one()
        if not self.env.context.get('crm_followup_from_activity'):
            methods = dict(self._fields['method']._description_selection(
                self.env))
            target.message_post(
                body=_("<b>Follow-up (%(method)s)</b><br/>%(content)s") % {
                    'method': methods[self.method],
                    'content': self.content.replace('\n', '<br/>')},
                subtype='mail.mt_note',
                message_type='comment',
            )
        if self.next_date:
            self._followup_schedule_next(target)
        # sudo: the record's last follow-up is compared, not shown.
        last = target.sudo().pool_date_followup
        if not last or last < self.date:
            target._pool_touch_followup(self.date)

    def _followup_schedule_next(self, target):
        # sudo: the record's owner gets the next contact as their activity;
        # the salesperson may not create activities for others.
        owner = target.sudo().user_id or self.user_id
        activity_type = target._pool_activity_type(self.method)
        # sudo: see above (an activity of the owner, on a checked record)
        self.env['mail.activity'].sudo().create({
            'res_model_id': self.env['ir.model']._get_id(target._name),
            'res_id': target.id,
            'activity_type_id': activity_type.id,
            'summary': self.env.context.get('crm_followup_summary')
            or _("Next contact"),
            'note': self.content,
            'date_deadline': self.next_date,
            'user_id': owner.id,
        })

    def _followup_refresh_idle_clock(self):
        """The records' last real follow-up without the flagged ones: the
        latest unflagged follow-up or customer email (set-based)."""
        for model, field in (('crm.lead', 'lead_id'),
                             ('res.partner', 'partner_id')):
            ids = self.filtered(lambda f: f[field] and (
                field == 'lead_id' or not f.lead_id))[field].ids
            if ids:
                self.env[model]._followup_recompute_last(ids)

    @api.model
    def _demo_populate(self, user_ids, reviewer_id, customer_pool_id):
        """Demo data: a week of follow-ups of ``user_ids`` on their leads
        (reviewed, one flagged) and one lapsed customer of the pool."""
        now = fields.Datetime.from_string(fields.Datetime.now())
        notes = ['电话沟通需求，客户要求发报价单', '微信发送产品资料',
                 '上门拜访，见到采购负责人', '客户反馈价格偏高，约下周再谈',
                 '会议演示方案，客户认可']
        Internal = self.with_context(crm_pool_internal=POOL_INTERNAL,
                                     tracking_disable=True)
        followups = self.browse()
        for index, user in enumerate(self.env['res.users'].browse(user_ids)):
            leads = self.env['crm.lead'].search(
                [('user_id', '=', user.id)], limit=5)
            for day, lead in enumerate(leads):
                followups |= Internal.create({
                    'lead_id': lead.id, 'user_id': user.id,
                    'method': FOLLOWUP_METHODS[(day + index) % 5][0],
                    'content': notes[(day + index) % len(notes)],
                    'date': fields.Datetime.to_string(
                        now - timedelta(days=day, hours=index + 2)),
                })
        reviewer = self.env['res.users'].browse(reviewer_id)
        Reviewed = followups[2:].with_context(crm_pool_internal=POOL_INTERNAL)
        Reviewed.write({'review_state': 'ok', 'reviewer_id': reviewer.id,
                        'review_date': fields.Datetime.now()})
        followups[:1].with_context(crm_pool_internal=POOL_INTERNAL).write({
            'review_state': 'flagged', 'reviewer_id': reviewer.id,
            'review_note': '通话记录中没有这通电话',
            'review_date': fields.Datetime.now()})
        followups[:1]._followup_refresh_idle_clock()
        customer = self.env['res.partner'].search(
            [('pool_id', '=', customer_pool_id)], limit=1)
        if customer:
            self.env.cr.execute(
                "UPDATE res_partner SET pool_date_followup = %s, "
                "create_date = %s WHERE id = %s",
                (fields.Datetime.to_string(now - timedelta(days=400)),
                 fields.Datetime.to_string(now - timedelta(days=800)),
                 customer.id))
            self.env['crm.pool'].with_context(
                crm_no_commit=True)._cron_lapse()
