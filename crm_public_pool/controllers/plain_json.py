# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Plain-JSON HTTP endpoints on Odoo 11, one mechanism for the suite.

Odoo 11 takes every ``application/json`` request for a JSON-RPC call. An
endpoint that takes a plain JSON object and answers real HTTP status codes
registers its path here: its requests are then handled as plain HTTP
requests and the controller parses the body itself.

The same module ships in each addon of the suite that has such an endpoint
(the addons do not depend on each other); whichever loads first installs
the one patch of ``http.Root.get_request``, the others only add their path
to the same set, kept on ``odoo.http``.
"""
import json

from odoo import _, http

_PATHS_ATTR = 'crm_suite_plain_json_paths'


class JsonError(Exception):
    """A refused request: its HTTP status and its message (translated)."""

    def __init__(self, status, message, headers=None):
        super(JsonError, self).__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers or [])


def serve_plain_json(path):
    """Handle the requests to ``path`` as plain HTTP requests."""
    paths = getattr(http, _PATHS_ATTR, None)
    if paths is None:
        paths = set()
        setattr(http, _PATHS_ATTR, paths)
        previous = http.Root.get_request

        def get_request(self, httprequest):
            if httprequest.path in paths:
                return http.HttpRequest(httprequest)
            return previous(self, httprequest)

        http.Root.get_request = get_request
    paths.add(path)


def json_response(status, payload, headers=None):
    """``payload`` as a JSON answer that no proxy keeps."""
    return http.Response(
        json.dumps(payload, ensure_ascii=False), status=status,
        headers=[('Content-Type', 'application/json; charset=utf-8'),
                 ('Cache-Control', 'no-store')] + list(headers or []))


def bearer_token(httprequest):
    """The token of an ``Authorization: Bearer <token>`` header, or ''."""
    header = (httprequest.headers.get('Authorization') or '').strip()
    scheme, _sep, token = header.partition(' ')
    return token.strip() if scheme.lower() == 'bearer' else ''


def read_body(httprequest, max_bytes):
    """The request body, refused (413) beyond ``max_bytes``."""
    length = httprequest.content_length
    body = b'' if length is not None and length > max_bytes \
        else httprequest.stream.read(max_bytes + 1)
    if len(body) > max_bytes or (length or 0) > max_bytes:
        raise JsonError(413, _("The request body is larger than %s bytes.")
                        % max_bytes)
    return body


def json_object(body):
    """The body parsed as a JSON object (400 otherwise)."""
    try:
        data = json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError):
        raise JsonError(400, _("The body is not valid JSON."))
    if not isinstance(data, dict):
        raise JsonError(400, _("The body must be a JSON object."))
    return data
