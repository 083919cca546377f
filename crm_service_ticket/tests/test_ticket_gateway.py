# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mail gateway and configuration edge cases: wildcard senders, automatic
replies, attachment caps, a working time without working hours, round robin."""
from odoo.exceptions import AccessError

from .common import TicketCase

MAIL = """From: {sender}
To: tk-helpdesk@example.com
Subject: {subject}
Message-ID: <{msgid}>
{headers}MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XXBOUNDARY"

--XXBOUNDARY
Content-Type: text/plain; charset="utf-8"

{body}
{files}--XXBOUNDARY--
"""

FILE = """--XXBOUNDARY
Content-Type: text/plain; name="{name}"
Content-Disposition: attachment; filename="{name}"

{content}
"""


class TestTicketGateway(TicketCase):

    def process(self, sender='Wang Fang <wang.fang@newcustomer.example>',
                subject='Screen is black', msgid='gw-1@newcustomer.example',
                headers=(), body='It does not boot.', files=(),
                now='2024-03-08 08:00:00', in_reply_to=None):
        headers = list(headers)
        if in_reply_to:
            headers += [('In-Reply-To', '<%s>' % in_reply_to)]
        raw = MAIL.format(
            sender=sender, subject=subject, msgid=msgid, body=body,
            headers=''.join('%s: %s\n' % h for h in headers),
            files=''.join(FILE.format(name=n, content=c) for n, c in files))
        return self.Ticket.browse(self.env['mail.thread'].with_context(
            ticket_now=now).message_process(None, raw))

    def acks(self, ticket):
        return self.env['mail.mail'].search([
            ('model', '=', ticket._name), ('res_id', '=', ticket.id)])

    def test_wildcard_sender_is_not_the_customer(self):
        for n, sender in enumerate(('%@acme.example', 'lile_@acme.example')):
            ticket = self.process(sender=sender, msgid='wild-%s@x' % n)
            self.assertNotEqual(ticket.partner_id, self.customer)
            self.assertNotEqual(ticket.commercial_partner_id,
                                self.customer_company)
            self.assertEqual(ticket.partner_id.email, sender)
            self.assertNotIn(self.customer, self.acks(ticket).mapped(
                'recipient_ids'))
            again = self.process(sender=sender, msgid='wild-%s-2@x' % n)
            self.assertEqual(again.partner_id, ticket.partner_id)

    def test_name_search_takes_wildcards_literally(self):
        ticket = self.make_ticket()
        self.assertIn((ticket.id, ticket.display_name),
                      self.Ticket.name_search(ticket.number[:4]))
        # 'TK%' is no prefix of 'TK2024...' when '%' is taken literally.
        self.assertFalse(self.Ticket.name_search(ticket.number[:2] + '%', args=[
            ('id', '=', ticket.id)]))

    def test_auto_reply_logged_not_acknowledged(self):
        ticket = self.process(headers=[('Auto-Submitted', 'auto-replied')])
        self.assertFalse(self.acks(ticket))
        note = ticket.message_ids.filtered(
            lambda m: 'automatic reply' in (m.body or ''))
        self.assertEqual(len(note), 1)
        normal = self.process(msgid='gw-2@newcustomer.example')
        self.assertEqual(len(self.acks(normal)), 1)

    def test_out_of_office_does_not_reopen_nor_follow_up(self):
        ticket = self.make_ticket()
        ticket.with_context(ticket_now='2024-03-08 09:00:00').write({
            'stage_id': self.stage_closed.id, 'resolution': 'Done'})
        parent = ticket.message_ids[:1].message_id
        for n, now in enumerate(('2024-03-09 09:00:00', '2024-06-01 09:00:00')):
            self.process(sender='Li Lei <lilei@acme.example>',
                         subject='Automatic reply', msgid='ooo-%s@acme' % n,
                         headers=[('X-Autoreply', 'yes')],
                         body='On leave %s' % n, now=now, in_reply_to=parent)
            self.assertEqual(ticket.closed_date, '2024-03-08 09:00:00')
            self.assertEqual(ticket.sla_state, 'done')
            self.assertEqual(ticket.reopen_count, 0)
            self.assertFalse(self.Ticket.search([('parent_id', '=', ticket.id)]))
            logged = ticket.message_ids.filtered(
                lambda m, n=n: 'On leave %s' % n in (m.body or ''))
            self.assertEqual(len(logged), 1)
            self.assertEqual(logged.subtype_id, self.env.ref('mail.mt_note'))

    def test_attachments_capped_in_number_and_total_size(self):
        Param = self.env['ir.config_parameter']
        Param.set_param('crm_service_ticket.max_attachment_count', '2')
        Param.set_param('crm_service_ticket.max_attachment_total', '100000')
        files = [('f%s.txt' % i, 'data %s' % i) for i in range(5)]
        ticket = self.process(files=files)
        names = self.env['ir.attachment'].search([
            ('res_model', '=', ticket._name), ('res_id', '=', ticket.id)],
            order='id').mapped('name')
        self.assertEqual(names, ['f0.txt', 'f1.txt'])
        note = ticket.message_ids.filtered(
            lambda m: 'attachments were not kept' in (m.body or ''))
        self.assertEqual(len(note), 1)
        self.assertIn('f4.txt', note.body)
        Param.set_param('crm_service_ticket.max_attachment_count', '0')
        Param.set_param('crm_service_ticket.max_attachment_total', '30')
        ticket = self.process(files=[('a.txt', 'x' * 20), ('b.txt', 'y' * 20)],
                              msgid='gw-3@newcustomer.example')
        self.assertEqual(self.env['ir.attachment'].search([
            ('res_model', '=', ticket._name),
            ('res_id', '=', ticket.id)]).mapped('name'), ['a.txt'])

    def test_working_time_without_hours_gives_no_deadline(self):
        empty = self.env['resource.calendar'].create({
            'name': 'Nobody works', 'attendance_ids': [(5, 0, 0)] + [
                (0, 0, {'name': 'Old', 'dayofweek': '0', 'hour_from': 9,
                        'hour_to': 17, 'date_from': '2020-01-01',
                        'date_to': '2020-12-31'})]})
        self.sla_team.calendar_id = empty
        ticket = self.make_ticket()
        self.assertEqual(ticket.sla_policy_id, self.sla_team)
        self.assertFalse(ticket.deadline_first_response)
        self.assertFalse(ticket.deadline_resolution)
        self.assertEqual(ticket.sla_state, 'ok')
        self.assertTrue(ticket.message_ids.filtered(
            lambda m: 'has no working hours' in (m.body or '')))
        ticket.message_post(body='On it', author_id=self.agent1.partner_id.id,
                            message_type='comment', subtype='mail.mt_comment')
        self.assertEqual(ticket.hours_to_first_response, 0)
        ticket.write({'stage_id': self.stage_closed.id, 'resolution': 'Ok'})
        self.assertTrue(ticket.closed_date)

    def test_working_hours_removed_after_the_deadlines_were_set(self):
        ticket = self.make_ticket()
        self.assertTrue(ticket.deadline_resolution)
        self.calendar.attendance_ids.unlink()
        ticket.message_post(body='On it', author_id=self.agent1.partner_id.id,
                            message_type='comment', subtype='mail.mt_comment')
        self.assertTrue(ticket.first_response_date)
        ticket.write({'priority': '2'})  # the SLA is applied again
        self.assertFalse(ticket.deadline_resolution)
        ticket.write({'stage_id': self.stage_waiting.id})
        ticket.write({'stage_id': self.stage_progress.id})
        ticket.write({'stage_id': self.stage_closed.id, 'resolution': 'Ok'})
        self.assertTrue(ticket.closed_date)

    def test_round_robin_pointer_on_team(self):
        self.team.assignment = 'round_robin'
        first = self.make_ticket()
        self.assertEqual(self.team.last_assignee_id, first.user_id)
        # A manual reassignment of the newest ticket does not move the turn.
        first.user_id = self.agent1
        self.assertEqual(self.make_ticket().user_id, self.agent2)
        self.assertEqual(self.team.last_assignee_id, self.agent2)

    def test_portal_user_rates_only_through_the_link(self):
        ticket = self.make_ticket(partner_id=self.customer.id)
        token = ticket.rating_get_access_token()
        rating = self.env['rating.rating'].search([('access_token', '=', token)])
        Rating = self.env['rating.rating'].sudo(self.portal_user)
        self.assertEqual(Rating.search([('id', '=', rating.id)]), rating)
        with self.assertRaises(AccessError):
            rating.sudo(self.portal_user).write({'rating': 10})
        with self.assertRaises(AccessError):
            Rating.create({'res_model_id': self.env['ir.model']._get(
                ticket._name).id, 'res_id': ticket.id, 'rating': 1})
        other = self.make_ticket(partner_id=self.stranger.id)
        other.rating_get_access_token()
        self.assertFalse(Rating.search([('res_id', '=', other.id)]))
        ticket.rating_apply(10, token=token, feedback='Great')
        self.assertEqual(rating.rating, 10)
