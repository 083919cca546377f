# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError

from .common import TicketCase


class TestTicketSecurity(TicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestTicketSecurity, cls).setUpClass()
        cls.mine = cls.make_ticket(name='mine', user_id=cls.agent1.id)
        cls.colleagues = cls.make_ticket(name='colleague', user_id=cls.agent2.id)
        cls.unassigned = cls.make_ticket(name='unassigned')
        cls.other_team_free = cls.make_ticket(name='other team',
                                              team_id=cls.other_team.id)
        cls.stranger_ticket = cls.make_ticket(name='stranger',
                                              partner_id=cls.stranger.id,
                                              user_id=cls.agent2.id)
        cls.colleague_ticket = cls.make_ticket(name='colleague of customer',
                                               partner_id=cls.colleague.id)
        cls.all = (cls.mine | cls.colleagues | cls.unassigned |
                   cls.other_team_free | cls.stranger_ticket |
                   cls.colleague_ticket)

    def visible(self, user):
        return self.Ticket.sudo(user).search([('id', 'in', self.all.ids)])

    def test_groups_are_chained(self):
        manager_group = self.env.ref('crm_service_ticket.group_ticket_manager')
        self.assertIn(self.env.ref('crm_service_ticket.group_ticket_leader'),
                      manager_group.implied_ids)
        self.assertTrue(self.manager.has_group('crm_service_ticket.group_ticket_agent'))

    def test_agent_sees_own_and_unassigned_of_his_team(self):
        self.assertEqual(self.visible(self.agent1),
                         self.mine | self.unassigned | self.colleague_ticket)
        with self.assertRaises(AccessError):
            self.colleagues.sudo(self.agent1).write({'name': 'stolen'})
        self.unassigned.sudo(self.agent1).action_assign_to_me()
        self.assertEqual(self.unassigned.user_id, self.agent1)

    def test_leader_sees_his_team(self):
        self.assertEqual(self.visible(self.leader),
                         self.all - self.other_team_free)

    def test_manager_sees_all(self):
        self.assertEqual(self.visible(self.manager), self.all)

    def test_portal_sees_own_company_only(self):
        visible = self.visible(self.portal_user)
        self.assertEqual(visible, self.all - self.stranger_ticket)
        with self.assertRaises(AccessError):
            self.stranger_ticket.sudo(self.portal_user).read(['name'])
        with self.assertRaises(AccessError):
            self.mine.sudo(self.portal_user).write({'name': 'changed'})

    def test_multi_company(self):
        company_b = self.env['res.company'].create({'name': 'Branch B'})
        ticket_b = self.make_ticket(name='in B', company_id=company_b.id)
        self.assertFalse(self.Ticket.sudo(self.manager).search(
            [('id', '=', ticket_b.id)]))
        self.manager.write({'company_ids': [(4, company_b.id)],
                            'company_id': company_b.id})
        self.assertEqual(self.Ticket.sudo(self.manager).search(
            [('id', '=', ticket_b.id)]), ticket_b)

    def test_non_agent_user_sees_no_ticket_fields(self):
        salesman = self.env['res.users'].with_context(
            no_reset_password=True).create({
                'name': 'Sales', 'login': 'tk_sales',
                'groups_id': [(6, 0, [
                    self.env.ref('sales_team.group_sale_salesman').id])]})
        partner = self.customer.sudo(salesman)
        self.assertEqual(partner.name, 'Li Lei')
        with self.assertRaises(AccessError):
            self.Ticket.sudo(salesman).search([])

    def test_leader_edits_only_his_teams(self):
        self.team.sudo(self.leader).write({'reopen_days': 3})
        self.assertEqual(self.team.reopen_days, 3)
        with self.assertRaises(AccessError):
            self.other_team.sudo(self.leader).write({'reopen_days': 3})
        with self.assertRaises(AccessError):
            self.team.sudo(self.agent1).write({'reopen_days': 1})
        self.other_team.sudo(self.manager).write({'reopen_days': 2})
        self.assertEqual(self.other_team.reopen_days, 2)
