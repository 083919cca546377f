"""The pool's emails are editable mail templates: the deadline summary to
the pool managers and the distribution summary to each salesperson are
rendered once per summary in each recipient's language (as many messages
as before, one per summary and language), a manager's edit is what the next
summary says; the return visit (回访) email to a lapsed customer is sent
from the customer's form in the customer's language."""
from ..models import mail_summary
from .common import NOW, PoolPolicyCase

REMINDER = 'crm_public_pool.mail_template_pool_reminder'
DISTRIBUTION = 'crm_public_pool.mail_template_pool_distribution'
REVISIT = 'crm_public_pool.mail_template_partner_revisit'


class TestPoolMailTemplate(PoolPolicyCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolMailTemplate, cls).setUpClass()
        cls.load_zh_cn()
        cls.manager.write({'lang': 'zh_CN', 'tz': 'Asia/Shanghai'})
        cls.sales1.write({'lang': 'zh_CN', 'tz': 'Asia/Shanghai'})
        cls.sales2.write({'lang': 'en_US'})
        cls.manager_en = cls.env['res.users'].with_context(
            no_reset_password=True).create({
                'name': 'Grace Manager', 'login': 'pool2_manager_en',
                'email': 'grace@example.com', 'lang': 'en_US',
                'groups_id': [(6, 0, [cls.env.ref(
                    'crm_public_pool.group_pool_manager').id])]})
        cls.pool.write({'manager_ids': [(4, cls.manager_en.id)]})

    def received(self, user, pool=None):
        return self.env['mail.message'].search([
            ('model', '=', 'crm.pool'), ('res_id', '=', (pool or self.pool).id),
            ('partner_ids', 'in', user.partner_id.id)])

    def subject(self, xmlid, record, lang):
        """The subject the template gives ``record`` in ``lang``. (Odoo 11's
        own zh_CN translation of its notification email template breaks its
        subject expression: in a database with Odoo's zh_CN terms, a
        message notified to a Chinese user loses its subject.)"""
        return mail_summary.render(self.env.ref(xmlid), record, lang)[0]

    def remind_managers(self):
        """A lead of 王芳 one day before its deadline: the managers' turn."""
        self._owned('remind me', self.sales1, '2024-02-02 12:00:00')
        Pool = self.env['crm.pool']
        self.assertEqual(Pool._cron_remind(now='2024-02-29 12:00:00'), 1)
        self.assertFalse(self.received(self.manager))
        self.assertEqual(Pool._cron_remind(now='2024-03-02 12:00:00'), 1)

    def test_reminder_summary_in_each_manager_language(self):
        self.remind_managers()
        chinese, english = self.received(self.manager), \
            self.received(self.manager_en)
        # one summary each, not one for both: each in its own language
        self.assertEqual(len(chinese), 1)
        self.assertEqual(len(english), 1)
        self.assertNotEqual(chinese, english)
        self.assertEqual(self.subject(REMINDER, self.pool, 'zh_CN'),
                         '公海 华东 一天内到期')
        self.assertIn('公海 华东 中有 1 个线索将在一天内退回公海，除非及时跟进：',
                      chinese.body)
        self.assertIn('<li>remind me（王芳）</li>', chinese.body)
        self.assertEqual(english.subject, 'Deadlines within a day in pool 华东')
        self.assertIn('1 lead of pool 华东 return to the pool within a day '
                      'unless followed up:', english.body)
        self.assertIn('<li>remind me (王芳)</li>', english.body)
        # notes to the managers, by email: nobody else is notified
        self.assertEqual(chinese.subtype_id, self.env.ref('mail.mt_note'))
        self.assertEqual(chinese.partner_ids, self.manager.partner_id)

    def test_manager_edit_is_the_next_summary(self):
        template = self.env.ref(REMINDER)
        # each manager edits the text in their own language, with their
        # own rights (employees may edit email templates)
        template.sudo(self.manager).with_context(lang='zh_CN').write({
            'body_html': '<p>请尽快跟进 ${ctx.get("pool_summary_count")} 条'
                         '（${object.name}）</p>'})
        template.sudo(self.manager_en).with_context(lang='en_US').write({
            'body_html': '<p>Hurry: ${ctx.get("pool_summary_count")} due '
                         'in ${object.name}</p>'})
        self.remind_managers()
        self.assertIn('请尽快跟进 1 条（华东）', self.received(self.manager).body)
        self.assertIn('Hurry: 1 due in 华东',
                      self.received(self.manager_en).body)

    def test_distribution_summary_in_each_salesperson_language(self):
        dpool = self.env['crm.pool'].create({
            'name': '华南', 'res_model': 'crm.lead', 'idle_days': 10,
            'distribution': 'round_robin',
            'member_ids': [(0, 0, {'user_id': self.sales1.id, 'sequence': 1}),
                           (0, 0, {'user_id': self.sales2.id, 'sequence': 2})],
        })
        leads = self.env['crm.lead']
        for index in range(3):
            leads |= self.env['crm.lead'].create({
                'name': 'dist %s' % index, 'pool_id': dpool.id,
                'user_id': False})
        self.assertEqual(self.env['crm.pool']._cron_distribute(now=NOW), 3)
        got1 = len(leads.filtered(lambda lead: lead.user_id == self.sales1))
        got2 = len(leads.filtered(lambda lead: lead.user_id == self.sales2))
        self.assertEqual((got1, got2), (2, 1))
        chinese = self.received(self.sales1, dpool)
        english = self.received(self.sales2, dpool)
        self.assertEqual(len(chinese), 1)
        self.assertEqual(len(english), 1)
        self.assertEqual(self.subject(DISTRIBUTION, dpool, 'zh_CN'),
                         '来自公海 华南 的新分配')
        self.assertIn('公海 华南 中有 2 个线索已分配给您。', chinese.body)
        self.assertEqual(english.subject, 'New from pool 华南')
        self.assertIn('1 lead of pool 华南 were assigned to you.', english.body)

    def test_revisit_email_in_the_customer_language(self):
        customers = self.env['res.partner']
        for name, lang in (('上海华信', 'zh_CN'), ('Acme Ltd', 'en_US')):
            customers |= self._owned(
                name, self.sales1, NOW, pool=self.partner_pool,
                model='res.partner', lang=lang,
                email='%s@example.com' % len(customers))
        self.sales1.write({'phone': '13812345678'})
        for customer, subject, text in (
                (customers[0], '上海华信，近来一切可好？',
                 '，或致电 13812345678 联系我'),
                (customers[1], 'Acme Ltd, how are things going?',
                 'or call me at 13812345678')):
            # what the salesperson's button opens: the composer with the
            # template, rendered in the customer's language; sent as is
            action = customer.sudo(self.sales1).action_pool_revisit_send()
            self.assertEqual(action['res_model'], 'mail.compose.message')
            Composer = self.env['mail.compose.message'].sudo(
                self.sales1).with_context(**action['context'])
            composer = Composer.create({})
            composer.onchange_template_id_wrapper()
            self.assertEqual(composer.subject, subject)
            self.assertIn(text, composer.body)
            self.assertIn('王芳', composer.body)
            composer.send_mail()
            sent = customer.message_ids[0]
            self.assertIn(text, sent.body)
            self.assertEqual(sent.author_id, self.sales1.partner_id)
            self.assertEqual(sent.partner_ids, customer)
