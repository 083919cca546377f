"""Lapsed customers (流失客户回访): one return visit activity per lapse,
none on a rerun, a new one after the next lapse; exactly N days."""
from odoo.tools.safe_eval import safe_eval

from .common import PoolPolicyCase

NOW = '2024-03-01 12:00:00'


class TestPoolLapse(PoolPolicyCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolLapse, cls).setUpClass()
        cls.revisitor = cls.sales2
        cls.partner_pool.write({'lapse_days': 60,
                                'revisit_user_id': cls.revisitor.id})
        cls.lapsed = cls._owned('老客户', cls.sales1, '2023-06-01 00:00:00',
                                pool=cls.partner_pool, model='res.partner')
        cls.recent = cls._owned('新客户', cls.sales1, '2023-06-01 00:00:00',
                                pool=cls.partner_pool, model='res.partner')
        cls.won = cls._owned('成交客户', cls.sales1, '2023-06-01 00:00:00',
                             pool=cls.partner_pool, model='res.partner')
        cr = cls.env.cr
        cr.execute("UPDATE res_partner SET create_date = '2023-01-01' "
                   "WHERE id IN %s", ((cls.lapsed.id, cls.recent.id,
                                       cls.won.id),))
        # last follow-up exactly 60 days before NOW: lapsed
        cr.execute("UPDATE res_partner SET pool_date_followup = "
                   "'2024-01-01 12:00:00' WHERE id = %s", (cls.lapsed.id,))
        # one second later: not yet
        cr.execute("UPDATE res_partner SET pool_date_followup = "
                   "'2024-01-01 12:00:01' WHERE id = %s", (cls.recent.id,))
        lead = cls.env['crm.lead'].create({
            'name': 'Deal', 'partner_id': cls.won.id, 'probability': 100})
        cr.execute("UPDATE crm_lead SET date_closed = '2024-02-01' "
                   "WHERE id = %s", (lead.id,))
        cls.env.cache.invalidate()

    def revisits(self, partner):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', '=', partner.id),
            ('activity_type_id', '=', self.env.ref(
                'crm_public_pool.mail_activity_type_pool_revisit').id)])

    def test_one_activity_per_lapse_none_on_rerun(self):
        self.assertEqual(self.env['crm.pool']._cron_lapse(now=NOW), 1)
        activity = self.revisits(self.lapsed)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.revisitor)
        self.assertEqual(activity.date_deadline, '2024-03-01')
        self.assertFalse(self.revisits(self.recent))
        self.assertFalse(self.revisits(self.won))
        self.assertTrue(self.lapsed.pool_lapsed)
        self.assertEqual(self.lapsed.pool_lapse_date, '2024-01-01 12:00:00')
        self.assertEqual(self.env['crm.pool']._cron_lapse(now=NOW), 0)
        self.assertEqual(len(self.revisits(self.lapsed)), 1)

    def test_contact_ends_lapse_next_lapse_gets_new_visit(self):
        self.env['crm.pool']._cron_lapse(now=NOW)
        self.env.cr.execute(
            "UPDATE res_partner SET pool_date_followup = '2024-02-15 "
            "00:00:00' WHERE id = %s", (self.lapsed.id,))
        self.env.cache.invalidate()
        self.env['crm.pool']._cron_lapse(now=NOW)
        self.assertFalse(self.lapsed.pool_lapsed)
        self.assertEqual(self.env['crm.pool']._cron_lapse(
            now='2024-04-15 00:00:00'), 3)
        self.assertEqual(len(self.revisits(self.lapsed)), 2)

    def test_lapsed_list_shows_days(self):
        self.env['crm.pool']._cron_lapse(now=NOW)
        action = self.env.ref('crm_public_pool.res_partner_lapsed_action')
        listed = self.env['res.partner'].sudo(self.sales1).search(
            safe_eval(action.domain))
        self.assertIn(self.lapsed, listed)
        self.assertNotIn(self.recent, listed)
        self.assertGreaterEqual(self.lapsed.pool_lapse_days, 60)

    def test_off_at_zero(self):
        self.partner_pool.lapse_days = 0
        self.assertEqual(self.env['crm.pool']._cron_lapse(now=NOW), 0)
