# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Merging duplicates keeps the ownership history of both sides.

Odoo's own merges are used (leads: ``crm.lead.merge_opportunity``, the
"Merge" wizard; customers: the partner merge wizard); the history rows of
the records merged away are moved to the record that stays, and a 'merge'
row says what was merged. A pool manager opens the right merge from the
"Merge Duplicates" button of a record flagged as a possible duplicate.
"""
from odoo import _, api, models
from odoo.exceptions import UserError

# The models are extended here once more for this concern (files by concern).
# pylint: disable=consider-merging-classes-inherited


def absorb_history(record, merged):
    """Move the history rows of ``merged`` ({id: name}) to ``record`` and
    log the merge on it (as the system: the history stays append-only for
    users)."""
    if not merged:
        return
    record.env.cr.execute("""
        UPDATE crm_pool_log SET res_id = %s
        WHERE res_model = %s AND res_id = ANY(%s)
    """, (record.id, record._name, list(merged)))
    record._pool_log('merge', reason=_("Merged with: %s") % ', '.join(
        '%s (#%s)' % (name, merged_id)
        for merged_id, name in sorted(merged.items())))


class CrmPoolDuplicateMixin(models.AbstractModel):
    _inherit = 'crm.pool.duplicate.mixin'

    def action_pool_merge_duplicates(self):
        """Open Odoo's merge for this record and its duplicates of the
        same model (pool managers)."""
        self.ensure_one()
        # sudo: the pool is read to tell whether the user manages it.
        pool = self.sudo().pool_id
        if not self.env.user.has_group('crm_public_pool.group_pool_manager') \
                or (pool and not pool._is_manager(self.env.user)):
            raise UserError(_("Only a manager of the pool may merge "
                              "duplicates."))
        duplicates = self._pool_find_duplicates()
        if not duplicates:
            raise UserError(_("No duplicate of this record was found."))
        return self._pool_merge_action(self | duplicates)


class CrmLead(models.Model):
    _inherit = 'crm.lead'
    # crm.lead is extended once per concern (files by concern).
    # pylint: disable=consider-merging-classes-inherited

    @api.multi
    def merge_opportunity(self, user_id=False, team_id=False):
        # sudo: the names of the merged leads are kept in the history row.
        names = {lead.id: lead.name for lead in self.sudo()}
        result = super(CrmLead, self).merge_opportunity(
            user_id=user_id, team_id=team_id)
        names.pop(result.id, None)
        absorb_history(result, names)
        return result

    def _pool_merge_action(self, leads):
        return {
            'type': 'ir.actions.act_window',
            'name': _("Merge"),
            'res_model': 'crm.merge.opportunity',
            'view_type': 'form',
            'view_mode': 'form',
            'target': 'new',
            'context': {'active_model': 'crm.lead',
                        'active_ids': leads[:10].ids,
                        'active_id': self.id},
        }


class ResPartner(models.Model):
    _inherit = 'res.partner'
    # res.partner is extended once per concern (files by concern).
    # pylint: disable=consider-merging-classes-inherited

    @api.multi
    def write(self, vals):
        if self.env.context.get('crm_pool_merge_values'):
            # the partner merge copies every field the destination lacks:
            # the pool ownership of the customer that stays is its own
            kept = {name for name in vals if name.startswith('pool_')}
            # sudo: whether the customer is in a pool (read, not shown).
            if any(partner.pool_id for partner in self.sudo()):
                kept.add('user_id')
            vals = {name: value for name, value in vals.items()
                    if name not in kept}
        return super(ResPartner, self).write(vals)

    def _pool_merge_action(self, partners):
        return {
            'type': 'ir.actions.act_window',
            'name': _("Merge"),
            'res_model': 'base.partner.merge.automatic.wizard',
            'view_type': 'form',
            'view_mode': 'form',
            'target': 'new',
            'context': {'active_model': 'res.partner',
                        'active_ids': partners[:3].ids,
                        'active_id': self.id},
        }


class MergePartnerAutomatic(models.TransientModel):
    _inherit = 'base.partner.merge.automatic.wizard'

    def _update_values(self, src_partners, dst_partner):
        super(MergePartnerAutomatic, self)._update_values(
            src_partners, dst_partner.with_context(crm_pool_merge_values=True))

    def _update_reference_fields(self, src_partners, dst_partner):
        super(MergePartnerAutomatic, self)._update_reference_fields(
            src_partners, dst_partner)
        # sudo: the names of the merged customers are kept in the history.
        absorb_history(dst_partner, {p.id: p.name for p in src_partners.sudo()})
