"""Follow-up records (跟进记录): logging, the next contact, who sees them,
review (稽核) and the idle clock."""
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import PoolCase

OLD = '2024-01-01 00:00:00'


class FollowupCase(PoolCase):
    """PoolCase plus a sales team led by a leader, and a reviewer."""

    @classmethod
    def setUpClass(cls):
        super(FollowupCase, cls).setUpClass()
        Users = cls.env['res.users']
        cls.leader = Users.create({
            'name': 'Team Leader Zhao', 'login': 't_fu_leader',
            'email': 't_fu_leader@example.com', 'tz': 'UTC',
            'groups_id': [(6, 0, [cls.env.ref(
                'crm_public_pool.group_pool_user').id])]})
        cls.reviewer = Users.create({
            'name': 'Auditor Qian', 'login': 't_fu_reviewer',
            'email': 't_fu_reviewer@example.com', 'tz': 'UTC',
            'groups_id': [(6, 0, [cls.env.ref(
                'crm_public_pool.group_pool_reviewer').id])]})
        cls.team = cls.env['crm.team'].create({
            'name': 'East Sales', 'user_id': cls.leader.id})
        (cls.sales1 | cls.sales2).write({'sale_team_id': cls.team.id})
        cls.other_team = cls.env['crm.team'].create({
            'name': 'North Sales', 'user_id': cls.outsider.id})
        cls.sales3.write({'sale_team_id': cls.other_team.id})

    def setUp(self):
        super(FollowupCase, self).setUp()
        self.lead = self.leads[0]
        self.lead.sudo(self.sales1).action_pool_claim()
        self.env.cr.execute(
            'UPDATE crm_lead SET pool_date_followup = %s WHERE id = %s',
            (OLD, self.lead.id))
        self.lead.invalidate_cache()

    def log(self, user, record, content='Called the buyer', **kwargs):
        ids = record.sudo(user).action_pool_log_followup(
            kwargs.pop('method', 'call'), content, **kwargs)
        return self.env['crm.followup'].browse(ids)


class TestFollowupRecord(FollowupCase):

    def test_log_creates_record_activity_and_moves_clock(self):
        next_date = fields.Date.to_string(date.today() + timedelta(days=3))
        followup = self.log(self.sales1, self.lead, 'Sent the quote',
                            method='wechat', next_date=next_date,
                            summary='Ask about the quote')
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.user_id, self.sales1)
        self.assertEqual(followup.team_id, self.team)
        self.assertEqual(followup.pool_id, self.pool)
        self.assertEqual(followup.method, 'wechat')
        self.assertEqual(followup.review_state, 'todo')
        self.assertEqual(self.lead.followup_ids, followup)
        self.assertEqual(self.lead.followup_count, 1)
        self.assertEqual(self.lead.pool_date_followup, followup.date)
        activity = self.lead.activity_ids
        self.assertEqual(activity.date_deadline, next_date)
        self.assertEqual(activity.user_id, self.sales1)
        self.assertEqual(activity.summary, 'Ask about the quote')

    def test_next_date_today_is_accepted(self):
        today = fields.Date.context_today(self.lead.sudo(self.sales1))
        followup = self.log(self.sales1, self.lead, next_date=today)
        self.assertEqual(followup.next_date, today)

    def test_bad_input_writes_nothing(self):
        messages = len(self.lead.message_ids)
        self.assertUserError(
            UserError, "Please describe the follow-up.",
            self.log, self.sales1, self.lead, '  ')
        yesterday = fields.Date.to_string(
            fields.Date.from_string(fields.Date.context_today(
                self.lead.sudo(self.sales1))) - timedelta(days=1))
        self.assertUserError(
            UserError, "The next contact date %s is in the past." % yesterday,
            self.log, self.sales1, self.lead, next_date=yesterday)
        self.assertFalse(self.env['crm.followup'].search(
            [('lead_id', '=', self.lead.id)]))
        self.assertFalse(self.lead.activity_ids)
        self.assertEqual(len(self.lead.message_ids), messages)
        self.assertEqual(self.lead.pool_date_followup, OLD)

    def test_future_dated_followup_refused(self):
        with self.assertRaises(UserError):
            self.env['crm.followup'].sudo(self.sales1).create({
                'lead_id': self.lead.id, 'content': 'x',
                'date': '2999-01-01 00:00:00'})

    def test_followup_on_own_lead_outside_pools(self):
        lead = self.env['crm.lead'].create({
            'name': 'Walk-in customer', 'user_id': self.sales1.id})
        followup = self.log(self.sales1, lead, 'Visited the shop',
                            method='visit')
        self.assertEqual(followup.lead_id, lead)
        self.assertFalse(followup.pool_id)
        self.assertIn('Visited the shop', lead.message_ids[0].body)

    def test_followup_on_owned_customer(self):
        customer = self.env['res.partner'].create({
            'name': 'Shanghai Trading', 'customer': True,
            'user_id': self.sales1.id})
        followup = self.log(self.sales1, customer, 'Met the buyer',
                            method='meeting')
        self.assertEqual(followup.partner_id, customer)
        self.assertEqual(customer.sudo(self.sales1).followup_ids, followup)

    def test_other_owner_refused(self):
        self.leads[1].sudo(self.sales2).action_pool_claim()
        self.assertUserError(
            UserError, "Only the owner or a manager of pool Test East may log "
                       "a follow-up on lead #%s." % self.leads[1].id,
            self.log, self.sales1, self.leads[1])
        self.assertFalse(self.leads[1].followup_ids)

    def test_activity_done_is_a_followup(self):
        activity = self.env['mail.activity'].sudo(self.sales1).create({
            'res_model_id': self.env.ref('crm.model_crm_lead').id,
            'res_id': self.lead.id,
            'activity_type_id': self.env.ref(
                'mail.mail_activity_data_call').id,
            'user_id': self.sales1.id,
        })
        activity.action_feedback('Reached the boss')
        followup = self.lead.followup_ids
        self.assertEqual(followup.method, 'call')
        self.assertEqual(followup.content, 'Reached the boss')
        self.assertEqual(followup.user_id, self.sales1)
        self.assertGreater(self.lead.pool_date_followup, OLD)


class TestFollowupVisibility(FollowupCase):

    def setUp(self):
        super(TestFollowupVisibility, self).setUp()
        self.mine = self.log(self.sales1, self.lead)
        self.leads[1].sudo(self.sales3).action_pool_claim()
        self.theirs = self.log(self.sales3, self.leads[1])

    def visible(self, user):
        return self.env['crm.followup'].sudo(user).search(
            [('id', 'in', (self.mine | self.theirs).ids)])

    def test_salesperson_sees_own_only(self):
        self.assertEqual(self.visible(self.sales1), self.mine)
        self.assertEqual(self.visible(self.sales2), self.env['crm.followup'])
        with self.assertRaises(AccessError):
            self.mine.sudo(self.sales2).read(['content'])

    def test_team_leader_sees_team(self):
        self.assertEqual(self.visible(self.leader), self.mine)
        self.assertEqual(self.visible(self.outsider), self.theirs)

    def test_pool_manager_and_reviewer_see_all_of_theirs(self):
        self.assertEqual(self.visible(self.manager), self.mine | self.theirs)
        self.assertEqual(self.visible(self.reviewer), self.mine | self.theirs)

    def test_followups_are_not_edited(self):
        with self.assertRaises(AccessError):
            self.mine.sudo(self.sales1).write({'content': 'changed'})
        with self.assertRaises(AccessError):
            self.mine.sudo(self.manager).write({'review_state': 'ok'})

    def test_salesperson_cannot_review(self):
        with self.assertRaises(AccessError):
            self.mine.sudo(self.sales1).action_review_ok()
        with self.assertRaises(AccessError):
            self.env['crm.followup'].sudo(self.sales1).create({
                'lead_id': self.lead.id, 'content': 'self-approved',
                'review_state': 'ok'})
        with self.assertRaises(AccessError):
            self.env['crm.followup'].sudo(self.sales1).create({
                'lead_id': self.lead.id, 'content': 'x',
                'reviewer_id': self.sales1.id})
        self.assertEqual(self.mine.review_state, 'todo')

    def test_nobody_reviews_their_own(self):
        self.manager.write({'groups_id': [(4, self.env.ref(
            'crm_public_pool.group_pool_reviewer').id)]})
        own = self.log(self.manager, self.leads[2])
        self.assertUserError(UserError,
                             "You may not review your own follow-ups.",
                             own.sudo(self.manager).action_review_ok)
        self.assertEqual(own.review_state, 'todo')


class TestFollowupReview(FollowupCase):

    def test_flag_rolls_back_idle_clock_and_tells_owner(self):
        first = self.log(self.sales1, self.lead, 'Real call')
        self.env.cr.execute(
            "UPDATE crm_followup SET date = '2024-02-01 09:00:00' "
            "WHERE id = %s", (first.id,))
        self.env.cr.execute(
            "UPDATE crm_lead SET pool_date_followup = '2024-02-01 09:00:00', "
            "pool_date_claimed = '2024-01-15 00:00:00' WHERE id = %s",
            (self.lead.id,))
        self.env.cache.invalidate()
        fake = self.log(self.sales1, self.lead, 'Copied text')
        self.assertGreater(self.lead.pool_date_followup,
                           '2024-02-01 09:00:00')
        wizard = self.env['crm.followup.review.wizard'].sudo(
            self.reviewer).with_context(active_ids=fake.ids).create(
            {'review_note': 'Same text as last week'})
        wizard.action_confirm()
        self.assertEqual(fake.review_state, 'flagged')
        self.assertEqual(fake.reviewer_id, self.reviewer)
        self.assertEqual(self.lead.pool_date_followup, '2024-02-01 09:00:00')
        # idle 10 days after the last real follow-up (no-deal: 2024-02-14)
        self.assertEqual(self.lead.pool_deadline, '2024-02-11 09:00:00')
        told = fake.message_ids.filtered(
            lambda m: self.sales1.partner_id in m.partner_ids)
        self.assertEqual(len(told), 1)
        self.assertEqual(told.author_id, self.reviewer.partner_id)
        self.assertIn('Same text as last week', told.body)
        # a second review back to "to review" counts it again
        fake.sudo(self.reviewer).action_review_reset()
        self.assertEqual(self.lead.pool_date_followup, fake.date)

    def test_flag_needs_a_reason(self):
        fake = self.log(self.sales1, self.lead)
        self.assertUserError(UserError,
                             "Please say why the follow-up is flagged.",
                             fake.sudo(self.reviewer).action_review_flag, ' ')
        self.assertEqual(fake.review_state, 'todo')

    def test_manager_marks_ok(self):
        followup = self.log(self.sales1, self.lead)
        followup.sudo(self.manager).action_review_ok()
        self.assertEqual(followup.review_state, 'ok')
        self.assertEqual(followup.reviewer_id, self.manager)

    def test_review_queue_lists_unreviewed(self):
        done = self.log(self.sales1, self.lead, 'one')
        todo = self.log(self.sales1, self.lead, 'two')
        done.sudo(self.reviewer).action_review_ok()
        queue = self.env['crm.followup'].sudo(self.reviewer).search(
            [('review_state', '=', 'todo'), ('lead_id', '=', self.lead.id)])
        self.assertEqual(queue, todo)
