# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from datetime import datetime

from werkzeug.test import Client
from werkzeug.wrappers import BaseResponse

import odoo
from odoo.tests.common import HttpCase, SavepointCase

NOW = datetime(2030, 1, 31, 12, 0, 0)


class ScoringCase(SavepointCase):
    """Own rules only (the demo rules are archived), fixed thresholds."""

    @classmethod
    def setUpClass(cls):
        super(ScoringCase, cls).setUpClass()
        # crm_no_commit: the nightly job runs inside the test's transaction
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       lang='en_US', crm_no_commit=True))
        # Messages are asserted in English: the test database may have only
        # zh_CN active (./dev loads it); English is the source language.
        cls.env['res.lang'].with_context(active_test=False).search(
            [('code', '=', 'en_US')]).write({'active': True})
        cls.env['crm.lead.score.rule'].search([]).write({'active': False})
        params = cls.env['ir.config_parameter']
        params.set_param('crm_lead_scoring.grade_a_min', '80')
        params.set_param('crm_lead_scoring.grade_b_min', '50')
        params.set_param('crm_lead_scoring.grade_c_min', '20')
        params.set_param('crm_lead_scoring.priority_sync', 'False')
        cls.Rule = cls.env['crm.lead.score.rule']
        cls.Lead = cls.env['crm.lead']
        cls.Event = cls.env['crm.lead.score.event']
        cls.type_email = cls.env.ref('crm_lead_scoring.event_type_email_reply')
        cls.type_activity = cls.env.ref('crm_lead_scoring.event_type_activity_done')
        cls.type_stage_back = cls.env.ref('crm_lead_scoring.event_type_stage_back')
        cls.type_visit = cls.env.ref('crm_lead_scoring.event_type_site_visit')
        cls.type_complaint = cls.env.ref('crm_lead_scoring.event_type_complaint')
        Users = cls.env['res.users'].with_context(no_reset_password=True)
        cls.salesman = Users.create({
            'name': 'Score Salesman', 'login': 'score_salesman', 'lang': 'en_US',
            'email': 'score.salesman@example.com',
            'groups_id': [(6, 0, [cls.env.ref('sales_team.group_sale_salesman').id])],
        })
        cls.other_salesman = Users.create({
            'name': 'Score Other Salesman', 'login': 'score_other_salesman',
            'lang': 'en_US',
            'groups_id': [(6, 0, [cls.env.ref('sales_team.group_sale_salesman').id])],
        })
        cls.manager = Users.create({
            'name': 'Score Manager', 'login': 'score_manager', 'lang': 'en_US',
            'email': 'score.manager@example.com',
            'groups_id': [(6, 0, [cls.env.ref('sales_team.group_sale_manager').id])],
        })
        cls.country_cn = cls.env.ref('base.cn')
        cls.country_fr = cls.env.ref('base.fr')

    @classmethod
    def rule(cls, name, points, **values):
        vals = {'name': name, 'points': points}
        vals.update(values)
        return cls.Rule.create(vals)

    def line_of(self, lead, rule):
        return lead.score_line_ids.filtered(lambda line: line.rule_id == rule)

    def assertLinesSum(self, lead):
        self.assertAlmostEqual(sum(lead.score_line_ids.mapped('points')), lead.score,
                               places=2)
        self.assertAlmostEqual(lead.score_fit + lead.score_engagement, lead.score,
                               places=2)


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
