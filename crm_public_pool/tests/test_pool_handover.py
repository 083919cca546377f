"""Handover (交接): a salesperson's records go to a successor or back to the
pool, with their activities, as one history action; archiving a user."""
from odoo.exceptions import UserError

from .common import PoolCase


class TestPoolHandover(PoolCase):

    def setUp(self):
        super(TestPoolHandover, self).setUp()
        self.mine = self.leads[:2]
        for lead in self.mine:
            lead.sudo(self.sales1).action_pool_claim()
        self.activity = self.env['mail.activity'].sudo(self.sales1).create({
            'res_model_id': self.env.ref('crm.model_crm_lead').id,
            'res_id': self.mine[0].id,
            'activity_type_id': self.env.ref(
                'mail.mail_activity_data_call').id,
            'user_id': self.sales1.id,
            'summary': 'Call back on Monday',
        })

    def handover(self, user, to_user=False, pool=None, **kwargs):
        pool = (pool or self.pool).sudo(user)
        return pool.action_pool_handover(self.sales1.id, to_user and to_user.id,
                                         **kwargs)

    def test_to_successor_with_activities_one_history_action(self):
        before = self.env['crm.pool.log'].search_count([])
        self.assertEqual(self.handover(self.manager, self.sales3), 2)
        self.assertEqual(self.mine.mapped('user_id'), self.sales3)
        self.assertEqual(set(self.mine.mapped('pool_state')), {'owned'})
        self.assertEqual(self.activity.user_id, self.sales3)
        self.assertEqual(self.env['crm.pool.log'].search_count([]),
                         before + 2)
        for lead in self.mine:
            log = self.logs(lead, 'handover')
            self.assertEqual(len(log), 1)
            self.assertEqual(log.from_user_id, self.sales1)
            self.assertEqual(log.to_user_id, self.sales3)
            self.assertEqual(log.actor_id, self.manager)
        logs = self.logs(self.mine[0], 'handover') \
            | self.logs(self.mine[1], 'handover')
        self.assertEqual(len(set(logs.mapped('date'))), 1)
        self.assertTrue(self.mine[0].pool_deadline)

    def test_back_to_pool(self):
        self.assertEqual(self.handover(self.manager), 2)
        self.assertFalse(self.mine.mapped('user_id'))
        self.assertEqual(set(self.mine.mapped('pool_state')), {'pool'})
        self.assertFalse(any(self.mine.mapped('pool_deadline')))
        self.assertEqual(self.activity.user_id, self.manager)

    def test_quota_applies_unless_forced(self):
        self.leads[2].sudo(self.sales3).action_pool_claim()
        self.leads[3].sudo(self.sales3).action_pool_claim()
        self.assertUserError(
            UserError, "Liu Yang owns 2 of 3 leads allowed in pool Test East "
                       "and cannot take 2 more.",
            self.handover, self.manager, self.sales3)
        self.assertEqual(self.mine.mapped('user_id'), self.sales1)
        self.assertFalse(self.logs(self.mine[0], 'handover'))
        self.assertEqual(self.handover(self.manager, self.sales3, force=True),
                         2)
        self.assertEqual(self.mine.mapped('user_id'), self.sales3)

    def test_bad_successors_refused(self):
        self.assertUserError(
            UserError, "Huang Min is not a member of pool Test East.",
            self.handover, self.manager, self.outsider)
        self.sales3.active = False
        self.assertUserError(
            UserError, "Liu Yang is archived: choose an active successor.",
            self.handover, self.manager, self.sales3)
        self.assertEqual(self.mine.mapped('user_id'), self.sales1)
        self.assertFalse(self.logs(self.mine[0], 'handover'))

    def test_salesperson_may_not_hand_over(self):
        self.assertUserError(
            UserError, "Only the managers of pool Test East may hand over "
                       "its records.",
            self.handover, self.sales2, self.sales2)

    def test_wizard_from_the_user(self):
        action = self.sales1.sudo(self.manager).action_pool_handover_wizard()
        wizard = self.env['crm.pool.handover.wizard'].sudo(
            self.manager).with_context(**action['context']).create({
                'to_user_id': self.sales2.id,
                'pool_ids': [(6, 0, self.pool.ids)]})
        wizard.action_confirm()
        self.assertEqual(self.mine.mapped('user_id'), self.sales2)

    def test_archived_user_follows_pool_setting(self):
        lead = self.make_lead(self.pool2, 1, user_id=self.sales1.id)
        self.assertEqual(lead.user_id, self.sales1)
        self.pool2.handover = 'manager'
        self.sales1.active = False
        self.assertFalse(self.mine.mapped('user_id'))
        self.assertEqual(set(self.mine.mapped('pool_state')), {'pool'})
        self.assertEqual(lead.user_id, self.manager)
        self.assertEqual(self.logs(lead, 'handover').to_user_id, self.manager)


class TestPoolHandoverMany(PoolCase):

    def test_ten_thousand_records_one_action_with_quota(self):
        self.env.cr.execute("""
            INSERT INTO crm_lead (name, type, active, pool_id, user_id,
                                  pool_state, pool_date_claimed)
            SELECT 'Bulk ' || g, 'lead', TRUE, %s, %s, 'owned', now()
              FROM generate_series(1, 10000) g
        """, (self.pool.id, self.sales1.id))
        self.pool.member_ids.filtered(
            lambda m: m.user_id == self.sales2).quota = 9999
        self.assertUserError(
            UserError, "Li Na owns 0 of 9999 leads allowed in pool Test East "
                       "and cannot take 10000 more.",
            self.pool.sudo(self.manager).action_pool_handover,
            self.sales1.id, self.sales2.id)
        self.pool.member_ids.filtered(
            lambda m: m.user_id == self.sales2).quota = 10000
        moved = self.pool.sudo(self.manager).action_pool_handover(
            self.sales1.id, self.sales2.id)
        self.assertEqual(moved, 10000)
        self.env.cr.execute("""
            SELECT count(*), count(DISTINCT date), count(DISTINCT res_id)
              FROM crm_pool_log WHERE pool_id = %s AND action = 'handover'
        """, (self.pool.id,))
        self.assertEqual(self.env.cr.fetchone(), (10000, 1, 10000))
        self.assertEqual(self.env['crm.lead'].search_count(
            [('pool_id', '=', self.pool.id), ('user_id', '=', self.sales2.id)]),
            10000)
