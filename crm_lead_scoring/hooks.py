# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api

from .models.crm_lead_score_line import DROP_TRIGGERS_SQL


def post_init_hook(cr, registry):
    """Give every open lead a score once rules (and demo rules) are loaded."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env['crm.lead.score.event']._score_ensure_token()
    # inside the install's transaction: no batch commits
    env['crm.lead'].with_context(crm_no_commit=True)._cron_score_recompute()


def reset_lead_fillfactor(cr):
    """Give crm_lead PostgreSQL's default fillfactor back when it is the 70
    that versions before 11.0.1.2.0 set (a value the database administrator
    chose stays). It applies to the pages written from now on; ``VACUUM
    FULL crm_lead`` packs the table at once."""
    cr.execute("SELECT reloptions FROM pg_class WHERE oid = 'crm_lead'::regclass")
    if 'fillfactor=70' in (cr.fetchone()[0] or []):
        cr.execute("ALTER TABLE crm_lead RESET (fillfactor)")


def uninstall_hook(cr, registry):
    """Databases installed before 11.0.1.2.0 and never updated keep the
    module's fillfactor until it is uninstalled. The triggers that delete
    the score lines of deleted leads and rules go (the lines' table is
    dropped after this hook)."""
    reset_lead_fillfactor(cr)
    cr.execute(DROP_TRIGGERS_SQL)
