"""The web client's wizards and the visibility cache."""
from odoo.exceptions import UserError

from .common import PoolCase


class TestPoolWizard(PoolCase):

    def wizard(self, model, user, records, **values):
        return self.env[model].sudo(user).with_context(
            active_model=records._name, active_ids=records.ids).create(values)

    def test_release_wizard(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        reason = self.env.ref('crm_public_pool.crm_pool_release_reason_other')
        self.wizard('crm.pool.release.wizard', self.sales1, lead,
                    reason_id=reason.id, note='Moved').action_confirm()
        self.assertEqual(lead.pool_state, 'pool')
        self.assertEqual(self.logs(lead, 'release').reason, 'Other: Moved')

    def test_assign_wizard_many_records_and_force(self):
        records = self.leads[0:3]
        wizard = self.wizard('crm.pool.assign.wizard', self.manager, records,
                             user_id=self.sales1.id)
        with self.assertRaises(UserError) as cm:
            wizard.action_confirm()
        self.assertEqual(cm.exception.name, "Zhang Wei owns 0 of 2 leads "
                                            "allowed in pool Test East.")
        self.assertFalse(records.mapped('user_id'))
        wizard.force_quota = True
        wizard.action_confirm()
        self.assertEqual(records.mapped('user_id'), self.sales1)
        self.assertEqual(len(self.env['crm.pool.log'].search([
            ('res_id', 'in', records.ids), ('action', '=', 'assign')])), 3)

    def test_transfer_wizard(self):
        records = self.leads[0:2]
        self.wizard('crm.pool.transfer.wizard', self.manager, records,
                    pool_id=self.pool2.id).action_confirm()
        self.assertEqual(records.mapped('pool_id'), self.pool2)

    def test_freeze_wizard(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        with self.assertRaises(UserError):
            self.wizard('crm.pool.freeze.wizard', self.sales1, lead,
                        date_until='2099-01-01',
                        reason='Tender').action_confirm()
        self.pool.max_freeze_days = 0
        self.wizard('crm.pool.freeze.wizard', self.sales1, lead,
                    date_until='2099-01-01', reason='Tender').action_confirm()
        self.assertEqual(lead.pool_state, 'frozen')
        self.assertEqual(lead.pool_freeze_until, '2099-01-01 23:59:59')

    def test_followup_wizard_sets_qualification(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        self.wizard('crm.pool.followup.wizard', self.sales1, lead,
                    method='visit', content='Site visit',
                    qualification_state='qualified').action_confirm()
        self.assertEqual(lead.qualification_state, 'qualified')
        self.assertTrue(lead.pool_date_followup)

    def test_new_member_sees_pool_at_once(self):
        as_outsider = self.env['crm.lead'].sudo(self.outsider)
        self.assertFalse(as_outsider.search([('id', 'in', self.leads.ids)]))
        self.pool.write({'member_ids': [(0, 0, {
            'user_id': self.outsider.id})]})
        self.assertEqual(as_outsider.search([('id', 'in', self.leads.ids)]),
                         self.leads)
        self.pool.member_ids.filtered(
            lambda m: m.user_id == self.outsider).active = False
        self.assertFalse(as_outsider.search([('id', 'in', self.leads.ids)]))

    def test_normalized_copies_are_hidden(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        values = lead.sudo(self.sales1).read(['pool_phone_norm',
                                              'pool_email_norm'])[0]
        self.assertFalse(values['pool_phone_norm'])
        self.assertFalse(values['pool_email_norm'])
        self.assertTrue(lead.pool_phone_norm)
        with self.assertRaises(UserError):
            lead.sudo(self.sales1).write({'pool_phone_norm': '1'})

    def test_qualification_funnel_by_source(self):
        source = self.env['utm.source'].create({'name': 'Trade fair'})
        self.leads[0:2].write({'source_id': source.id})
        self.leads[0].sudo(self.sales1).action_pool_claim()
        self.leads[0].sudo(self.sales1).write(
            {'qualification_state': 'qualified'})
        groups = self.env['crm.lead'].sudo(self.manager).read_group(
            [('source_id', '=', source.id)],
            ['source_id', 'qualification_state'],
            ['source_id', 'qualification_state'], lazy=False)
        counts = {g['qualification_state']: g['__count'] for g in groups}
        self.assertEqual(counts, {'new': 1, 'qualified': 1})
