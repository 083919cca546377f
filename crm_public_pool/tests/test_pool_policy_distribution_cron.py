"""Automatic distribution and rule preview on the database."""
from datetime import datetime, timedelta

from odoo import fields

from .common import NOW, PoolPolicyCase


class TestPoolPolicyDistribution(PoolPolicyCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolPolicyDistribution, cls).setUpClass()
        Users = cls.env['res.users'].with_context(no_reset_password=True)
        cls.sales3 = Users.create({
            'name': '赵磊', 'login': 'pool2_sales3', 'email': 's3@example.com',
            'groups_id': [(6, 0, [
                cls.env.ref('crm_public_pool.group_pool_user').id])]})
        cls.dpool = cls.env['crm.pool'].create({
            'name': '华南', 'res_model': 'crm.lead', 'idle_days': 10,
            'distribution': 'round_robin',
            'member_ids': [
                (0, 0, {'user_id': cls.sales1.id, 'sequence': 1}),
                (0, 0, {'user_id': cls.sales2.id, 'sequence': 2,
                        'active': False}),
                (0, 0, {'user_id': cls.sales3.id, 'sequence': 3,
                        'quota': 2}),
            ],
        })
        cls.leads = cls.env['crm.lead']
        for i, (priority, city) in enumerate([
                ('0', 'Shanghai'), ('3', 'Beijing'), ('1', 'Shanghai'),
                ('0', 'Hangzhou'), ('2', 'Beijing'), ('0', 'Shanghai')]):
            cls.leads |= cls.env['crm.lead'].create({
                'name': 'dist %s' % i, 'pool_id': cls.dpool.id,
                'user_id': False, 'priority': priority, 'city': city})
        # sales3 already owns one record of the pool: room for one more
        cls.owned = cls._owned('owned by 3', cls.sales3, NOW, pool=cls.dpool)

    def _owners(self):
        return [lead.user_id for lead in self.leads]

    def test_round_robin_hot_first_with_quota(self):
        Pool = self.env['crm.pool']
        self.assertEqual(Pool._cron_distribute(now=NOW), 6)
        s1, s3 = self.sales1, self.sales3
        # order hot first: 1 (3★), 4 (2★), 2 (1★), then 0, 3, 5 by age
        # deal: s1, s3, s1, s1 (s3 full at 2), ...
        self.assertEqual(self.leads[1].user_id, s1)
        self.assertEqual(self.leads[4].user_id, s3)
        self.assertEqual(self.leads[2].user_id, s1)
        self.assertEqual([lead.user_id for lead in self.leads[0] | self.leads[3]
                          | self.leads[5]], [s1, s1, s1])
        self.assertFalse(self.leads.filtered(
            lambda l: l.user_id == self.sales2))
        self.assertEqual(self.dpool.distribution_user_id, s1)
        lead = self.leads[1]
        self.assertEqual(lead.pool_state, 'owned')
        self.assertEqual(lead.pool_date_claimed, NOW)
        self.assertEqual(lead.pool_deadline, '2024-03-11 12:00:00')
        logs = self.env['crm.pool.log'].search([
            ('res_model', '=', 'crm.lead'), ('res_id', 'in', self.leads.ids),
            ('action', '=', 'assign')])
        self.assertEqual(len(logs), 6)
        self.assertEqual(logs.filtered(lambda l: l.res_id == lead.id).to_user_id,
                         s1)
        # never above the quota
        self.assertEqual(self.env['crm.lead'].search_count([
            ('pool_id', '=', self.dpool.id), ('user_id', '=', s3.id)]), 2)
        # one summary per salesperson
        msgs = self.env['mail.message'].search([
            ('model', '=', 'crm.pool'), ('res_id', '=', self.dpool.id),
            ('partner_ids', 'in', s1.partner_id.id)])
        self.assertEqual(len(msgs), 1)
        self.assertIn('5', msgs.body)
        self.assertIn('华南', msgs.body)
        # nothing left: a second run does nothing
        self.assertEqual(Pool._cron_distribute(now=NOW), 0)

    def test_all_full_records_stay(self):
        self.dpool.quota = 1
        self.dpool.member_ids.filtered(
            lambda m: m.user_id == self.sales3).quota = 0
        self.assertEqual(self.env['crm.pool']._cron_distribute(now=NOW), 1)
        self.assertEqual(self.leads[1].user_id, self.sales1)
        self.assertEqual(len(self.leads.filtered('user_id')), 1)
        self.assertEqual(set(self.leads[2:].mapped('pool_state')), {'pool'})

    def test_balanced(self):
        self.dpool.distribution = 'balanced'
        self.dpool.member_ids.filtered(
            lambda m: m.user_id == self.sales3).quota = 10
        self.env['crm.pool']._cron_distribute(now=NOW)
        counts = {u: self.env['crm.lead'].search_count([
            ('pool_id', '=', self.dpool.id), ('user_id', '=', u.id)])
            for u in (self.sales1, self.sales3)}
        # 1 + 6 records over two members: 3 and 4 (ties go to sales1 first)
        self.assertEqual(counts, {self.sales1: 4, self.sales3: 3})
        self.assertEqual(self.leads[1].user_id, self.sales1)

    def test_rule_by_member_domain(self):
        self.dpool.distribution = 'rule'
        self.dpool.member_ids.filtered(
            lambda m: m.user_id == self.sales1).domain = \
            "[('city', '=', 'Shanghai')]"
        self.dpool.member_ids.filtered(
            lambda m: m.user_id == self.sales3).write({
                'domain': "[('city', '=', 'Beijing')]", 'quota': 0})
        self.assertEqual(self.env['crm.pool']._cron_distribute(now=NOW), 5)
        by_city = {}
        for lead in self.leads:
            by_city.setdefault(lead.city, set()).add(lead.user_id)
        self.assertEqual(by_city['Shanghai'], {self.sales1})
        self.assertEqual(by_city['Beijing'], {self.sales3})
        # Hangzhou fits nobody and stays in the pool
        self.assertEqual(by_city['Hangzhou'], {self.env['res.users']})
        self.assertEqual(self.leads[3].pool_state, 'pool')

    def test_cooldown_respected(self):
        self.dpool.cooldown_days = 7
        lead = self.leads[1]
        self.env['crm.pool.log'].create({
            'res_model': 'crm.lead', 'res_id': lead.id, 'action': 'release',
            'pool_id': self.dpool.id, 'from_user_id': self.sales1.id,
            'date': '2024-02-28 00:00:00'})
        self.env['crm.pool']._cron_distribute(now=NOW)
        self.assertEqual(lead.user_id, self.sales3)

    def test_manager_distributes_now(self):
        self.dpool.manager_ids = self.manager
        self.dpool.sudo(self.manager).action_distribute_now()
        self.assertEqual(len(self.leads.filtered('user_id')), 6)


class TestPoolPolicyPreview(PoolPolicyCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolPolicyPreview, cls).setUpClass()
        now = datetime.utcnow()

        def ago(days):
            return fields.Datetime.to_string(now - timedelta(days=days))
        cls._owned('p1', cls.sales1, ago(20))
        cls._owned('p2', cls.sales1, ago(15))
        cls._owned('p3', cls.sales2, ago(12))
        cls._owned('p4', cls.sales2, ago(5))
        cls._owned('p5', cls.sales2, ago(40), probability=100)
        frozen = cls._owned('p6', cls.sales2, ago(40))
        frozen.write({'pool_state': 'frozen'})

    def _onchange(self, pool, **values):
        # what the form sends: every field, the preview as last computed
        vals = {'name': pool.name, 'res_model': pool.res_model,
                'idle_days': pool.idle_days, 'nodeal_days': pool.nodeal_days,
                'preview_count': -1, 'preview_html': ''}
        vals.update(values)
        spec = {name: '1' for name in vals}
        return pool.sudo(self.manager).onchange(vals, list(values)[0],
                                                spec)['value']

    def test_preview_counts_per_owner_before_saving(self):
        pool = self.pool
        self.assertEqual(pool.sudo(self.manager).preview_count, 0)
        value = self._onchange(pool, idle_days=10)
        self.assertEqual(value['preview_count'], 3)
        self.assertIn('王芳', value['preview_html'])
        self.assertIn('<td class="text-right">2</td>', value['preview_html'])
        # nothing was saved
        self.assertEqual(pool.idle_days, 30)
        value = self._onchange(pool, idle_days=0, nodeal_days=13)
        self.assertEqual(value['preview_count'], 2)
        value = self._onchange(pool, idle_days=0, nodeal_days=0)
        self.assertEqual(value['preview_count'], 0)
        self.assertIn(self.tr("Both reclaim policies are off (0 days): "
                              "nothing returns to the pool.", self.manager),
                      value['preview_html'])

    def test_preview_of_new_pool(self):
        new = self.env['crm.pool'].sudo(self.manager).new(
            {'name': 'x', 'res_model': 'crm.lead', 'idle_days': 1})
        self.assertEqual(new.preview_count, 0)
        self.assertIn(self.tr("Save the pool to preview its rules.",
                              self.manager),
                      new.preview_html)
