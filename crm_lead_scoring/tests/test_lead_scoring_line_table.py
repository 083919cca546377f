# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Score lines have no foreign key to their lead: whatever deletes a lead
(the ORM, Odoo's merge, SQL) deletes its lines, and deleting a rule
deletes its lines."""
from .common import ScoringCase


class TestLeadScoringLineTable(ScoringCase):
    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(TestLeadScoringLineTable, cls).setUpClass()
        cls.rule_email = cls.rule('Has email', 10.0,
                                  domain="[('email_from', '!=', False)]")
        cls.rule_cn = cls.rule('China', 20.0,
                               domain="[('country_id', '=', %d)]" % cls.country_cn.id)
        cls.rule_reply = cls.rule('Replies', 15.0, kind='engagement',
                                  event_type_id=cls.type_email.id,
                                  half_life_days=0.0)
        cls.leads = cls.Lead.browse()
        for index in range(3):
            cls.leads |= cls.Lead.create({
                'name': 'Line table lead %d' % index,
                'type': 'opportunity',
                'email_from': 'buyer%d@example.com' % index,
                'country_id': cls.country_cn.id,
            })
        for lead in cls.leads:
            cls.Event.create({'lead_id': lead.id,
                              'event_type_id': cls.type_email.id,
                              'source': 'api'})

    def stored_lines(self, lead_ids=None, rule_ids=None):
        """Lines in the table, read in SQL (not through the ORM cache)."""
        self.env.cr.execute("""
            SELECT count(*) FROM crm_lead_score_line
             WHERE (%s OR lead_id = ANY(%s)) AND (%s OR rule_id = ANY(%s))
        """, (lead_ids is None, lead_ids or [], rule_ids is None, rule_ids or []))
        return self.env.cr.fetchone()[0]

    def test_every_lead_has_its_three_lines(self):
        for lead in self.leads:
            self.assertEqual(lead.score, 45.0)
            self.assertEqual(len(lead.score_line_ids), 3)
            self.assertLinesSum(lead)

    def test_deleting_leads_deletes_their_lines(self):
        first, others = self.leads[0], self.leads[1:]
        first_id = first.id
        first.unlink()
        self.assertEqual(self.stored_lines([first_id]), 0)
        self.assertEqual(self.stored_lines(others.ids), 6)
        # a delete in SQL (an import's clean-up) too, several leads at once
        self.env.cr.execute("DELETE FROM crm_lead_score_event WHERE lead_id = ANY(%s)",
                            (others.ids,))
        self.env.cr.execute("DELETE FROM crm_lead WHERE id = ANY(%s)", (others.ids,))
        self.assertEqual(self.stored_lines(others.ids), 0)

    def test_merging_leads_leaves_the_head_scored_and_no_orphan(self):
        ids = self.leads.ids
        head = self.leads.merge_opportunity()
        tail_ids = [lead_id for lead_id in ids if lead_id != head.id]
        self.assertEqual(len(tail_ids), 2)
        self.assertFalse(self.Lead.browse(tail_ids).exists())
        self.assertEqual(self.stored_lines(tail_ids), 0)
        self.assertEqual(self.stored_lines([head.id]), 3)
        self.assertEqual(head.score, 45.0)
        self.assertLinesSum(head)

    def test_deleting_a_rule_deletes_its_lines(self):
        self.assertEqual(self.stored_lines(rule_ids=[self.rule_cn.id]), 3)
        rule_id = self.rule_cn.id
        self.rule_cn.sudo(self.manager).unlink()
        self.assertEqual(self.stored_lines(rule_ids=[rule_id]), 0)
        lead = self.leads[0]
        lead.invalidate_cache()
        self.assertEqual(lead.score_line_ids.mapped('rule_id'),
                         self.rule_email | self.rule_reply)

    def test_a_module_update_keeps_the_table_without_lead_key(self):
        """Odoo's schema sync leaves the table to the module's init(),
        which keeps the rule's foreign key and the delete trigger only."""
        Line = self.env['crm.lead.score.line']
        Line._auto_init()
        Line.init()
        self.env.cr.execute("""
            SELECT confrelid::regclass::text FROM pg_constraint
             WHERE conrelid = 'crm_lead_score_line'::regclass AND contype = 'f'
        """)
        self.assertEqual([row[0] for row in self.env.cr.fetchall()],
                         ['crm_lead_score_rule'])
        self.env.cr.execute("""
            SELECT count(*) FROM pg_trigger
             WHERE tgrelid = 'crm_lead'::regclass
               AND tgname = 'crm_lead_score_line_drop'
        """)
        self.assertEqual(self.env.cr.fetchone()[0], 1)
        lead = self.leads[0]
        lead_id = lead.id
        lead.unlink()
        self.assertEqual(self.stored_lines([lead_id]), 0)
