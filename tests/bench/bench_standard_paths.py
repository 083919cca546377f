"""Benchmark: a plain salesperson's standard reads, suite vs crm only.

    .venv/bin/python tests/bench/bench_standard_paths.py --db DB [--size 200000]
    .venv/bin/python tests/bench/bench_standard_paths.py --db DB --smoke
    .venv/bin/python tests/bench/bench_standard_paths.py --db DB --profile

The same reads, as the web client asks for them, by a salesperson who is in
``sales_team.group_sale_salesman`` only (not a pool user), in two databases:
``--db`` (with the suite's three addons) and ``--crm-db`` (default
``<db>_crmonly``: only ``crm``, created on the first run with ``odoo-bin -i
crm``, with demo data when the suite database has it so that both list the
same records, and reused). Both get the same ``--size`` partners (10 %
companies, half of the people in a company) and ``--size`` opportunities,
none in a pool, generated with SQL ``generate_series`` (tables then rewritten
with ``VACUUM FULL``); the suite database also gets the stored columns the
suite's ORM would fill (normalised contact keys, qualification state). The
data is kept and reused by later runs of the same size (``--smoke``: 2,000
rows and a crm-only database without demo data; the rows and the bench users
are removed at the end, as the test database is shared).

Measured in-process as the salesperson (rules applied, fresh cursor and
empty cache per call, warm registry caches: what an RPC call costs the
server), the two databases interleaved, median of ``--reps`` calls:

1. contacts list: ``search_read`` of the fields of the contacts kanban view,
   limit 80, plus the pager's ``search_count``;
2. 2,000 partners read (``read`` of display_name, email, phone, mobile and
   other address fields; not ``user_id``: its name_get prefetches the
   partners of the salespeople as superuser, in batches of 1,000 taken in
   the order of a set of ids, so one database may need one more batch of
   the 2,000 partners than the other, which says nothing about the suite);
3. partner ``name_search`` (four typical terms, limit 8, as a many2one
   autocomplete: the time of the four);
4. pipeline list: ``search_read`` of the fields of the opportunities list
   view, limit 80, plus ``search_count``, under crm's "own or unassigned"
   rule (10 % own, 30 % unassigned).

Prints per measure: suite ms, crm-only ms, ratio suite/crm-only (of the
medians, and of the fastest calls, which other load on the machine disturbs
less), SQL queries per call on each side, and whether both sides listed the
same records (the issue's target: ratio <= 1.05), and a third side: the
suite database with the pool models' attribute look-ups walking their class
MRO, as CPython 3.7 does for any Odoo model (``walked``: what the suite
costs without crm_public_pool/models/crm_pool_lookup.py), and a fourth:
the suite, masking included, for a salesperson like the first whom the
pool's visibility rule (a record rule on the pool models) does not restrict
(``no rule``; not for the pipeline, whose records depend on who asks). The
suite's ratio over that one is what the rule's per-row check costs:
PostgreSQL reads each row's columns up to the last one a condition names,
and the pool's columns come after every column of crm.
``--cpu`` measures CPU time (this process and its local database backend,
with PostgreSQL's parallel workers off) instead of elapsed time: other load
on the machine disturbs it much less.
``--profile`` also lists the SQL of one call of each on both sides.
"""
import argparse
import hashlib
import os
import re
import statistics
import sys
import time

from benchlib import add_size_arguments, for_each_size, start_odoo
from standard_paths_data import (LOGINS, ROOT, cleanup, ensure_crm_db,
                                 has_demo, prepare, user_id)

CONTEXT = {'lang': 'en_US', 'tz': 'Asia/Shanghai', 'bin_size': True}
TARGET = 1.05
MEASURE_KEYS = ('contacts', 'read', 'name_search', 'pipeline')

# many2one autocomplete terms: a common surname, a company word, a full
# name, an e-mail fragment (rare)
TERMS = ['zhang', 'Hengtai', 'liu min', 'min.liu12']
READ_FIELDS = ['display_name', 'name', 'email', 'phone', 'mobile', 'street',
               'city', 'zip', 'country_id', 'parent_id', 'is_company',
               'function', 'ref', 'type', 'active']


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--db', required=True,
                        help='database with the suite installed')
    parser.add_argument('--crm-db',
                        help='database with only crm (default <db>_crmonly; '
                             'created when missing)')
    add_size_arguments(parser, 200000)
    parser.add_argument('--reps', type=int, default=11,
                        help='calls measured per measure and database '
                             '(median reported)')
    parser.add_argument('--read-count', type=int, default=2000)
    parser.add_argument('--drop-data', action='store_true',
                        help='remove the generated data and users at the end')
    parser.add_argument('--cpu', action='store_true',
                        help='measure CPU time (this process and its local '
                             'database backend, parallel workers off) '
                             'instead of elapsed time: steadier on a busy '
                             'machine')
    parser.add_argument('--only', choices=MEASURE_KEYS,
                        help='run that measure only')
    parser.add_argument('--profile', action='store_true',
                        help='list the SQL queries of one call of each measure')
    parser.add_argument('--smoke', action='store_true',
                        help='tiny sizes, for CI (< 60 s)')
    args = parser.parse_args()
    args.crm_db = args.crm_db or '%s_crmonly' % args.db
    if args.smoke:
        args.size, args.sizes, args.reps, args.drop_data = 2000, None, 3, True
    return args


# -------------------------------------------------------------- measures --
class Side(object):
    """One database, measured as its salesperson."""

    def __init__(self, label, registry, uid, walk_mro=False, cpu=False):
        self.label = label
        self.registry = registry
        self.uid = uid
        # CPU time (this process and its database backend) instead of the
        # elapsed time, with PostgreSQL's parallel workers off (their CPU
        # would not be counted)
        self.cpu = cpu
        # not the salesperson the data was generated for (set by run())
        self.other_user = False
        # measure the suite with its pool models' look-ups not flattened
        # (models/crm_pool_lookup.py): what CPython 3.7 alone would do
        self.walk_mro = walk_mro
        self.read_ids = []
        self.times = {}
        self.queries = {}
        self.results = {}

    def env(self, cr):
        from odoo import api
        return api.Environment(cr, self.uid, dict(CONTEXT, uid=self.uid))

    def call(self, measure, log=None):
        if not self.walk_mro:
            return self._call(measure, log)
        from odoo.addons.crm_public_pool.models import crm_pool_lookup
        classes = [self.registry[name] for name in ('res.partner', 'crm.lead')]
        for cls in classes:
            crm_pool_lookup.unflatten_lookups(cls)
        try:
            return self._call(measure, log)
        finally:
            for cls in classes:
                crm_pool_lookup.flatten_lookups(cls)

    def _call(self, measure, log=None):
        from odoo import api
        with api.Environment.manage(), self.registry.cursor() as cr:
            env = self.env(cr)
            env.clear()
            if log is not None:
                watch(cr, log)
            if self.cpu:
                cr.execute('SET LOCAL max_parallel_workers_per_gather = 0')
                backend = cr._cnx.get_backend_pid()
            count0 = cr.sql_log_count
            t0 = cpu_seconds(backend) if self.cpu else time.time()
            result = measure.run(env, self)
            elapsed = (cpu_seconds(backend) if self.cpu else time.time()) - t0
            queries = cr.sql_log_count - count0
            cr.rollback()
        return elapsed, queries, result


def cpu_seconds(backend_pid):
    """CPU seconds used so far by this process and by the PostgreSQL
    backend ``backend_pid`` (a local server: /proc/<pid>/schedstat)."""
    with open('/proc/%d/schedstat' % backend_pid) as stat:
        backend = int(stat.read().split()[0]) / 1e9
    return time.process_time() + backend


def lift_pool_rule(registry, uid):
    """The pool's visibility rule (crm.pool.mixin's ``pool_visible_uid``
    search) becomes a no-op for ``uid`` in this process: the ``no rule``
    side, what the suite costs without it. Patched where the method is
    defined, and in the flattened pool model classes that copy it."""
    from odoo.osv import expression
    from odoo.addons.crm_public_pool.models.crm_pool_mixin import \
        CrmPoolMixin
    original = CrmPoolMixin._search_pool_visible_uid

    def search(self, operator, value):
        if value == uid:
            return [expression.TRUE_LEAF]
        return original(self, operator, value)
    CrmPoolMixin._search_pool_visible_uid = search
    for name in ('res.partner', 'crm.lead'):
        cls = registry[name]
        if '_search_pool_visible_uid' in vars(cls):
            cls._search_pool_visible_uid = search


def watch(cr, log):
    """Record (seconds, query) of every query of ``cr`` into ``log``."""
    execute = cr.execute

    def timed(query, params=None, log_exceptions=None):
        t0 = time.time()
        try:
            return execute(query, params, log_exceptions)
        finally:
            log.append((time.time() - t0, query))
    cr.execute = timed


class Measure(object):
    key = label = ''
    # the result depends on who asks (own records): not run as another user
    per_user = False

    def run(self, env, side):
        raise NotImplementedError


class ContactsList(Measure):
    key, label = 'contacts', 'contacts list 80 + count'

    def __init__(self, fields):
        self.fields = fields

    def run(self, env, side):
        partners = env['res.partner']
        rows = partners.search_read([], self.fields, limit=80)
        total = partners.search_count([]) if len(rows) == 80 else len(rows)
        return len(rows), total, digest(r['display_name'] for r in rows)


class PartnerRead(Measure):
    key = 'read'

    def __init__(self, count):
        self.label = '%s partners read' % format(count, ',')

    def run(self, env, side):
        rows = env['res.partner'].browse(side.read_ids).read(READ_FIELDS)
        return len(rows), digest(r['display_name'] for r in rows)


class NameSearch(Measure):
    key = 'name_search'
    label = 'name_search x%d (limit 8)' % len(TERMS)

    def run(self, env, side):
        found = [env['res.partner'].name_search(term, [], 'ilike', limit=8)
                 for term in TERMS]
        return ([len(names) for names in found],
                digest(name for names in found for _id, name in names))


class PipelineList(Measure):
    key, label = 'pipeline', 'pipeline list 80 + count'
    per_user = True
    domain = [('type', '=', 'opportunity')]

    def __init__(self, fields):
        self.fields = fields

    def run(self, env, side):
        leads = env['crm.lead']
        rows = leads.search_read(self.domain, self.fields, limit=80)
        total = leads.search_count(self.domain) if len(rows) == 80 \
            else len(rows)
        return len(rows), total, digest(r['name'] for r in rows)


def digest(names):
    """Short fingerprint of the names listed, compared between the sides."""
    return hashlib.sha1('\n'.join(names).encode('utf-8')).hexdigest()[:8]


def view_fields(side, model, xmlid, view_type):
    """Fields the web client reads for that view, as the salesperson."""
    from odoo import api
    with api.Environment.manage(), side.registry.cursor() as cr:
        env = side.env(cr)
        view_id = env.ref(xmlid).id if xmlid else None
        view = env[model].fields_view_get(view_id=view_id, view_type=view_type)
        return sorted(view['fields'])


def read_ids(side, count):
    with side.registry.cursor() as cr:
        cr.execute("SELECT id FROM res_partner WHERE ref LIKE 'bsp-%%' "
                   "ORDER BY id LIMIT %s", (count,))
        return [row[0] for row in cr.fetchall()]


def measure_all(sides, measures, reps):
    for measure in measures:
        for side in sides:
            side.times[measure.key] = []
            side.queries[measure.key] = []
        runs = [side for side in sides
                if not (measure.per_user and side.other_user)]
        for side in runs:
            side.call(measure)  # warm-up
        for rep in range(reps):
            order = runs if rep % 2 == 0 else list(reversed(runs))
            for side in order:
                elapsed, queries, result = side.call(measure)
                side.times[measure.key].append(elapsed)
                side.queries[measure.key].append(queries)
                side.results[measure.key] = result


def shape(query):
    text = ' '.join(query.split())
    text = re.sub(r"'[^']*'", "'?'", text)
    return re.sub(r'\b\d+\b', 'N', text)


def profile(sides, measures):
    print('\nprofile: SQL of one call per measure (ms, count, query start)')
    for measure in measures:
        for side in sides:
            if measure.per_user and side.other_user:
                continue
            log = []
            elapsed, queries, _result = side.call(measure, log)
            sql = sum(t for t, _q in log)
            print('%s / %s: %.1f ms, %d queries, SQL %.1f ms, Python %.1f ms'
                  % (measure.label, side.label, elapsed * 1000, queries,
                     sql * 1000, (elapsed - sql) * 1000))
            groups = {}
            for seconds, query in log:
                key = shape(query)
                total, count = groups.get(key, (0.0, 0))
                groups[key] = (total + seconds, count + 1)
            for key, (total, count) in sorted(
                    groups.items(), key=lambda item: -item[1][0])[:12]:
                print('  %7.2f %4d  %s' % (total * 1000, count, key[:150]))


def median_ms(values):
    return statistics.median(values) * 1000.0


def main():
    from odoo import api
    args = parse_args()
    read_count = args.read_count
    with api.Environment.manage():
        for_each_size(args, lambda args: run(args, read_count))


def run(args, read_count):
    """One run at ``args.size`` partners and opportunities per database."""
    args.read_count = min(read_count, args.size)
    sys.path.insert(0, ROOT)
    t_start = time.time()
    suite_registry = start_odoo(args.db)
    import odoo
    if 'crm.pool' not in suite_registry:
        sys.exit('%s does not have the suite installed' % args.db)
    demo = has_demo(args.db) and not args.smoke
    crm_state = ensure_crm_db(args.crm_db, demo, args.smoke)
    crm_registry = odoo.modules.registry.Registry(args.crm_db)
    suite_uid, suite_info = prepare(suite_registry, args, 'suite')
    crm_uid, crm_info = prepare(crm_registry, args, 'crm only')
    norule_uid = user_id(suite_registry, LOGINS[2])
    lift_pool_rule(suite_registry, norule_uid)
    cpu = args.cpu
    sides = [Side('suite', suite_registry, suite_uid, cpu=cpu),
             Side('crm only', crm_registry, crm_uid, cpu=cpu),
             Side('suite, MRO walked', suite_registry, suite_uid, True,
                  cpu=cpu),
             Side('suite, no pool rule', suite_registry, norule_uid, cpu=cpu)]
    sides[-1].other_user = True
    try:
        suite, crm, walked, norule = sides
        assert not suite_info['pool user'], 'the salesperson is a pool user'
        for side in sides:
            side.read_ids = read_ids(side, args.read_count)
        contacts = view_fields(crm, 'res.partner', None, 'kanban')
        pipeline = view_fields(crm, 'crm.lead', 'crm.crm_case_tree_view_oppor',
                               'tree')
        extra_contacts = sorted(set(view_fields(
            suite, 'res.partner', None, 'kanban')) - set(contacts))
        extra_pipeline = sorted(set(view_fields(
            suite, 'crm.lead', 'crm.crm_case_tree_view_oppor', 'tree'))
            - set(pipeline))
        measures = [ContactsList(contacts), PartnerRead(args.read_count),
                    NameSearch(), PipelineList(pipeline)]
        measures = [m for m in measures if args.only in (None, m.key)]
        print('data: %s partners (%s companies) and %s opportunities, none '
              'in a pool, in each database: suite %s (data %s; suite '
              'columns filled: %s), crm only %s (database %s, data %s); '
              'demo data: %s'
              % (format(args.size, ','), format(max(args.size // 10, 1), ','),
                 format(args.size, ','), args.db, suite_info['generated'],
                 ', '.join(suite_info.get('filled', [])) or 'as before',
                 args.crm_db, crm_state, crm_info['generated'],
                 'both' if demo else 'suite %s, crm only %s' % (
                     'yes' if has_demo(args.db) else 'no',
                     'yes' if has_demo(args.crm_db) else 'no')))
        print('user: %s (sales_team.group_sale_salesman only, not a pool '
              'user); opportunities: 10%% own, 30%% unassigned, 60%% a '
              "colleague's" % LOGINS[0])
        print('contacts kanban fields (%d): %s'
              % (len(contacts), ', '.join(contacts)))
        print('pipeline list fields (%d): %s'
              % (len(pipeline), ', '.join(pipeline)))
        if extra_contacts or extra_pipeline:
            print('(the suite views add fields, not read here: %s)'
                  % ', '.join(extra_contacts + extra_pipeline))
        print('name_search terms: %s' % ', '.join(repr(t) for t in TERMS))
        measure_all(sides, measures, args.reps)
        print('load: %s' % ', '.join('%.2f' % x for x in os.getloadavg()))
        print('\n%s' % ('CPU time (this process + its database backend, '
                        'no parallel workers)' if cpu else 'elapsed time'))
        print('%-28s %9s %9s %6s %10s %14s %11s %6s %11s %6s' % (
            'median of %d calls' % args.reps, 'suite ms', 'crm ms', 'ratio',
            'min ratio', 'queries s/crm', 'walked ms', 'ratio', 'no rule ms',
            'ratio'))
        worst = 0.0
        for measure in measures:
            s_ms = median_ms(suite.times[measure.key])
            c_ms = median_ms(crm.times[measure.key])
            ratio = s_ms / max(c_ms, 0.001)
            worst = max(worst, ratio)
            # the ratio of the fastest calls: less sensitive to other load
            low = min(suite.times[measure.key]) / max(
                min(crm.times[measure.key]), 0.000001)
            w_ms = median_ms(walked.times[measure.key])
            if measure.per_user:
                # another user lists other opportunities: not comparable
                n_ms = n_ratio = '-'
            else:
                n_ms = median_ms(norule.times[measure.key])
                n_ratio = '%.2f' % (n_ms / max(c_ms, 0.001))
                n_ms = '%.1f' % n_ms
            print('%-28s %9.1f %9.1f %6.2f %10.2f %7d / %-5d %11.1f %6.2f '
                  '%11s %6s' % (
                      measure.label, s_ms, c_ms, ratio, low,
                      statistics.median(suite.queries[measure.key]),
                      statistics.median(crm.queries[measure.key]),
                      w_ms, w_ms / max(c_ms, 0.001), n_ms, n_ratio))
        for measure in measures:
            same = suite.results[measure.key][-1] == crm.results[measure.key][-1]
            print('  %s: suite %s, crm only %s (%s)' % (
                measure.label, suite.results[measure.key][:-1],
                crm.results[measure.key][:-1],
                'same records' if same else 'NOT the same records'))
        print('worst ratio suite/crm-only %.2f (target <= %.2f: %s)' % (
            worst, TARGET, 'met' if worst <= TARGET else 'NOT met'))
        print("('walked': the suite with its pool models' attribute look-ups"
              " walking the class MRO, as CPython 3.7 does for Odoo models;"
              " see crm_public_pool/models/crm_pool_lookup.py)")
        print("('no rule': the suite, masking included, for a salesperson "
              "whom the pool's visibility rule does not restrict: what the "
              "rule's per-row check costs is ratio / no rule ratio)")
        if args.profile:
            profile(sides, measures)
    finally:
        if args.drop_data:
            cleanup(suite_registry)
            cleanup(crm_registry)
    print('total bench time %.1f s' % (time.time() - t_start))


if __name__ == '__main__':
    main()
