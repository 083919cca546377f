# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Score lines no longer have a foreign key to their lead: the module now
manages their table (see crm.lead.score.line) and a trigger on crm_lead
deletes the lines of deleted leads. Drop the key Odoo created and its
record; the trigger is created when the module loads."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        ALTER TABLE crm_lead_score_line
            DROP CONSTRAINT IF EXISTS crm_lead_score_line_lead_id_fkey
    """)
    cr.execute("""
        DELETE FROM ir_model_constraint
         WHERE name = 'crm_lead_score_line_lead_id_fkey' AND type = 'f'
    """)
