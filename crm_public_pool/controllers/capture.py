"""Web capture (线上捕捉): POST /crm_pool/capture creates a lead in a pool."""
import logging
import re

import psycopg2

from odoo import SUPERUSER_ID, _, api, http
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape
from odoo.http import request

from ..policy import contact as contact_policy
from .plain_json import (JsonError, bearer_token, json_object, json_response,
                         rate_limit, read_body, serve_plain_json)

_logger = logging.getLogger(__name__)

CAPTURE_PATH = '/crm_pool/capture'
MAX_BODY = 16 * 1024
TEXT_FIELDS = {
    'name': 256, 'contact_name': 128, 'partner_name': 256,
    'email_from': 254, 'phone': 32, 'mobile': 32, 'description': 8000,
    'source': 64, 'city': 128, 'country': 2,
}
EMAIL_RE = re.compile(r'^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>".]+$')
PHONE_RE = re.compile(r'^\+?[0-9 ()./-]+$')


serve_plain_json(CAPTURE_PATH)


class PoolCaptureController(http.Controller):

    @http.route(CAPTURE_PATH, type='http', auth='none',
                methods=['POST'], csrf=False)
    def capture(self, **_kwargs):
        try:
            return self._capture()
        except JsonError as err:
            return json_response(err.status, {'error': err.message},
                                 err.headers)
        except Exception:  # the endpoint answers JSON, never a 500 page
            _logger.exception("Pool capture failed")
            try:
                request.env.cr.rollback()
            except Exception:  # pylint: disable=broad-except
                _logger.debug("rollback after a failed capture failed")
            return json_response(400, {'error': _(
                "The lead could not be created; please try again later.")})

    # ------------------------------------------------------------------
    def _capture(self):
        body = read_body(request.httprequest, MAX_BODY)
        token = self._read_token()
        env = api.Environment(request.env.cr, SUPERUSER_ID,
                              {'lang': request.env.context.get('lang')})
        pool_id, per_minute = env['crm.pool']._pool_capture_pool(token)
        if not pool_id:
            raise JsonError(401, _("Unknown capture token."))
        rate_limit(request.db, 'crm_pool.capture:%d' % pool_id, per_minute)
        data = self._parse(body)
        pool = env['crm.pool'].browse(pool_id)
        vals = self._lead_values(env, pool, data)
        Lead = env['crm.lead'].with_context(
            mail_create_nolog=True, tracking_disable=True)
        duplicate = self._find_duplicate(env, pool, vals)
        if duplicate:
            self._note_duplicate(duplicate, data)
            request.env.cr.commit()  # pylint: disable=invalid-commit
            return json_response(200, {'id': duplicate.id,
                                       'duplicate': True})
        try:
            with env.cr.savepoint():
                lead = Lead.create(vals)
        except (UserError, ValidationError) as err:
            # the web form's visitor is anonymous: the reason (which may name
            # existing leads and their owners) stays in the server log
            _logger.info("Pool capture refused: %s", err.name)
            raise JsonError(422, _("The lead was refused by the rules of "
                                   "the pool (e.g. it duplicates an "
                                   "existing lead)."))
        except psycopg2.Error as err:
            _logger.warning("Pool capture refused by the database: %s", err)
            raise JsonError(409, _("The lead could not be stored; please "
                                   "try again."))
        lead_id = lead.id
        # The lead is complete: commit it before the distribution, which
        # works batch by batch on its own transactions.
        request.env.cr.commit()  # pylint: disable=invalid-commit
        try:
            pool._pool_distribute(batch_size=50, commit=True)
        except Exception:  # the lead is stored; the cron distributes later
            _logger.exception("Distribution after capture failed")
            request.env.cr.rollback()
        return json_response(201, {'id': lead_id})

    def _read_token(self):
        token = bearer_token(request.httprequest)
        if not token:
            raise JsonError(401, _("Missing 'Authorization: Bearer <token>' "
                                   "header."))
        return token

    def _parse(self, body):
        data = json_object(body)
        unknown = sorted(set(data) - set(TEXT_FIELDS))
        if unknown:
            raise JsonError(400, _("Unknown fields: %s.")
                            % ', '.join(unknown))
        clean = self._clean_texts(data)
        if not any(clean.get(k) for k in ('name', 'contact_name',
                                          'partner_name', 'email_from',
                                          'phone', 'mobile')):
            raise JsonError(400, _(
                "Give at least a name, a contact, an email or a phone."))
        self._check_contact(clean)
        return clean

    def _clean_texts(self, data):
        """The non-empty values, trimmed; each a string within its size."""
        clean = {}
        for key, value in data.items():
            if value is None or value == '':
                continue
            if not isinstance(value, str):
                raise JsonError(400, _("Field %s must be a string.") % key)
            value = value.strip()
            if len(value) > TEXT_FIELDS[key]:
                raise JsonError(400, _(
                    "Field %(field)s is longer than %(max)s characters.")
                    % {'field': key, 'max': TEXT_FIELDS[key]})
            if value:
                clean[key] = value
        return clean

    def _check_contact(self, clean):
        """A well-formed email address and phone numbers."""
        if clean.get('email_from') and not EMAIL_RE.match(clean['email_from']):
            raise JsonError(400, _("Invalid email address: %s")
                            % clean['email_from'])
        for key in ('phone', 'mobile'):
            value = clean.get(key)
            if value:
                digits = contact_policy.normalize_phone(value)
                if not PHONE_RE.match(value) or not 5 <= len(digits) <= 15:
                    raise JsonError(400, _(
                        "Invalid phone number in %(field)s: %(value)s")
                        % {'field': key, 'value': value})

    def _lead_values(self, env, pool, data):
        vals = {
            'type': 'lead',
            'pool_id': pool.id,
            'user_id': False,
            'team_id': False,
            'company_id': pool.company_id.id,
            'name': data.get('name') or data.get('partner_name')
            or data.get('contact_name') or data.get('email_from')
            or data.get('phone') or data.get('mobile'),
        }
        for key in ('contact_name', 'partner_name', 'email_from', 'phone',
                    'mobile', 'description', 'city'):
            if data.get(key):
                vals[key] = data[key]
        if data.get('country'):
            code = data['country'].upper()
            country = env['res.country'].search([('code', '=', code)],
                                                limit=1)
            if not country or not re.match(r'^[A-Z]{2}$', code):
                raise JsonError(400, _("Unknown country code: %s")
                                % data['country'])
            vals['country_id'] = country.id
        if data.get('source'):
            source = env['utm.source'].search(
                [('name', '=ilike', data['source'])], limit=1)
            if source:
                vals['source_id'] = source.id
            else:
                vals['referred'] = data['source']
        return vals

    def _find_duplicate(self, env, pool, vals):
        """An active lead of the pool's company with the same normalized
        email or phone (the create path's look-up, on contact keys only: two
        people of one company are two leads)."""
        ids = env['crm.lead']._pool_duplicate_ids(
            [contact_policy.normalize_phone(vals.get('phone')),
             contact_policy.normalize_phone(vals.get('mobile'))],
            contact_policy.normalize_email(vals.get('email_from')),
            company_id=pool.company_id.id, limit=1)
        return env['crm.lead'].browse(ids)

    def _note_duplicate(self, lead, data):
        lines = ''.join(
            '<li>%s: %s</li>' % (key, html_escape(value))
            for key, value in sorted(data.items()))
        body = '<p>%s</p><ul>%s</ul>' % (
            html_escape(_("Captured again from the web form:")), lines)
        lead.message_post(body=body, subtype='mail.mt_note')
