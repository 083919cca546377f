"""Claim, assign, release, transfer: outcomes and every refusal message."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError

from .common import PoolCase


class TestPoolClaim(PoolCase):

    def test_claim_gives_ownership_and_logs(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(lead.pool_state, 'owned')
        self.assertTrue(lead.pool_date_claimed)
        log = self.logs(lead, 'claim')
        self.assertEqual(len(log), 1)
        self.assertEqual(log.actor_id, self.sales1)
        self.assertEqual(log.to_user_id, self.sales1)
        self.assertFalse(log.from_user_id)
        self.assertEqual(log.pool_id, self.pool)

    def test_claim_posts_one_note_and_owner_follows(self):
        lead = self.leads[0].with_context(tracking_disable=False)
        before = lead.message_ids
        lead.sudo(self.sales1).action_pool_claim()
        new = lead.message_ids - before
        self.assertEqual(len(new), 1)
        self.assertIn("Claimed from the public pool by Zhang Wei.", new.body)
        self.assertEqual(new.author_id, self.sales1.partner_id)
        self.assertEqual(new.tracking_value_ids.mapped('field'), ['user_id'])
        self.assertEqual(new.tracking_value_ids.new_value_integer, self.sales1.id)
        self.assertIn(self.sales1.partner_id, lead.message_partner_ids)

    def test_claim_already_claimed(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "This lead has already been claimed by another user.",
            lead.sudo(self.sales2).action_pool_claim)
        self.assertEqual(lead.user_id, self.sales1)

    def test_refusal_in_chinese(self):
        if not self.env['res.lang'].search([('code', '=', 'zh_CN')]):
            self.env['res.lang'].load_lang('zh_CN')
            self.env['ir.module.module'].search([
                ('name', '=', 'crm_public_pool')])._update_translations(
                filter_lang='zh_CN')
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "此线索已被其他用户领取。",
            lead.sudo(self.sales2).with_context(
                lang='zh_CN').action_pool_claim)
        self.leads[1].sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "您在公海 Test East 中已拥有 2 个线索，上限为 2 个。",
            self.leads[2].sudo(self.sales1).with_context(
                lang='zh_CN').action_pool_claim)

    def test_claim_own_lead(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "You already own %s." % lead.name,
            lead.sudo(self.sales1).action_pool_claim)

    def test_claim_not_member(self):
        self.assertUserError(
            UserError, "You are not a member of pool #%s." % self.pool.id,
            self.leads[0].sudo(self.outsider).action_pool_claim)
        self.assertFalse(self.leads[0].user_id)

    def test_claim_not_in_pool(self):
        lead = self.env['crm.lead'].create({'name': 'No pool lead',
                                            'user_id': False})
        self.assertUserError(
            UserError, "No pool lead is not in a public pool.",
            lead.sudo(self.sales1).action_pool_claim)

    def test_claim_not_in_pool_unreadable(self):
        """The refusal never names a record the user may not read."""
        lead = self.env['crm.lead'].create({'name': 'Secret deal of Li Na',
                                            'user_id': self.sales2.id})
        self.assertUserError(
            UserError, "lead #%s is not in a public pool." % lead.id,
            lead.sudo(self.sales1).action_pool_claim)
        self.assertEqual(lead.user_id, self.sales2)

    def test_quota(self):
        self.leads[0].sudo(self.sales1).action_pool_claim()
        self.leads[1].sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "You own 2 of 2 leads allowed in pool Test East.",
            self.leads[2].sudo(self.sales1).action_pool_claim)
        self.assertFalse(self.leads[2].user_id)

    def test_quota_batch_is_all_or_nothing(self):
        self.leads[0].sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "You own 1 of 2 leads allowed in pool Test East.",
            self.leads[1:3].sudo(self.sales1).action_pool_claim)
        self.assertFalse(self.leads[1].user_id)
        self.assertFalse(self.leads[2].user_id)

    def test_member_quota_override(self):
        self.leads[0:3].sudo(self.sales3).action_pool_claim()
        self.assertEqual(self.leads[0:3].mapped('user_id'), self.sales3)
        self.assertUserError(
            UserError, "You own 3 of 3 leads allowed in pool Test East.",
            self.leads[3].sudo(self.sales3).action_pool_claim)

    def test_daily_limit(self):
        lead1 = self.make_lead(self.pool2, 1)
        lead2 = self.make_lead(self.pool2, 2)
        lead1.sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "You have claimed 1 leads today in pool Test South; "
                       "the daily limit is 1.",
            lead2.sudo(self.sales1).action_pool_claim)
        # yesterday's claims do not count
        self.logs(lead1, 'claim').write({
            'date': fields.Datetime.to_string(
                datetime.utcnow() - timedelta(days=1, hours=1))})
        lead2.sudo(self.sales1).action_pool_claim()
        self.assertEqual(lead2.user_id, self.sales1)

    def test_cooldown(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        lead.sudo(self.sales1).action_pool_release('No need')
        released = datetime(2030, 1, 2, 8, 30)
        self.logs(lead, 'release').write(
            {'date': fields.Datetime.to_string(released)})
        lead.invalidate_cache()
        with self.assertRaises(UserError) as cm:
            lead.sudo(self.sales1).action_pool_claim()
        self.assertEqual(
            cm.exception.name,
            "You released this lead on 2030-01-02 08:30; you may claim it "
            "again from 2030-01-09 08:30.")
        # another salesperson is not concerned by the cooldown
        lead.sudo(self.sales2).action_pool_claim()
        self.assertEqual(lead.user_id, self.sales2)

    def test_cooldown_over(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        lead.sudo(self.sales1).action_pool_release('No need')
        self.logs(lead, 'release').write({'date': '2020-01-01 00:00:00'})
        lead.sudo(self.sales1).action_pool_claim()
        self.assertEqual(lead.user_id, self.sales1)

    def test_release_with_reason(self):
        lead = self.leads[0]
        reason = self.env.ref(
            'crm_public_pool.crm_pool_release_reason_unreachable')
        lead.sudo(self.sales1).action_pool_claim()
        lead.sudo(self.sales1).action_pool_release(reason.id, note='3 calls')
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.pool_state, 'pool')
        self.assertFalse(lead.pool_deadline)
        log = self.logs(lead, 'release')
        self.assertEqual(log.reason_id, reason)
        self.assertEqual(log.reason, '%s: 3 calls' % reason.name)
        self.assertEqual(log.from_user_id, self.sales1)

    def test_release_refusals(self):
        lead = self.leads[0]
        self.assertUserError(
            UserError, "%s is already in pool Test East." % lead.name,
            lead.sudo(self.sales1).action_pool_release, 'x')
        lead.sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "Please give a reason for returning the records to "
                       "the pool.",
            lead.sudo(self.sales1).action_pool_release, '  ')
        self.assertEqual(lead.user_id, self.sales1)

    def test_release_by_manager(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        lead.sudo(self.manager).action_pool_release('Reorganisation')
        self.assertFalse(lead.user_id)
        self.assertEqual(self.logs(lead, 'release').actor_id, self.manager)

    def test_assign_by_manager(self):
        lead = self.leads[0]
        lead.sudo(self.manager).action_pool_assign(self.sales2.id)
        self.assertEqual(lead.user_id, self.sales2)
        log = self.logs(lead, 'assign')
        self.assertEqual(log.actor_id, self.manager)
        self.assertEqual(log.to_user_id, self.sales2)
        # reassign an owned lead
        lead.sudo(self.manager).action_pool_assign(self.sales1.id)
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(self.logs(lead, 'assign')[0].from_user_id,
                         self.sales2)

    def test_assign_refusals(self):
        lead = self.leads[0]
        self.assertUserError(
            UserError, "Only the managers of pool Test East may assign its "
                       "records.",
            lead.sudo(self.sales1).action_pool_assign, self.sales2.id)
        self.assertUserError(
            UserError, "Huang Min is not a member of pool Test East.",
            lead.sudo(self.manager).action_pool_assign, self.outsider.id)

    def test_assign_quota_needs_explicit_force(self):
        self.leads[0:2].sudo(self.manager).action_pool_assign(self.sales2.id)
        self.assertUserError(
            UserError, "Li Na owns 2 of 2 leads allowed in pool Test East.",
            self.leads[2].sudo(self.manager).action_pool_assign,
            self.sales2.id)
        self.leads[2].sudo(self.manager).with_context(
            pool_force_quota=True).action_pool_assign(self.sales2.id)
        self.assertEqual(self.leads[2].user_id, self.sales2)

    def test_salesperson_cannot_force_quota(self):
        self.leads[0:2].sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "You own 2 of 2 leads allowed in pool Test East.",
            self.leads[2].sudo(self.sales1).with_context(
                pool_force_quota=True).action_pool_claim)

    def test_direct_write_goes_through_checks(self):
        self.leads[0:2].sudo(self.sales1).write({'user_id': self.sales1.id})
        self.assertEqual(self.leads[0:2].mapped('user_id'), self.sales1)
        self.assertEqual(len(self.logs(self.leads[0], 'claim')), 1)
        self.assertUserError(
            UserError, "You own 2 of 2 leads allowed in pool Test East.",
            self.leads[2].sudo(self.sales1).write,
            {'user_id': self.sales1.id})
        self.assertUserError(
            UserError, "Only the managers of pool Test East may assign its "
                       "records.",
            self.leads[3].sudo(self.sales2).write,
            {'user_id': self.sales3.id})
        self.assertUserError(
            UserError, "This lead has already been claimed by another user.",
            self.leads[0].sudo(self.sales2).write,
            {'user_id': self.sales2.id})
        self.assertFalse(self.leads[3].user_id)

    def test_direct_write_protected_fields(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        self.assertUserError(
            UserError, "Pool fields are set by the pool actions only "
                       "(pool_date_followup).",
            lead.sudo(self.sales1).write,
            {'pool_date_followup': '2099-01-01 00:00:00'})
        self.assertUserError(
            UserError, "Pool fields are set by the pool actions only "
                       "(pool_state).",
            lead.sudo(self.sales1).write, {'pool_state': 'frozen'})

    def test_write_other_fields_keeps_working(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        lead.sudo(self.sales1).write({'description': 'Met at the fair'})
        self.assertEqual(lead.description, 'Met at the fair')

    def test_manager_direct_write_is_assignment(self):
        lead = self.leads[0]
        lead.sudo(self.manager).write({'user_id': self.sales1.id})
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(len(self.logs(lead, 'assign')), 1)
        lead.sudo(self.sales1).write({'user_id': False})
        self.assertEqual(lead.pool_state, 'pool')
        self.assertEqual(self.logs(lead, 'release').reason, 'Owner removed')

    def test_transfer(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        lead.sudo(self.manager).action_pool_transfer(self.pool2.id)
        self.assertEqual(lead.pool_id, self.pool2)
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.pool_state, 'pool')
        log = self.logs(lead, 'transfer')
        self.assertEqual(log.from_user_id, self.sales1)
        self.assertEqual(log.pool_id, self.pool2)
        self.assertEqual(log.reason, 'From pool Test East')

    def test_transfer_refusals(self):
        lead = self.leads[0]
        self.assertUserError(
            UserError, "Only the managers of pool Test East may transfer %s."
            % lead.name,
            lead.sudo(self.sales1).action_pool_transfer, self.pool2.id)
        self.assertUserError(
            UserError, "%s is already in pool Test East." % lead.name,
            lead.sudo(self.manager).action_pool_transfer, self.pool.id)
        partner_pool = self.env['crm.pool'].create({
            'name': 'Customers', 'res_model': 'res.partner'})
        self.assertUserError(
            UserError, "Pool Customers does not hold this kind of records.",
            lead.sudo(self.manager).action_pool_transfer, partner_pool.id)

    def test_entry_domain_routes_new_leads(self):
        self.pool2.entry_domain = "[('city', '=', 'Guangzhou')]"
        lead = self.env['crm.lead'].sudo(self.sales1).create({
            'name': 'Routed', 'city': 'Guangzhou', 'user_id': False})
        self.assertEqual(lead.pool_id, self.pool2)
        self.assertEqual(lead.pool_state, 'pool')
        self.assertEqual(len(self.logs(lead, 'create')), 1)
        other = self.env['crm.lead'].create({'name': 'Not routed',
                                             'city': 'Shanghai'})
        self.assertFalse(other.pool_id)

    def test_create_for_another_user_refused(self):
        self.assertUserError(
            UserError, "Only the managers of pool Test East may give its "
                       "records to another salesperson.",
            self.env['crm.lead'].sudo(self.sales1).create,
            {'name': 'X', 'pool_id': self.pool.id, 'user_id': self.sales2.id})

    def test_superuser_direct_write_is_logged_assignment(self):
        lead = self.leads[0]
        lead.write({'user_id': self.sales1.id})
        self.assertEqual(lead.pool_state, 'owned')
        self.assertEqual(len(self.logs(lead, 'assign')), 1)
        self.leads[1:3].write({'user_id': self.sales1.id})
        self.assertEqual(self.leads[1:3].mapped('pool_state'), ['owned'] * 2)
        lead.write({'user_id': False})
        self.assertEqual(lead.pool_state, 'pool')
        self.assertEqual(len(self.logs(lead, 'release')), 1)
