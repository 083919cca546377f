# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError

from .common import PoolCase


class TestPoolConversionReport(PoolCase):
    """Lead -> qualified -> opportunity -> won on fixed dates."""

    @classmethod
    def setUpClass(cls):
        super(TestPoolConversionReport, cls).setUpClass()
        cls.sale_manager = cls.env['res.users'].create({
            'name': 'Conversion Manager', 'login': 't_conv_manager',
            'groups_id': [(6, 0, [cls.env.ref('sales_team.group_sale_manager').id])],
        })
        Source = cls.env['utm.source']
        cls.fair = Source.create({'name': 'Conv Trade Fair'})
        cls.web = Source.create({'name': 'Conv Website'})
        cls.medium = cls.env['utm.medium'].create({'name': 'Conv Booth'})
        Lead = cls.env['crm.lead']

        def lead(name, source, user, created, converted=None, closed=None,
                 won=False, revenue=0.0, **values):
            record = Lead.create(dict(
                name=name, source_id=source.id, medium_id=cls.medium.id,
                user_id=user.id, planned_revenue=revenue,
                type='opportunity' if converted else 'lead', **values))
            cls.env.cr.execute("""
                UPDATE crm_lead SET create_date = %s, date_conversion = %s,
                       date_closed = %s, probability = %s WHERE id = %s
            """, (created, converted, closed, 100 if won else 10, record.id))
            return record

        cls.l1 = lead('Conv new', cls.fair, cls.sales1, '2024-01-01 09:00:00')
        cls.l2 = lead('Conv qualified', cls.fair, cls.sales1,
                      '2024-01-02 09:00:00', qualification_state='qualified')
        cls.l3 = lead('Conv opportunity', cls.fair, cls.sales1,
                      '2024-01-03 09:00:00', converted='2024-01-05 09:00:00')
        cls.l4 = lead('Conv won fair', cls.fair, cls.sales2,
                      '2024-01-04 09:00:00', converted='2024-01-08 09:00:00',
                      closed='2024-01-14 09:00:00', won=True, revenue=1000.0)
        cls.l5 = lead('Conv won web', cls.web, cls.sales2,
                      '2024-02-01 09:00:00', converted='2024-02-02 09:00:00',
                      closed='2024-02-12 09:00:00', won=True, revenue=500.0)
        cls.l6 = lead('Conv lost web', cls.web, cls.sales2,
                      '2024-02-03 09:00:00', converted='2024-02-04 21:00:00')
        cls.l6.write({'active': False})
        cls.env.cache.invalidate()
        cls.Report = cls.env['crm.pool.conversion.report'].sudo(cls.sale_manager)
        cls.domain = [('source_id', 'in', (cls.fair | cls.web).ids)]

    def group(self, groupby):
        fields = ['lead_count', 'qualified_count', 'opportunity_count',
                  'won_count', 'qualified_rate', 'opportunity_rate', 'won_rate',
                  'opportunity_won_rate', 'days_to_opportunity', 'days_to_won',
                  'days_lead_to_won', 'won_revenue', groupby]
        return {row[groupby][0]: row for row in self.Report.read_group(
            self.domain, fields, [groupby])}

    def test_counts_rates_and_median_days_per_source(self):
        rows = self.group('source_id')
        fair, web = rows[self.fair.id], rows[self.web.id]
        self.assertEqual((fair['lead_count'], fair['qualified_count'],
                          fair['opportunity_count'], fair['won_count']),
                         (4, 3, 2, 1))
        self.assertAlmostEqual(fair['qualified_rate'], 75.0)
        self.assertAlmostEqual(fair['opportunity_rate'], 50.0)
        self.assertAlmostEqual(fair['won_rate'], 25.0)
        self.assertAlmostEqual(fair['opportunity_won_rate'], 50.0)
        # median of 2 and 4 days; 6 days from conversion to won
        self.assertAlmostEqual(fair['days_to_opportunity'], 3.0)
        self.assertAlmostEqual(fair['days_to_won'], 6.0)
        self.assertAlmostEqual(fair['days_lead_to_won'], 10.0)
        self.assertAlmostEqual(fair['won_revenue'], 1000.0)
        # the lost opportunity counts as converted, not won
        self.assertEqual((web['lead_count'], web['opportunity_count'],
                          web['won_count']), (2, 2, 1))
        self.assertAlmostEqual(web['opportunity_won_rate'], 50.0)
        self.assertAlmostEqual(web['days_to_opportunity'], 1.25)
        self.assertAlmostEqual(web['days_to_won'], 10.0)
        self.assertAlmostEqual(web['won_revenue'], 500.0)

    def test_per_salesperson_and_drill_down(self):
        rows = self.group('user_id')
        self.assertEqual(rows[self.sales1.id]['lead_count'], 3)
        self.assertEqual(rows[self.sales1.id]['won_count'], 0)
        self.assertEqual(rows[self.sales2.id]['won_count'], 2)
        self.assertAlmostEqual(rows[self.sales2.id]['won_revenue'], 1500.0)
        self.assertAlmostEqual(rows[self.sales2.id]['won_rate'], 200.0 / 3)
        # a cell's records are the leads behind it
        cell = self.Report.search(self.domain + [
            ('source_id', '=', self.fair.id), ('opportunity_count', '=', 1)])
        self.assertEqual(cell.mapped('lead_id'), self.l3 | self.l4)
        action = cell.filtered(lambda r: r.lead_id == self.l4).action_open_lead()
        self.assertEqual((action['res_model'], action['res_id']),
                         ('crm.lead', self.l4.id))

    def test_salesperson_cannot_read_the_report(self):
        with self.assertRaises(AccessError):
            self.env['crm.pool.conversion.report'].sudo(self.sales1).search([])
