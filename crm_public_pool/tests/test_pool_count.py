"""Capped counts of the pool lists (context key ``pool_count_limit``)."""
from .common import PoolCase


class TestPoolCount(PoolCase):

    def count(self, user, domain, limit=None):
        Lead = self.env['crm.lead'].sudo(user)
        if limit:
            Lead = Lead.with_context(pool_count_limit=limit)
        return Lead.search_count(domain)

    def test_count_stops_after_the_limit(self):
        domain = [('pool_id', '=', self.pool.id)]
        exact = self.count(self.sales1, domain)
        self.assertEqual(exact, 6)
        self.assertEqual(self.count(self.sales1, domain, limit=3), 4)
        self.assertEqual(self.count(self.sales1, domain, limit=6), 6)
        self.assertEqual(self.count(self.sales1, domain, limit=50), 6)
        # a value that is no positive number counts exactly
        for limit in ('3', True, -1, 0):
            self.assertEqual(self.env['crm.lead'].sudo(self.sales1).with_context(
                pool_count_limit=limit).search_count(domain), 6)

    def test_capped_count_applies_the_rules_and_the_mask_guard(self):
        # another salesperson's lead is not counted, capped or not
        self.leads[0].sudo(self.sales2).action_pool_claim()
        domain = [('pool_id', '=', self.pool.id)]
        self.assertEqual(self.count(self.sales1, domain), 5)
        self.assertEqual(self.count(self.sales1, domain, limit=10), 5)
        # a search on a hidden phone number finds what the uncapped one finds
        phone = [('phone', 'ilike', self.leads[1].phone[:6])]
        self.assertEqual(self.count(self.sales1, domain + phone, limit=10),
                         self.count(self.sales1, domain + phone))

    def test_pool_list_order_is_read_from_one_index(self):
        """The first page of a pool list (pool_deadline, id desc) comes from
        an index instead of sorting every unowned record of the pool."""
        self.env.cr.execute("""
            SELECT indexdef FROM pg_indexes
             WHERE indexname IN ('crm_lead_pool_deadline_id_index',
                                 'res_partner_pool_deadline_id_index')
             ORDER BY indexname""")
        definitions = [row[0] for row in self.env.cr.fetchall()]
        self.assertEqual(len(definitions), 2)
        for definition in definitions:
            self.assertIn('(pool_deadline, id DESC)', definition)
