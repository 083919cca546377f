# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError

from .common import PoolCase


class TestPoolStagePlaybook(PoolCase):
    """Stage playbooks and the stage template of the CRM settings."""

    @classmethod
    def setUpClass(cls):
        super(TestPoolStagePlaybook, cls).setUpClass()
        # names are asserted in English, the source language: with a single
        # language installed Odoo 11 stores names in that language
        cls.env['res.lang'].with_context(active_test=False).search(
            [('code', '=', 'en_US')]).write({'active': True})
        Stage = cls.env['crm.stage'].sudo(cls.env.ref('base.user_root'))
        call = cls.env.ref('mail.mail_activity_data_call')
        meeting = cls.env.ref('mail.mail_activity_data_meeting')
        cls.stage_a = Stage.create({'name': 'PB Contact', 'sequence': 901,
                                    'playbook_ids': [(0, 0, {
                                        'activity_type_id': call.id,
                                        'summary': 'Call the buyer',
                                        'days': 1})]})
        cls.stage_b = Stage.create({'name': 'PB Needs', 'sequence': 902,
                                    'playbook_ids': [(0, 0, {
                                        'activity_type_id': meeting.id,
                                        'summary': 'Meet the decision maker',
                                        'days': 3})]})
        cls.stage_c = Stage.create({'name': 'PB Plain', 'sequence': 903})
        cls.lead = cls.env['crm.lead'].sudo(cls.sales1).create({
            'name': 'Playbook lead', 'type': 'opportunity',
            'user_id': cls.sales1.id, 'stage_id': cls.stage_a.id})

    def activities(self, summary):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'crm.lead'), ('res_id', '=', self.lead.id),
            ('summary', '=', summary)])

    def test_entering_a_stage_schedules_its_playbook_once(self):
        call = self.activities('Call the buyer')
        self.assertEqual(len(call), 1)
        self.assertEqual(call.user_id, self.sales1)
        self.assertEqual(call.activity_type_id,
                         self.env.ref('mail.mail_activity_data_call'))
        lead = self.lead.sudo(self.sales1)
        lead.write({'stage_id': self.stage_b.id})
        meeting = self.activities('Meet the decision maker')
        self.assertEqual(len(meeting), 1)
        self.assertEqual(meeting.user_id, self.sales1)
        # back and forth while the activities are open: nothing more
        lead.write({'stage_id': self.stage_a.id})
        lead.write({'stage_id': self.stage_b.id})
        lead.write({'stage_id': self.stage_c.id})
        lead.write({'stage_id': self.stage_b.id})
        self.assertEqual(len(self.activities('Call the buyer')), 1)
        self.assertEqual(len(self.activities('Meet the decision maker')), 1)
        # a write that keeps the stage is no entry
        lead.write({'stage_id': self.stage_b.id, 'description': 'x'})
        self.assertEqual(len(self.activities('Meet the decision maker')), 1)
        # once done, a new entry into the stage schedules it again
        meeting.sudo(self.sales1).action_feedback(feedback='Met them')
        self.assertFalse(self.activities('Meet the decision maker'))
        lead.write({'stage_id': self.stage_c.id})
        lead.write({'stage_id': self.stage_b.id})
        self.assertEqual(len(self.activities('Meet the decision maker')), 1)

    def test_unowned_lead_gets_no_playbook(self):
        lead = self.make_lead(self.pool, 50, stage_id=self.stage_a.id)
        self.assertFalse(self.env['mail.activity'].search([
            ('res_model', '=', 'crm.lead'), ('res_id', '=', lead.id)]))

    def test_manager_loads_the_stage_template_without_touching_stages(self):
        Stage = self.env['crm.stage']
        # a template loaded earlier in this database is forgotten (its
        # stages stay as they are): this test loads it anew
        self.env['ir.model.data'].search([
            ('module', '=', 'crm_public_pool'),
            ('name', '=like', 'crm_stage_template_%')]).unlink()
        before = {s.id: (s.name, s.sequence, s.probability)
                  for s in Stage.search([])}
        manager = self.env['res.users'].create({
            'login': 't_pb_sale_manager', 'name': 'Sale Manager Zhao',
            'groups_id': [(6, 0, [
                # the settings screen is for administrators in Odoo 11
                self.env.ref('base.group_system').id,
                self.env.ref('sales_team.group_sale_manager').id])]})
        settings = self.env['res.config.settings'].sudo(manager).create({})
        action = settings.action_pool_load_stage_template()
        self.assertEqual(action['res_model'], 'crm.stage')
        after = Stage.search([])
        new = after.filtered(lambda s: s.id not in before)
        self.assertEqual(new.mapped('name'), [
            'First Contact', 'Needs Confirmed', 'Proposal & Quotation',
            'Business Negotiation', 'Deal Won'])
        self.assertEqual(new.mapped('probability'), [10, 30, 50, 75, 100])
        self.assertTrue(min(new.mapped('sequence')) > max(
            seq for _name, seq, _prob in before.values()))
        self.assertEqual(
            {s.id: (s.name, s.sequence, s.probability)
             for s in after if s.id in before}, before)
        self.assertEqual(len(new.mapped('playbook_ids')), 5)
        self.assertEqual(new[0].playbook_ids.activity_type_id,
                         self.env.ref('mail.mail_activity_data_call'))
        # loading again creates nothing
        settings.action_pool_load_stage_template()
        self.assertEqual(Stage.search_count([]), len(after))
        # a salesperson may not load it
        with self.assertRaises(AccessError):
            self.env['res.config.settings'].sudo(
                self.sales1).create({}).action_pool_load_stage_template()
        with self.assertRaises(AccessError):
            self.env['crm.stage'].sudo(self.sales1)._pool_load_stage_template()
