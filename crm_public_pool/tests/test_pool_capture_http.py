"""POST /crm_pool/capture through Odoo's HTTP stack (routing, auth='none',
the plain-JSON request handling), with the addon's own tests."""
import json

from .common import ControllerCase


class TestPoolCaptureHttp(ControllerCase):

    def setUp(self):
        super(TestPoolCaptureHttp, self).setUp()
        env = self.env(context=dict(self.env.context, tracking_disable=True,
                                    no_reset_password=True))
        self.sales = env['res.users'].create({
            'name': 'Capture Sales', 'login': 't_capture_sales',
            'email': 't_capture_sales@example.com',
            'groups_id': [(6, 0, [
                env.ref('crm_public_pool.group_pool_user').id])]})
        self.pool = env['crm.pool'].create({
            'name': 'Capture pool', 'res_model': 'crm.lead',
            'distribution': 'manual', 'capture_rate_limit': 100,
            'duplicate_check': 'warn',
            'member_ids': [(0, 0, {'user_id': self.sales.id})]})

    def post(self, body, token=None):
        headers = {}
        if token is not False:
            headers['Authorization'] = 'Bearer %s' % (
                token or self.pool.capture_token)
        response = self.http('POST', '/crm_pool/capture', headers=headers,
                             data=json.dumps(body),
                             content_type='application/json')
        self.assertTrue(response.headers['Content-Type'].startswith(
            'application/json'), response.headers['Content-Type'])
        return response.status_code, json.loads(response.get_data(as_text=True))

    def test_capture_creates_an_unowned_pool_lead(self):
        status, body = self.post({
            'name': 'Price request', 'contact_name': 'Chen',
            'email_from': 'chen@capture.example', 'phone': '+86 138 0000 1234',
            'country': 'cn'})
        self.assertEqual(status, 201, body)
        lead = self.env['crm.lead'].browse(body['id'])
        self.assertEqual(lead.pool_id, self.pool)
        self.assertEqual(lead.pool_state, 'pool')
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.email_from, 'chen@capture.example')
        self.assertEqual(lead.country_id, self.env.ref('base.cn'))
        status, again = self.post({'name': 'Price request again',
                                   'email_from': 'CHEN@capture.example'})
        self.assertEqual((status, again), (200, {'id': lead.id,
                                                 'duplicate': True}))

    def test_refusals_answer_json_errors(self):
        self.assertEqual(self.post({'name': 'x'}, token=False)[0], 401)
        self.assertEqual(self.post({'name': 'x'}, token='wrong')[0], 401)
        status, body = self.post({'name': 'x', 'colour': 'red'})
        self.assertEqual(status, 400)
        self.assertIn('colour', body['error'])
        status, body = self.post({'email_from': 'not an address'})
        self.assertEqual(status, 400)
        self.assertFalse(self.env['crm.lead'].search(
            [('pool_id', '=', self.pool.id)]))
