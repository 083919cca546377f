"""Shared fixtures of the crm_public_pool tests (built once per class)."""
from odoo.tests.common import SavepointCase


class PoolCase(SavepointCase):
    """Two lead pools, a manager, three members and an outsider."""

    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(PoolCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       no_reset_password=True, lang='en_US'))
        Users = cls.env['res.users']
        user_group = cls.env.ref('crm_public_pool.group_pool_user')
        manager_group = cls.env.ref('crm_public_pool.group_pool_manager')

        def make_user(login, name, group):
            return Users.create({
                'name': name,
                'login': login,
                'email': '%s@example.com' % login,
                'tz': 'UTC',
                'groups_id': [(6, 0, [group.id])],
            })

        cls.manager = make_user('t_pool_manager', 'Manager Wang', manager_group)
        cls.sales1 = make_user('t_pool_sales1', 'Zhang Wei', user_group)
        cls.sales2 = make_user('t_pool_sales2', 'Li Na', user_group)
        cls.sales3 = make_user('t_pool_sales3', 'Liu Yang', user_group)
        cls.outsider = make_user('t_pool_outsider', 'Huang Min', user_group)
        Pool = cls.env['crm.pool']
        cls.pool = Pool.create({
            'name': 'Test East',
            'res_model': 'crm.lead',
            'manager_ids': [(6, 0, [cls.manager.id])],
            'idle_days': 10,
            'nodeal_days': 30,
            'quota': 2,
            'cooldown_days': 7,
            'max_freeze_days': 20,
            'max_frozen_per_user': 1,
            'mask_contact': True,
            'duplicate_check': 'warn',
            'member_ids': [
                (0, 0, {'user_id': cls.sales1.id}),
                (0, 0, {'user_id': cls.sales2.id}),
                (0, 0, {'user_id': cls.sales3.id, 'quota': 3}),
            ],
        })
        cls.pool2 = Pool.create({
            'name': 'Test South',
            'res_model': 'crm.lead',
            'manager_ids': [(6, 0, [cls.manager.id])],
            'daily_claim_limit': 1,
            'freeze_needs_approval': True,
            'duplicate_check': 'block',
            'member_ids': [
                (0, 0, {'user_id': cls.sales1.id}),
                (0, 0, {'user_id': cls.sales2.id}),
            ],
        })
        cls.leads = cls.env['crm.lead']
        for index in range(6):
            cls.leads |= cls.make_lead(cls.pool, index)

    @classmethod
    def make_lead(cls, pool, index, **values):
        vals = {
            'name': 'Pool test lead %s-%s' % (pool.name, index),
            'partner_name': 'Company %s %s' % (pool.name, index),
            'phone': '1381234%04d' % (index + 100 * pool.id % 10000),
            'email_from': 'lead%s.%s@example.com' % (pool.id, index),
            'pool_id': pool.id,
            'user_id': False,
        }
        vals.update(values)
        return cls.env['crm.lead'].create(vals)

    def assertUserError(self, exc_class, message, func, *args, **kwargs):
        with self.assertRaises(exc_class) as cm:
            func(*args, **kwargs)
        self.assertEqual(cm.exception.name, message)

    def logs(self, record, action=None):
        domain = [('res_model', '=', record._name), ('res_id', '=', record.id)]
        if action:
            domain.append(('action', '=', action))
        return self.env['crm.pool.log'].search(domain)
