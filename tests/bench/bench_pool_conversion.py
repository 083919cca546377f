"""Benchmark: the lead conversion report over many leads.

    .venv/bin/python tests/bench/bench_pool_conversion.py --db DB [--size 1000000]
    .venv/bin/python tests/bench/bench_pool_conversion.py --db DB --smoke

``--size`` leads (generated with SQL ``generate_series``) spread over 5
sources and 10 salespeople: 60 % plain leads, 40 % opportunities of which
a third are won and a sixth lost. Measured: the pivot's ``read_group`` of
``crm.pool.conversion.report`` grouped by source with every measure (counts,
rates, median days, won revenue), next to the same aggregate written in raw
SQL on ``crm_lead`` (``percentile_cont`` for the medians) in the same run.
Everything the benchmark creates is removed at the end.
"""
import argparse
import os
import statistics
import sys
import time
import uuid

from benchlib import start_odoo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEASURES = ['lead_count', 'qualified_count', 'opportunity_count', 'won_count',
            'qualified_rate', 'opportunity_rate', 'won_rate',
            'opportunity_won_rate', 'days_to_opportunity', 'days_to_won',
            'days_lead_to_won', 'won_revenue']
RAW = """
    SELECT source_id, count(*),
           sum((type = 'opportunity' OR qualification_state = 'qualified')::int),
           sum((type = 'opportunity')::int), sum(won::int),
           avg(100.0 * (type = 'opportunity'
                        OR qualification_state = 'qualified')::int),
           avg(100.0 * (type = 'opportunity')::int), avg(100.0 * won::int),
           avg(CASE WHEN type = 'opportunity' THEN 100.0 * won::int END),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE
               WHEN type = 'opportunity' THEN date_part('epoch',
               COALESCE(date_conversion, create_date) - create_date) / 86400.0 END),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN won THEN
               date_part('epoch', COALESCE(date_closed, write_date)
               - COALESCE(date_conversion, create_date)) / 86400.0 END),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN won THEN
               date_part('epoch', COALESCE(date_closed, write_date)
               - create_date) / 86400.0 END),
           sum(CASE WHEN won THEN planned_revenue ELSE 0 END)
      FROM (SELECT *, (active AND probability >= 100) AS won FROM crm_lead
             WHERE source_id = ANY(%s)) l
     GROUP BY source_id
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--db', required=True)
    parser.add_argument('--size', type=int, default=1000000)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--smoke', action='store_true',
                        help='tiny sizes, for CI (< 60 s)')
    args = parser.parse_args()
    if args.smoke:
        args.size, args.runs = 2000, 2
    return args


def run():
    from odoo import SUPERUSER_ID, api
    args = parse_args()
    sys.path.insert(0, ROOT)
    registry = start_odoo(args.db)
    tag = 'BENCHCONV-%s' % uuid.uuid4().hex[:8]
    t_start = time.time()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        sources = env['utm.source']
        for index in range(5):
            sources |= sources.create({'name': '%s source %s' % (tag, index)})
        source_ids = sources.ids
        cr.execute('SELECT id FROM res_users WHERE active ORDER BY id LIMIT 10')
        user_ids = [row[0] for row in cr.fetchall()]
        t0 = time.time()
        cr.execute("""
            INSERT INTO crm_lead (name, type, active, company_id, source_id,
                user_id, probability, planned_revenue, qualification_state,
                create_uid, write_uid, create_date, write_date,
                date_conversion, date_closed, priority, pool_state)
            SELECT %(tag)s || ' ' || g,
                CASE WHEN g %% 10 < 4 THEN 'opportunity' ELSE 'lead' END,
                NOT (g %% 10 = 3), 1, (%(sources)s)[1 + g %% 5],
                (%(users)s)[1 + g %% %(nusers)s],
                CASE WHEN g %% 10 IN (0, 1) AND g %% 3 = 0 THEN 100 ELSE 10 END,
                (g %% 50) * 100, CASE WHEN g %% 10 = 5 THEN 'qualified'
                                      ELSE 'new' END, 1, 1,
                '2024-01-01'::timestamp + (g %% 300) * interval '1 hour',
                '2024-03-01'::timestamp,
                CASE WHEN g %% 10 < 4 THEN '2024-01-01'::timestamp
                     + (g %% 300) * interval '1 hour'
                     + (g %% 17) * interval '1 day' END,
                CASE WHEN g %% 10 IN (0, 1) AND g %% 3 = 0
                     THEN '2024-02-01'::timestamp + (g %% 23) * interval '1 day'
                     END, '0', 'pool'
            FROM generate_series(1, %(size)s) g
        """, {'tag': tag, 'sources': source_ids, 'users': user_ids,
              'nusers': len(user_ids), 'size': args.size})
        insert_s = time.time() - t0
        cr.commit()
    try:
        with registry.cursor() as cr:
            cr.execute('ANALYZE crm_lead')
        with registry.cursor() as cr:
            cr.execute('SELECT count(*) FROM crm_lead')
            total = cr.fetchone()[0]
        print('data: %d bench leads over 5 sources, %d leads in the database; '
              'generated in %.1f s' % (args.size, total, insert_s))
        orm, raw = [], []
        for _run in range(args.runs):
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env.clear()
                t0 = time.time()
                rows = env['crm.pool.conversion.report'].read_group(
                    [('source_id', 'in', source_ids)], MEASURES + ['source_id'],
                    ['source_id'])
                orm.append(time.time() - t0)
                t0 = time.time()
                cr.execute(RAW, (source_ids,))
                raw_rows = cr.fetchall()
                raw.append(time.time() - t0)
        by_source = {row['source_id'][0]: row for row in rows}
        for raw_row in raw_rows:
            row = by_source[raw_row[0]]
            assert row['lead_count'] == raw_row[1], (row, raw_row)
            assert row['won_count'] == raw_row[4], (row, raw_row)
            assert abs((row['days_to_won'] or 0) - (raw_row[10] or 0)) < 1e-6
        orm_ms = statistics.median(orm) * 1000.0
        raw_ms = statistics.median(raw) * 1000.0
        print('conversion report read_group by source (%d measures, medians '
              'included, %d runs): median %.1f ms' % (len(MEASURES), args.runs,
                                                      orm_ms))
        print('raw SQL baseline (same aggregate on crm_lead, percentile_cont): '
              'median %.1f ms' % raw_ms)
        print('ratio report/raw SQL: %.2fx (target <= 2)'
              % (orm_ms / max(raw_ms, 0.001)))
    finally:
        with registry.cursor() as cr:
            cr.execute('DELETE FROM crm_lead WHERE source_id = ANY(%s)',
                       (source_ids,))
            cr.execute('DELETE FROM utm_source WHERE id = ANY(%s)', (source_ids,))
    print('total bench time %.1f s' % (time.time() - t_start))


def main():
    from odoo import api
    with api.Environment.manage():
        run()


if __name__ == '__main__':
    main()
