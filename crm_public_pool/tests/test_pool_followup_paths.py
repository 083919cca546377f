"""Follow-ups (跟进记录) on Odoo's standard paths.

A follow-up quotes what the customer said, often with a phone number, and
counts towards its author's workload target. Whatever generic feature a
salesperson or a portal customer reaches over RPC (grouping, export, copy,
chatter, followers, attachments, unlink), they read only the follow-ups the
record rules give them and cannot change or fake one."""
import base64

from odoo.exceptions import AccessError, UserError, ValidationError

from .test_pool_followup_record import FollowupCase

REFUSED = (AccessError, UserError, ValidationError)
SECRET = 'Buyer asked to call 13812345678 after lunch'


class TestFollowupStandardPaths(FollowupCase):
    """Each refused call runs in a savepoint: over RPC a refusal rolls back
    whatever the call wrote before it was refused."""

    def setUp(self):
        super(TestFollowupStandardPaths, self).setUp()
        self.mine = self.log(self.sales1, self.lead, SECRET)
        self.portal = self.env['res.users'].create({
            'name': 'Customer Portal', 'login': 't_fu_portal',
            'email': 't_fu_portal@example.com',
            'partner_id': self.env['res.partner'].create({
                'name': 'Customer Portal',
                'email': 't_fu_portal@example.com'}).id,
            'groups_id': [(6, 0, [self.env.ref('base.group_portal').id])]})

    def count(self):
        return self.env['crm.followup'].search_count([])

    def test_others_group_export_and_name_search_find_nothing(self):
        other = self.env['crm.followup'].sudo(self.sales3)
        groups = other.read_group([], ['user_id'], ['user_id'])
        self.assertNotIn(self.sales1.id, [g['user_id'][0] for g in groups
                                          if g['user_id']])
        self.assertEqual(other.name_search('13812345678'), [])
        self.assertEqual(other.search([('content', 'ilike', '138')]),
                         other.browse())
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.mine.sudo(self.sales3).export_data(['content'])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.mine.sudo(self.sales3).name_get()

    def test_copy_and_unlink_fake_or_lose_nothing(self):
        before = self.count()
        for user in (self.sales1, self.sales3):
            with self.assertRaises(REFUSED), self.env.cr.savepoint():
                self.mine.sudo(user).copy({'user_id': self.sales3.id})
            with self.assertRaises(REFUSED), self.env.cr.savepoint():
                self.mine.sudo(user).unlink()
        # the author's own copy is a new follow-up of theirs, checked like
        # any other (a review still sees it): never one in someone's name
        self.assertEqual(self.count(), before)
        self.assertEqual(self.mine.content, SECRET)

    def test_chatter_followers_and_attachments_of_others(self):
        other = self.mine.sudo(self.sales3)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            other.message_post(body='planted note', message_type='comment',
                               subtype='mail.mt_comment')
        # following it (to be told of its review) is refused quietly, as
        # Odoo refuses it, and adding someone else is refused outright
        self.assertFalse(other.message_subscribe(
            partner_ids=self.sales3.partner_id.ids))
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            other.message_subscribe(partner_ids=self.sales2.partner_id.ids)
        self.assertNotIn(self.sales2.partner_id,
                         self.mine.message_partner_ids)
        self.assertNotIn(self.sales3.partner_id,
                         self.mine.message_partner_ids)
        messages = self.env['mail.message'].sudo(self.sales3).search(
            [('model', '=', 'crm.followup'), ('res_id', '=', self.mine.id)])
        self.assertFalse(messages)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env['ir.attachment'].sudo(self.sales3).create({
                'name': 'x.txt', 'res_model': 'crm.followup',
                'res_id': self.mine.id,
                'datas': base64.b64encode(b'planted')})
        attachment = self.env['ir.attachment'].create({
            'name': 'call.txt', 'res_model': 'crm.followup',
            'res_id': self.mine.id, 'datas': base64.b64encode(SECRET.encode())})
        found = self.env['ir.attachment'].sudo(self.sales3).search(
            [('res_model', '=', 'crm.followup')])
        self.assertNotIn(attachment, found)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            attachment.sudo(self.sales3).read(['datas'])

    def test_portal_customer_reaches_no_followup(self):
        portal = self.env['crm.followup'].sudo(self.portal)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            portal.search([])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.mine.sudo(self.portal).read(['content'])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            portal.create({'lead_id': self.lead.id, 'content': 'fake'})
        messages = self.env['mail.message'].sudo(self.portal).search(
            [('model', '=', 'crm.followup')])
        self.assertFalse(messages)
