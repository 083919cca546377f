"""Web capture (线上捕捉): the pool side of POST /crm_pool/capture.

The token that admits a capture and its pool's rate limit; the endpoint
itself is in controllers/capture.py, the rate limiter (shared with the other
endpoints of the suite) in controllers/plain_json.py.
"""
from odoo import _, api, models

from ..controllers.plain_json import ensure_rate_table
from .crm_pool import _new_token


# crm.pool is extended once per policy on purpose: one file per concern.
# pylint: disable=consider-merging-classes-inherited


class CrmPool(models.Model):
    """Admission of web captures: token and rate limit."""

    _inherit = 'crm.pool'

    @api.model_cr
    def init(self):
        super(CrmPool, self).init()
        ensure_rate_table(self.env.cr)

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
    def _pool_capture_pool(self, token):
        """``(pool id, captures per minute)`` of an active lead pool's
        capture token, or ``(None, 0)``."""
        self.env.cr.execute("""
            SELECT id, capture_rate_limit FROM crm_pool
             WHERE capture_token = %s AND active AND res_model = 'crm.lead'
        """, (token,))
        row = self.env.cr.fetchone()
        return row if row else (None, 0)
