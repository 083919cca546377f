"""Benchmark: the duplicate check across leads and customers on create.

    .venv/bin/python tests/bench/bench_pool_duplicate_cross.py --db DB [--size 1000000]
    .venv/bin/python tests/bench/bench_pool_duplicate_cross.py --db DB --smoke

``--size`` leads and ``--size`` customers (companies owned by 20
salespeople, a contact person for every tenth; generated with SQL
``generate_series``, normalised keys filled). A salesperson creates leads
in a pool with the duplicate check on 'warn', half of them sharing a phone
with a colleague's customer's contact person. Measured in-process (server
time, no HTTP): the duplicate check of the new lead (same-model and
cross-model look-ups, the warning note) in SQL queries and ms, next to
the two raw SQL look-ups it needs, in the same run. Everything the
benchmark creates is removed at the end (removing a million customers takes
long: ``--keep`` leaves the data, ``--reuse-tag TAG`` measures again on the
data a run with that tag left, without generating it).
"""
import argparse
import functools
import os
import statistics
import sys
import time
import uuid

from benchlib import start_odoo

print = functools.partial(print, flush=True)  # noqa: A001 (progress in logs)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--db', required=True)
    parser.add_argument('--size', type=int, default=1000000)
    parser.add_argument('--runs', type=int, default=20)
    parser.add_argument('--keep', action='store_true',
                        help='leave the generated data (see --reuse-tag)')
    parser.add_argument('--reuse-tag',
                        help='measure on the data of an earlier run (its tag)')
    parser.add_argument('--smoke', action='store_true',
                        help='tiny sizes, for CI (< 60 s)')
    args = parser.parse_args()
    if args.smoke:
        args.size, args.runs = 2000, 4
    return args


def generate(cr, tag, size, user_ids, pool_id):
    cr.execute("""
        INSERT INTO res_partner (name, display_name, active, is_company, type,
            customer, user_id, company_id, phone, email, pool_phone_norm,
            pool_email_norm, pool_company_norm, pool_state, create_uid,
            write_uid, create_date, write_date, lang)
        SELECT %(tag)s || ' co ' || g, %(tag)s || ' co ' || g, true, true,
            'contact', true, (%(users)s)[1 + g %% 20], 1,
            '0215' || lpad(g::text, 8, '0'), 'co' || g || '@bench-co.example',
            '0215' || lpad(g::text, 8, '0'), 'co' || g || '@bench-co.example',
            lower(%(tag)s) || 'co' || g, 'owned', 1, 1, now(), now(), 'en_US'
        FROM generate_series(1, %(size)s) g
    """, {'tag': tag, 'size': size, 'users': user_ids})
    cr.execute("""
        UPDATE res_partner SET commercial_partner_id = id
         WHERE name LIKE %s AND commercial_partner_id IS NULL
    """, (tag + ' co %',))
    cr.execute("""
        INSERT INTO res_partner (name, display_name, active, is_company, type,
            parent_id, commercial_partner_id, customer, company_id, mobile,
            pool_mobile_norm, pool_company_norm, create_uid, write_uid,
            create_date, write_date, lang)
        SELECT %(tag)s || ' contact ' || p.id, %(tag)s || ' contact ' || p.id,
            true, false, 'contact', p.id, p.id, true, 1,
            '139' || lpad(p.id::text, 8, '0'), '139' || lpad(p.id::text, 8, '0'),
            p.pool_company_norm, 1, 1, now(), now(), 'en_US'
        FROM res_partner p WHERE p.name LIKE %(like)s AND p.id %% 10 = 0
    """, {'tag': tag, 'like': tag + ' co %'})
    cr.execute("""
        INSERT INTO crm_lead (name, type, active, company_id, pool_id,
            pool_state, user_id, phone, email_from, partner_name,
            pool_phone_norm, pool_email_norm, pool_company_norm, probability,
            priority, qualification_state, create_uid, write_uid, create_date,
            write_date)
        SELECT %(tag)s || ' lead ' || g, 'lead', true, 1, %(pool)s,
            CASE WHEN g %% 10 < 3 THEN 'owned' ELSE 'pool' END,
            CASE WHEN g %% 10 < 3 THEN (%(users)s)[1 + g %% 20] END,
            '138' || lpad(g::text, 8, '0'), 'l' || g || '@bench-lead.example',
            %(tag)s || ' prospect ' || g,
            '138' || lpad(g::text, 8, '0'), 'l' || g || '@bench-lead.example',
            lower(%(tag)s) || 'prospect' || g, 0, '0', 'new', 1, 1, now(), now()
        FROM generate_series(1, %(size)s) g
    """, {'tag': tag, 'size': size, 'users': user_ids, 'pool': pool_id})


def spread(seconds):
    """'median 3.1 ms, p95 5.0 ms, max 6.2 ms' of a list of durations."""
    values = sorted(seconds)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return 'median %.2f ms, p95 %.2f ms, max %.2f ms' % (
        statistics.median(values) * 1000.0, p95 * 1000.0,
        values[-1] * 1000.0)


def run():
    from odoo import SUPERUSER_ID, api
    args = parse_args()
    sys.path.insert(0, ROOT)
    registry = start_odoo(args.db)
    tag = args.reuse_tag or 'BENCHDUP%s' % uuid.uuid4().hex[:8]
    print('tag: %s' % tag)
    t_start = time.time()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.reuse_tag:
            args.keep = True
            pool = env['crm.pool'].search([('name', '=', tag)])
            users = env['res.users'].search(
                [('login', '=like', tag.lower() + '-%')], order='id')
            seller_id, pool_id, user_ids = users[0].id, pool.id, users.ids
            insert_s = 0.0
        group = env.ref('crm_public_pool.group_pool_user')
        users = env['res.users']
        for index in range(0 if args.reuse_tag else 21):
            users |= users.with_context(no_reset_password=True).create({
                'name': '%s sales %s' % (tag, index),
                'login': '%s-%s' % (tag.lower(), index),
                'groups_id': [(6, 0, [group.id])]})
        if not args.reuse_tag:
            pool = env['crm.pool'].create({
                'name': tag, 'res_model': 'crm.lead', 'duplicate_check': 'warn',
                'member_ids': [(0, 0, {'user_id': uid}) for uid in users.ids]})
            t0 = time.time()
            generate(cr, tag, args.size, users.ids[1:], pool.id)
            insert_s = time.time() - t0
            cr.commit()
            seller_id, pool_id, user_ids = users[0].id, pool.id, users.ids
    try:
        with registry.cursor() as cr:
            cr.execute('ANALYZE crm_lead')
            cr.execute('ANALYZE res_partner')
        with registry.cursor() as cr:
            cr.execute('SELECT count(*) FROM crm_lead')
            leads = cr.fetchone()[0]
            cr.execute('SELECT count(*) FROM res_partner')
            partners = cr.fetchone()[0]
        print('data: %d leads and %d customers (+ %d contact persons) of the '
              'bench; %d leads and %d partners in the database; generated in '
              '%.1f s' % (args.size, args.size, args.size // 10, leads,
                          partners, insert_s))
        checks, queries, creates, raw, flagged = [], [], [], [], 0
        cross, cross_q = [], []
        with registry.cursor() as cr:
            env = api.Environment(cr, seller_id, {'tracking_disable': True})
            Lead = env['crm.lead']
            cr.execute("""SELECT parent_id FROM res_partner WHERE name LIKE %s
                          AND parent_id IS NOT NULL ORDER BY id LIMIT %s""",
                       (tag + ' contact %', args.runs))
            customer_ids = [row[0] for row in cr.fetchall()]
            for index in range(args.runs):
                # even runs: the mobile of a colleague's customer's contact
                phone = ('139%08d' % customer_ids[index]) if index % 2 == 0 \
                    else '137%08d' % index
                t0 = time.time()
                lead = Lead.create({'name': '%s new %s' % (tag, index),
                                    'pool_id': pool_id, 'phone': phone})
                creates.append(time.time() - t0)
                env.clear()
                # the cross-model part: look-up and masked text
                count0 = cr.sql_log_count
                t0 = time.time()
                rows = lead._pool_cross_duplicate_rows()
                if rows:
                    lead._pool_cross_text(rows)
                cross.append(time.time() - t0)
                cross_q.append(cr.sql_log_count - count0)
                env.clear()
                count0 = cr.sql_log_count
                t0 = time.time()
                lead._pool_check_duplicates_on_create()
                checks.append(time.time() - t0)
                queries.append(cr.sql_log_count - count0)
                flagged += bool(rows)
                # raw SQL baseline: the same-model and cross-model look-ups
                t0 = time.time()
                cr.execute("""
                    SELECT id FROM crm_lead WHERE (pool_phone_norm IN %s
                        OR pool_mobile_norm IN %s) AND id != %s AND active
                    ORDER BY id LIMIT 20""", ((phone,), (phone,), lead.id))
                cr.fetchall()
                cr.execute("""
                    SELECT DISTINCT c.id, c.user_id FROM res_partner p
                    JOIN res_partner c
                      ON c.id = COALESCE(p.commercial_partner_id, p.id)
                    WHERE (p.pool_phone_norm IN %s OR p.pool_mobile_norm IN %s)
                      AND p.active AND c.active
                    ORDER BY c.id LIMIT 20""", ((phone,), (phone,)))
                cr.fetchall()
                raw.append(time.time() - t0)
            cr.rollback()
        cross_ms = statistics.median(cross) * 1000.0
        raw_ms = statistics.median(raw) * 1000.0
        print('lead create in a pool as a salesperson (duplicate check '
              'included): %s' % spread(creates))
        print('cross-model duplicate check (look-up of customers and contact '
              'persons + masked text, %d runs, %d flagged as a colleague\'s '
              'customer): %s, %d SQL queries (max %d) (targets: < 10 '
              'queries, < 20 ms)'
              % (len(cross), flagged, spread(cross),
                 statistics.median(cross_q), max(cross_q)))
        print('whole duplicate check on create, what the user waits for '
              '(same-model + cross-model + warning note): %s, %d SQL queries '
              '(max %d) (targets: < 10 queries, < 20 ms)'
              % (spread(checks), statistics.median(queries), max(queries)))
        print('raw SQL baseline (the same-model and cross-model look-ups): '
              '%s' % spread(raw))
        print('ratio cross-model check/raw SQL (medians): %.1fx'
              % (cross_ms / max(raw_ms, 0.001)))
        assert flagged == (args.runs + 1) // 2, flagged
    finally:
        if not args.keep:
            teardown(registry, tag, pool_id, user_ids)
    print('total bench time %.1f s' % (time.time() - t_start))


def teardown(registry, tag, pool_id, user_ids):
    """Remove what the run created."""
    from odoo import SUPERUSER_ID, api
    with registry.cursor() as cr:
        cr.execute("""DELETE FROM mail_message WHERE model = 'crm.lead'
            AND res_id IN (SELECT id FROM crm_lead WHERE pool_id = %s)""",
                   (pool_id,))
        cr.execute('DELETE FROM crm_pool_log WHERE pool_id = %s', (pool_id,))
        cr.execute('DELETE FROM crm_lead WHERE pool_id = %s', (pool_id,))
        cr.execute('DELETE FROM res_partner WHERE name LIKE %s AND parent_id '
                   'IS NOT NULL', (tag + ' contact %',))
        cr.execute('DELETE FROM res_partner WHERE name LIKE %s',
                   (tag + ' co %',))
        env = api.Environment(cr, SUPERUSER_ID, {})
        env['crm.pool'].browse(pool_id).unlink()
        users = env['res.users'].browse(user_ids)
        partners = users.mapped('partner_id')
        users.unlink()
        partners.unlink()


def main():
    from odoo import api
    with api.Environment.manage():
        run()


if __name__ == '__main__':
    main()
