"""Benchmark: automatic distribution of 10,000 pool leads to 50 members.

    .venv/bin/python tests/bench/bench_pool_distribution.py --db DB [--size 10000]
    .venv/bin/python tests/bench/bench_pool_distribution.py --db DB --smoke

Builds ``--size`` unowned leads (mixed ``priority`` stars) in a pool with
``--members`` salespeople, then measures in the same run:

1. the baseline: the plain ORM path, ``action_pool_assign()`` lead by lead
   (what a per-record loop does), on a sample of ``--sample`` leads;
2. ``crm.pool._pool_distribute()`` for each method (round robin, balanced,
   rule): time and SQL queries per lead (target < 0.5; Odoo 14+'s own
   assignment spends 5 to 7.5), with a check that no quota is exceeded and
   every lead got exactly one history row.

SQL queries are counted with the Odoo cursor's own query counter. Removes
all it created.
"""
import argparse
import sys
import time
import uuid

from benchlib import add_size_arguments, for_each_size, start_odoo


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--db', required=True)
    add_size_arguments(parser, 10000)
    parser.add_argument('--members', type=int, default=50)
    parser.add_argument('--sample', type=int, default=200)
    parser.add_argument('--batch', type=int, default=1000)
    parser.add_argument('--smoke', action='store_true',
                        help='tiny sizes, for CI (< 60 s)')
    args = parser.parse_args()
    if args.smoke:
        args.size, args.sizes, args.members, args.sample = 1000, None, 5, 20
    return args


CITIES = ['上海', '杭州', '南京', '苏州', '宁波']


def main():
    args = parse_args()
    registry = start_odoo(args.db)
    for_each_size(args, lambda args: run_size(registry, args))


def run_size(registry, args):
    """One run at ``args.size`` (its own members, removed after)."""
    from odoo import SUPERUSER_ID, api
    count_summary_queries()
    tag = uuid.uuid4().hex[:8]
    created = {'pools': [], 'users': []}
    with api.Environment.manage():
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            users = env['res.users'].with_context(
                no_reset_password=True, tracking_disable=True)
            group = env.ref('crm_public_pool.group_pool_user')
            created['users'] = [users.create({
                'name': 'bench dist %s %s' % (tag, i),
                'login': 'bench-dist-%s-%s' % (tag, i),
                'groups_id': [(6, 0, [group.id])]}).id
                for i in range(args.members)]
        try:
            results = []
            for method in ('round_robin', 'balanced', 'rule'):
                results.append(run(registry, args, tag, method, created))
            baseline = run_baseline(registry, args, tag, created)
            print()
            for method, seconds, queries, count in results:
                print('%-12s %6s leads in %6.2f s  %7.0f leads/s  %.3f SQL '
                      'queries/lead' % (method, count, seconds,
                                        count / max(seconds, 1e-9),
                                        queries / max(count, 1)))
            b_seconds, b_queries, b_count = baseline
            print('%-12s %6s leads in %6.2f s  %7.0f leads/s  %.3f SQL '
                  'queries/lead (ORM action_pool_assign per lead)'
                  % ('baseline', b_count, b_seconds,
                     b_count / max(b_seconds, 1e-9),
                     b_queries / max(b_count, 1)))
            _m, seconds, queries, count = results[0]
            print('ratio round robin / ORM loop: time per lead %.3fx, queries '
                  'per lead %.3fx (target < 0.5 queries per lead)'
                  % ((seconds / count) / (b_seconds / b_count),
                     (queries / count) / (b_queries / b_count)))
            worst = max(r[2] / max(r[3], 1) for r in results)
            if worst >= 0.5:
                print('ERROR: %.3f queries per lead' % worst)
                sys.exit(1)
            return {'%s leads/s' % method: count / max(seconds, 1e-9)
                    for method, seconds, _queries, count in results}
        finally:
            cleanup(registry, created)


def make_pool(env, args, tag, method, created, size, quota=0):
    members = []
    for i, uid in enumerate(created['users']):
        vals = {'user_id': uid, 'sequence': i}
        if method == 'rule':
            vals['domain'] = "[('city', '=', '%s')]" % CITIES[i % len(CITIES)]
        members.append((0, 0, vals))
    pool = env['crm.pool'].create({
        'name': 'bench dist %s %s' % (tag, method), 'res_model': 'crm.lead',
        'distribution': method if method != 'baseline' else 'manual',
        'idle_days': 30, 'quota': quota, 'member_ids': members})
    created['pools'].append(pool.id)
    env.cr.execute("""
        INSERT INTO crm_lead (name, type, active, probability, pool_id,
                              pool_state, priority, city, create_date,
                              write_date, create_uid, write_uid)
        SELECT 'bench dist ' || g, 'lead', TRUE, 10, %(pool)s, 'pool',
               ((g * 7) %% 4)::text, (%(cities)s::varchar[])[1 + g %% 5],
               now() at time zone 'utc' - (g || ' minutes')::interval,
               now() at time zone 'utc', 1, 1
          FROM generate_series(1, %(size)s) g
    """, {'pool': pool.id, 'size': size, 'cities': CITIES})
    env.cr.commit()
    return pool


SUMMARY_QUERIES = [0]


def count_summary_queries():
    """Count apart the queries of the per-owner summary messages (the
    chatter's message_post), to show what the distribution itself costs."""
    from odoo.addons.crm_public_pool.models.crm_pool_distribution import CrmPool
    original = CrmPool._pool_post_distribution_summaries

    def counted(self, assigned):
        before = self.env.cr.sql_log_count
        result = original(self, assigned)
        SUMMARY_QUERIES[0] += self.env.cr.sql_log_count - before
        return result
    CrmPool._pool_post_distribution_summaries = counted


def run(registry, args, tag, method, created):
    from odoo import SUPERUSER_ID, api
    # a quota that lets all leads fit but binds for some members
    quota = (args.size // args.members) + 10
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        pool = make_pool(env, args, tag, method, created, args.size, quota)
        cr.execute('ANALYZE crm_lead')
        cr.commit()
        before = cr.sql_log_count
        SUMMARY_QUERIES[0] = 0
        t0 = time.time()
        count = pool._pool_distribute(batch_size=args.batch, commit=True)
        seconds = time.time() - t0
        queries = cr.sql_log_count - before
        summary = SUMMARY_QUERIES[0]
        cr.execute("""SELECT max(c) FROM (SELECT count(*) c FROM crm_lead
                      WHERE pool_id = %s AND user_id IS NOT NULL
                      GROUP BY user_id) x""", (pool.id,))
        top = cr.fetchone()[0] or 0
        cr.execute("""SELECT count(*), count(DISTINCT res_id) FROM crm_pool_log
                      WHERE pool_id = %s AND action = 'assign'""", (pool.id,))
        logs, distinct = cr.fetchone()
    print('%s: %s of %s leads distributed to %s members (quota %s, max owned '
          '%s), %s history rows; %s SQL queries, of which %s for the %s '
          'summary messages' % (method, count, args.size, args.members, quota,
                                top, logs, queries, summary, args.members))
    if top > quota or logs != count or distinct != count:
        print('ERROR: quota or history broken')
        sys.exit(1)
    return method, seconds, queries, count


def run_baseline(registry, args, tag, created):
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})
        pool = make_pool(env, args, tag, 'baseline', created, args.sample)
        leads = env['crm.lead'].search([('pool_id', '=', pool.id)])
        users = created['users']
        before = cr.sql_log_count
        t0 = time.time()
        for i, lead in enumerate(leads):
            lead.action_pool_assign(users[i % len(users)])
        seconds = time.time() - t0
        queries = cr.sql_log_count - before
        cr.commit()
    return seconds, queries, len(leads)


def cleanup(registry, created):
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        pools = tuple(created['pools']) or (0,)
        cr.execute('DELETE FROM crm_pool_log WHERE pool_id IN %s', (pools,))
        cr.execute('DELETE FROM crm_lead WHERE pool_id IN %s', (pools,))
        cr.execute("DELETE FROM mail_message WHERE model = 'crm.pool' "
                   "AND res_id IN %s", (pools,))
        env = api.Environment(cr, SUPERUSER_ID, {})
        env['crm.pool'].browse(created['pools']).unlink()
        users = env['res.users'].browse(created['users'])
        partners = users.mapped('partner_id')
        users.unlink()
        partners.unlink()
        cr.commit()
        cr._cnx.set_isolation_level(0)
        cr.execute('VACUUM ANALYZE crm_lead')
        cr.execute('VACUUM ANALYZE crm_pool_log')


if __name__ == '__main__':
    main()
