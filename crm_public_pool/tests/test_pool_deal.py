# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customers that bought (a won opportunity): no-deal clock stopped, idle
clock running; customers developed from the pool and their won revenue."""
from .common import NOW, PoolPolicyCase


class TestPoolDeal(PoolPolicyCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolDeal, cls).setUpClass()
        cls.deal_pool = cls.env['crm.pool'].create({
            'name': '成交客户池', 'res_model': 'res.partner',
            'idle_days': 30, 'nodeal_days': 60,
            'manager_ids': [(6, 0, [cls.manager.id])],
            'member_ids': [(0, 0, {'user_id': cls.sales1.id}),
                           (0, 0, {'user_id': cls.sales2.id})],
        })
        cls.won_stage = cls.env['crm.stage'].create({
            'name': 'Deal won', 'probability': 100, 'on_change': True,
            'sequence': 950})

        def customer(name, followup):
            return cls._owned(name, cls.sales1, '2023-12-01 12:00:00',
                              followup=followup, pool=cls.deal_pool,
                              model='res.partner', is_company=True)

        # no-deal due on 2024-01-30; idle due 2024-03-16 / 2024-02-14
        cls.bought = customer('已成交公司', '2024-02-15 12:00:00')
        cls.bought_idle = customer('已成交但闲置', '2024-01-15 12:00:00')
        cls.not_bought = customer('未成交公司', '2024-02-15 12:00:00')
        buyer = cls.env['res.partner'].create({
            'name': '采购 赵', 'parent_id': cls.bought.id})
        cls.opportunity = cls.opp('首单', buyer, 1000.0, won=True)
        cls.opp('复购', cls.bought, 500.0, won=True)
        cls.opp('还在谈', cls.bought, 300.0)
        cls.opp('闲置客户的单', cls.bought_idle, 800.0, won=True)
        cls.opp('丢单', cls.not_bought, 700.0).write({'active': False})

    @classmethod
    def opp(cls, name, partner, revenue, won=False):
        vals = {'name': name, 'type': 'opportunity', 'partner_id': partner.id,
                'planned_revenue': revenue, 'user_id': cls.sales1.id}
        if won:
            # crm sets the stage's probability on write, not on create
            vals.update(stage_id=cls.won_stage.id, probability=100)
        return cls.env['crm.lead'].create(vals)

    def test_bought_customer_keeps_only_the_idle_clock(self):
        self.assertEqual(self.bought.pool_deadline, '2024-03-16 12:00:00')
        self.assertEqual(self.bought_idle.pool_deadline, '2024-02-14 12:00:00')
        self.assertEqual(self.not_bought.pool_deadline, '2024-01-30 12:00:00')
        self.env['crm.pool']._cron_reclaim(now=NOW)
        # never reclaimed for no deal
        self.assertEqual(self.bought.user_id, self.sales1)
        self.assertFalse(self._logs(self.bought))
        # still reclaimed when idle, for being idle
        self.assertFalse(self.bought_idle.user_id)
        self.assertEqual(self._logs(self.bought_idle).reason_id, self.env.ref(
            'crm_public_pool.crm_pool_release_reason_idle'))
        self.assertEqual(self._logs(self.not_bought).reason_id, self.env.ref(
            'crm_public_pool.crm_pool_release_reason_nodeal'))

    def test_winning_or_losing_the_deal_moves_the_deadline(self):
        lead = self.opp('新单', self.not_bought, 200.0)
        lead.write({'user_id': self.sales1.id})
        lead = lead.sudo(self.sales1)
        lead.write({'stage_id': self.won_stage.id})
        self.assertEqual(self.not_bought.pool_deadline, '2024-03-16 12:00:00')
        lead.write({'active': False})
        self.assertEqual(self.not_bought.pool_deadline, '2024-01-30 12:00:00')
        # a plain lead (not an opportunity) is no deal
        self.opportunity.write({'type': 'lead'})
        self.assertEqual(self.bought.pool_deadline, '2024-03-16 12:00:00')

    def test_customers_developed_from_the_pool_and_their_revenue(self):
        released = self.env['res.partner'].create({
            'name': '新开发客户', 'is_company': True,
            'pool_id': self.deal_pool.id})
        released.sudo(self.sales2).action_pool_claim()
        self.opp('新客户首单', released, 2500.0, won=True)
        self.bought.sudo(self.sales1).action_pool_release('换人跟进')
        self.bought.sudo(self.sales2).action_pool_claim()
        Report = self.env['crm.pool.activity.report'].sudo(self.manager)
        rows = {row['user_id'][0]: row for row in Report.read_group(
            [('pool_id', '=', self.deal_pool.id)],
            ['developed_count', 'won_revenue', 'user_id'], ['user_id'])}
        # Li Wei developed both (the first one's three opportunities: two won)
        self.assertEqual(rows[self.sales2.id]['developed_count'], 2)
        self.assertAlmostEqual(rows[self.sales2.id]['won_revenue'], 4000.0)
        # Wang Fang released the first one: only the idle one she still owns
        self.assertEqual(rows[self.sales1.id]['developed_count'], 1)
        self.assertAlmostEqual(rows[self.sales1.id]['won_revenue'], 800.0)
