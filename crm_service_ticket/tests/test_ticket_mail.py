# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from .common import TicketCase

NEW_MAIL = """Return-Path: <{sender}>
From: {from_header}
To: {to}
Subject: {subject}
Date: Fri, 08 Mar 2024 16:00:00 +0800
Message-ID: <{msgid}>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

{body}
"""

REPLY_MAIL = """From: Li Lei <lilei@acme.example>
To: tk-helpdesk@example.com
Subject: Re: {subject}
Message-ID: <{msgid}>
In-Reply-To: <{parent}>
References: <{parent}>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

{body}
"""

BIG_MAIL = """From: Li Lei <lilei@acme.example>
To: tk-helpdesk@example.com
Subject: Logs attached
Message-ID: <big-1@acme.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XXBOUNDARY"

--XXBOUNDARY
Content-Type: text/plain; charset="utf-8"

See the logs.
--XXBOUNDARY
Content-Type: application/octet-stream; name="huge.log"
Content-Disposition: attachment; filename="huge.log"
Content-Transfer-Encoding: base64

{huge}
--XXBOUNDARY
Content-Type: text/plain; name="small.txt"
Content-Disposition: attachment; filename="small.txt"

tiny
--XXBOUNDARY--
"""


class TestTicketMail(TicketCase):

    def process(self, raw, now='2024-03-08 08:00:00'):
        return self.env['mail.thread'].with_context(
            ticket_now=now).message_process(None, raw)

    def new_mail(self, sender='wang.fang@newcustomer.example',
                 from_header='Wang Fang <wang.fang@newcustomer.example>',
                 to='tk-helpdesk@example.com', subject='Screen is black',
                 msgid='new-1@newcustomer.example', body='It does not boot.'):
        return NEW_MAIL.format(sender=sender, from_header=from_header, to=to,
                               subject=subject, msgid=msgid, body=body)

    def test_new_mail_creates_ticket_partner_and_ack(self):
        ticket_id = self.process(self.new_mail())
        ticket = self.Ticket.browse(ticket_id)
        self.assertEqual(ticket.name, 'Screen is black')
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.channel, 'email')
        self.assertIn('It does not boot.', ticket.description)
        self.assertEqual(ticket.partner_id.email, 'wang.fang@newcustomer.example')
        self.assertEqual(ticket.partner_id.name, 'Wang Fang')
        self.assertIn(ticket.partner_id, ticket.message_partner_ids)
        ack = self.env['mail.mail'].search([
            ('model', '=', 'crm.service.ticket'), ('res_id', '=', ticket.id)])
        self.assertEqual(len(ack), 1)
        self.assertIn(ticket.number, ack.subject)
        self.assertIn(ticket.number, ack.body_html)
        # Expected answer: Monday 11:00 Beijing time (in the customer's
        # language: the database may only have Chinese active).
        self.assertRegex(ack.body_html, r'11(:|时)00')
        self.assertIn('(Asia/Shanghai)', ack.body_html)
        self.assertIn(ticket.partner_id, ack.recipient_ids)
        # A known sender is reused, not duplicated.
        again = self.Ticket.browse(self.process(self.new_mail(
            msgid='new-2@newcustomer.example', subject='Still black')))
        self.assertEqual(again.partner_id, ticket.partner_id)

    def test_reply_threads_on_ticket(self):
        ticket = self.Ticket.browse(self.process(self.new_mail(
            sender='lilei@acme.example', from_header='Li Lei <lilei@acme.example>',
            msgid='thread-1@acme.example')))
        self.assertEqual(ticket.partner_id, self.customer)
        count = self.Ticket.search_count([])
        self.process(REPLY_MAIL.format(subject='Screen is black',
                                       msgid='thread-2@acme.example',
                                       parent='thread-1@acme.example',
                                       body='Also the fan is loud.'))
        self.assertEqual(self.Ticket.search_count([]), count)
        self.assertTrue(ticket.message_ids.filtered(
            lambda m: 'the fan is loud' in (m.body or '')))

    def test_reply_to_solved_ticket_reopens_within_delay(self):
        ticket = self.Ticket.browse(self.process(self.new_mail(
            sender='lilei@acme.example', from_header='Li Lei <lilei@acme.example>',
            msgid='reopen-1@acme.example')))
        ticket.with_context(ticket_now='2024-03-11 02:00:00').write(
            {'stage_id': self.stage_solved.id, 'resolution': 'Cable replaced'})
        self.assertTrue(ticket.closed_date)
        self.process(REPLY_MAIL.format(
            subject='Screen is black', msgid='reopen-2@acme.example',
            parent='reopen-1@acme.example', body='Broken again'),
            now='2024-03-14 02:00:00')
        self.assertFalse(ticket.closed_date)
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.reopen_count, 1)

    def test_late_reply_opens_linked_ticket(self):
        ticket = self.Ticket.browse(self.process(self.new_mail(
            sender='lilei@acme.example', from_header='Li Lei <lilei@acme.example>',
            msgid='late-1@acme.example')))
        ticket.with_context(ticket_now='2024-03-11 02:00:00').write(
            {'stage_id': self.stage_closed.id, 'resolution': 'Cable replaced'})
        self.process(REPLY_MAIL.format(
            subject='Screen is black', msgid='late-2@acme.example',
            parent='late-1@acme.example', body='Broken again a month later'),
            now='2024-04-11 02:00:00')
        self.assertEqual(ticket.stage_id, self.stage_closed)
        self.assertEqual(ticket.reopen_count, 0)
        self.assertEqual(len(ticket.child_ids), 1)
        follow = ticket.child_ids
        self.assertEqual(follow.partner_id, self.customer)
        self.assertEqual(follow.team_id, self.team)
        self.assertFalse(follow.closed_date)
        self.assertIn('a month later', follow.description)

    def test_mail_without_sender(self):
        raw = """To: tk-helpdesk@example.com
Subject: Anonymous
Message-ID: <nosender-1@example.com>
Content-Type: text/plain

Who am I?
"""
        ticket = self.Ticket.browse(self.process(raw))
        self.assertEqual(ticket.name, 'Anonymous')
        self.assertFalse(ticket.partner_id)
        self.assertTrue(ticket.message_ids.filtered(
            lambda m: 'had no sender address' in (m.body or '')))
        self.assertFalse(self.env['mail.mail'].search([
            ('model', '=', 'crm.service.ticket'), ('res_id', '=', ticket.id)]))

    def test_unknown_alias_is_refused_clearly(self):
        count = self.Ticket.search_count([])
        with self.assertRaisesRegex(ValueError, 'No possible route found'):
            self.process(self.new_mail(to='nobody-here@example.com',
                                       msgid='unknown-1@example.com'))
        self.assertEqual(self.Ticket.search_count([]), count)

    def test_huge_attachment_dropped_with_note(self):
        self.env['ir.config_parameter'].set_param(
            'crm_service_ticket.max_attachment_size', '1000')
        huge = base64.encodebytes(b'x' * 5000).decode()
        ticket = self.Ticket.browse(self.process(BIG_MAIL.format(huge=huge)))
        names = self.env['ir.attachment'].search([
            ('res_model', '=', 'crm.service.ticket'),
            ('res_id', '=', ticket.id)]).mapped('name')
        self.assertEqual(names, ['small.txt'])
        note = ticket.message_ids.filtered(
            lambda m: 'huge.log was not kept' in (m.body or ''))
        self.assertEqual(len(note), 1)
        self.assertIn('5000 bytes', note.body)
