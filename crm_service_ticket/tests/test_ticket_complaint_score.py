# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import TicketCase


class TestTicketComplaintScore(TicketCase):
    """With the lead scoring addon installed too, a complaint ticket on a
    lead records one 'complaint' event and lowers the lead's score."""

    @classmethod
    def setUpClass(cls):
        super(TestTicketComplaintScore, cls).setUpClass()
        Rule = cls.env['crm.lead.score.rule']
        Rule.search([]).write({'active': False})
        cls.complaint_type = cls.env['crm.lead.score.event.type'].search(
            [('code', '=', 'complaint')])
        Rule.create({'name': 'Complained', 'kind': 'engagement',
                     'event_type_id': cls.complaint_type.id, 'points': -20.0})
        Rule.create({'name': 'Complaining Corp fit', 'points': 50.0,
                     'domain': "[('partner_name', '=', 'Complaining Corp')]"})
        cls.lead = cls.env['crm.lead'].create({
            'name': 'Big order', 'partner_name': 'Complaining Corp',
            'type': 'opportunity'})

    def complaint_events(self):
        return self.env['crm.lead.score.event'].search([
            ('lead_id', '=', self.lead.id),
            ('event_type_id', '=', self.complaint_type.id)])

    def test_complaint_ticket_lowers_the_score_once(self):
        self.assertEqual(self.lead.score, 50.0)
        ticket = self.make_ticket(kind='complaint', lead_id=self.lead.id)
        ticket = ticket.sudo(self.agent1)
        self.assertEqual(self.lead.score, 30.0)
        event = self.complaint_events()
        self.assertEqual(len(event), 1)
        self.assertEqual(event.source, 'ticket')
        self.assertEqual(event.note, ticket.number)
        line = self.lead.score_line_ids.filtered(
            lambda l: l.event_type_id == self.complaint_type)
        self.assertEqual(line.points, -20.0)
        # working on the ticket records nothing more
        ticket.write({'priority': '2', 'kind': 'complaint',
                      'resolution': 'Replaced the printer'})
        ticket.action_solve()
        self.assertEqual(len(self.complaint_events()), 1)
        self.assertEqual(self.lead.score, 30.0)

    def test_ticket_becoming_a_complaint_or_getting_its_lead(self):
        question = self.make_ticket(kind='question', lead_id=self.lead.id)
        self.assertFalse(self.complaint_events())
        question.sudo(self.agent1).write({'kind': 'complaint'})
        self.assertEqual(len(self.complaint_events()), 1)
        unlinked = self.make_ticket(kind='complaint')
        self.assertEqual(len(self.complaint_events()), 1)
        unlinked.sudo(self.agent1).write({'lead_id': self.lead.id})
        self.assertEqual(len(self.complaint_events()), 2)
        self.assertEqual(self.lead.score, 10.0)
