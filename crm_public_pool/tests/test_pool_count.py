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

    def test_grouped_counts_stop_at_the_limit(self):
        """Groups by a selection (the pool kanban's columns) count up to the
        limit; the groups, their order and their domains stay Odoo's."""
        self.leads[0].sudo(self.sales1).action_pool_claim()
        self.leads[1].sudo(self.sales2).action_pool_claim()
        Lead = self.env['crm.lead'].sudo(self.sales1)
        domain = [('pool_id', '=', self.pool.id)]
        fields = ['name', 'pool_state', 'pool_deadline']

        def groups(model, **kwargs):
            return [(group['pool_state'], group['pool_state_count'],
                     model.search(group['__domain']).ids)
                    for group in model.read_group(domain, fields,
                                                  ['pool_state'], **kwargs)]

        exact = groups(Lead)
        capped = groups(Lead.with_context(pool_count_limit=3))
        self.assertEqual([group[:2] for group in exact],
                         [('owned', 1), ('pool', 4)])
        self.assertEqual([group[:2] for group in capped],
                         [('owned', 1), ('pool', 4)])
        self.assertEqual(capped, exact)
        capped = groups(Lead.with_context(pool_count_limit=2),
                        orderby='pool_state desc')
        self.assertEqual([group[:2] for group in capped],
                         [('pool', 3), ('owned', 1)])
        self.assertEqual([group[2] for group in capped],
                         [group[2] for group in reversed(exact)])
        # a sum to compute, or a grouping by another field: exact counts
        summed = Lead.with_context(pool_count_limit=2).read_group(
            domain, fields + ['planned_revenue'], ['pool_state'])
        self.assertEqual([group['pool_state_count'] for group in summed],
                         [1, 4])
        by_pool = Lead.with_context(pool_count_limit=2).read_group(
            domain, fields + ['pool_id'], ['pool_id'])
        self.assertEqual([group['pool_id_count'] for group in by_pool], [5])

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


class TestPoolListPage(PoolCase):
    """A salesperson's pool list page, read as their own records merged with
    the unowned ones, holds the rows and the order the rule gives."""

    ORDER = 'pool_deadline, id desc'

    @classmethod
    def setUpClass(cls):
        super(TestPoolListPage, cls).setUpClass()
        owners = [cls.sales1, cls.sales2, cls.sales3]
        cr = cls.env.cr
        for index in range(18):
            pool = cls.pool2 if index % 5 == 4 else cls.pool
            lead = cls.make_lead(pool, 100 + index)
            if index % 3:
                # owned (as the claim leaves it), claimed on different days:
                # deadlines, and ties between them
                cr.execute("""
                    UPDATE crm_lead SET user_id = %s, pool_state = 'owned',
                           pool_date_claimed = %s,
                           pool_deadline = %s::timestamp + interval '10 days'
                     WHERE id = %s""", (
                    owners[index % 3].id, '2024-02-0%d' % (1 + index % 4),
                    '2024-02-0%d' % (1 + index % 4), lead.id))
        frozen = cls.make_lead(cls.pool, 200)
        cr.execute("""
            UPDATE crm_lead SET user_id = %s, pool_state = 'frozen',
                   pool_deadline = NULL WHERE id = %s""",
                   (cls.sales1.id, frozen.id))
        cls.env['crm.lead'].invalidate_cache()
        cls.make_lead(cls.pool, 201).write({'active': False})
        cls.env['crm.lead'].create({'name': 'Outside any pool',
                                    'user_id': False})

    def rule_page(self, user, pool_ids, offset, limit):
        """The page by raw SQL of the rule: own pool records and the
        unowned records of the user's pools, in the pool lists' order."""
        self.env.cr.execute("""
            SELECT id FROM crm_lead
             WHERE active AND pool_id IN %s
               AND (user_id = %s OR (user_id IS NULL AND pool_id IN %s))
             ORDER BY pool_deadline, id DESC LIMIT %s OFFSET %s
        """, (tuple(pool_ids), user.id, (self.pool.id, self.pool2.id),
              limit, offset))
        return [row[0] for row in self.env.cr.fetchall()]

    def test_page_has_the_rows_and_order_of_the_rule(self):
        Lead = self.env['crm.lead'].sudo(self.sales1)
        for domain, pool_ids in (
                ([('pool_id', '=', self.pool.id)], [self.pool.id]),
                ([('pool_id', '!=', False)], [self.pool.id, self.pool2.id])):
            self.assertTrue(Lead._pool_split_page(domain, self.ORDER))
            expected = self.rule_page(self.sales1, pool_ids, 0, 80)
            # own records with a deadline first, then the rest newest first
            self.assertGreater(len(expected), 8)
            self.assertEqual(Lead.search(domain, order=self.ORDER,
                                         limit=80).ids, expected)
            for offset in range(0, len(expected) + 3, 3):
                self.assertEqual(
                    Lead.search(domain, order=self.ORDER, limit=3,
                                offset=offset).ids,
                    self.rule_page(self.sales1, pool_ids, offset, 3))
        # what the list shows (search_read) is that page too
        rows = Lead.search_read([('pool_id', '=', self.pool.id)], ['name'],
                                limit=5, order=self.ORDER)
        self.assertEqual([row['id'] for row in rows],
                         self.rule_page(self.sales1, [self.pool.id], 0, 5))

    def test_capped_counts_are_the_rule_counts(self):
        """Counted as own records plus unowned ones, up to the limit."""
        Lead = self.env['crm.lead'].sudo(self.sales1)
        domain = [('pool_id', '=', self.pool.id)]
        exact = len(self.rule_page(self.sales1, [self.pool.id], 0, 1000))
        for cap in (1, 3, exact - 1, exact, exact + 5):
            self.assertEqual(
                Lead.with_context(pool_count_limit=cap).search_count(domain),
                min(exact, cap + 1))
        for state in ('owned', 'frozen', 'pool'):
            state_domain = domain + [('pool_state', '=', state)]
            self.assertEqual(
                Lead.with_context(pool_count_limit=100).search_count(
                    state_domain), Lead.search_count(state_domain))

    def test_other_searches_keep_the_plain_query(self):
        Lead = self.env['crm.lead']
        domain = [('pool_id', '=', self.pool.id)]
        # a manager sees colleagues' records: one query as usual
        self.assertFalse(Lead.sudo(self.manager)._pool_split_page(
            domain, self.ORDER))
        self.assertFalse(Lead.sudo(self.sales1)._pool_split_page(
            domain, 'id desc'))
        # a domain that reaches records outside the pools
        self.assertFalse(Lead.sudo(self.sales1)._pool_split_page(
            ['|', ('pool_id', '=', self.pool.id), ('name', '=', 'x')],
            self.ORDER))
        self.assertFalse(Lead.sudo(self.sales1)._pool_split_page(
            [('pool_id', '!=', self.pool.id)], self.ORDER))
        # My Leads: the owner's index answers the page as it is
        self.assertFalse(Lead.sudo(self.sales1)._pool_split_page(
            [('user_id', '=', self.sales1.id), ('pool_id', '!=', False)],
            self.ORDER))
        # and the manager's page is the pool's, colleagues' records included
        self.env.cr.execute("""
            SELECT id FROM crm_lead WHERE active AND pool_id = %s
             ORDER BY pool_deadline, id DESC""", (self.pool.id,))
        expected = [row[0] for row in self.env.cr.fetchall()]
        self.assertEqual(Lead.sudo(self.manager).search(
            domain, order=self.ORDER, limit=80).ids, expected)
