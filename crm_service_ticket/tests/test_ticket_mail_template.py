# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The tickets' emails are editable mail templates in the recipient's
language: the SLA breach summary to the team leader (one per team and
escalation run, as before), a manager's edit is what the next summary says;
the acknowledgement and the birthday care (生日关怀) email reach the customer
in the customer's language."""
from ..models import mail_summary
from .common import TicketCase

BREACH = 'crm_service_ticket.mail_template_ticket_sla_breach'
BIRTHDAY = 'crm_service_ticket.mail_template_partner_birthday'
# Monday 2024-03-11 11:30 Beijing: the first response deadline (4 working
# hours from Friday 16:00) is past.
BREACHED = '2024-03-11 03:30:00'


class TestTicketMailTemplate(TicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestTicketMailTemplate, cls).setUpClass()
        cls.load_zh_cn()
        # the customer's salesperson (the birthday activity is theirs)
        cls.salesman = cls.env['res.users'].with_context(
            no_reset_password=True).create({
                'name': 'Wang Fang', 'login': 'tk_salesman',
                'email': 'tk_salesman@example.com',
                'groups_id': [(6, 0, [cls.env.ref(
                    'sales_team.group_sale_salesman').id])]})
        cls.tickets = cls.make_ticket(user_id=cls.agent1.id) \
            | cls.make_ticket(name='Screen is black', user_id=cls.agent2.id)

    def summaries(self):
        return self.team.message_ids.filtered(
            lambda m: self.leader.partner_id in m.partner_ids)

    def test_breach_summary_in_the_leader_language(self):
        for lang, subject, intro in (
                ('en_US', 'SLA breached in team Helpdesk',
                 'SLA breached, priority raised on these tickets of team '
                 'Helpdesk:'),
                ('zh_CN', '团队 Helpdesk 的工单已超出 SLA',
                 '团队 Helpdesk 的以下工单已超出 SLA，优先级已提高：')):
            self.leader.write({'lang': lang})
            self.tickets.write({'sla_escalated': False})
            before = self.summaries()
            for _i in range(2):
                self.Ticket._cron_escalate(now=BREACHED)
            # one summary for both tickets of the team, once
            message = self.summaries() - before
            self.assertEqual(len(message), 1)
            # (the template's subject: Odoo 11's own zh_CN translation of its
            # notification email template breaks its subject expression, so
            # a message notified to a Chinese user loses its subject)
            self.assertEqual(mail_summary.render(
                self.env.ref(BREACH), self.team, lang)[0], subject)
            self.assertIn(intro, message.body)
            for ticket in self.tickets:
                self.assertIn('<strong>%s</strong> %s' % (
                    ticket.number, ticket.name), message.body)
            self.assertEqual(message.subtype_id, self.env.ref('mail.mt_comment'))

    def test_manager_edit_is_the_next_summary(self):
        self.leader.write({'lang': 'zh_CN'})
        self.env.ref(BREACH).sudo(self.manager).with_context(
            lang='zh_CN').write({
                'body_html': '<p>请立即处理 ${len(ctx.get("ticket_summary_rows"))}'
                             ' 张超时工单</p>'})
        self.Ticket._cron_escalate(now=BREACHED)
        self.assertIn('请立即处理 2 张超时工单', self.summaries().body)

    def test_acknowledgement_in_the_customer_language(self):
        ticket = self.tickets[0]
        template = self.env.ref(
            'crm_service_ticket.mail_template_ticket_acknowledgement')
        for lang, text in (('en_US', 'We have received your request'),
                           ('zh_CN', '我们已收到您的请求')):
            self.customer.write({'lang': lang})
            mail = template.generate_email(ticket.id)
            self.assertEqual(mail['subject'], '[%s] %s' % (
                ticket.number, ticket.name))
            self.assertIn(text, mail['body_html'])
            self.assertIn(ticket.number, mail['body_html'])

    def test_birthday_care_in_the_customer_language(self):
        company = self.env.ref('base.main_company')
        for lang, subject, text in (
                ('zh_CN', 'Li Lei，生日快乐！',
                 '%s 全体同仁祝您生日快乐' % company.name),
                ('en_US', 'Happy birthday, Li Lei!',
                 'Everyone at %s wishes you a very happy birthday'
                 % company.name)):
            self.customer.write({'lang': lang, 'birthday': '1990-03-14',
                                 'user_id': self.salesman.id})
            # what the button next to the birthday opens: the composer with
            # the template, rendered in the customer's language; sent as is
            action = self.customer.sudo(
                self.salesman).action_send_birthday_care()
            composer = self.env['mail.compose.message'].sudo(
                self.salesman).with_context(**action['context']).create({})
            composer.onchange_template_id_wrapper()
            self.assertEqual(composer.subject, subject)
            self.assertIn(text, composer.body)
            self.assertIn('Wang Fang', composer.body)
            composer.send_mail()
            sent = self.customer.message_ids[0]
            self.assertIn(text, sent.body)
            self.assertEqual(sent.partner_ids, self.customer)
            self.assertEqual(sent.author_id, self.salesman.partner_id)
