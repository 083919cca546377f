"""Web capture (线上捕捉): the pool side of POST /crm_pool/capture.

The token and the rate limit that admit a capture; the endpoint itself is
in controllers/capture.py, the token bucket math in policy/ratelimit.py.
"""
from datetime import datetime

from odoo import _, api, fields, models

from ..policy import ratelimit as ratelimit_policy
from .crm_pool import _new_token


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """Admission of web captures: token and rate limit."""

    _inherit = 'crm.pool'

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.multi
    def action_regenerate_capture_token(self):
        for pool in self:
            pool.capture_token = _new_token()
            pool.message_post(body=_("A new capture token was generated; "
                                     "the previous one no longer works."),
                              subtype='mail.mt_note')
        return True

    # ------------------------------------------------------------------
    # Web capture
    # ------------------------------------------------------------------
    @api.model
    def _pool_capture_admit(self, token):
        """Find the pool of a capture token and take one rate-limit token.

        Runs on its own short READ COMMITTED transaction (``self.env.cr`` is
        expected fresh) so concurrent captures queue on the pool row instead
        of failing. Returns ``(pool id or None, allowed, retry after)``.
        """
        cr = self.env.cr
        cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        cr.execute("""
            SELECT id, capture_rate_limit, capture_bucket_tokens,
                   capture_bucket_date
              FROM crm_pool
             WHERE capture_token = %s AND active AND res_model = 'crm.lead'
               FOR UPDATE
        """, (token,))
        row = cr.fetchone()
        if not row:
            return None, False, 0
        pool_id, limit, tokens, updated = row
        updated = fields.Datetime.from_string(updated)
        if not limit:
            return pool_id, True, 0
        capacity, rate = ratelimit_policy.per_minute(limit)
        now = datetime.utcnow()
        allowed, tokens, retry = ratelimit_policy.consume(
            tokens if updated else None, updated, now, capacity, rate)
        cr.execute("UPDATE crm_pool SET capture_bucket_tokens = %s, "
                   "capture_bucket_date = %s WHERE id = %s",
                   (tokens, now, pool_id))
        return pool_id, allowed, retry
