# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Plain-JSON HTTP endpoints on Odoo 11, one mechanism for the suite.

Odoo 11 takes every ``application/json`` request for a JSON-RPC call. An
endpoint that takes a plain JSON object and answers real HTTP status codes
registers its path here: its requests are then handled as plain HTTP
requests and the controller parses the body itself. The module also holds
what such endpoints share: the JSON answer and error, the bearer token, the
body limits and the rate limit (a token bucket per key, kept in one table
for every worker and server of the database).

The same module ships in each addon of the suite that has such an endpoint
(the addons do not depend on each other); whichever loads first installs
the one patch of ``http.Root.get_request``, the others only add their path
to the same set, kept on ``odoo.http``.
"""
import json
from datetime import datetime

from odoo import _, http, sql_db

_PATHS_ATTR = 'crm_suite_plain_json_paths'
RATE_TABLE = 'crm_suite_rate_bucket'  # the buckets of rate_limit()


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


# ----------------------------------------------------------------------
# Rate limit: one token bucket per key ("N requests per minute", bursts up
# to N), the math in plain Python, the state in one row per key.
# ----------------------------------------------------------------------
def consume(tokens, updated_at, now, capacity, rate, cost=1.0):
    """Take ``cost`` tokens from a bucket of ``capacity`` tokens refilled
    at ``rate`` tokens per second.

    ``tokens`` / ``updated_at`` are the stored state (``None`` for a fresh,
    full bucket); ``now`` and ``updated_at`` are datetimes. Returns
    ``(allowed, new_tokens, retry_after_seconds)``: the caller stores
    ``new_tokens`` with ``now``. A clock going backwards never adds tokens.
    """
    if capacity <= 0:
        return True, tokens, 0.0
    if tokens is None or updated_at is None:
        tokens = float(capacity)
    else:
        elapsed = max((now - updated_at).total_seconds(), 0.0)
        tokens = min(float(capacity), float(tokens) + elapsed * rate)
    if tokens >= cost:
        return True, tokens - cost, 0.0
    missing = cost - tokens
    retry = missing / rate if rate > 0 else float('inf')
    return False, tokens, retry


def ensure_rate_table(cr):
    """Create the buckets' table (each addon's install calls it)."""
    cr.execute("""
        CREATE TABLE IF NOT EXISTS crm_suite_rate_bucket (
            key varchar PRIMARY KEY,
            tokens double precision,
            updated timestamp
        )""")


def rate_limit(dbname, key, per_minute):
    """Count one request against the bucket ``key`` of "``per_minute``
    requests per minute" (0 or less: no limit); 429 when it is empty.

    Runs on a cursor of its own that commits at once: a refused request
    still counts, and concurrent requests (any worker, any server) queue on
    the bucket's row instead of failing or both taking the last token.
    """
    if not per_minute or per_minute <= 0:
        return
    with sql_db.db_connect(dbname).cursor() as cr:
        cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        cr.execute("INSERT INTO crm_suite_rate_bucket (key) VALUES (%s) "
                   "ON CONFLICT (key) DO NOTHING", (key,))
        # times as epochs: Odoo's cursors read timestamps as strings
        cr.execute("SELECT tokens, extract(epoch FROM updated), "
                   "extract(epoch FROM now() AT TIME ZONE 'UTC') "
                   "FROM crm_suite_rate_bucket WHERE key = %s FOR UPDATE",
                   (key,))
        tokens, updated, now = cr.fetchone()
        updated = updated and datetime.utcfromtimestamp(updated)
        now = datetime.utcfromtimestamp(now)
        allowed, tokens, retry = consume(
            tokens, updated, now, float(per_minute), per_minute / 60.0)
        cr.execute("UPDATE crm_suite_rate_bucket SET tokens = %s, "
                   "updated = %s WHERE key = %s", (tokens, now, key))
    if not allowed:
        seconds = max(int(retry + 0.999), 1)
        raise JsonError(
            429, _("Too many requests (at most %(limit)s per minute); retry "
                   "in %(seconds)s seconds.") % {'limit': per_minute,
                                                 'seconds': seconds},
            [('Retry-After', str(seconds))])
