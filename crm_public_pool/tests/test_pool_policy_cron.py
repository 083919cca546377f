"""Reclaim, freeze expiry and reminder crons, with fixed dates."""
from ..policy import reclaim as reclaim_policy
from .common import NOW, PoolPolicyCase


class TestPoolPolicyReclaim(PoolPolicyCase):

    @classmethod
    def setUpClass(cls):
        super(TestPoolPolicyReclaim, cls).setUpClass()
        # idle: exactly 30 days after the claim is due, one second less not
        cls.idle_due = cls._owned('idle due', cls.sales1, '2024-01-31 12:00:00')
        cls.idle_not = cls._owned('idle not', cls.sales1,
                                  '2024-01-31 12:00:01')
        # a later follow-up moves the idle clock
        cls.followed = cls._owned('followed', cls.sales1,
                                  '2024-01-01 00:00:00',
                                  followup='2024-02-15 00:00:00')
        # no-deal: 90 days after the claim whatever the follow-ups
        cls.nodeal = cls._owned('nodeal', cls.sales2, '2023-12-02 12:00:00',
                                followup='2024-02-28 00:00:00')
        cls.won = cls._owned('won', cls.sales2, '2023-06-01 00:00:00',
                             probability=100)
        cls.frozen = cls._owned('frozen', cls.sales2, '2023-06-01 00:00:00')
        cls.frozen.write({'pool_state': 'frozen',
                          'pool_freeze_until': '2024-06-01 00:00:00'})
        cls.customer = cls._owned('客户甲', cls.sales1, '2024-02-01 00:00:00',
                                  pool=cls.partner_pool, model='res.partner')

    def test_deadline_stored_matches_policy(self):
        self.assertEqual(self.idle_due.pool_deadline, NOW)
        self.assertEqual(self.nodeal.pool_deadline, NOW)
        self.assertFalse(self.won.pool_deadline)
        self.assertFalse(self.frozen.pool_deadline)

    def test_reclaim_run(self):
        count = self.env['crm.pool']._cron_reclaim(now=NOW, batch_size=2)
        self.assertEqual(count, 3)
        for lead in (self.idle_due, self.nodeal):
            self.assertFalse(lead.user_id)
            self.assertEqual(lead.pool_state, 'pool')
            self.assertEqual(lead.pool_id, self.recycle)
            self.assertFalse(lead.pool_date_claimed)
            self.assertFalse(lead.pool_deadline)
            self.assertEqual(len(self._logs(lead)), 1)
        for lead in (self.idle_not, self.followed, self.won, self.frozen):
            self.assertTrue(lead.user_id, lead.name)
            self.assertFalse(self._logs(lead))
        log = self._logs(self.idle_due)
        self.assertEqual(log.from_user_id, self.sales1)
        self.assertEqual(log.pool_id, self.pool)
        self.assertEqual(
            log.reason_id,
            self.env.ref('crm_public_pool.crm_pool_release_reason_idle'))
        self.assertEqual(log.reason,
                         self.tr('No real follow-up for %s days') % 30)
        nodeal_log = self._logs(self.nodeal)
        self.assertEqual(nodeal_log.from_user_id, self.sales2)
        self.assertEqual(
            nodeal_log.reason,
            self.tr('Not won within %s days of the claim') % 90)
        # the customer pool recycles into itself
        self.assertFalse(self.customer.user_id)
        self.assertEqual(self.customer.pool_id, self.partner_pool)
        self.assertEqual(len(self._logs(self.customer)), 1)
        # idempotent: a second run finds nothing
        self.assertEqual(
            self.env['crm.pool']._cron_reclaim(now=NOW, batch_size=2), 0)
        self.assertEqual(len(self._logs(self.idle_due)), 1)

    def _use_lang(self, code):
        lang = self.env['res.lang'].with_context(active_test=False).search(
            [('code', '=', code)])
        if not lang.active:
            self.env['res.lang'].load_lang(code)
            lang.write({'active': True})
            self.env['ir.module.module'].search([
                ('name', '=', 'crm_public_pool')])._update_translations(
                filter_lang=code)

    def _summaries(self, user):
        return self.env['mail.message'].search([
            ('model', '=', 'crm.pool'),
            ('partner_ids', 'in', user.partner_id.id)])

    def test_one_summary_per_owner(self):
        self._use_lang('en_US')
        self.sales1.write({'notification_type': 'email', 'lang': 'en_US'})
        self.sales2.write({'notification_type': 'inbox', 'lang': 'en_US'})
        self.env['crm.pool']._cron_reclaim(now=NOW)
        messages = self._summaries(self.sales1)
        # sales1 lost one lead and one customer: one message for both
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages.subject, 'Records returned to the pool')
        lines = messages.body.split('<li>')[1:]
        self.assertEqual(len(lines), 2)
        self.assertIn('1 lead returned to pool 华东: idle due', lines[0])
        self.assertIn('1 customer returned to pool 华东客户: 客户甲', lines[1])
        # on the pool most of the records returned to, by email to the owner
        self.assertEqual(messages.model, 'crm.pool')
        self.assertEqual(messages.subtype_id, self.env.ref('mail.mt_note'))
        mail = self.env['mail.mail'].search(
            [('mail_message_id', '=', messages.id)])
        self.assertEqual(mail.recipient_ids, self.sales1.partner_id)
        self.assertEqual(mail.state, 'outgoing')
        self.assertIn('idle due', mail.body_html)
        messages2 = self._summaries(self.sales2)
        self.assertEqual(len(messages2), 1)
        self.assertIn('nodeal', messages2.body)
        # an inbox user: unread in their inbox, no email
        self.assertEqual(messages2.needaction_partner_ids,
                         self.sales2.partner_id)
        self.assertFalse(self.env['mail.mail'].search(
            [('mail_message_id', '=', messages2.id)]))
        self.assertIn(messages2, self.env['mail.message'].sudo(
            self.sales2).search([('needaction', '=', True)]))
        # a second run has nothing new to tell
        self.env['crm.pool']._cron_reclaim(now=NOW)
        self.assertEqual(len(self._summaries(self.sales1)), 1)

    def test_summary_in_the_owners_language(self):
        self._use_lang('en_US')
        self._use_lang('zh_CN')
        self.sales1.lang = 'zh_CN'
        self.sales2.lang = 'en_US'
        self.env['crm.pool']._cron_reclaim(now=NOW)
        message = self._summaries(self.sales1)
        self.assertEqual(message.subject, '退回公海的记录')
        self.assertIn('1 个线索已退回公海 华东：idle due', message.body)
        self.assertNotIn('returned to pool', message.body)
        # the other owner keeps English
        self.assertIn('returned to pool', self._summaries(self.sales2).body)

    def test_summary_of_a_killed_run_comes_with_the_next(self):
        # a run that stopped after its batches, before its summaries
        Pool = self.env['crm.pool']
        Pool._pool_post_reclaim_summaries()  # the mark is set
        target = Pool._pool_target('crm.lead')
        rows = reclaim_policy.reclaim_batch(
            self.env.cr, target, NOW, 1, reasons=Pool._pool_reclaim_reasons())
        self.assertEqual(len(rows), 2)
        self.assertFalse(self._summaries(self.sales1))
        # the next run reclaims the customer and tells both owners of all
        self.assertEqual(Pool._cron_reclaim(now=NOW), 1)
        self.assertIn('idle due', self._summaries(self.sales1).body)
        self.assertIn('客户甲', self._summaries(self.sales1).body)
        self.assertIn('nodeal', self._summaries(self.sales2).body)

    def test_template_is_editable(self):
        template = self.env.ref(
            'crm_public_pool.mail_template_pool_reclaim_summary')
        self._use_lang('en_US')
        self.sales1.lang = 'en_US'
        template.subject = 'Back to the pool'
        self.env['crm.pool']._cron_reclaim(now=NOW)
        self.assertEqual(self._summaries(self.sales1).subject,
                         'Back to the pool')


class TestPoolPolicyFreezeAndRemind(PoolPolicyCase):

    def test_freeze_expiry_restarts_clocks(self):
        lead = self._owned('frozen lead', self.sales1, '2023-01-01 00:00:00')
        lead.write({'pool_state': 'frozen',
                    'pool_freeze_until': '2024-03-01 11:59:59',
                    'pool_freeze_reason': '出差'})
        later = self._owned('still frozen', self.sales1, '2023-01-01 00:00:00')
        later.write({'pool_state': 'frozen',
                     'pool_freeze_until': '2024-03-01 12:00:01'})
        self.assertEqual(
            self.env['crm.pool']._cron_freeze_expiry(now=NOW), 1)
        self.assertEqual(lead.pool_state, 'owned')
        self.assertEqual(lead.user_id, self.sales1)
        self.assertFalse(lead.pool_freeze_until)
        self.assertFalse(lead.pool_freeze_reason)
        self.assertEqual(lead.pool_date_claimed, NOW)
        self.assertEqual(lead.pool_date_followup, NOW)
        # same deadline as the ORM computes: min(now + 30, now + 90)
        self.assertEqual(lead.pool_deadline, '2024-03-31 12:00:00')
        lead.invalidate_cache()
        lead._compute_pool_deadline()
        self.assertEqual(lead.pool_deadline, '2024-03-31 12:00:00')
        self.assertEqual(len(self._logs(lead, 'unfreeze')), 1)
        self.assertEqual(later.pool_state, 'frozen')
        # the unfrozen record is not reclaimed by a run at the same moment
        self.assertEqual(self.env['crm.pool']._cron_reclaim(now=NOW), 0)

    def test_lapsed_freeze_request_is_withdrawn(self):
        lead = self._owned('asked too late', self.sales1, '2024-02-20 00:00:00')
        lead.write({'pool_freeze_pending': True,
                    'pool_freeze_until': '2024-03-01 11:00:00',
                    'pool_freeze_reason': '出差'})
        waiting = self._owned('still waiting', self.sales1,
                              '2024-02-20 00:00:00')
        waiting.write({'pool_freeze_pending': True,
                       'pool_freeze_until': '2024-03-05 00:00:00'})
        deadline = lead.pool_deadline
        self.assertEqual(
            self.env['crm.pool']._cron_freeze_expiry(now=NOW), 0)
        lead.invalidate_cache()
        self.assertFalse(lead.pool_freeze_pending)
        self.assertFalse(lead.pool_freeze_until)
        self.assertFalse(lead.pool_freeze_reason)
        # still owned, clocks untouched
        self.assertEqual(lead.pool_state, 'owned')
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(lead.pool_deadline, deadline)
        log = self._logs(lead, 'freeze_lapsed')
        self.assertEqual(len(log), 1)
        self.assertEqual(log.from_user_id, self.sales1)
        self.assertTrue(waiting.pool_freeze_pending)
        # once only
        self.env['crm.pool']._cron_freeze_expiry(now=NOW)
        self.assertEqual(len(self._logs(lead, 'freeze_lapsed')), 1)

    def test_reminders_once_per_deadline(self):
        # deadline 2024-03-03 12:00 (claimed 30 days before)
        lead = self._owned('remind me', self.sales1, '2024-02-02 12:00:00')
        far = self._owned('far away', self.sales1, '2024-02-20 12:00:00')
        Pool = self.env['crm.pool']
        Activity = self.env['mail.activity']
        domain = [('res_model', '=', 'crm.lead'), ('res_id', '=', lead.id)]
        # 3 days + 1 s before: nothing yet
        self.assertEqual(Pool._cron_remind(now='2024-02-29 11:59:59'), 0)
        self.assertFalse(Activity.search(domain))
        # exactly 3 days before: the owner gets one activity
        self.assertEqual(Pool._cron_remind(now='2024-02-29 12:00:00'), 1)
        activity = Activity.search(domain)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.sales1)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref('crm_public_pool.mail_activity_type_pool_deadline'))
        self.assertEqual(lead.pool_remind_level, 1)
        self.assertFalse(Activity.search([('res_model', '=', 'crm.lead'),
                                          ('res_id', '=', far.id)]))
        # again the same day: nothing new
        self.assertEqual(Pool._cron_remind(now='2024-03-01 00:00:00'), 0)
        # one day before: the managers are told, the owner keeps one activity
        self.assertEqual(Pool._cron_remind(now='2024-03-02 12:00:00'), 1)
        self.assertEqual(len(Activity.search(domain)), 1)
        self.assertEqual(lead.pool_remind_level, 2)
        message = self.env['mail.message'].search([
            ('model', '=', 'crm.pool'), ('res_id', '=', self.pool.id),
            ('partner_ids', 'in', self.manager.partner_id.id)])
        self.assertEqual(len(message), 1)
        self.assertIn('remind me', message.body)
        self.assertEqual(Pool._cron_remind(now='2024-03-02 18:00:00'), 0)
        # a follow-up gives a new deadline: reminders start over
        lead.write({'pool_date_followup': '2024-03-02 18:00:00'})
        self.assertEqual(lead.pool_deadline, '2024-04-01 18:00:00')
        # ('far away' is past its deadline by then: the reclaim's business)
        self.assertEqual(Pool._cron_remind(now='2024-03-29 19:00:00'), 1)
        self.assertEqual(len(Activity.search(domain)), 2)
        self.assertEqual(lead.pool_remind_level, 1)

    def test_no_reminders_for_lost_leads(self):
        """Reclaim leaves lost (archived) leads alone: nobody is reminded
        of a reclaim that never happens."""
        active = self._owned('still open', self.sales1, '2024-02-02 12:00:00')
        lost = self._owned('lost one', self.sales1, '2024-02-02 12:00:00')
        lost.write({'active': False})
        Pool = self.env['crm.pool']
        self.assertEqual(Pool._cron_remind(now='2024-03-02 12:00:00'), 1)
        self.assertEqual(active.pool_remind_level, 2)
        self.assertFalse(lost.pool_remind_level)
        self.assertFalse(self.env['mail.activity'].search([
            ('res_model', '=', 'crm.lead'), ('res_id', '=', lost.id)]))
        self.assertEqual(Pool._cron_reclaim(now='2024-03-05 12:00:00'), 1)
        self.assertEqual(lost.user_id, self.sales1)

    def test_no_reminders_when_off(self):
        self.pool.remind_days = 0
        self._owned('silent', self.sales1, '2024-02-02 12:00:00')
        self.assertEqual(
            self.env['crm.pool']._cron_remind(now='2024-03-03 00:00:00'), 0)


class TestDeadlineParity(PoolPolicyCase):
    """The deadline computed by the ORM (policy.deadline.compute_deadline)
    and by the set-based SQL (policy.deadline.deadline_sql) agree on the
    same rows."""

    def test_python_and_sql_deadlines_agree(self):
        Pool = self.env['crm.pool']
        pools = self.pool | Pool.create({
            'name': 'idle only', 'res_model': 'crm.lead', 'idle_days': 7,
            'member_ids': [(0, 0, {'user_id': self.sales1.id})]}) | \
            Pool.create({'name': 'no-deal only', 'res_model': 'crm.lead',
                         'nodeal_days': 5,
                         'member_ids': [(0, 0, {'user_id': self.sales1.id})]}) \
            | Pool.create({'name': 'no policy', 'res_model': 'crm.lead',
                           'member_ids': [(0, 0,
                                           {'user_id': self.sales1.id})]})
        leads = self.env['crm.lead']
        for pool in pools:
            for index, (claimed, followup) in enumerate((
                    ('2024-01-10 08:00:00', False),
                    ('2024-01-10 08:00:00', '2024-02-20 17:30:00'),
                    ('2024-01-10 08:00:00', '2024-01-05 09:00:00'),
                    ('2024-03-01 00:00:00', '2024-03-01 00:00:00'))):
                leads |= self._owned('parity %s %s' % (pool.name, index),
                                     self.sales1, claimed, followup,
                                     pool=pool)
            leads |= self.env['crm.lead'].create({
                'name': 'parity unowned', 'pool_id': pool.id,
                'user_id': False})
            won = self._owned('parity won', self.sales1,
                              '2024-01-10 08:00:00', pool=pool)
            won.write({'probability': 100})
            leads |= won
        self.assertTrue(any(leads.mapped('pool_deadline')))
        by_orm = {lead.id: lead.pool_deadline for lead in leads}
        self.env.cr.execute(
            'UPDATE crm_lead SET pool_deadline = %s WHERE id IN %s',
            ('2000-01-01 00:00:00', tuple(leads.ids)))
        self.env['crm.lead']._pool_recompute_deadlines(pools.ids)
        leads.invalidate_cache(['pool_deadline'])
        self.assertEqual({lead.id: lead.pool_deadline for lead in leads},
                         by_orm)
