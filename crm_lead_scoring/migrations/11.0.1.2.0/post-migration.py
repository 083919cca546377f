# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""crm_lead no longer keeps free room in its pages for the nightly job: the
job rewrites only the leads whose score changed, and every read of the
leads paid for a table 40 % bigger. Give the table its default fillfactor
back (unless the database administrator chose another one)."""
from odoo.addons.crm_lead_scoring.hooks import reset_lead_fillfactor


def migrate(cr, version):
    if not version:
        return
    reset_lead_fillfactor(cr)
