# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# The lines of deleted leads and rules go with them, whatever deletes them
# (the ORM, Odoo's merge, SQL): one set-based statement per DELETE, in the
# deleting transaction. {0}: lead or rule, {1}: crm_lead or
# crm_lead_score_rule.
_DROP_LINES_TEMPLATE = """
    CREATE OR REPLACE FUNCTION crm_lead_score_line_drop_{0}s()
    RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        DELETE FROM crm_lead_score_line
         WHERE {0}_id = ANY(ARRAY(SELECT id FROM crm_lead_score_deleted_{0}));
        RETURN NULL;
    END
    $body$;
    DROP TRIGGER IF EXISTS crm_lead_score_line_drop ON {1};
    CREATE TRIGGER crm_lead_score_line_drop AFTER DELETE ON {1}
        REFERENCING OLD TABLE AS crm_lead_score_deleted_{0}
        FOR EACH STATEMENT EXECUTE PROCEDURE crm_lead_score_line_drop_{0}s();
"""
CREATE_TRIGGERS_SQL = [
    _DROP_LINES_TEMPLATE.format('lead', 'crm_lead'),
    _DROP_LINES_TEMPLATE.format('rule', 'crm_lead_score_rule'),
]
# uninstall: the lines' table is dropped, the triggers must go too
DROP_TRIGGERS_SQL = """
    DROP TRIGGER IF EXISTS crm_lead_score_line_drop ON crm_lead;
    DROP TRIGGER IF EXISTS crm_lead_score_line_drop ON crm_lead_score_rule;
    DROP FUNCTION IF EXISTS crm_lead_score_line_drop_leads();
    DROP FUNCTION IF EXISTS crm_lead_score_line_drop_rules();
"""


class CrmLeadScoreLine(models.Model):
    """Why a lead has its score: one line per rule that applies.

    Lines are written by the recompute only (set-based SQL); their points
    (after cap and decay) always add up to the lead's score.

    Derived data, rewritten by every recompute, so the module manages the
    table itself (``_auto = False``, see :meth:`init`): Odoo's schema sync
    would give it foreign keys to ``crm_lead`` and to the rule, which
    PostgreSQL checks row by row on each of the hundreds of thousands of
    lines a first scoring inserts (most of the time of the inserts). A statement
    trigger on ``crm_lead`` and one on ``crm_lead_score_rule`` delete the
    lines of deleted leads and rules instead.
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
        compute='_compute_event_type_id',
        search='_search_event_type_id',
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

    @api.multi
    def _compute_event_type_id(self):
        """The rule's event type. A rule deleted by a transaction that ran
        alongside the recompute of a lead may leave the lead a line without
        rule (no foreign key stops it) until the lead is recomputed: the
        line shows no rule nor event type instead of failing the lead."""
        # sudo: the rules' event types, as the breakdown shows them to anyone
        # who may read the lead.
        lines = self.sudo()
        rules = lines.mapped('rule_id').exists()
        for line, sudo_line in zip(self, lines):
            rule = sudo_line.rule_id
            line.event_type_id = rule.event_type_id if rule in rules else False

    @api.model
    def _search_event_type_id(self, operator, value):
        return [('rule_id.event_type_id', operator, value)]

    @api.model_cr
    def init(self):
        """The table as the fields above describe it, with the columns and
        indexes Odoo would give it but no foreign key, and the triggers that
        delete the lines of deleted leads and rules; idempotent (runs at
        each install and update)."""
        cr = self.env.cr
        # The nightly recompute updates decayed points in place: free room in
        # each page lets PostgreSQL do it as HOT updates (no index writes).
        cr.execute("""
            CREATE TABLE IF NOT EXISTS crm_lead_score_line (
                id serial PRIMARY KEY,
                lead_id integer NOT NULL,
                rule_id integer,
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
        for triggers_sql in CREATE_TRIGGERS_SQL:
            cr.execute(triggers_sql)
