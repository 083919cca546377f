# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError

from .common import ScoringCase


class TestLeadScoringAccess(ScoringCase):
    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(TestLeadScoringAccess, cls).setUpClass()
        cls.rule_fit = cls.rule('Has phone', 15.0, domain="[('phone', '!=', False)]")
        cls.rule_reply = cls.rule('Replies', 10.0, kind='engagement',
                                  event_type_id=cls.type_email.id)
        cls.own = cls.Lead.create({'name': 'Own lead', 'phone': '13800138000',
                                   'user_id': cls.salesman.id})
        cls.foreign = cls.Lead.create({'name': 'Foreign lead', 'phone': '1',
                                       'user_id': cls.other_salesman.id})
        for lead in cls.own | cls.foreign:
            cls.Event.create({'lead_id': lead.id,
                              'event_type_id': cls.type_email.id})

    def test_salesperson_reads_scores_of_own_leads(self):
        lead = self.own.sudo(self.salesman)
        self.assertEqual(lead.score, 25.0)
        self.assertEqual(lead.grade, 'C')
        self.assertEqual(sorted(lead.score_line_ids.mapped('points')), [10.0, 15.0])
        self.assertEqual(lead.score_line_ids.mapped('rule_id.name'),
                         ['Has phone', 'Replies'])
        self.assertEqual(len(lead.score_event_ids), 1)
        rules = self.Rule.sudo(self.salesman).search([('id', '=', self.rule_fit.id)])
        self.assertEqual(rules.points, 15.0)

    def test_salesperson_cannot_edit_rules_or_scores(self):
        rule = self.rule_fit.sudo(self.salesman)
        with self.assertRaises(AccessError):
            rule.write({'points': 99.0})
        with self.assertRaises(AccessError):
            self.Rule.sudo(self.salesman).create({'name': 'Mine', 'points': 1.0})
        with self.assertRaises(AccessError):
            rule.unlink()
        with self.assertRaises(AccessError):
            self.env['crm.lead.score.event.type'].sudo(self.salesman).create(
                {'name': 'X', 'code': 'x_sales'})
        with self.assertRaises(AccessError):
            self.own.score_line_ids.sudo(self.salesman).write({'points': 500.0})
        with self.assertRaises(AccessError):
            self.Event.sudo(self.salesman).create({
                'lead_id': self.own.id, 'event_type_id': self.type_email.id})

    def test_salesperson_does_not_see_other_salespeople_events(self):
        events = self.Event.sudo(self.salesman).search(
            [('lead_id', 'in', (self.own | self.foreign).ids)])
        self.assertEqual(events.mapped('lead_id'), self.own)
        lines = self.env['crm.lead.score.line'].sudo(self.salesman).search(
            [('lead_id', 'in', (self.own | self.foreign).ids)])
        self.assertEqual(lines.mapped('lead_id'), self.own)

    def test_manager_edits_rules(self):
        rule = self.Rule.sudo(self.manager).create({
            'name': 'Manager rule', 'points': -3.0,
            'domain': "[('phone', '!=', False)]"})
        rule.write({'points': -4.0, 'max_points': 2.0})
        self.assertEqual(rule.points, -4.0)
        event = self.Event.sudo(self.manager).create({
            'lead_id': self.foreign.id, 'event_type_id': self.type_email.id,
            'source': 'manual'})
        self.assertEqual(event.lead_id.score_engagement, 20.0)
        self.env['crm.lead.score.event.type'].sudo(self.manager).create(
            {'name': 'Trade fair visit', 'code': 'fair_visit'})
        rule.unlink()

    def test_only_administrators_regenerate_the_token(self):
        settings = self.env['res.config.settings'].create({}).sudo(self.manager)
        with self.assertRaises(AccessError) as err:
            settings.action_crm_score_regenerate_token()
        self.assertEqual(err.exception.name, 'Only administrators may regenerate '
                                             'the score event token.')
        params = self.env['ir.config_parameter']
        old = params.get_param('crm_lead_scoring.event_token')
        self.env['res.config.settings'].create({}).action_crm_score_regenerate_token()
        new = params.get_param('crm_lead_scoring.event_token')
        self.assertTrue(new and old and new != old)
        self.assertGreaterEqual(len(new), 32)
