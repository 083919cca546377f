# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""POST /crm_score/event: external engagement events (website visits, form
submits...) authenticated by the ``crm_lead_scoring.event_token`` bearer
token. Answers JSON: 201 {"id": event id}, 4xx {"error": message}."""
import hashlib
import hmac
import logging
from datetime import datetime

from odoo import SUPERUSER_ID, _, api, fields, http
from odoo.http import request

from ..lib import scoring
from .plain_json import (JsonError, bearer_token, json_object, json_response,
                         rate_limit, read_body, serve_plain_json)
from ..models.crm_lead_score_event import (DEFAULT_RATE_LIMIT, RATE_LIMIT_PARAM,
                                           TOKEN_PARAM)

_logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024
EVENT_PATH = '/crm_score/event'

serve_plain_json(EVENT_PATH)


class CrmScoreEventController(http.Controller):

    @http.route(EVENT_PATH, type='http', auth='none', methods=['POST'],
                csrf=False)
    def score_event(self, **kwargs):
        if not request.db:
            return json_response(404, {'error': 'no database'})
        try:
            # superuser: the bearer token is the authentication of this
            # route; it only ever records one event on one lead.
            env = api.Environment(request.cr, SUPERUSER_ID, {})
            env = env(context=dict(env.context, lang=self._lang(env)))
            event = self._record(env)
            return json_response(201, {'id': event.id})
        except JsonError as exc:
            request.cr.rollback()
            return json_response(exc.status, {'error': exc.message},
                                 exc.headers)
        except Exception:  # never answer 500 to an integration
            request.cr.rollback()
            _logger.exception("crm_score/event failed")
            return json_response(400, {'error': 'invalid request'})

    @staticmethod
    def _lang(env):
        lang = request.httprequest.headers.get('Accept-Language', '')
        code = lang.split(',')[0].split(';')[0].strip().replace('-', '_')
        if code and env['res.lang'].search_count([('code', '=', code)]):
            return code
        return 'en_US'

    def _record(self, env):
        httprequest = request.httprequest
        token = env['ir.config_parameter'].get_param(TOKEN_PARAM) or ''
        given = bearer_token(httprequest)
        if not token or not given or not hmac.compare_digest(
                given.encode('utf-8'), token.encode('utf-8')):
            raise JsonError(401, _("Missing or unknown token."))
        length = httprequest.content_length
        if length and length > MAX_BODY:
            # refused before it counts against the rate limit
            read_body(httprequest, MAX_BODY)
        self._check_rate(env, token)
        payload = json_object(read_body(httprequest, MAX_BODY))
        code = payload.get('event_type')
        if not isinstance(code, str) or not code:
            raise JsonError(422, _("'event_type' is required."))
        event_type = env['crm.lead.score.event.type'].search(
            [('code', '=', code)], limit=1)
        if not event_type:
            raise JsonError(422, _("Unknown event type %s.") % repr(code))
        lead = self._find_lead(env, payload)
        date = fields.Datetime.now()
        if payload.get('date') is not None:
            try:
                date = fields.Datetime.to_string(scoring.parse_iso_datetime(
                    payload['date'], now=datetime.utcnow()))
            except (TypeError, ValueError):
                raise JsonError(
                    422, _("'date' must be an ISO 8601 datetime, not in the "
                           "future."))
        events = env['crm.lead.score.event']._score_record(
            event_type.code, lead, 'api', date=date,
            note=str(payload.get('note') or '')[:256] or None)
        return events

    @staticmethod
    def _find_lead(env, payload):
        leads = env['crm.lead'].with_context(active_test=False)
        if payload.get('lead_id') is not None:
            lead_id = payload['lead_id']
            if isinstance(lead_id, bool) or not isinstance(lead_id, int) \
                    or lead_id <= 0 or lead_id > 2 ** 31 - 1:
                raise JsonError(422, _("'lead_id' must be a positive "
                                       "integer."))
            lead = leads.browse(lead_id).exists()
            if not lead:
                raise JsonError(404, _("No lead with id %s.") % lead_id)
            return lead
        email = payload.get('email')
        if email is not None:
            if not isinstance(email, str) or '@' not in email or len(email) > 254:
                raise JsonError(422, _("'email' must be an email "
                                       "address."))
            # the address itself, its LIKE wildcards taken literally
            literal = email.strip().replace('\\', '\\\\').replace(
                '%', '\\%').replace('_', '\\_')
            lead = env['crm.lead'].search(
                [('email_from', '=ilike', literal)],
                order='probability desc, id desc', limit=1)
            if not lead:
                raise JsonError(
                    404, _("No active lead with the email %s.") % email.strip())
            return lead
        raise JsonError(422, _("Give 'lead_id' or 'email'."))

    @staticmethod
    def _check_rate(env, token):
        """Count the request against the token's bucket, shared by every
        worker and server; refuse beyond the configured limit."""
        try:
            limit = int(env['ir.config_parameter'].get_param(
                RATE_LIMIT_PARAM, DEFAULT_RATE_LIMIT))
        except ValueError:
            limit = DEFAULT_RATE_LIMIT
        key = hashlib.sha256(token.encode('utf-8')).hexdigest()[:32]
        rate_limit(request.db, 'crm_score.event:%s' % key, limit)
