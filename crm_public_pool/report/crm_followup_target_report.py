"""Workload: actual follow-ups and new customers against target, per
salesperson and period (SQL view; the rules of policy/workload.py)."""
from odoo import fields, models, tools

from ..models.crm_followup_target import TARGET_PERIODS
from ..policy import workload as workload_policy


class CrmFollowupTargetReport(models.Model):
    _name = 'crm.followup.target.report'
    _description = 'Workload against Target'
    _auto = False
    _order = 'period_start desc, user_id'
    _rec_name = 'user_id'

    target_id = fields.Many2one(
        comodel_name='crm.followup.target',
        string='Target',
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name='res.users',
        string='Salesperson',
        readonly=True,
    )
    team_id = fields.Many2one(
        comodel_name='crm.team',
        string='Sales Team',
        readonly=True,
    )
    period = fields.Selection(
        selection=TARGET_PERIODS,
        readonly=True,
    )
    period_start = fields.Date(readonly=True)
    period_end = fields.Date(
        readonly=True,
        help="First day after the period.",
    )
    followup_count = fields.Integer(
        string='Follow-ups',
        readonly=True,
        group_operator='sum',
    )
    min_followups = fields.Integer(
        string='Minimum Follow-ups',
        readonly=True,
        group_operator='sum',
    )
    customer_count = fields.Integer(
        string='New Customers',
        readonly=True,
        group_operator='sum',
    )
    min_customers = fields.Integer(
        string='Minimum New Customers',
        readonly=True,
        group_operator='sum',
    )
    behind = fields.Boolean(
        string='Behind Target',
        readonly=True,
    )

    def init(self):
        cr = self.env.cr
        cr.execute("""
            CREATE INDEX IF NOT EXISTS crm_followup_user_date_idx
                ON crm_followup (user_id, date)
        """)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS res_partner_user_create_date_idx
                ON res_partner (user_id, create_date)
        """)
        tools.drop_view_if_exists(cr, self._table)
        # The id packs target, salesperson and period number; every filter
        # on the salesperson or team reaches the scans of the counts (no
        # window function in between).
        cr.execute("""
            CREATE VIEW crm_followup_target_report AS
            SELECT (t.id::bigint << %(target_shift)s)
                   + (u.id::bigint << %(user_shift)s) + p.n AS id,
                   t.id AS target_id,
                   u.id AS user_id,
                   COALESCE(t.team_id, u.sale_team_id) AS team_id,
                   t.period AS period,
                   p.start::date AS period_start,
                   (p.start + ('1 ' || t.period)::interval)::date AS period_end,
                   t.min_followups AS min_followups,
                   t.min_customers AS min_customers,
                   fc.n AS followup_count,
                   cc.n AS customer_count,
                   (fc.n < t.min_followups OR cc.n < t.min_customers)
                       AS behind
              FROM crm_followup_target t
              JOIN res_users u
                ON u.id = t.user_id
                OR (t.user_id IS NULL AND u.sale_team_id = t.team_id
                    AND u.active)
             CROSS JOIN LATERAL generate_series(
                       date_trunc(t.period, t.date_from::timestamp),
                       date_trunc(t.period, now() AT TIME ZONE 'UTC'),
                       ('1 ' || t.period)::interval)
                   WITH ORDINALITY AS p(start, n)
             CROSS JOIN LATERAL (
                   SELECT count(*)::integer AS n FROM crm_followup f
                    WHERE f.user_id = u.id AND f.review_state != 'flagged'
                      AND f.date >= p.start
                      AND f.date < p.start + ('1 ' || t.period)::interval
                   ) fc
             CROSS JOIN LATERAL (
                   SELECT count(*)::integer AS n FROM res_partner c
                    WHERE c.user_id = u.id AND c.customer AND c.active
                      AND c.create_date >= p.start
                      AND c.create_date < p.start + ('1 ' || t.period)::interval
                   ) cc
             WHERE t.active
        """, {'target_shift': workload_policy.TARGET_SHIFT,
              'user_shift': workload_policy.USER_SHIFT})

    def _apply_ir_rules(self, query, mode='read'):
        """Reading rows by id (the read after every search) also filters
        on their targets and salespeople, so that only their periods are
        counted (an id, computed in the view, filters nothing early)."""
        super(CrmFollowupTargetReport, self)._apply_ir_rules(query, mode)
        if self.ids:
            targets, users = workload_policy.row_keys(self.ids)
            query.where_clause.append(
                '"{table}".target_id IN %s AND "{table}".user_id IN %s'
                .format(table=self._table))
            query.where_clause_params.extend([tuple(targets), tuple(users)])
