# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Score lines no longer have foreign keys to their lead and rule: the
module now manages their table (see crm.lead.score.line) and triggers on
crm_lead and crm_lead_score_rule delete the lines of deleted leads and
rules. Drop the keys Odoo created and their records; the triggers are
created when the module loads."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        ALTER TABLE crm_lead_score_line
            DROP CONSTRAINT IF EXISTS crm_lead_score_line_lead_id_fkey,
            DROP CONSTRAINT IF EXISTS crm_lead_score_line_rule_id_fkey
    """)
    cr.execute("""
        DELETE FROM ir_model_constraint
         WHERE name IN ('crm_lead_score_line_lead_id_fkey',
                        'crm_lead_score_line_rule_id_fkey')
           AND type = 'f'
    """)
