"""Shared fixtures of the crm_public_pool tests (built once per class)."""
import threading

from werkzeug.test import Client
from werkzeug.wrappers import BaseResponse

import odoo
from odoo.tests.common import HttpCase, SavepointCase


# "Now" of the policy tests (fixed dates)
NOW = '2024-03-01 12:00:00'


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


class ControllerCase(HttpCase):
    """An ``HttpCase`` whose requests go through Odoo's WSGI application in
    the test's own thread. It needs no HTTP server (pytest-odoo starts none;
    ``odoo-bin --test-enable`` does) and passes the same under both runners.
    The test and its requests share the registry's test cursor: the data a
    test prepares is what the controller sees, and all of it is rolled back
    at the end."""

    at_install = False
    post_install = True

    def setUp(self):
        super(ControllerCase, self).setUp()
        saved = self.cr, self.env
        # In test mode the registry hands out its one test cursor (locked
        # with a reentrant lock, so requests in this thread may use it too).
        self.cr = self.registry.cursor()
        self.env = self.env(cr=self.cr)

        def restore():
            self.cr.release()
            self.cr, self.env = saved
        self.addCleanup(restore)

    def http(self, method, path, **kwargs):
        """Answer of Odoo to ``method path`` (werkzeug ``Client.open``
        arguments), with the session of :meth:`authenticate`."""
        # The test cursor only simulates commits by moving its savepoint: a
        # request that fails rolls back its own work, not the test's data.
        self.cr.commit()  # pylint: disable=invalid-commit
        client = Client(odoo.http.root, BaseResponse)
        client.set_cookie('localhost', 'session_id', self.session_id)
        thread = threading.current_thread()
        saved = {name: getattr(thread, name)
                 for name in ('dbname', 'uid', 'url') if hasattr(thread, name)}
        try:
            return client.open(path, method=method, buffered=True, **kwargs)
        finally:
            for name in ('dbname', 'uid', 'url'):
                if name in saved:
                    setattr(thread, name, saved[name])
                elif hasattr(thread, name):
                    delattr(thread, name)
            self.env.cache.invalidate()


class PoolPolicyCase(SavepointCase):

    at_install = False
    post_install = True

    @classmethod
    def setUpClass(cls):
        super(PoolPolicyCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       crm_no_commit=True))
        Users = cls.env['res.users'].with_context(no_reset_password=True)
        user_group = cls.env.ref('crm_public_pool.group_pool_user')
        manager_group = cls.env.ref('crm_public_pool.group_pool_manager')
        cls.sales1 = Users.create({
            'name': '王芳', 'login': 'pool2_sales1', 'email': 's1@example.com',
            'groups_id': [(6, 0, [user_group.id])]})
        cls.sales2 = Users.create({
            'name': '李伟', 'login': 'pool2_sales2', 'email': 's2@example.com',
            'groups_id': [(6, 0, [user_group.id])]})
        cls.manager = Users.create({
            'name': '张敏', 'login': 'pool2_manager', 'email': 'm@example.com',
            'groups_id': [(6, 0, [manager_group.id])]})
        Pool = cls.env['crm.pool']
        cls.recycle = Pool.create({'name': '回收池', 'res_model': 'crm.lead'})
        cls.pool = Pool.create({
            'name': '华东', 'res_model': 'crm.lead',
            'idle_days': 30, 'nodeal_days': 90, 'remind_days': 3,
            'recycle_pool_id': cls.recycle.id,
            'manager_ids': [(6, 0, [cls.manager.id])],
            'member_ids': [(0, 0, {'user_id': cls.sales1.id}),
                           (0, 0, {'user_id': cls.sales2.id})],
        })
        cls.partner_pool = Pool.create({
            'name': '华东客户', 'res_model': 'res.partner', 'idle_days': 10,
            'member_ids': [(0, 0, {'user_id': cls.sales1.id})],
        })

    @classmethod
    def _owned(cls, name, user, claimed, followup=None, pool=None,
               model='crm.lead', **extra):
        pool = pool or cls.pool
        record = cls.env[model].create(dict({
            'name': name, 'pool_id': pool.id, 'user_id': False}, **extra))
        record.write({'user_id': user.id, 'pool_state': 'owned',
                      'pool_date_claimed': claimed,
                      'pool_date_followup': followup or False})
        return record

    @classmethod
    def load_zh_cn(cls):
        """zh_CN and this addon's terms in it, and en_US active too: Odoo's
        runner installs no language but en_US (and the terms of a language
        activated after the addon was installed are not loaded), a database
        made with ``--load-language=zh_CN`` may have only zh_CN active."""
        cls.env['res.lang'].load_lang('en_US')
        cls.env['res.lang'].load_lang('zh_CN')
        cls.env['ir.module.module'].search([
            ('name', '=', 'crm_public_pool')])._update_translations(
            filter_lang='zh_CN')

    def tr(self, source, user=None):
        """``source`` in the language ``_()`` uses for ``user`` (context
        language, else the user's own)."""
        user = user or self.env.user
        lang = self.env.lang or user.lang
        return self.env['ir.translation']._get_source(
            None, ('code',), lang, source)

    def _logs(self, record, action='reclaim'):
        return self.env['crm.pool.log'].search([
            ('res_model', '=', record._name), ('res_id', '=', record.id),
            ('action', '=', action)])
