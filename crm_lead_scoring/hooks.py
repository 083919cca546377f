# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def post_init_hook(cr, registry):
    """Give every open lead a score once rules (and demo rules) are loaded."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env['crm.lead.score.event']._score_ensure_token()
    env['crm.lead']._cron_score_recompute(commit=False)
