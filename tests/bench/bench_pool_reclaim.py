"""Benchmark: set-based reclaim cron of the public pool at 1,000,000 leads.

    .venv/bin/python tests/bench/bench_pool_reclaim.py --db DB [--size 1000000]
    .venv/bin/python tests/bench/bench_pool_reclaim.py --db DB --sizes 10000,100000
    .venv/bin/python tests/bench/bench_pool_reclaim.py --db DB --smoke

Builds ``--size`` owned leads in one pool with SQL ``generate_series``, about
20 % of them past their deadline, owned by ``--owners`` salespeople, then
measures in the same run, on the same rows:

1. the baseline, "raw UPDATE": ONE SQL ``UPDATE`` statement moving exactly
   the due rows back to the pool (5 columns), timed alone: no history row,
   no message, no commit (it is rolled back, then the table is vacuumed);
2. "reclaim cron": the whole ``crm.pool._cron_reclaim()`` as the cron
   worker runs it, wall clock: the due-id query; per batch (the cron's
   size unless ``--batch`` says otherwise) one statement that locks the
   rows (``FOR UPDATE SKIP LOCKED``), re-checks them, moves them (with
   ``write_date``, reminder and freeze columns) and inserts their history
   rows, then a commit; at the end the owners'
   summaries (history read in one query, the mail template rendered once
   per owner, all messages and emails written in one statement), also
   printed on their own. The process's peak RSS, and with ``--memory``
   the peak of Python's memory (tracemalloc: it slows every allocation,
   so the run's time is then no longer comparable).

Prints the ratio cron / raw UPDATE (target: within 1.5x) and removes all it
created.
"""
import argparse
import resource
import sys
import time
import tracemalloc
import uuid

from benchlib import add_size_arguments, for_each_size, start_odoo

DUE_SHARE = 0.2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--db', required=True)
    add_size_arguments(parser, 1000000)
    parser.add_argument('--owners', type=int, default=50)
    parser.add_argument('--batch', type=int, default=None,
                        help="rows per batch (default: the cron's)")
    parser.add_argument('--memory', action='store_true',
                        help="trace Python's memory during the run (slower)")
    parser.add_argument('--smoke', action='store_true',
                        help='tiny sizes, for CI (< 60 s)')
    args = parser.parse_args()
    if args.smoke:
        args.size, args.sizes, args.owners = 5000, None, 5
        args.memory = True  # the smoke run covers the memory trace too
    return args


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    args = parse_args()
    registry = start_odoo(args.db)
    for_each_size(args, lambda args: run_size(registry, args))


def run_size(registry, args):
    """One run at ``args.size``: its own owners and pool, removed after."""
    from odoo import SUPERUSER_ID, api
    tag = uuid.uuid4().hex[:8]
    with api.Environment.manage():
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            users = env['res.users'].with_context(
                no_reset_password=True, tracking_disable=True)
            group = env.ref('crm_public_pool.group_pool_user')
            owners = [users.create({
                'name': 'bench reclaim %s %s' % (tag, i),
                'login': 'bench-reclaim-%s-%s' % (tag, i),
                'groups_id': [(6, 0, [group.id])]}).id
                for i in range(args.owners)]
            pool = env['crm.pool'].create({
                'name': 'bench reclaim %s' % tag, 'res_model': 'crm.lead',
                'idle_days': 30, 'nodeal_days': 90,
                'member_ids': [(0, 0, {'user_id': uid}) for uid in owners]})
            pool_id = pool.id
        try:
            return run(registry, args, pool_id, owners)
        finally:
            cleanup(registry, pool_id, owners)


def run(registry, args, pool_id, owners):
    from odoo import SUPERUSER_ID, api
    from odoo.addons.crm_public_pool.models.crm_pool_reclaim import \
        RECLAIM_BATCH
    due = int(args.size * DUE_SHARE)
    start = time.time()
    with registry.cursor() as cr:
        # i < due: claimed 40 days ago (idle deadline 10 days ago); the
        # others claimed 5 days ago (deadline in 25 days).
        cr.execute("""
            INSERT INTO crm_lead (name, type, active, probability, user_id,
                                  pool_id, pool_state, pool_date_claimed,
                                  pool_deadline, create_date, write_date,
                                  create_uid, write_uid)
            SELECT 'bench lead ' || g, 'lead', TRUE, 10,
                   (%(owners)s::int[])[1 + g %% %(n)s], %(pool)s, 'owned',
                   c.claimed, c.claimed + interval '30 days',
                   c.now, c.now, 1, 1
              FROM generate_series(1, %(size)s) g,
                   LATERAL (SELECT now() at time zone 'utc' AS now,
                            now() at time zone 'utc' - CASE WHEN g <= %(due)s
                            THEN interval '40 days' ELSE interval '5 days'
                            END AS claimed) c
        """, {'owners': owners, 'n': len(owners), 'pool': pool_id,
              'size': args.size, 'due': due})
        cr.commit()
        cr._cnx.set_isolation_level(0)  # autocommit for VACUUM
        cr.execute('VACUUM ANALYZE crm_lead')
        cr.execute('VACUUM ANALYZE crm_pool_log')
    print('data: %s leads in the pool, %s due (%.0f%%), %s owners; built in '
          '%.1f s' % (args.size, due, 100.0 * due / args.size, len(owners),
                      time.time() - start))

    # 1. baseline: the raw UPDATE of the same rows, rolled back
    with registry.cursor() as cr:
        t0 = time.time()
        cr.execute("""
            UPDATE crm_lead SET user_id = NULL, pool_state = 'pool',
                   pool_date_claimed = NULL, pool_date_followup = NULL,
                   pool_deadline = NULL
             WHERE pool_id = %s AND pool_state = 'owned'
               AND pool_deadline <= now() at time zone 'utc'
        """, (pool_id,))
        raw_rows = cr.rowcount
        raw_time = time.time() - t0
        cr.rollback()
        cr._cnx.set_isolation_level(0)
        cr.execute('VACUUM ANALYZE crm_lead')
    print('raw SQL UPDATE: %s rows in %.2f s (%.0f rows/s)'
          % (raw_rows, raw_time, raw_rows / max(raw_time, 1e-9)))

    # 2. the cron method, as the cron worker runs it
    rss_before = rss_mb()
    if args.memory:
        tracemalloc.start()
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        pool_class = type(env['crm.pool'])
        summaries = timed(pool_class, '_pool_post_reclaim_summaries')
        batch = args.batch or RECLAIM_BATCH
        t0 = time.time()
        try:
            count = env['crm.pool']._cron_reclaim(batch_size=batch,
                                                  pool_ids=[pool_id])
        finally:
            del pool_class._pool_post_reclaim_summaries
        cron_time = time.time() - t0
    if args.memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    with registry.cursor() as cr:
        cr.execute("""SELECT count(*), count(DISTINCT res_id) FROM crm_pool_log
                      WHERE pool_id = %s AND action = 'reclaim'""", (pool_id,))
        logs, distinct = cr.fetchone()
        cr.execute("""SELECT count(*) FROM mail_message WHERE model = 'crm.pool'
                      AND res_id = %s""", (pool_id,))
        messages = cr.fetchone()[0]
    print('reclaim cron: %s records in %.2f s (%.0f rows/s), batches of %s; '
          '%s history rows (%s distinct), %s summary messages'
          % (count, cron_time, count / max(cron_time, 1e-9), batch,
             logs, distinct, messages))
    print('of which the owners\' summaries: %.3f s (%s messages); the '
          'batches and the due-id query: %.2f s'
          % (summaries[0], summaries[1], cron_time - summaries[0]))
    if args.memory:
        print('peak Python memory during the run: %.1f MB (tracemalloc)'
              % (peak / 1048576.0))
    print('max RSS %.0f MB before the run, %.0f MB after'
          % (rss_before, rss_mb()))
    ratio = cron_time / max(raw_time, 1e-9)
    print('ratio cron / raw SQL UPDATE: %.2fx (target <= 1.5x)' % ratio)
    if count != raw_rows or logs != count or distinct != count:
        print('ERROR: reclaimed %s, expected %s, history rows %s'
              % (count, raw_rows, logs))
        sys.exit(1)
    return {'raw UPDATE s': raw_time, 'reclaim cron s': cron_time,
            'summaries s': summaries[0], 'ratio cron/raw': ratio}


def timed(cls, name):
    """Time the method ``name`` of the model class ``cls`` for this run
    (a subclass attribute that the caller deletes afterwards): returns a
    list [seconds, result] filled by the call."""
    spent = [0.0, None]
    method = getattr(cls, name)

    def wrapper(self, *args, **kwargs):
        start = time.time()
        try:
            spent[1] = method(self, *args, **kwargs)
            return spent[1]
        finally:
            spent[0] += time.time() - start
    setattr(cls, name, wrapper)
    return spent


def cleanup(registry, pool_id, owners):
    from odoo import SUPERUSER_ID, api
    t0 = time.time()
    with api.Environment.manage(), registry.cursor() as cr:
        cr.execute('DELETE FROM crm_pool_log WHERE pool_id = %s', (pool_id,))
        cr.execute('DELETE FROM crm_lead WHERE pool_id = %s', (pool_id,))
        cr.execute("DELETE FROM mail_message WHERE model = 'crm.pool' "
                   "AND res_id = %s", (pool_id,))
        env = api.Environment(cr, SUPERUSER_ID, {})
        env['crm.pool'].browse(pool_id).unlink()
        users = env['res.users'].browse(owners)
        partners = users.mapped('partner_id')
        users.unlink()
        partners.unlink()
        cr.commit()
        # leave no bloat behind: the next users of the database scan these
        cr._cnx.set_isolation_level(0)
        cr.execute('VACUUM ANALYZE crm_lead')
        cr.execute('VACUUM ANALYZE crm_pool_log')
    print('cleaned up in %.1f s' % (time.time() - t0))


if __name__ == '__main__':
    main()
