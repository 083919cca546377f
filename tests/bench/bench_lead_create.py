"""Benchmark: creating one lead (and scoring it) at growing table sizes.

    .venv/bin/python tests/bench/bench_lead_create.py --db DB \
        --sizes 10000,100000,1000000
    .venv/bin/python tests/bench/bench_lead_create.py --db DB --smoke

Data per size: ``--size`` leads and ``--size`` companies (res.partner,
``is_company``), every other lead linked to one of them, generated with
SQL ``generate_series``; sizes are cumulative (a larger size adds the
missing rows). The scoring rules are the demo fit rules' domains (a
relation path ``partner_id.is_company`` OR'ed with a column, a
``country_id.code`` path, ``ilike`` alternatives) plus two engagement
rules; the database's other rules are archived meanwhile.

Measured in the same run, per size (median of ``--runs``):

1. ``crm.lead.create()`` as the superuser with tracking off: ms and SQL
   queries;
2. its scoring part alone: ``_score_recompute()`` of the new lead, and the
   fit-rule query (``_score_fit_matches``) of it;
3. the baselines: a plain SQL ``INSERT`` of the same lead, and the plain
   CRM create (``crm.lead.create`` with scoring left out, i.e. the
   suite's other overrides and crm's own work).

``--explain`` prints ``EXPLAIN ANALYZE`` of the fit-rule query of one lead.
Removes everything it created unless ``--keep`` (the next run with
``--keep`` reuses the rows).
"""
import argparse
import functools
import statistics
import sys
import time

from benchlib import add_size_arguments, for_each_size, start_odoo

print = functools.partial(print, flush=True)  # noqa: A001 (progress in logs)
PREFIX = 'bench-create-'
FIT_RULES = [
    "[('email_from', '!=', False)]",
    "['|', ('phone', '!=', False), ('mobile', '!=', False)]",
    "['|', ('partner_name', '!=', False), ('partner_id.is_company', '=', True)]",
    "[('country_id.code', 'in', ['CN', 'HK', 'TW', 'SG'])]",
    "[('planned_revenue', '>', 10000)]",
    "['|', '|', ('email_from', 'ilike', '@qq.com'), "
    "('email_from', 'ilike', '@163.com'), ('email_from', 'ilike', '@gmail.com')]",
    "[('opt_out', '=', True)]",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--db', required=True)
    add_size_arguments(parser, 100000)
    parser.add_argument('--runs', type=int, default=15)
    parser.add_argument('--keep', action='store_true',
                        help='leave the generated leads and companies')
    parser.add_argument('--explain', action='store_true')
    parser.add_argument('--smoke', action='store_true',
                        help='tiny sizes, for CI (< 60 s)')
    args = parser.parse_args()
    if args.smoke:
        args.size, args.sizes, args.runs = 1000, None, 3
    return args


def setup_rules(env):
    Rule = env['crm.lead.score.rule']
    archived = Rule.search([('name', 'not like', PREFIX + '%')])
    archived.write({'active': False})
    rules = Rule.search([('name', 'like', PREFIX + '%')])
    if not rules:
        for index, domain in enumerate(FIT_RULES):
            rules |= Rule.create({'name': '%sfit %d' % (PREFIX, index),
                                  'domain': domain, 'points': 10 - index,
                                  'knockout': index == len(FIT_RULES) - 1})
        types = env['crm.lead.score.event.type'].search(
            [('code', 'in', ['email_reply', 'site_visit'])])
        for event_type in types:
            rules |= Rule.create({
                'name': '%s%s' % (PREFIX, event_type.code), 'kind': 'engagement',
                'event_type_id': event_type.id, 'points': 10,
                'half_life_days': 30})
    return rules, archived


def grow(cr, size):
    """Add companies and leads of the bench up to ``size`` each."""
    cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE %s",
               (PREFIX + '%',))
    have = cr.fetchone()[0]
    if have < size:
        cr.execute("""
            INSERT INTO res_partner (name, display_name, active, is_company,
                type, customer, company_id, lang, create_uid, write_uid,
                create_date, write_date)
            SELECT %(p)s || g, %(p)s || g, true, g %% 3 <> 0, 'contact', true, 1,
                   'en_US', 1, 1, now(), now()
            FROM generate_series(%(low)s, %(high)s) g
        """, {'p': PREFIX, 'low': have + 1, 'high': size})
        cr.execute("""UPDATE res_partner SET commercial_partner_id = id
                      WHERE name LIKE %s AND commercial_partner_id IS NULL""",
                   (PREFIX + '%',))
    cr.execute("SELECT count(*) FROM crm_lead WHERE name LIKE %s", (PREFIX + '%',))
    have_leads = cr.fetchone()[0]
    if have_leads < size:
        cr.execute("""
            INSERT INTO crm_lead (name, type, active, company_id, email_from,
                phone, partner_name, partner_id, planned_revenue, probability,
                priority, create_uid, write_uid, create_date, write_date)
            SELECT %(p)s || g, 'lead', true, 1,
                   CASE WHEN g %% 4 <> 0 THEN 'l' || g || '@bench.example' END,
                   CASE WHEN g %% 2 = 0 THEN '138' || lpad(g::text, 8, '0') END,
                   CASE WHEN g %% 5 = 0 THEN 'Prospect ' || g END,
                   CASE WHEN g %% 2 = 1 THEN c.id END,
                   (g::bigint * 7919) %% 80000, 10, '0', 1, 1, now(), now()
            FROM generate_series(%(low)s, %(high)s) g
            LEFT JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n
                       FROM res_partner WHERE name LIKE %(like)s) c ON c.n = g
        """, {'p': PREFIX, 'low': have_leads + 1, 'high': size,
              'like': PREFIX + '%'})
    cr.execute("SELECT count(*) FROM crm_lead WHERE name LIKE %s", (PREFIX + '%',))
    return max(size - have, 0) + max(size - have_leads, 0), cr.fetchone()[0]


def plain_crm_create(Lead, vals):
    """crm's own create (and what it calls: mail.thread...), none of the
    suite's overrides: the plain CRM baseline in the same database."""
    from odoo.addons.crm.models.crm_lead import Lead as CrmLead
    return CrmLead.create(Lead, vals)


def median_ms(values):
    return statistics.median(values) * 1000.0


def measure(env, args, size):
    """The create, its scoring part and the baselines, ``args.runs`` times."""
    cr = env.cr
    Lead = env['crm.lead'].with_context(tracking_disable=True,
                                        mail_create_nolog=True)
    cr.execute("SELECT id FROM res_partner WHERE name LIKE %s AND is_company "
               "ORDER BY id DESC LIMIT 1", (PREFIX + '%',))
    partner_id = cr.fetchone()[0]
    cn = env.ref('base.cn').id
    creates, queries, scorings, fits, inserts, plains = [], [], [], [], [], []
    for index in range(args.runs):
        vals = {'name': '%snew %d' % (PREFIX, index), 'partner_id': partner_id,
                'email_from': 'new%d@163.com' % index, 'country_id': cn,
                'planned_revenue': 20000, 'phone': '1390000%04d' % index}
        count0 = cr.sql_log_count
        t0 = time.time()
        lead = Lead.create(dict(vals))
        creates.append(time.time() - t0)
        queries.append(cr.sql_log_count - count0)
        t0 = time.time()
        lead._score_recompute()
        scorings.append(time.time() - t0)
        rules = [rule for rule in env['crm.lead.score.rule']._get_rules_data()
                 if rule['kind'] == 'fit']
        t0 = time.time()
        matched = Lead._score_fit_matches(rules, [lead.id])
        fits.append(time.time() - t0)
        t0 = time.time()
        plain_crm_create(Lead, dict(vals))
        plains.append(time.time() - t0)
        t0 = time.time()
        cr.execute("""
            INSERT INTO crm_lead (name, type, active, company_id, partner_id,
                email_from, country_id, planned_revenue, phone, probability,
                priority, create_uid, write_uid, create_date, write_date)
            VALUES (%s, 'lead', true, 1, %s, %s, %s, 20000, %s, 10, '0', 1, 1,
                    now(), now()) RETURNING id
        """, (vals['name'], partner_id, vals['email_from'], cn, vals['phone']))
        cr.fetchone()
        inserts.append(time.time() - t0)
        env.clear()
    if args.explain:
        print_plan(env, Lead, lead.id)
    figures = {
        'create ms': median_ms(creates),
        'create queries': statistics.median(queries),
        'scoring of the new lead ms': median_ms(scorings),
        'fit-rule query ms': median_ms(fits),
        'plain crm create ms': median_ms(plains),
        'raw INSERT ms': median_ms(inserts),
    }
    print("create one lead at %d leads / %d companies (%d runs, medians): "
          "%.2f ms, %d SQL queries; scoring the new lead %.2f ms (fit-rule "
          "query %.2f ms, %d of %d fit rules matched); plain crm create %.2f "
          "ms; raw INSERT %.3f ms"
          % (size, size, args.runs, figures['create ms'], figures['create queries'],
             figures['scoring of the new lead ms'], figures['fit-rule query ms'],
             len(matched.get(lead.id, ())), len(rules),
             figures['plain crm create ms'], figures['raw INSERT ms']))
    print("ratio create / plain crm create: %.2fx; create / raw INSERT: %.0fx; "
          "scoring share of the create: %.0f %%"
          % (figures['create ms'] / figures['plain crm create ms'],
             figures['create ms'] / figures['raw INSERT ms'],
             100.0 * figures['scoring of the new lead ms'] / figures['create ms']))
    return figures


def print_plan(env, Lead, lead_id):
    """EXPLAIN ANALYZE of the fit-rule query of one lead."""
    cr = env.cr
    rules = [rule for rule in env['crm.lead.score.rule']._get_rules_data()
             if rule['kind'] == 'fit']
    Lead._score_fit_matches(rules, [lead_id])
    query = cr._obj.query.decode()  # as sent, parameters bound
    print(query if len(query) < 3000 else '%s ... (%d characters)' % (
        query[:3000], len(query)))
    cr.execute('EXPLAIN ANALYZE ' + query)
    print('\n'.join(row[0] for row in cr.fetchall()))


def run_size(registry, args):
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        rules, archived = setup_rules(env)
        t0 = time.time()
        added, leads = grow(cr, args.size)
        cr.execute('ANALYZE crm_lead')
        cr.execute('ANALYZE res_partner')
        cr.commit()
        cr.execute("SELECT count(*) FROM crm_lead")
        print("data: %d bench leads (%d leads in all) and as many companies (%d "
              "rows added in %.1f s; --keep data of a bigger size stays), %d "
              "scoring rules" % (leads, cr.fetchone()[0], added, time.time() - t0,
                                 len(rules)))
        try:
            return measure(env, args, args.size)
        finally:
            cr.rollback()
            archived.write({'active': True})
            if not args.keep:
                cr.execute("DELETE FROM crm_lead WHERE name LIKE %s", (PREFIX + '%',))
                cr.execute("DELETE FROM res_partner WHERE name LIKE %s",
                           (PREFIX + '%',))
                rules.unlink()
            cr.commit()


def main():
    args = parse_args()
    registry = start_odoo(args.db)
    for_each_size(args, lambda args: run_size(registry, args))
    return 0


if __name__ == '__main__':
    sys.exit(main())
