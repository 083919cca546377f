# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""POST /crm_score/event through Odoo's HTTP stack (routing, auth='none',
the plain-JSON request handling), with the addon's own tests."""
import json
import uuid

from .common import ControllerCase


class TestLeadScoringHttp(ControllerCase):

    def setUp(self):
        super(TestLeadScoringHttp, self).setUp()
        # A fresh token: the per-token rate counter (its own committed
        # table rows) starts at zero whatever ran before.
        self.token = 'test-%s' % uuid.uuid4().hex
        params = self.env['ir.config_parameter']
        params.set_param('crm_lead_scoring.event_token', self.token)
        params.set_param('crm_lead_scoring.event_rate_limit', '1000')
        self.lead = self.env['crm.lead'].create({
            'name': 'Visitor from the site', 'email_from': 'visitor@scoring.test'})
        self.site_visit = self.env.ref('crm_lead_scoring.event_type_site_visit')

    def post(self, body, token=None, raw=None):
        headers = {}
        if token is not False:
            headers['Authorization'] = 'Bearer %s' % (token or self.token)
        response = self.http(
            'POST', '/crm_score/event', headers=headers,
            data=raw if raw is not None else json.dumps(body),
            content_type='application/json')
        self.assertTrue(response.headers['Content-Type'].startswith(
            'application/json'), response.headers['Content-Type'])
        return response.status_code, json.loads(response.get_data(as_text=True))

    def test_event_by_lead_id_is_recorded(self):
        status, body = self.post({'lead_id': self.lead.id,
                                  'event_type': 'site_visit',
                                  'date': '2024-03-01T08:00:00Z'})
        self.assertEqual(status, 201, body)
        event = self.env['crm.lead.score.event'].browse(body['id'])
        self.assertEqual(event.lead_id, self.lead)
        self.assertEqual(event.event_type_id, self.site_visit)
        self.assertEqual(event.source, 'api')
        self.assertEqual(event.date, '2024-03-01 08:00:00')

    def test_event_by_email(self):
        status, body = self.post({'email': 'VISITOR@scoring.test',
                                  'event_type': 'site_visit'})
        self.assertEqual(status, 201, body)
        self.assertEqual(
            self.env['crm.lead.score.event'].browse(body['id']).lead_id,
            self.lead)

    def test_refusals_answer_json_errors(self):
        event = {'lead_id': self.lead.id, 'event_type': 'site_visit'}
        self.assertEqual(self.post(event, token=False),
                         (401, {'error': 'Missing or unknown token.'}))
        self.assertEqual(self.post(event, token='wrong'),
                         (401, {'error': 'Missing or unknown token.'}))
        self.assertEqual(self.post(None, raw='{not json'),
                         (400, {'error': 'The body is not valid JSON.'}))
        self.assertEqual(self.post(dict(event, event_type='nope')),
                         (422, {'error': "Unknown event type 'nope'."}))
        self.assertEqual(self.post(dict(event, lead_id=2 ** 31 - 1)),
                         (404, {'error': 'No lead with id 2147483647.'}))
        self.assertFalse(self.env['crm.lead.score.event'].search(
            [('lead_id', '=', self.lead.id)]))
