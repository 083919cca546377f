# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# The lines of a deleted lead go with it, whatever deletes it (the ORM,
# Odoo's merge, SQL): one set-based statement per DELETE on crm_lead.
DROP_LEAD_LINES_SQL = """
    CREATE OR REPLACE FUNCTION crm_lead_score_line_drop_leads()
    RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        DELETE FROM crm_lead_score_line
         WHERE lead_id = ANY(ARRAY(SELECT id FROM crm_lead_score_deleted_lead));
        RETURN NULL;
    END
    $body$;
    DROP TRIGGER IF EXISTS crm_lead_score_line_drop ON crm_lead;
    CREATE TRIGGER crm_lead_score_line_drop AFTER DELETE ON crm_lead
        REFERENCING OLD TABLE AS crm_lead_score_deleted_lead
        FOR EACH STATEMENT EXECUTE PROCEDURE crm_lead_score_line_drop_leads();
"""


class CrmLeadScoreLine(models.Model):
    """Why a lead has its score: one line per rule that applies.

    Lines are written by the recompute only (set-based SQL); their points
    (after cap and decay) always add up to the lead's score.

    Derived data, rewritten by every recompute, so the module manages the
    table itself (``_auto = False``, see :meth:`init`): Odoo's schema sync
    would give it a foreign key to ``crm_lead``, which PostgreSQL checks
    row by row on each of the hundreds of thousands of lines a first
    scoring inserts. The table keeps the foreign key to its rule (a handful
    of rows, deleting a rule cascades to its lines) and a statement trigger
    on ``crm_lead`` deletes the lines of deleted leads instead.
    """
    _name = 'crm.lead.score.line'
    _inherit = ['crm.lead.score.lead.bound']
    _description = 'Lead Score Explanation Line'
    _order = 'kind desc, points desc, id'
    _auto = False
    # no author or date columns: the lead's score_date says when
    _log_access = False

    lead_id = fields.Many2one(
        comodel_name='crm.lead',
        string='Lead',
        required=True,
        ondelete='cascade',
        index=True,
        readonly=True,
    )
    rule_id = fields.Many2one(
        comodel_name='crm.lead.score.rule',
        string='Rule',
        ondelete='cascade',
        index=True,
        readonly=True,
    )
    event_type_id = fields.Many2one(
        comodel_name='crm.lead.score.event.type',
        string='Event Type',
        related='rule_id.event_type_id',
        readonly=True,
    )
    kind = fields.Selection(
        selection=[
            ('fit', 'Fit'),
            ('engagement', 'Engagement'),
        ],
        required=True,
        readonly=True,
    )
    points = fields.Float(
        digits=(16, 2),
        readonly=True,
    )
    event_count = fields.Integer(
        string='Events',
        readonly=True,
    )
    knockout = fields.Boolean(
        readonly=True,
    )

    @api.model_cr
    def init(self):
        """The table as the fields above describe it, with the columns,
        indexes and constraints Odoo would give it but the ``lead_id``
        foreign key; idempotent (runs at each install and update)."""
        cr = self.env.cr
        # The nightly recompute updates decayed points in place: free room in
        # each page lets PostgreSQL do it as HOT updates (no index writes).
        cr.execute("""
            CREATE TABLE IF NOT EXISTS crm_lead_score_line (
                id serial PRIMARY KEY,
                lead_id integer NOT NULL,
                rule_id integer REFERENCES crm_lead_score_rule (id)
                    ON DELETE CASCADE,
                kind varchar NOT NULL,
                points numeric,
                event_count integer,
                knockout boolean
            ) WITH (fillfactor = 70);
            CREATE INDEX IF NOT EXISTS crm_lead_score_line_lead_id_index
                ON crm_lead_score_line (lead_id);
            CREATE INDEX IF NOT EXISTS crm_lead_score_line_rule_id_index
                ON crm_lead_score_line (rule_id);
        """)
        cr.execute(DROP_LEAD_LINES_SQL)
