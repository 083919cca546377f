# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError

from .common import ScoringCase


class TestLeadScoringManual(ScoringCase):
    """Behaviour recorded by hand (button "Record Behaviour" on the lead)."""

    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(TestLeadScoringManual, cls).setUpClass()
        cls.type_visit_manual = cls.env.ref(
            'crm_lead_scoring.event_type_customer_visit')
        cls.type_objection = cls.env.ref(
            'crm_lead_scoring.event_type_price_objection')
        cls.rule_visit = cls.rule('Visited us', 20.0, kind='engagement',
                                  event_type_id=cls.type_visit_manual.id)
        cls.rule_objection = cls.rule('Objected', -5.0, kind='engagement',
                                      event_type_id=cls.type_objection.id)
        cls.rule_reply = cls.rule('Replies', 30.0, kind='engagement',
                                  event_type_id=cls.type_email.id)
        cls.rule_fit = cls.rule('Has phone', 15.0,
                                domain="[('phone', '!=', False)]")
        cls.own = cls.Lead.create({'name': 'Manual own lead', 'phone': '1',
                                   'user_id': cls.salesman.id})
        cls.foreign = cls.Lead.create({'name': 'Manual foreign lead',
                                       'user_id': cls.other_salesman.id})

    def record(self, user, lead, event_type, reason='Seen at the fair'):
        wizard = self.env['crm.lead.score.event.manual'].sudo(user).create({
            'lead_id': lead.id, 'event_type_id': event_type.id,
            'reason': reason})
        return wizard.action_record()

    def test_owner_records_a_visit_and_the_score_updates_at_once(self):
        self.assertEqual(self.own.score, 15.0)
        self.record(self.salesman, self.own, self.type_visit_manual,
                    reason='Came to our Shanghai office with their CTO')
        lead = self.own.sudo(self.salesman)
        self.assertEqual(lead.score, 35.0)
        self.assertEqual(lead.score_engagement, 20.0)
        line = lead.score_line_ids.filtered(
            lambda l: l.rule_id == self.rule_visit)
        self.assertEqual(line.points, 20.0)
        self.assertEqual(line.event_count, 1)
        self.assertLinesSum(lead)
        event = lead.score_event_ids
        self.assertEqual(event.event_type_id, self.type_visit_manual)
        self.assertEqual(event.source, 'manual')
        self.assertEqual(event.note, 'Came to our Shanghai office with their CTO')
        # a price objection lowers it, with its own breakdown line
        self.record(self.salesman, self.own, self.type_objection)
        self.assertEqual(lead.score, 30.0)
        self.assertEqual(
            lead.score_line_ids.filtered(
                lambda l: l.rule_id == self.rule_objection).points, -5.0)
        self.assertLinesSum(lead)

    def test_salesperson_cannot_record_on_another_salespersons_lead(self):
        with self.assertRaisesRegex(UserError, 'leads you own') as caught:
            self.record(self.salesman, self.foreign, self.type_visit_manual)
        # the refusal names neither the lead nor its owner
        self.assertNotIn('Manual foreign lead', str(caught.exception))
        self.assertNotIn('Score Other Salesman', str(caught.exception))
        self.assertFalse(self.foreign.score_event_ids)
        self.assertEqual(self.foreign.score, 0.0)

    def test_non_manual_type_and_empty_reason_are_refused(self):
        with self.assertRaisesRegex(UserError, 'marked as recorded'):
            self.record(self.salesman, self.own, self.type_email)
        with self.assertRaisesRegex(UserError, 'reason'):
            self.record(self.salesman, self.own, self.type_visit_manual,
                        reason='   ')
        self.assertFalse(self.own.score_event_ids)
        self.assertEqual(self.own.score, 15.0)
        # nor may a salesperson write the ledger directly
        with self.assertRaises(AccessError):
            self.Event.sudo(self.salesman).create({
                'lead_id': self.own.id,
                'event_type_id': self.type_visit_manual.id})

    def test_manager_records_on_any_lead(self):
        self.record(self.manager, self.foreign, self.type_visit_manual)
        self.assertEqual(self.foreign.score, 20.0)
        self.assertEqual(self.foreign.score_event_ids.source, 'manual')

    def test_manual_types_are_offered_in_the_wizard(self):
        domain = self.env['crm.lead.score.event.manual']._fields[
            'event_type_id'].domain
        offered = self.env['crm.lead.score.event.type'].sudo(
            self.salesman).search(domain)
        self.assertIn(self.type_visit_manual, offered)
        self.assertIn(self.type_objection, offered)
        self.assertIn(self.env.ref('crm_lead_scoring.event_type_call_requested'),
                      offered)
        self.assertNotIn(self.type_email, offered)
