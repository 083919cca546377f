"""Activities the suite plans for somebody (a reminder before reclaim, a
return visit, a stage playbook step) are written in that person's language,
not in the language of the scheduler or of whoever moved the lead."""
from .common import PoolPolicyCase

NOW = '2024-03-01 12:00:00'


class TestPoolActivityLanguage(PoolPolicyCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolActivityLanguage, cls).setUpClass()
        cls.load_zh_cn()
        # the scheduled jobs run as a user working in English
        cls.env = cls.env(context=dict(cls.env.context, lang='en_US'))
        cls.sales1.lang = 'zh_CN'
        cls.sales2.lang = 'en_US'

    def activities(self, record):
        return self.env['mail.activity'].search([
            ('res_model', '=', record._name), ('res_id', '=', record.id)])

    def zh(self, source):
        return self.env['ir.translation']._get_source(
            None, ('code',), 'zh_CN', source)

    def test_reminder_in_the_owners_language(self):
        # deadline 2024-03-03 12:00 (claimed 30 days before), reminded 3
        # days before it
        chinese = self._owned('提醒我', self.sales1, '2024-02-02 12:00:00')
        english = self._owned('remind me', self.sales2, '2024-02-02 12:00:00')
        self.assertEqual(
            self.env['crm.pool']._cron_remind(now='2024-02-29 12:00:00'), 2)
        source = "Follow up before %s or it returns to the pool"
        self.assertNotEqual(self.zh(source), source)
        # 2024-03-03 12:00 UTC in each owner's time zone
        chinese_deadline = self.activities(chinese).summary
        self.assertTrue(chinese_deadline.startswith(
            self.zh(source).split('%s')[0]), chinese_deadline)
        self.assertTrue(self.activities(english).summary.startswith(
            'Follow up before 2024-03-0'))

    def test_return_visit_in_the_visitors_language(self):
        pool = self.partner_pool
        pool.write({'lapse_days': 60, 'revisit_user_id': self.sales1.id})
        customer = self._owned('老客户', self.sales1, '2023-06-01 00:00:00',
                               pool=pool, model='res.partner')
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = '2023-01-01', "
            "pool_date_followup = '2023-12-01' WHERE id = %s",
            (customer.id,))
        self.env.cache.invalidate()
        self.assertEqual(self.env['crm.pool']._cron_lapse(now=NOW), 1)
        source = "Return visit: no deal or follow-up for a long time"
        self.assertNotEqual(self.zh(source), source)
        self.assertEqual(self.activities(customer).summary, self.zh(source))
        # the other way round: an English visitor, the cron in Chinese
        pool.revisit_user_id = self.sales2
        other = self._owned('另一个客户', self.sales1, '2023-06-01 00:00:00',
                            pool=pool, model='res.partner')
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = '2023-01-01', "
            "pool_date_followup = '2023-12-01' WHERE id = %s", (other.id,))
        self.env.cache.invalidate()
        self.assertEqual(self.env['crm.pool'].with_context(
            lang='zh_CN')._cron_lapse(now=NOW), 1)
        self.assertEqual(self.activities(other).summary, source)

    def test_playbook_step_in_the_salespersons_language(self):
        Stage = self.env['crm.stage'].sudo(self.env.ref('base.user_root'))
        stage = Stage.create({
            'name': 'PB Lang', 'sequence': 904,
            'playbook_ids': [(0, 0, {
                'activity_type_id': self.env.ref(
                    'mail.mail_activity_data_call').id,
                'summary': 'Call the buyer', 'note': 'Ask for the budget',
                'days': 1})]})
        stage.playbook_ids.with_context(lang='zh_CN').write(
            {'summary': '给采购打电话', 'note': '问预算'})
        lead = self.env['crm.lead'].create({
            'name': 'Playbook language', 'type': 'opportunity',
            'user_id': self.sales2.id})
        # somebody working in Chinese moves the English salesperson's lead
        lead.with_context(lang='zh_CN').write({'stage_id': stage.id})
        activity = self.activities(lead)
        self.assertEqual(activity.summary, 'Call the buyer')
        self.assertIn('Ask for the budget', activity.note)
        # and the other way round
        lead2 = self.env['crm.lead'].create({
            'name': 'Playbook language 2', 'type': 'opportunity',
            'user_id': self.sales1.id})
        lead2.write({'stage_id': stage.id})
        activity = self.activities(lead2)
        self.assertEqual(activity.summary, '给采购打电话')
        self.assertIn('问预算', activity.note)
