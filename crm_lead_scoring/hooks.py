# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def post_init_hook(cr, registry):
    """Give every open lead a score once rules (and demo rules) are loaded."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env['crm.lead.score.event']._score_ensure_token()
    # inside the install's transaction: no batch commits
    env['crm.lead'].with_context(crm_no_commit=True)._cron_score_recompute()


def uninstall_hook(cr, registry):
    """Give crm_lead its default fillfactor back, unless somebody changed it
    from the 70 the module set."""
    from .models.crm_lead import LEAD_FILLFACTOR
    cr.execute("SELECT reloptions FROM pg_class WHERE oid = 'crm_lead'::regclass")
    if 'fillfactor=%d' % LEAD_FILLFACTOR in (cr.fetchone()[0] or []):
        cr.execute("ALTER TABLE crm_lead RESET (fillfactor)")
