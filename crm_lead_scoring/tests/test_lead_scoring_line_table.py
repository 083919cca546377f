# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Score lines have no foreign keys: whatever deletes a lead or a rule (the
ORM, Odoo's merge, SQL) deletes its lines."""
from ..hooks import uninstall_hook
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
        replies = self.env['crm.lead.score.line'].search([
            ('lead_id', 'in', self.leads.ids),
            ('event_type_id', '=', self.type_email.id)])
        self.assertEqual(replies.mapped('rule_id'), self.rule_reply)
        self.assertEqual(replies.mapped('event_type_id'), self.type_email)
        self.assertEqual(replies.mapped('points'), [15.0, 15.0, 15.0])

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
        # in SQL too
        self.env.cr.execute("DELETE FROM crm_lead_score_rule WHERE id = %s",
                            (self.rule_email.id,))
        self.assertEqual(self.stored_lines(rule_ids=[self.rule_email.id]), 0)
        self.assertEqual(self.stored_lines(self.leads.ids), 3)

    def test_a_line_left_by_a_concurrent_rule_delete_shows_without_rule(self):
        """A rule deleted while a lead was being recomputed elsewhere may
        leave the lead a line of that rule: the breakdown still reads, and
        the lead's next recompute removes the line."""
        lead = self.leads[0]
        self.env.cr.execute("SELECT max(id) + 1000 FROM crm_lead_score_rule")
        gone = self.env.cr.fetchone()[0]
        self.env.cr.execute("""
            INSERT INTO crm_lead_score_line
                (lead_id, rule_id, kind, points, event_count, knockout)
            VALUES (%s, %s, 'fit', 0, 0, false)
        """, (lead.id, gone))
        lead.invalidate_cache()
        rows = lead.sudo(self.manager).score_line_ids.read(
            ['rule_id', 'event_type_id', 'points'])
        self.assertEqual(len(rows), 4)
        stale = [row for row in rows if row['points'] == 0.0]
        self.assertEqual(len(stale), 1)
        self.assertFalse(stale[0]['rule_id'])
        self.assertFalse(stale[0]['event_type_id'])
        reply = [row for row in rows if row['points'] == 15.0]
        self.assertEqual(reply[0]['event_type_id'][0], self.type_email.id)
        lead._score_recompute()
        self.assertEqual(self.stored_lines([lead.id], [gone]), 0)
        self.assertEqual(self.stored_lines([lead.id]), 3)

    def test_a_module_update_keeps_the_table_without_foreign_keys(self):
        """Odoo's schema sync leaves the table to the module's init(),
        which gives it no foreign key but the two delete triggers."""
        Line = self.env['crm.lead.score.line']
        Line._auto_init()
        Line.init()
        self.env.cr.execute("""
            SELECT confrelid::regclass::text FROM pg_constraint
             WHERE conrelid = 'crm_lead_score_line'::regclass AND contype = 'f'
        """)
        self.assertEqual(self.env.cr.fetchall(), [])
        self.env.cr.execute("""
            SELECT tgrelid::regclass::text FROM pg_trigger
             WHERE tgname = 'crm_lead_score_line_drop' ORDER BY 1
        """)
        self.assertEqual([row[0] for row in self.env.cr.fetchall()],
                         ['crm_lead', 'crm_lead_score_rule'])
        lead = self.leads[0]
        lead_id = lead.id
        lead.unlink()
        self.assertEqual(self.stored_lines([lead_id]), 0)

    def test_uninstalling_drops_the_triggers(self):
        """The lines' table goes with the module, and so do the triggers:
        leads and rules are then deleted as if the module never was."""
        cr = self.env.cr
        uninstall_hook(cr, self.env.registry)
        cr.execute("""
            SELECT count(*) FROM pg_trigger
             WHERE tgname = 'crm_lead_score_line_drop'
        """)
        self.assertEqual(cr.fetchone()[0], 0)
        cr.execute("DROP TABLE crm_lead_score_line")
        lead_id = self.leads[0].id
        cr.execute("DELETE FROM crm_lead_score_event WHERE lead_id = %s", (lead_id,))
        cr.execute("DELETE FROM crm_lead WHERE id = %s", (lead_id,))
        self.assertEqual(cr.rowcount, 1)
