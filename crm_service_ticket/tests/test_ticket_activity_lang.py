"""Activities planned for somebody (SLA warning and breach, return visit,
negative rating, a customer's birthday) read in that person's language,
whoever or whatever planned them."""
from .common import TicketCase


class TestTicketActivityLanguage(TicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestTicketActivityLanguage, cls).setUpClass()
        cls.load_zh_cn()
        # the crons run in English, the leader and one agent read Chinese
        cls.env = cls.env(context=dict(cls.env.context, lang='en_US'))
        cls.Ticket = cls.Ticket.with_env(cls.env)
        (cls.leader | cls.agent1).write({'lang': 'zh_CN'})
        cls.agent2.lang = 'en_US'

    def zh(self, source):
        text = self.env['ir.translation']._get_source(
            None, ('code',), 'zh_CN', source)
        self.assertNotEqual(text, source, 'no zh_CN for %r' % source)
        return text

    def activities(self, record, xmlid):
        return self.env['mail.activity'].search([
            ('res_model', '=', record._name), ('res_id', '=', record.id),
            ('activity_type_id', '=', self.env.ref(xmlid).id)])

    def test_sla_activities_in_the_assignees_language(self):
        chinese = self.make_ticket(user_id=self.agent1.id, priority='1')
        english = self.make_ticket(user_id=self.agent2.id, priority='1')
        # Monday 10:15 Beijing: both warned
        self.Ticket._cron_escalate(now='2024-03-11 02:15:00')
        warn = 'crm_service_ticket.mail_activity_type_sla_warning'
        self.assertEqual(self.activities(chinese, warn).summary,
                         self.zh("SLA at risk: answer soon"))
        self.assertEqual(self.activities(english, warn).summary,
                         "SLA at risk: answer soon")
        # 11:30: breached, escalated to the (Chinese) leader of the team
        self.Ticket._cron_escalate(now='2024-03-11 03:30:00')
        breach = 'crm_service_ticket.mail_activity_type_sla_breach'
        self.assertEqual(self.activities(english, breach).user_id,
                         self.leader)
        self.assertEqual(self.activities(english, breach).summary,
                         self.zh("SLA breached: escalated to you"))

    def test_return_visit_and_bad_rating_in_the_planned_persons_language(self):
        ticket = self.make_ticket(user_id=self.agent1.id)
        # an English-speaking manager closes the Chinese agent's ticket
        ticket.sudo(self.manager).with_context(lang='en_US').write({
            'stage_id': self.stage_closed.id, 'resolution': 'Done'})
        visit = self.activities(
            ticket, 'crm_service_ticket.mail_activity_type_return_visit')
        self.assertEqual(visit.summary, self.zh("Return visit: %s")
                         % ticket.display_name)
        ticket.rating_apply(1, token=ticket.rating_get_access_token(),
                            feedback='Nobody called me back')
        alert = self.activities(
            ticket, 'crm_service_ticket.mail_activity_type_bad_rating')
        self.assertEqual(alert.summary, self.zh("Negative rating on %s")
                         % ticket.display_name)

    def test_birthday_in_the_salespersons_language(self):
        self.customer.write({'birthday': '1990-03-14',
                             'user_id': self.agent1.id})
        other = self.env['res.partner'].create({
            'name': 'Birthday twin', 'birthday': '1985-03-14',
            'user_id': self.agent2.id})
        self.env['res.partner']._cron_birthday_reminder(today='2024-03-11')
        birthday = 'crm_service_ticket.mail_activity_type_birthday'
        source = "Birthday on %s: send your wishes"
        self.assertEqual(self.activities(self.customer, birthday).summary,
                         self.zh(source) % '2024-03-14')
        self.assertEqual(self.activities(other, birthday).summary,
                         source % '2024-03-14')
