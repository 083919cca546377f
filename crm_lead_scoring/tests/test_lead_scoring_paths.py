# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fit rules through relations: the scoring's SQL matches the leads Odoo's
own search finds, and scoring a lead does not search the related table."""
from .common import ScoringCase

DOMAINS = [
    "[('partner_id.is_company', '=', True)]",
    "['|', ('partner_name', '!=', False), ('partner_id.is_company', '=', True)]",
    "[('country_id.code', 'in', ['CN', 'HK'])]",
    "[('partner_id.country_id.code', '=', 'FR')]",
    "[('partner_id.is_company', '!=', True)]",
    "['!', ('partner_id.is_company', '=', True)]",
    "[('tag_ids.name', '=', 'Path VIP')]",
    "[('tag_ids.name', '!=', 'Path VIP')]",
    "[('tag_ids', '!=', False)]",
    "[('partner_id.parent_id.is_company', '=', True)]",
    "[('user_id.partner_id.email', 'ilike', 'path-owner')]",
    "[('message_ids.body', 'ilike', 'path marker')]",
    "[('partner_id', 'child_of', %(company)s)]",
]


class TestLeadScoringPaths(ScoringCase):

    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(TestLeadScoringPaths, cls).setUpClass()
        Partner = cls.env['res.partner']
        cls.company = Partner.create({'name': 'Path Co', 'is_company': True,
                                      'country_id': cls.country_fr.id})
        cls.person = Partner.create({'name': 'Path Person',
                                     'parent_id': cls.company.id})
        cls.loner = Partner.create({'name': 'Path Loner', 'active': False})
        vip = cls.env['crm.lead.tag'].create({'name': 'Path VIP'})
        other = cls.env['crm.lead.tag'].create({'name': 'Path other'})
        cls.salesman.partner_id.email = 'path-owner@example.com'
        values = [
            {'partner_id': cls.company.id, 'tag_ids': [(6, 0, [vip.id])]},
            {'partner_id': cls.person.id, 'country_id': cls.country_cn.id,
             'tag_ids': [(6, 0, [other.id])], 'user_id': cls.salesman.id},
            {'partner_id': cls.loner.id, 'partner_name': 'Loner Ltd',
             'tag_ids': [(6, 0, [vip.id, other.id])]},
            {'country_id': cls.country_fr.id},
            {'partner_name': 'No partner', 'active': False},
        ]
        cls.leads = cls.Lead.browse()
        for index, vals in enumerate(values):
            cls.leads |= cls.Lead.create(dict(vals, name='Path lead %d' % index))
        cls.leads[3].message_post(body='a path marker in the chatter')

    def test_paths_match_like_odoo_search(self):
        Lead = self.Lead.with_context(active_test=False)
        for text in DOMAINS:
            rule = self.rule('Path rule', 1.0,
                             domain=text % {'company': self.company.id})
            data = [item for item in self.Rule._get_rules_data()
                    if item['id'] == rule.id]
            matches = Lead._score_fit_matches(data, self.leads.ids)
            scored = {lead_id for lead_id, rules in matches.items() if rules}
            expected = set(Lead.search(rule._get_domain()
                                       + [('id', 'in', self.leads.ids)]).ids)
            self.assertEqual(scored, expected, text)
            # the preview counts the same leads (one meaning of a rule)
            preview = self.env['crm.lead.score.rule.preview'].create(
                {'rule_id': rule.id})
            self.assertGreaterEqual(preview.open_match_count,
                                    len(expected & set(self.leads[:4].ids)), text)
            rule.active = False

    def test_scoring_a_lead_does_not_search_the_related_table(self):
        """A path costs no query of its own (Odoo's search would first read
        every company): as many queries as a rule on a column."""
        lead = self.leads[0]
        counts = []
        for domain in ("[('partner_name', '=', False)]", DOMAINS[1]):
            rule = self.rule('Company path', 5.0, domain=domain)
            lead._score_recompute()  # warm the rule cache
            before = self.env.cr.sql_log_count
            lead._score_recompute()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(lead.score_line_ids.mapped('points'), [5.0])
            rule.active = False
        self.assertEqual(counts[0], counts[1])
