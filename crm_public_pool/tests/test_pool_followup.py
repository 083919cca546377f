"""Follow-ups move the idle clock; notes do not. Duplicate check, search."""
from odoo.exceptions import UserError, ValidationError

from .common import PoolCase

OLD = '2024-01-01 00:00:00'


class TestPoolFollowup(PoolCase):

    def setUp(self):
        super(TestPoolFollowup, self).setUp()
        self.lead = self.leads[0]
        self.lead.sudo(self.sales1).action_pool_claim()
        self.env.cr.execute(
            'UPDATE crm_lead SET pool_date_followup = %s WHERE id = %s',
            (OLD, self.lead.id))
        self.lead.invalidate_cache()

    def test_log_followup_wizard(self):
        wizard = self.env['crm.pool.followup.wizard'].sudo(self.sales1) \
            .with_context(active_model='crm.lead',
                          active_ids=self.lead.ids).create({
                              'method': 'wechat',
                              'content': 'Sent the price list',
                              'next_date': '2030-05-06',
                              'summary': 'Call back'})
        wizard.action_confirm()
        self.assertGreater(self.lead.pool_date_followup, OLD)
        self.assertEqual(self.lead.qualification_state, 'contacted')
        activity = self.lead.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, '2030-05-06')
        self.assertEqual(activity.user_id, self.sales1)
        self.assertEqual(activity.summary, 'Call back')
        self.assertIn('Sent the price list', self.lead.message_ids[0].body)

    def test_followup_refusals(self):
        lead = self.lead.sudo(self.sales1)
        self.assertUserError(UserError, "Please describe the follow-up.",
                             lead.action_pool_log_followup, 'call', ' ')
        self.assertUserError(UserError, "Unknown follow-up method: fax",
                             lead.action_pool_log_followup, 'fax', 'x')
        self.leads[1].sudo(self.sales2).action_pool_claim()
        self.assertUserError(
            UserError, "Only the owner or a manager of pool Test East may log "
                       "a follow-up on lead #%s." % self.leads[1].id,
            self.leads[1].sudo(self.sales1).action_pool_log_followup,
            'call', 'x')

    def test_note_does_not_count(self):
        self.lead.sudo(self.sales1).message_post(
            body='internal remark', subtype='mail.mt_note',
            message_type='comment')
        self.assertEqual(self.lead.pool_date_followup, OLD)

    def test_activity_done_counts(self):
        activity = self.env['mail.activity'].sudo(self.sales1).create({
            'res_model_id': self.env.ref('crm.model_crm_lead').id,
            'res_id': self.lead.id,
            'activity_type_id': self.env.ref(
                'mail.mail_activity_data_call').id,
            'user_id': self.sales1.id,
        })
        activity.action_feedback('Reached him')
        self.assertGreater(self.lead.pool_date_followup, OLD)

    def test_customer_email_counts(self):
        customer = self.env['res.partner'].create({
            'name': 'Customer', 'email': 'buyer@example.com'})
        self.lead.message_post(body='Please send a quote',
                               message_type='email', author_id=customer.id)
        self.assertGreater(self.lead.pool_date_followup, OLD)

    def test_own_email_does_not_count(self):
        self.lead.message_post(body='Our offer', message_type='email',
                               author_id=self.sales1.partner_id.id)
        self.assertEqual(self.lead.pool_date_followup, OLD)

    def test_followup_moves_deadline(self):
        before = self.lead.pool_deadline
        self.lead.sudo(self.sales1).action_pool_log_followup('call', 'Hello')
        self.assertGreaterEqual(self.lead.pool_deadline, before)


class TestPoolDuplicate(PoolCase):

    def test_block_duplicate_phone(self):
        self.make_lead(self.pool2, 1, phone='+86 139 0000 1111')
        with self.assertRaises(ValidationError) as cm:
            self.make_lead(self.pool2, 2, phone='13900001111')
        self.assertIn('duplicates existing records', cm.exception.name)

    def test_block_duplicate_email_and_company(self):
        self.make_lead(self.pool2, 1, email_from='Boss@Acme.example')
        with self.assertRaises(ValidationError):
            self.make_lead(self.pool2, 2, email_from='boss@acme.example ')
        self.make_lead(self.pool2, 3, partner_name='Acme Co., Ltd.')
        with self.assertRaises(ValidationError):
            self.make_lead(self.pool2, 4, partner_name='ACME')

    def test_warn_duplicate(self):
        self.make_lead(self.pool, 10, phone='13900002222')
        lead = self.make_lead(self.pool, 11, phone='139 0000 2222')
        self.assertIn('Possible duplicate of',
                      lead.message_ids.mapped('body')[0])

    def test_claim_blocked_when_duplicate_owned_by_other(self):
        first = self.make_lead(self.pool2, 1, phone='13900003333')
        first.sudo(self.sales2).action_pool_claim()
        self.pool2.duplicate_check = 'none'
        second = self.make_lead(self.pool2, 2, phone='13900003333')
        self.pool2.duplicate_check = 'block'
        with self.assertRaises(UserError) as cm:
            second.sudo(self.sales1).action_pool_claim()
        self.assertEqual(
            cm.exception.name,
            "%s duplicates records already owned by other salespeople: "
            "%s (Li Na)." % (second.name, first.name))

    def test_public_search_shows_owner_not_contact(self):
        lead = self.make_lead(self.pool, 12, phone='13900004444',
                              partner_name='Searchable Ltd')
        lead.sudo(self.sales2).action_pool_claim()
        search = self.env['crm.pool.public.search'].sudo(self.sales1).create(
            {'res_model': 'crm.lead', 'query': '+86 139-0000-4444'})
        search.action_search()
        self.assertEqual(len(search.line_ids), 1)
        line = search.line_ids
        self.assertEqual(line.name, lead.name)
        self.assertEqual(line.owner, 'Li Na')
        self.assertEqual(line.pool_state, 'owned')
        self.assertNotIn('13900004444', str(line.read()))

    def test_import_checks_duplicates(self):
        self.make_lead(self.pool2, 1, phone='13900005555')
        result = self.env['crm.lead'].sudo(self.manager).load(
            ['name', 'phone', 'pool_id/.id', 'user_id/.id'],
            [['Imported twin', '+86 139 0000 5555', str(self.pool2.id), ''],
             ['Imported new', '13900006666', str(self.pool2.id), '']])
        self.assertFalse(result['ids'])
        self.assertIn('duplicates existing records',
                      result['messages'][0]['message'])
        result = self.env['crm.lead'].sudo(self.manager).load(
            ['name', 'phone', 'pool_id/.id', 'user_id/.id'],
            [['Imported new', '13900006666', str(self.pool2.id), '']])
        lead = self.env['crm.lead'].browse(result['ids'])
        self.assertEqual(lead.pool_state, 'pool')
