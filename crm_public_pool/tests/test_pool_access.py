"""Record rules, append-only history and contact masking."""
from odoo.exceptions import AccessError

from .common import PoolCase


class TestPoolAccess(PoolCase):

    def test_salesperson_sees_own_and_member_pool_records(self):
        self.leads[0].sudo(self.sales1).action_pool_claim()
        self.leads[1].sudo(self.sales2).action_pool_claim()
        visible = self.env['crm.lead'].sudo(self.sales1).search(
            [('id', 'in', self.leads.ids)])
        self.assertIn(self.leads[0], visible)
        self.assertNotIn(self.leads[1], visible)
        self.assertEqual(len(visible), 5)

    def test_salesperson_cannot_read_others_lead(self):
        self.leads[1].sudo(self.sales2).action_pool_claim()
        with self.assertRaises(AccessError):
            self.leads[1].sudo(self.sales1).read(['name'])

    def test_outsider_sees_no_pool_record(self):
        visible = self.env['crm.lead'].sudo(self.outsider).search(
            [('id', 'in', self.leads.ids)])
        self.assertFalse(visible)
        with self.assertRaises(AccessError):
            self.leads[0].sudo(self.outsider).read(['name'])

    def test_plain_salesman_opens_lead_and_contact_forms(self):
        """A salesman outside the pool groups reads every field of the forms."""
        salesman = self.env['res.users'].with_context(
            no_reset_password=True).create({
                'name': 'Zhao Lei', 'login': 't_pool_plain_salesman',
                'email': 't_pool_plain_salesman@example.com',
                'groups_id': [(6, 0, [
                    self.env.ref('sales_team.group_sale_salesman').id])],
            })
        lead = self.env['crm.lead'].create({'name': 'Own lead, no pool',
                                            'user_id': salesman.id})
        for record in (lead, salesman.partner_id):
            as_salesman = record.sudo(salesman)
            for view_type in ('form', 'tree'):
                arch = as_salesman.fields_view_get(view_type=view_type)
                values = as_salesman.read(list(arch['fields']))
                self.assertEqual(values[0]['id'], record.id)
                self.assertNotIn('pool_log_ids', values[0])

    def test_non_pool_leads_keep_core_rules(self):
        lead = self.env['crm.lead'].create({'name': 'Unassigned, no pool',
                                            'user_id': False})
        self.assertTrue(lead.sudo(self.outsider).read(['name']))

    def test_manager_sees_owned_records_of_managed_pool(self):
        self.leads[1].sudo(self.sales2).action_pool_claim()
        visible = self.env['crm.lead'].sudo(self.manager).search(
            [('id', 'in', self.leads.ids)])
        self.assertEqual(visible, self.leads)

    def test_history_is_append_only(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        log = self.logs(lead, 'claim')
        for user in (self.sales1, self.manager):
            with self.assertRaises(AccessError):
                log.sudo(user).write({'reason': 'rewritten'})
            with self.assertRaises(AccessError):
                log.sudo(user).unlink()
            with self.assertRaises(AccessError):
                self.env['crm.pool.log'].sudo(user).create({
                    'res_model': 'crm.lead', 'res_id': lead.id,
                    'action': 'claim', 'to_user_id': user.id})
        self.assertEqual(log.reason, False)
        self.assertTrue(log.sudo(self.sales1).read(['action']))

    def test_history_hidden_from_outsider(self):
        lead = self.leads[0]
        lead.sudo(self.sales1).action_pool_claim()
        self.assertFalse(self.env['crm.pool.log'].sudo(self.outsider).search(
            [('res_id', '=', lead.id), ('res_model', '=', 'crm.lead')]))

    def test_mask_every_read_path(self):
        lead = self.leads[0]
        phone, email = lead.phone, lead.email_from
        as_sales = self.env['crm.lead'].sudo(self.sales1)
        masked_phone = phone[:3] + '****' + phone[-4:]
        masked_email = email[0] + '***@example.com'
        values = lead.sudo(self.sales1).read(['phone', 'email_from'])[0]
        self.assertEqual(values['phone'], masked_phone)
        self.assertEqual(values['email_from'], masked_email)
        values = as_sales.search_read([('id', '=', lead.id)],
                                      ['phone', 'mobile', 'email_from'])[0]
        self.assertEqual(values['phone'], masked_phone)
        rows = lead.sudo(self.sales1).export_data(
            ['phone', 'email_from'])['datas']
        self.assertEqual(rows, [[masked_phone, masked_email]])
        # server code (computes, merge, convert) works on the real value:
        # masking happens where data leaves the server, never in the cache
        self.assertEqual(lead.sudo(self.sales1).phone, phone)
        groups = as_sales.read_group([('id', '=', lead.id)], ['phone'],
                                     ['phone'])
        self.assertEqual(groups[0]['phone'], masked_phone)
        self.assertNotIn(phone, str(groups))
        # the manager of the pool sees the real data
        self.assertEqual(lead.sudo(self.manager).read(['phone'])[0]['phone'],
                         phone)
        # claimed: revealed to the owner
        lead.sudo(self.sales1).action_pool_claim()
        self.assertEqual(lead.sudo(self.sales1).read(['phone'])[0]['phone'],
                         phone)

    def test_search_cannot_rebuild_masked_values(self):
        lead = self.leads[0]
        phone, email = lead.phone, lead.email_from
        as_sales = self.env['crm.lead'].sudo(self.sales1)
        mine = [('id', 'in', self.leads.ids)]

        def found(domain):
            return lead in as_sales.search(mine + domain)

        # patterns, ranges and candidate lists would reveal hidden digits
        for domain in ([('phone', 'ilike', phone[:4])],
                       [('phone', '=like', phone[:7] + '____')],
                       [('phone', '>=', phone[:4])],
                       [('phone', 'in', [phone, '13800000000'])],
                       [('email_from', 'ilike', email.split('@')[0])],
                       [('pool_phone_norm', 'like', phone[:7])]):
            self.assertFalse(found(domain), domain)
        # under a negation the answer does not depend on the hidden value
        self.assertEqual(found(['!', ('phone', 'not ilike', phone[:4])]),
                         found(['!', ('phone', 'not ilike', '9999')]))
        self.assertEqual(as_sales.search_count(
            mine + [('phone', 'ilike', phone[:4])]), 0)
        groups = as_sales.read_group(
            mine + [('phone', 'like', phone[:5])], ['pool_id'], ['pool_id'])
        self.assertEqual(sum(group['pool_id_count'] for group in groups), 0)
        self.assertFalse(as_sales.name_search(phone[:6]))
        # one exact value: what the duplicate check tells anyway
        self.assertTrue(found([('phone', '=', phone)]))
        self.assertTrue(found([('email_from', '=ilike', email.upper())]))
        # =like / =ilike wildcards are taken literally
        self.assertFalse(found([('email_from', '=ilike', '_' + email[1:])]))
        underscored = self.make_lead(self.pool, 9,
                                     email_from='zhang_wei@corp.example')
        lookalike = self.make_lead(self.pool, 10,
                                   email_from='zhangxwei@corp.example')
        self.assertEqual(as_sales.search(
            [('email_from', '=ilike', 'Zhang_Wei@corp.example')]), underscored)
        self.assertEqual(as_sales.search(
            [('email_from', '=ilike', 'ZhangXWei@corp.example')]), lookalike)
        # the pool's manager, and the owner once claimed, search freely
        self.assertIn(lead, self.env['crm.lead'].sudo(self.manager).search(
            mine + [('phone', 'ilike', phone[:4])]))
        lead.sudo(self.sales1).action_pool_claim()
        self.assertTrue(found([('phone', 'ilike', phone[:4])]))
        self.assertFalse(self.leads[1] in as_sales.search(
            mine + [('phone', 'ilike', self.leads[1].phone[:4])]))

    def test_customer_email_on_masked_lead_is_masked(self):
        customer = self.env['res.partner'].create({
            'name': 'Linked customer', 'email': 'buyer@linked.example'})
        lead = self.leads[0]
        lead.write({'partner_id': customer.id})
        as_sales = lead.sudo(self.sales1)
        self.assertEqual(as_sales.read(['partner_address_email'])[0][
            'partner_address_email'], 'b***@linked.example')
        self.assertEqual(as_sales.export_data(['partner_address_email'])['datas'],
                         [['b***@linked.example']])
        self.assertFalse(self.env['crm.lead'].sudo(self.sales1).search(
            [('id', '=', lead.id), ('partner_address_email', 'ilike', 'buyer')]))
        self.assertEqual(lead.sudo(self.manager).partner_address_email,
                         'buyer@linked.example')
        lead.sudo(self.sales1).action_pool_claim()
        as_sales.invalidate_cache()
        self.assertEqual(as_sales.partner_address_email, 'buyer@linked.example')
        self.assertTrue(self.env['crm.lead'].sudo(self.sales1).search(
            [('id', '=', lead.id), ('partner_address_email', 'ilike', 'buyer')]))

    def test_no_mask_when_pool_does_not_mask(self):
        lead = self.make_lead(self.pool2, 3)
        self.assertEqual(lead.sudo(self.sales1).read(['phone'])[0]['phone'],
                         lead.phone)

    def test_masked_values_are_never_written_back(self):
        lead = self.leads[0]
        phone = lead.phone
        lead.sudo(self.sales1).read(['phone'])
        lead.sudo(self.sales1).action_pool_claim()
        lead.invalidate_cache()
        self.assertEqual(lead.phone, phone)

    def test_multi_company(self):
        other_company = self.env['res.company'].create({'name': 'Pool Co 2'})
        foreign = self.env['crm.pool'].create({
            'name': 'Foreign Pool', 'res_model': 'crm.lead',
            'company_id': other_company.id,
            'member_ids': [(0, 0, {'user_id': self.sales1.id})],
        })
        lead = self.make_lead(foreign, 1, company_id=other_company.id)
        self.assertFalse(self.env['crm.pool'].sudo(self.sales1).search(
            [('id', '=', foreign.id)]))
        self.assertFalse(self.env['crm.lead'].sudo(self.sales1).search(
            [('id', '=', lead.id)]))
        self.sales1.write({'company_ids': [(4, other_company.id)]})
        self.assertEqual(self.env['crm.lead'].sudo(self.sales1).search(
            [('id', '=', lead.id)]), lead)

    def test_menus_of_each_role(self):
        """A pool manager reaches the pools' settings and reports (under
        CRM's Reporting and Configuration, sales managers' menus in Odoo), a
        salesperson the workload reports but not the settings."""
        def visible(user, xmlid):
            menu = self.env.ref(xmlid)
            return menu.id in self.env['ir.ui.menu'].sudo(
                user)._visible_menu_ids()
        manager_menus = ('crm_public_pool.crm_pool_config_menu',
                         'crm_public_pool.crm_pool_health_report_menu',
                         'crm.crm_menu_config', 'crm.crm_menu_report')
        for xmlid in manager_menus:
            self.assertTrue(visible(self.manager, xmlid), xmlid)
        self.assertTrue(visible(
            self.sales1, 'crm_public_pool.crm_followup_target_report_menu'))
        self.assertFalse(visible(
            self.sales1, 'crm_public_pool.crm_pool_config_menu'))
        self.assertFalse(visible(self.sales1, 'crm.crm_menu_config'))
