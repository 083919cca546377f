# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Duplicates across leads and customers (撞单) and merging them."""
from odoo.exceptions import UserError, ValidationError

from .common import PoolCase


class TestPoolDuplicateCross(PoolCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolDuplicateCross, cls).setUpClass()
        Partner = cls.env['res.partner']
        # salespeople and the manager may create contacts here
        partner_manager = cls.env.ref('base.group_partner_manager')
        (cls.sales1 | cls.sales2 | cls.manager).write(
            {'groups_id': [(4, partner_manager.id)]})
        cls.customer_pool = cls.env['crm.pool'].create({
            'name': 'Cross Customers', 'res_model': 'res.partner',
            'manager_ids': [(6, 0, [cls.manager.id])],
            'mask_contact': True, 'duplicate_check': 'block',
            'member_ids': [(0, 0, {'user_id': cls.sales1.id}),
                           (0, 0, {'user_id': cls.sales2.id})],
        })
        # Li Na's customer, with a contact person
        cls.customer = Partner.create({
            'name': 'Colleague Customer Ltd', 'is_company': True,
            'phone': '021-6666 1111', 'pool_id': cls.customer_pool.id,
            'user_id': cls.sales2.id})
        cls.contact = Partner.create({
            'name': 'Buyer Zhao', 'parent_id': cls.customer.id,
            'email': 'Zhao@Colleague-Customer.test', 'mobile': '13900001111'})
        # Zhang Wei's own lead
        cls.own_lead = cls.env['crm.lead'].create({
            'name': 'Zhang Wei project', 'user_id': cls.sales1.id,
            'email_from': 'chen@own-lead.test', 'phone': '13700002222'})

    def assertMasked(self, text):
        for secret in ('Colleague Customer', 'Buyer Zhao', '6666', '13900001111',
                       'colleague-customer.test', 'Zhang Wei project',
                       'chen@own-lead.test', '13700002222'):
            self.assertNotIn(secret, text)

    def test_lead_duplicating_a_colleagues_contact_person_is_blocked(self):
        with self.assertRaises(ValidationError) as caught, \
                self.env.cr.savepoint():
            self.env['crm.lead'].sudo(self.sales1).create({
                'name': 'New enquiry', 'pool_id': self.pool2.id,
                'email_from': 'zhao@colleague-customer.test'})
        message = caught.exception.name
        self.assertIn('customer (owner: Li Na)', message)
        self.assertMasked(message)

    def test_lead_duplicating_a_customer_phone_is_warned(self):
        lead = self.env['crm.lead'].sudo(self.sales1).create({
            'name': 'Phone enquiry', 'pool_id': self.pool.id,
            'phone': '+86 139 0000 1111'})
        notes = self.env['mail.message'].search([
            ('model', '=', 'crm.lead'), ('res_id', '=', lead.id),
            ('body', 'like', 'Possible duplicate')])
        self.assertEqual(len(notes), 1)
        self.assertIn('customer (owner: Li Na)', notes.body)
        self.assertMasked(notes.body)
        # a lead of the customer itself, or matching nothing, is no duplicate
        for vals in ({'partner_id': self.customer.id,
                      'phone': '021 6666 1111'},
                     {'phone': '021 7777 1111'}):
            vals.update(name='Other enquiry', pool_id=self.pool.id)
            other = self.env['crm.lead'].create(vals)
            self.assertFalse(self.env['mail.message'].search([
                ('model', '=', 'crm.lead'), ('res_id', '=', other.id),
                ('body', 'like', 'duplicate')]))

    def test_claiming_a_lead_of_a_colleagues_customer_is_blocked(self):
        lead = self.env['crm.lead'].create({
            'name': 'Company enquiry', 'pool_id': self.pool.id,
            'partner_name': 'Other Name'})
        lead.write({'partner_name': 'COLLEAGUE CUSTOMER, Ltd.'})
        self.pool.duplicate_check = 'block'
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            lead.sudo(self.sales1).action_pool_claim()
        self.assertIn('customer (owner: Li Na)', caught.exception.name)
        self.assertMasked(caught.exception.name)
        self.assertFalse(lead.user_id)
        # the customer's owner may claim it
        lead.sudo(self.sales2).action_pool_claim()
        self.assertEqual(lead.user_id, self.sales2)

    def test_customer_duplicating_a_colleagues_lead_is_blocked(self):
        with self.assertRaises(ValidationError) as caught, \
                self.env.cr.savepoint():
            self.env['res.partner'].sudo(self.sales2).create({
                'name': 'Another Co', 'is_company': True,
                'email': 'CHEN@own-lead.test', 'pool_id': self.customer_pool.id})
        self.assertIn('lead (owner: Zhang Wei)', caught.exception.name)
        self.assertMasked(caught.exception.name)
        # with a name when the user may read the lead
        with self.assertRaises(ValidationError) as caught, \
                self.env.cr.savepoint():
            self.env['res.partner'].sudo(self.sales1).create({
                'name': 'Another Co', 'is_company': True,
                'phone': '137-0000-2222', 'pool_id': self.customer_pool.id})
        self.assertIn('lead "Zhang Wei project" (owner: Zhang Wei)',
                      caught.exception.name)

    def test_claiming_a_customer_whose_contact_person_is_a_lead(self):
        customer = self.env['res.partner'].create({
            'name': 'Waiting Co', 'is_company': True,
            'pool_id': self.customer_pool.id})
        self.env['res.partner'].create({
            'name': 'Buyer Chen', 'parent_id': customer.id,
            'mobile': '+86 13700002222'})
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            customer.sudo(self.sales2).action_pool_claim()
        self.assertIn('lead (owner: Zhang Wei)', caught.exception.name)
        self.assertMasked(caught.exception.name)
        customer.sudo(self.sales1).action_pool_claim()
        self.assertEqual(customer.user_id, self.sales1)

    def test_manager_merges_duplicate_leads_and_keeps_both_histories(self):
        first, second = self.leads[0], self.leads[1]
        second.write({'email_from': first.email_from})
        first.sudo(self.sales1).action_pool_claim()
        second.sudo(self.sales2).action_pool_claim()
        history = self.logs(first) | self.logs(second)
        self.assertEqual(len(history), 4)
        with self.assertRaisesRegex(UserError, 'manager of the pool'):
            first.sudo(self.sales1).action_pool_merge_duplicates()
        action = first.sudo(self.manager).action_pool_merge_duplicates()
        self.assertEqual(action['res_model'], 'crm.merge.opportunity')
        self.assertEqual(sorted(action['context']['active_ids']),
                         sorted((first | second).ids))
        wizard = self.env['crm.merge.opportunity'].sudo(self.manager) \
            .with_context(**action['context']).create({})
        self.assertEqual(wizard.opportunity_ids, first | second)
        merged = wizard.action_merge()
        kept = self.env['crm.lead'].browse(merged['res_id'])
        gone = (first | second) - kept
        self.assertFalse(gone.exists())
        logs = self.logs(kept)
        self.assertEqual(logs - self.logs(kept, 'merge'), history)
        merge_row = self.logs(kept, 'merge')
        self.assertEqual(len(merge_row), 1)
        self.assertIn('#%s' % gone.id, merge_row.reason)
        self.assertFalse(self.logs(gone))

    def test_manager_merges_duplicate_customers_and_keeps_both_histories(self):
        Partner = self.env['res.partner']
        self.customer_pool.duplicate_check = 'warn'
        first = Partner.create({'name': 'Twin Co', 'is_company': True,
                                'email': 'twin@co.test',
                                'pool_id': self.customer_pool.id})
        second = Partner.create({'name': 'Twin Co.', 'is_company': True,
                                 'email': 'twin@co.test',
                                 'pool_id': self.customer_pool.id})
        second.sudo(self.sales1).action_pool_claim()
        history = self.logs(first) | self.logs(second)
        self.assertEqual(len(history), 3)
        action = second.sudo(self.manager).action_pool_merge_duplicates()
        self.assertEqual(action['res_model'],
                         'base.partner.merge.automatic.wizard')
        Wizard = self.env['base.partner.merge.automatic.wizard']
        wizard = Wizard.sudo(self.manager).with_context(
            **action['context']).create({})
        self.assertEqual(wizard.partner_ids, first | second)
        wizard.write({'dst_partner_id': second.id})
        wizard.action_merge()
        self.assertFalse(first.exists())
        logs = self.logs(second)
        self.assertEqual(logs - self.logs(second, 'merge'), history)
        self.assertIn('Twin Co (#%s)' % first.id,
                      self.logs(second, 'merge').reason)

    def test_create_check_is_a_few_queries_and_one_note(self):
        """The whole check a salesperson waits for on create, duplicates of
        both kinds found: under 10 SQL queries, one note naming both."""
        self.env['crm.lead'].create({
            'name': 'Earlier enquiry', 'pool_id': self.pool.id,
            'phone': '139 0000 1111'})
        lead = self.env['crm.lead'].sudo(self.sales1).create({
            'name': 'Twice seen', 'pool_id': self.pool.id,
            'phone': '13900001111'})
        notes = self.env['mail.message'].search([
            ('model', '=', 'crm.lead'), ('res_id', '=', lead.id),
            ('body', 'like', 'Possible duplicate')])
        self.assertEqual(len(notes), 1)
        self.assertIn('Earlier enquiry (in pool)', notes.body)
        self.assertIn('customer (owner: Li Na)', notes.body)
        self.assertMasked(notes.body.replace('Earlier enquiry', ''))
        self.assertEqual(notes.subtype_id, self.env.ref('mail.mt_note'))
        self.assertEqual(notes.author_id, self.env.ref('base.partner_root'))
        self.assertEqual(notes.record_name, 'Twice seen')
        # measured again with cold record caches (warm registry caches)
        lead = lead.sudo(self.sales1)
        lead.env.clear()
        before = self.env.cr.sql_log_count
        lead._pool_check_duplicates_on_create()
        self.assertLess(self.env.cr.sql_log_count - before, 10)
        # a follower of notes is notified as with message_post
        self.manager.partner_id.email = 'manager@example.com'
        lead.sudo().message_subscribe(
            partner_ids=[self.manager.partner_id.id],
            subtype_ids=[self.env.ref('mail.mt_note').id])
        lead.sudo()._pool_check_duplicates_on_create()
        note = self.env['mail.message'].search([
            ('model', '=', 'crm.lead'), ('res_id', '=', lead.id)],
            order='id desc', limit=1)
        self.assertIn(self.manager.partner_id, note.needaction_partner_ids)
