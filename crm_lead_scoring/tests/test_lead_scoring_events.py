# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields

from ..models import mail_summary
from .common import NOW, ScoringCase

RAW_EMAIL = """Return-Path: <{email}>
From: Customer <{email}>
To: sales@example.com
Subject: {subject}
Message-ID: <{msgid}@example.com>
Date: Tue, 29 Jan 2030 10:00:00 +0000
Content-Type: text/plain; charset="utf-8"

We are interested in your offer.
"""


class TestLeadScoringEvents(ScoringCase):
    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(TestLeadScoringEvents, cls).setUpClass()
        cls.rule_reply = cls.rule('Replies', 30.0, kind='engagement',
                                  event_type_id=cls.type_email.id,
                                  half_life_days=30.0)
        cls.rule_activity = cls.rule('Activities', 25.0, kind='engagement',
                                     event_type_id=cls.type_activity.id,
                                     half_life_days=60.0)
        cls.rule_back = cls.rule('Back', -10.0, kind='engagement',
                                 event_type_id=cls.type_stage_back.id,
                                 half_life_days=0.0, max_points=15.0)
        cls.rule_fit = cls.rule('Good fit', 40.0,
                                domain="[('partner_name', '=', 'Hot Corp')]")
        cls.customer = cls.env['res.partner'].create({
            'name': 'Customer Zhang', 'email': 'zhang@customer.test'})
        cls.stage_1 = cls.env['crm.stage'].create({'name': 'Score S1', 'sequence': 901})
        cls.stage_2 = cls.env['crm.stage'].create({'name': 'Score S2', 'sequence': 902})
        cls.team = cls.env['crm.team'].create({'name': 'Score Team',
                                               'user_id': cls.manager.id})
        cls.lead = cls.Lead.create({
            'name': 'Event lead', 'type': 'opportunity', 'user_id': cls.salesman.id,
            'partner_id': cls.customer.id, 'email_from': 'zhang@customer.test',
            'stage_id': cls.stage_2.id, 'team_id': cls.team.id,
        })

    def events_of(self, lead, event_type):
        return self.Event.search([('lead_id', '=', lead.id),
                                  ('event_type_id', '=', event_type.id)])

    def test_customer_email_records_an_event(self):
        self.lead.message_post(body='Hello', message_type='email',
                               author_id=self.customer.id, subject='Re: offer')
        events = self.events_of(self.lead, self.type_email)
        self.assertEqual(len(events), 1)
        self.assertEqual(events.source, 'email')
        self.assertEqual(events.points, 30.0)
        self.assertEqual(self.lead.score_engagement, 30.0)
        # an internal user's email or a note is not customer engagement
        self.lead.sudo(self.salesman).message_post(
            body='Our answer', message_type='email',
            author_id=self.salesman.partner_id.id)
        self.lead.sudo(self.salesman).message_post(body='A note',
                                                   message_type='comment')
        self.assertEqual(len(self.events_of(self.lead, self.type_email)), 1)

    def test_incoming_email_through_the_mail_gateway(self):
        lead_id = self.env['mail.thread'].message_process(
            'crm.lead', RAW_EMAIL.format(email='li@prospect.test',
                                         subject='Quote please', msgid='score-1'))
        lead = self.Lead.browse(lead_id)
        self.assertEqual(len(self.events_of(lead, self.type_email)), 1)
        self.assertEqual(lead.score, 30.0)
        self.env['mail.thread'].message_process(
            'crm.lead', RAW_EMAIL.format(
                email='li@prospect.test', subject='Re: Quote please',
                msgid='score-2').replace(
                    'Content-Type', 'In-Reply-To: <score-1@example.com>\n'
                                    'Content-Type'))
        self.assertEqual(len(self.events_of(lead, self.type_email)), 2)

    def test_activity_done_records_an_event(self):
        activity = self.env['mail.activity'].create({
            'res_model_id': self.env['ir.model']._get('crm.lead').id,
            'res_id': self.lead.id, 'user_id': self.salesman.id,
            'activity_type_id': self.env.ref('mail.mail_activity_data_call').id,
            'summary': 'Call the customer',
        })
        activity.sudo(self.salesman).action_feedback('Talked about prices')
        events = self.events_of(self.lead, self.type_activity)
        self.assertEqual(len(events), 1)
        self.assertEqual(events.source, 'activity')
        self.assertEqual(self.lead.score_engagement, 25.0)

    def test_stage_moved_back_records_a_negative_event(self):
        lead = self.lead.sudo(self.salesman)
        lead.write({'stage_id': self.stage_1.id})
        events = self.events_of(self.lead, self.type_stage_back)
        self.assertEqual(len(events), 1)
        self.assertEqual(events.note, 'Score S1')
        self.assertEqual(self.lead.score, -10.0)
        lead.write({'stage_id': self.stage_2.id})  # forward: no event
        self.assertEqual(len(self.events_of(self.lead, self.type_stage_back)), 1)
        lead.write({'stage_id': self.stage_1.id})
        lead.write({'stage_id': self.stage_2.id})
        lead.write({'stage_id': self.stage_1.id})
        self.assertEqual(self.lead.score, -15.0)  # capped

    def test_ledger_is_append_only(self):
        event = self.Event.create({'lead_id': self.lead.id,
                                   'event_type_id': self.type_email.id})
        with self.assertRaises(Exception) as err:
            event.write({'date': fields.Datetime.to_string(NOW)})
        self.assertEqual(err.exception.name,
                         'Score events are a ledger: record a new event instead of '
                         'changing one.')
        self.assertEqual(self.lead.score, 30.0)
        event.unlink()
        self.assertEqual(self.lead.score, 0.0)

    def test_grade_a_schedules_one_activity_per_entry(self):
        lead = self.lead
        domain = [('res_model', '=', 'crm.lead'), ('res_id', '=', lead.id),
                  ('summary', 'like', 'Hot lead')]
        Activity = self.env['mail.activity']
        lead.sudo(self.salesman).write({'partner_name': 'Hot Corp'})
        self.assertEqual(lead.score, 40.0)
        self.assertEqual(Activity.search_count(domain), 0)
        self.Event.create({'lead_id': lead.id, 'event_type_id': self.type_email.id,
                           'date': fields.Datetime.to_string(NOW)})
        lead._score_recompute(now=NOW)
        self.assertEqual(lead.grade, 'B')
        self.Event.with_context(crm_score_no_recompute=True).create({
            'lead_id': lead.id, 'event_type_id': self.type_email.id,
            'date': fields.Datetime.to_string(NOW)})
        lead._score_recompute(now=NOW)
        self.assertEqual(lead.score, 100.0)
        self.assertEqual(lead.grade, 'A')
        self.assertEqual(lead.score_hot_date, fields.Datetime.to_string(NOW))
        activity = Activity.search(domain)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.summary, 'Hot lead: grade A (score 100.0)')
        # recomputing while still A does not schedule again
        lead._score_recompute(now=NOW)
        lead.sudo(self.salesman).write({'partner_name': 'Hot Corp'})
        self.assertEqual(Activity.search_count(domain), 1)
        # leaving A and entering again is a new entry
        lead.sudo(self.salesman).write({'partner_name': 'Cold Corp'})
        self.assertEqual(lead.grade, 'B')
        self.assertFalse(lead.score_hot_date)
        lead.sudo(self.salesman).write({'partner_name': 'Hot Corp'})
        self.assertEqual(lead.grade, 'A')
        self.assertEqual(Activity.search_count(domain), 2)

    def test_unowned_grade_a_lead_notifies_the_team_leader(self):
        lead = self.Lead.create({'name': 'Unowned hot lead', 'user_id': False,
                                 'team_id': self.team.id})
        for _i in range(2):
            self.Event.create({'lead_id': lead.id,
                               'event_type_id': self.type_email.id,
                               'date': fields.Datetime.to_string(NOW)})
        lead.write({'partner_name': 'Hot Corp'})
        self.assertEqual(lead.grade, 'A')
        notes = lead.message_ids.filtered(
            lambda msg: self.manager.partner_id in msg.partner_ids)
        self.assertEqual(len(notes), 1)
        self.assertIn('This unassigned lead entered grade A', notes.body)
        lead.write({'partner_name': 'Hot Corp'})
        lead._score_recompute()
        self.assertEqual(len(lead.message_ids.filtered(
            lambda msg: self.manager.partner_id in msg.partner_ids)), 1)

    def load_zh_cn(self):
        # Odoo's runner (odoo-bin --test-enable) installs no language but
        # en_US; the terms of a language activated after the addon was
        # installed are not loaded either.
        self.env['res.lang'].load_lang('zh_CN')
        self.env['ir.module.module'].search([
            ('name', '=', 'crm_lead_scoring')])._update_translations(
            filter_lang='zh_CN')

    def test_unowned_grade_a_note_in_the_leader_language(self):
        """The note is the editable template, in the leader's language."""
        self.load_zh_cn()
        self.manager.write({'lang': 'zh_CN'})
        lead = self.Lead.create({'name': 'Unowned hot lead', 'user_id': False,
                                 'team_id': self.team.id,
                                 'partner_name': 'Hot Corp'})
        for _i in range(2):
            self.Event.with_context(crm_score_no_recompute=True).create({
                'lead_id': lead.id, 'event_type_id': self.type_email.id,
                'date': fields.Datetime.to_string(NOW)})
        lead._score_recompute(now=NOW)
        notes = lead.message_ids.filtered(
            lambda msg: self.manager.partner_id in msg.partner_ids)
        self.assertEqual(len(notes), 1)
        # (the template's subject: Odoo 11's own zh_CN translation of its
        # notification email template breaks its subject expression, so a
        # message notified to a Chinese user loses its subject)
        self.assertEqual(mail_summary.render(
            self.env.ref('crm_lead_scoring.mail_template_lead_hot'), lead,
            'zh_CN')[0], '待分配的热门线索：Unowned hot lead')
        self.assertIn('此未分配的线索已成为 A 级（得分 100.0）：请将其分配给销售员。',
                      notes.body)

    def test_grade_a_activity_in_the_owner_language(self):
        self.load_zh_cn()
        self.salesman.write({'lang': 'zh_CN'})
        lead = self.Lead.create({'name': 'Chinese owner lead',
                                 'user_id': self.salesman.id})
        for _i in range(2):
            self.Event.with_context(crm_score_no_recompute=True).create({
                'lead_id': lead.id, 'event_type_id': self.type_email.id,
                'date': fields.Datetime.to_string(NOW)})
        lead.write({'partner_name': 'Hot Corp'})
        lead._score_recompute(now=NOW)
        activity = self.env['mail.activity'].search([
            ('res_model', '=', 'crm.lead'), ('res_id', '=', lead.id)])
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, '热门线索：A 级（得分 100.0）')
