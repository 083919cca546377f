"""Incoming RFC 822 mail to a team alias, acknowledgement caught by a local
SMTP server (stdlib ``smtpd``), against a live Odoo server."""
import asyncore
import email
import smtpd
import threading
import time

import pytest

from suite_harness import free_port, unique


class CatchingServer(smtpd.SMTPServer):

    def __init__(self, port):
        smtpd.SMTPServer.__init__(self, ('127.0.0.1', port), None,
                                  decode_data=False)
        self.messages = []

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        self.messages.append((mailfrom, rcpttos, email.message_from_bytes(data)))


@pytest.fixture
def smtp_catcher():
    port = free_port()
    server = CatchingServer(port)
    thread = threading.Thread(target=asyncore.loop,
                              kwargs={'timeout': 0.2, 'use_poll': True},
                              daemon=True)
    thread.start()
    server.port = port
    yield server
    server.close()
    thread.join(5)


@pytest.fixture
def catching_mail_server(admin, smtp_catcher):
    """An outgoing mail server record (highest priority) to the catcher."""
    server_id = admin.call('ir.mail_server', 'create', {
        'name': unique('catcher'), 'smtp_host': '127.0.0.1',
        'smtp_port': smtp_catcher.port, 'sequence': 0})
    yield server_id
    admin.call('ir.mail_server', 'unlink', [server_id])


def test_mail_to_alias_acknowledged_over_smtp(admin, smtp_catcher,
                                              catching_mail_server):
    root = admin
    alias = unique('care')
    team = admin.call('crm.service.team', 'create',
                      {'name': unique('Care'), 'alias_name': alias})
    sender = '%s@customer.example' % unique('zhang')
    raw = ("From: Zhang San <%s>\r\nTo: %s@example.com\r\n"
           "Subject: Router keeps rebooting\r\nMessage-ID: <%s@customer.example>\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nSince yesterday.\r\n"
           % (sender, alias, unique('m')))
    ticket_id = root.call('mail.thread', 'message_process', False, raw)
    ticket = root.call('crm.service.ticket', 'read', [ticket_id],
                       ['number', 'team_id', 'partner_id', 'channel'])[0]
    assert ticket['team_id'][0] == team
    assert ticket['channel'] == 'email'
    partner = root.call('res.partner', 'read', [ticket['partner_id'][0]],
                        ['email', 'name'])[0]
    assert (partner['email'], partner['name']) == (sender, 'Zhang San')

    root.call('mail.mail', 'process_email_queue')
    deadline = time.time() + 30
    mine = []
    while time.time() < deadline and not mine:
        mine = [m for m in smtp_catcher.messages if sender in m[1]]
        time.sleep(0.2)
    assert len(mine) == 1, "acknowledgement not delivered to the SMTP server"
    _mailfrom, rcpttos, message = mine[0]
    assert ticket['number'] in message['Subject']
    body = message.get_payload(decode=True) if not message.is_multipart() else \
        b''.join(p.get_payload(decode=True) or b'' for p in message.walk())
    assert ticket['number'].encode() in body
    assert rcpttos == [sender]
