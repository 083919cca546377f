"""Follow-ups (``crm.followup``) on leads and customers: the tab, the count,
the "log follow-up" action and the idle clock they move."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .crm_pool_internal import POOL_INTERNAL


class CrmFollowupLinkMixin(models.AbstractModel):
    """What leads and customers share about their follow-ups."""

    _name = 'crm.followup.link.mixin'
    _description = 'Follow-ups of a Record'

    followup_count = fields.Integer(
        string='Follow-ups',
        compute='_compute_followup_count',
        groups='sales_team.group_sale_salesman',
    )

    def _followup_field(self):
        """The field of ``crm.followup`` pointing to this model."""
        raise NotImplementedError()

    def _followup_domain(self):
        return [(self._followup_field(), 'in', self.ids)]

    def _compute_followup_count(self):
        field = self._followup_field()
        counts = {}
        if self.ids and self.env['crm.followup'].check_access_rights(
                'read', raise_exception=False):
            groups = self.env['crm.followup'].read_group(
                self._followup_domain(), [field], [field])
            counts = {group[field][0]: group['%s_count' % field]
                      for group in groups}
        for record in self:
            record.followup_count = counts.get(record.id, 0)

    @api.multi
    def action_pool_log_followup(self, method, content, next_date=False,
                                 summary=False):
        """Log a real follow-up (跟进): one ``crm.followup`` per record.

        Moves ``pool_date_followup`` of pool records and schedules the next
        contact as an activity of the owner when ``next_date`` (a date) is
        given.
        """
        Followup = self.env['crm.followup'].with_context(
            crm_followup_summary=summary)
        field = self._followup_field()
        followups = Followup.browse()
        with self.env.cr.savepoint():
            for record in self:
                followups |= Followup.create({
                    field: record.id,
                    'method': method,
                    'content': content,
                    'next_date': next_date or False,
                })
        return followups.ids

    @api.multi
    def action_view_followups(self):
        self.ensure_one()
        action = self.env.ref('crm_public_pool.crm_followup_action').read()[0]
        action['domain'] = self._followup_domain()
        action['context'] = {'default_%s' % self._followup_field(): self.id}
        return action

    def _pool_check_followup_right(self):
        """The current user may log a follow-up on these records: pool
        records only by their owner or a pool manager, other records by
        whoever may edit them."""
        user = self.env.user
        for record in self:
            # sudo: the pool, the owner and the pool's managers are read to
            # check right below that the user is the owner or a manager.
            sudo_record = record.sudo()
            if sudo_record.pool_id:
                if sudo_record.user_id != user \
                        and not sudo_record.pool_id._is_manager(user):
                    raise UserError(
                        _("Only the owner or a manager of pool %(pool)s may "
                          "log a follow-up on %(name)s.")
                        % record._pool_msg_args())
                continue
            record.check_access_rights('write')
            record.check_access_rule('write')

    @api.model
    def _followup_recompute_last(self, ids):
        """``pool_date_followup`` of the records ``ids`` from their real
        follow-ups left (not flagged) and their customers' emails."""
        only_own = "AND f.lead_id IS NULL" if self._name == 'res.partner' \
            else ''
        self.env.cr.execute("""
            SELECT r.id, GREATEST(
                (SELECT max(f.date) FROM crm_followup f
                  WHERE f.{field} = r.id AND f.review_state != 'flagged'
                  {only_own}),
                (SELECT max(m.date) FROM mail_message m
                  WHERE m.model = %s AND m.res_id = r.id
                    AND m.message_type = 'email'
                    AND NOT EXISTS (
                        SELECT 1 FROM res_users u
                         WHERE u.partner_id = m.author_id AND NOT u.share)))
              FROM "{table}" r
             WHERE r.id IN %s AND r.pool_id IS NOT NULL
        """.format(field=self._followup_field(), only_own=only_own,
                   table=self._table), (self._name, tuple(ids)))
        for record_id, last in self.env.cr.fetchall():
            # sudo: bookkeeping after a review the reviewer was allowed to do.
            self.browse(record_id).sudo().with_context(
                crm_pool_internal=POOL_INTERNAL, mail_notrack=True).write(
                {'pool_date_followup': last or False})


class CrmLead(models.Model):
    _name = 'crm.lead'
    _inherit = ['crm.lead', 'crm.followup.link.mixin']

    followup_ids = fields.One2many(
        comodel_name='crm.followup',
        inverse_name='lead_id',
        string='Follow-ups',
        readonly=True,
        groups='sales_team.group_sale_salesman',
    )

    def _followup_field(self):
        return 'lead_id'


class ResPartner(models.Model):
    _name = 'res.partner'
    _inherit = ['res.partner', 'crm.followup.link.mixin']

    followup_ids = fields.One2many(
        comodel_name='crm.followup',
        inverse_name='partner_id',
        string='Follow-ups',
        readonly=True,
        groups='sales_team.group_sale_salesman',
    )

    def _followup_field(self):
        return 'partner_id'
