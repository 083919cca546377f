# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Score lines keep no author or date columns and no event type of their own
(it is their rule's): drop those columns, and their foreign keys with them."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        ALTER TABLE crm_lead_score_line
            DROP COLUMN IF EXISTS event_type_id,
            DROP COLUMN IF EXISTS create_uid,
            DROP COLUMN IF EXISTS create_date,
            DROP COLUMN IF EXISTS write_uid,
            DROP COLUMN IF EXISTS write_date
    """)
