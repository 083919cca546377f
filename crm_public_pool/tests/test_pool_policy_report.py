"""Pool health and activity reports (SQL views)."""
from .common import NOW, PoolPolicyCase


class TestPoolPolicyReport(PoolPolicyCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolPolicyReport, cls).setUpClass()
        cls.never = cls._owned('never followed', cls.sales1,
                               '2024-02-20 12:00:00')
        cls.followed = cls._owned('followed', cls.sales1,
                                  '2024-02-20 12:00:00',
                                  followup='2024-02-25 12:00:00')
        cls.due = cls._owned('due', cls.sales2, '2024-01-01 12:00:00')
        cls.won = cls._owned('won', cls.sales2, '2024-02-01 12:00:00')
        cls.won.write({'probability': 100})
        cls.waiting = cls.env['crm.lead'].create({
            'name': 'waiting', 'pool_id': cls.pool.id, 'user_id': False})
        # history: the won lead waited 6 hours in the pool before its claim
        Log = cls.env['crm.pool.log']
        for lead, action, date, user in [
                (cls.won, 'create', '2024-01-31 06:00:00', False),
                (cls.won, 'claim', '2024-01-31 12:00:00', cls.sales2.id),
                (cls.due, 'claim', '2024-01-01 12:00:00', cls.sales2.id)]:
            Log.create({'res_model': 'crm.lead', 'res_id': lead.id,
                        'res_name': lead.name, 'action': action,
                        'pool_id': cls.pool.id, 'to_user_id': user,
                        'date': date})
        cls.env['crm.pool']._cron_reclaim(now=NOW)

    def test_health(self):
        Report = self.env['crm.pool.health.report'].sudo(self.manager)
        rows = Report.search([('pool_id', '=', self.pool.id)])
        by_name = {r.name: r for r in rows}
        self.assertTrue(by_name['never followed'].never_followed)
        self.assertFalse(by_name['followed'].never_followed)
        self.assertTrue(by_name['won'].is_won)
        self.assertEqual(by_name['waiting'].pool_state, 'pool')
        self.assertEqual(by_name['waiting'].age_bucket, 'a_week')
        # reclaimed into the recycle pool
        self.assertNotIn('due', by_name)
        groups = Report.read_group(
            [('pool_id', '=', self.pool.id)],
            ['nbr', 'never_followed_count', 'pool_state'], ['pool_state'])
        counts = {g['pool_state']: (g['nbr'], g['never_followed_count'])
                  for g in groups}
        self.assertEqual(counts['owned'], (3, 2))
        self.assertEqual(counts['pool'], (1, 0))

    def test_activity(self):
        Report = self.env['crm.pool.activity.report'].sudo(self.manager)
        reclaim = Report.search([('action', '=', 'reclaim'),
                                 ('res_id', '=', self.due.id)])
        self.assertEqual(len(reclaim), 1)
        self.assertEqual(reclaim.user_id, self.sales2)
        self.assertEqual(
            reclaim.reason_id,
            self.env.ref('crm_public_pool.crm_pool_release_reason_idle'))
        claim = Report.search([('action', '=', 'claim'),
                               ('res_id', '=', self.won.id)])
        self.assertAlmostEqual(claim.hours_to_claim, 6.0)
        self.assertEqual(claim.won_count, 1)
        groups = Report.read_group(
            [('action', '=', 'claim'), ('pool_id', '=', self.pool.id)],
            ['won_rate', 'nbr', 'user_id'], ['user_id'])
        self.assertEqual(groups[0]['nbr'], 2)
        self.assertAlmostEqual(groups[0]['won_rate'], 50.0)

    def test_salesperson_has_no_access(self):
        from odoo.exceptions import AccessError
        with self.assertRaises(AccessError):
            self.env['crm.pool.health.report'].sudo(self.sales1).search([])
