"""The pool models are declared once: every list of them (the pool form,
the reports, the scheduled policies, the chatter masking) comes from the
registry, and "won" is one SQL predicate per model that the ORM, the
policies and the reports all run."""
from odoo.addons.crm_public_pool.policy import reclaim as reclaim_policy

from .common import PoolPolicyCase

NOW = '2024-06-01 12:00:00'
LONG_AGO = '2024-01-02 12:00:00'


class TestPoolModels(PoolPolicyCase):

    def test_every_list_of_pool_models_comes_from_the_registry(self):
        models_ = self.env['crm.pool.mixin']._pool_models()
        self.assertEqual(models_, ['crm.lead', 'res.partner'])
        for model, field in (('crm.pool', 'res_model'),
                             ('crm.pool.health.report', 'res_model'),
                             ('crm.pool.activity.report', 'res_model'),
                             ('crm.pool.public.search', 'res_model')):
            selection = self.env[model].fields_get([field])[field]['selection']
            self.assertEqual([key for key, _label in selection], models_, model)
        self.assertEqual(self.env['mail.message']._pool_models(), models_)
        self.assertEqual(self.env['crm.pool']._pool_models(), models_)
        # what the policies run on is each model's own declaration
        target = self.env['crm.pool']._pool_target('crm.lead')
        self.assertEqual((target.table, target.priority_column),
                         ('crm_lead', 'priority'))
        self.assertEqual(
            self.env['crm.pool']._pool_target('res.partner').table,
            'res_partner')

    def test_won_is_one_rule_for_the_orm_the_policies_and_the_reports(self):
        open_lead = self._owned('open', self.sales1, LONG_AGO)
        won = self._owned('won', self.sales1, LONG_AGO)
        won.write({'probability': 100})
        lost = self._owned('lost', self.sales1, LONG_AGO)
        lost.write({'active': False})
        lost_won = self._owned('lost after a win', self.sales1, LONG_AGO)
        lost_won.write({'probability': 100, 'active': False})
        leads = open_lead | won | lost | lost_won
        # the ORM: deadlines only where the record can still be reclaimed
        self.assertEqual(leads.with_context(active_test=False)._pool_won_ids(),
                         {won.id})
        self.assertTrue(open_lead.pool_deadline)
        self.assertFalse(won.pool_deadline)
        # the set-based deadline agrees
        self.env['crm.lead']._pool_recompute_deadlines([self.pool.id])
        leads.invalidate_cache()
        self.assertTrue(open_lead.pool_deadline)
        self.assertFalse(won.pool_deadline)
        # the policies: whatever the stored deadline says, only the open
        # lead is due (archived and won ones are never touched)
        self.env.cr.execute(
            "UPDATE crm_lead SET pool_deadline = %s WHERE id IN %s",
            (LONG_AGO, tuple(leads.ids)))
        target = self.env['crm.pool']._pool_target('crm.lead')
        due = reclaim_policy.due_ids(self.env.cr, target, NOW,
                                     pool_ids=[self.pool.id])
        self.assertEqual(list(due), [open_lead.id])
        # the health report says "won" of exactly the same rows
        report = self.env['crm.pool.health.report'].search([
            ('res_model', '=', 'crm.lead'), ('res_id', 'in', leads.ids)])
        self.assertEqual({row.res_id for row in report if row.is_won},
                         {won.id})
        self.assertEqual(len(report), 4)

    def test_customers_report_and_deadline_follow_the_same_rule(self):
        customer = self._owned('客户', self.sales1, LONG_AGO,
                               pool=self.partner_pool, model='res.partner')
        won = bool(customer._pool_won_ids())
        report = self.env['crm.pool.health.report'].search([
            ('res_model', '=', 'res.partner'), ('res_id', '=', customer.id)])
        self.assertEqual(len(report), 1)
        self.assertEqual(report.is_won, won)
        self.assertEqual(bool(customer.pool_deadline), not won)
