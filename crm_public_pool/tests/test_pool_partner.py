"""The same ownership on customers (res.partner)."""
from odoo.exceptions import AccessError, UserError

from .common import PoolCase


class TestPoolPartner(PoolCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolPartner, cls).setUpClass()
        cls.customer_pool = cls.env['crm.pool'].create({
            'name': 'Customer Pool',
            'res_model': 'res.partner',
            'quota': 1,
            'mask_contact': True,
            'member_ids': [(0, 0, {'user_id': cls.sales1.id}),
                           (0, 0, {'user_id': cls.sales2.id})],
        })
        cls.customers = cls.env['res.partner']
        for index in range(3):
            cls.customers |= cls.env['res.partner'].create({
                'name': 'Pool Customer %s' % index,
                'is_company': True,
                'phone': '0215555000%s' % index,
                'email': 'buyer%s@customer.example' % index,
                'pool_id': cls.customer_pool.id,
            })

    def test_claim_customer_without_partner_rights(self):
        customer = self.customers[0]
        self.assertFalse(self.sales1.has_group('base.group_partner_manager'))
        customer.sudo(self.sales1).action_pool_claim()
        self.assertEqual(customer.user_id, self.sales1)
        self.assertEqual(customer.pool_state, 'owned')
        self.assertUserError(
            UserError, "You own 1 of 1 customers allowed in pool Customer "
                       "Pool.",
            self.customers[1].sudo(self.sales1).action_pool_claim)
        self.assertUserError(
            UserError, "This customer has already been claimed by another "
                       "user.",
            customer.sudo(self.sales2).action_pool_claim)

    def test_customer_rules_and_mask(self):
        self.customers[0].sudo(self.sales2).action_pool_claim()
        with self.assertRaises(AccessError):
            self.customers[0].sudo(self.sales1).read(['name'])
        values = self.customers[1].sudo(self.sales1).read(['phone', 'email'])
        self.assertEqual(values[0]['phone'], '021****0001')
        self.assertEqual(values[0]['email'], 'b***@customer.example')
        # customers outside pools stay visible to everybody
        plain = self.env['res.partner'].create({'name': 'Plain customer',
                                                'user_id': self.sales2.id})
        self.assertTrue(plain.sudo(self.sales1).read(['name']))

    def test_masked_customer_not_found_by_its_email(self):
        Partner = self.env['res.partner'].sudo(self.sales1)
        customer = self.customers[1]
        found = [row[0] for row in Partner.name_search('buyer1@customer')]
        self.assertNotIn(customer.id, found)
        self.assertFalse(Partner.search([('id', '=', customer.id),
                                         ('email', 'ilike', 'buyer1')]))
        found = [row[0] for row in Partner.name_search('Pool Customer 1')]
        self.assertIn(customer.id, found)
        # Odoo's mail gateway finds a customer by one exact address
        self.assertEqual(Partner.search(
            [('email', '=ilike', 'buyer1@customer.example')]), customer)
        customer.sudo(self.sales1).action_pool_claim()
        found = [row[0] for row in Partner.name_search('buyer1@customer')]
        self.assertIn(customer.id, found)

    def test_release_customer(self):
        customer = self.customers[2]
        customer.sudo(self.sales1).action_pool_claim()
        customer.sudo(self.sales1).action_pool_release('Moved abroad')
        self.assertFalse(customer.user_id)
        self.assertEqual(customer.pool_state, 'pool')

    def test_employees_without_pool_rights_search_contacts(self):
        """Any employee searches contacts by email (the chatter's @mention
        does): pool customers are found by what the employee may see, and
        their masked email is no search key."""
        employee = self.env['res.users'].with_context(
            no_reset_password=True).create({
                'name': 'Plain Employee', 'login': 't_pool_plain_employee',
                'groups_id': [(6, 0, [self.env.ref('base.group_user').id])]})
        Partner = self.env['res.partner'].sudo(employee)
        self.assertFalse(employee.has_group('sales_team.group_sale_salesman'))
        found = Partner.get_mention_suggestions('Pool Customer', limit=8)
        names = {row['name'] for group in found for row in group}
        self.assertIn('Pool Customer 0', names)
        # the unclaimed customer's email is masked for the employee: a
        # partial email matches nothing, the owner's customer is found
        self.customers[1].sudo(self.sales1).action_pool_claim()
        self.assertEqual(Partner.search(
            [('email', 'ilike', 'buyer0@customer')]).ids, [])
        self.assertEqual(Partner.search(
            [('email', 'ilike', 'buyer1@customer')]), self.customers[1])
