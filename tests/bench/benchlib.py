"""Shared start-up of the benchmark scripts: an Odoo registry in this process."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start_odoo(db):
    """Load the Odoo registry of ``db`` with the connection ./dev exports
    (HOST, PORT, USER, PASSWORD), or 127.0.0.1:5432 as odoo/odoo."""
    import odoo
    from odoo.tools import config
    host = os.environ.get('HOST', '127.0.0.1')
    port = os.environ.get('PORT', '5432')
    # USER is only meaningful when ./dev exported the connection.
    user = os.environ.get('USER') if os.environ.get('PASSWORD') else 'odoo'
    password = os.environ.get('PASSWORD', 'odoo')
    addons = os.environ.get('SUITE_ADDONS_PATH') or ','.join([
        os.path.join(os.path.dirname(odoo.__file__), 'addons'), ROOT])
    config.parse_config([
        '--db_host=%s' % host, '--db_port=%s' % port, '--db_user=%s' % user,
        '--db_password=%s' % password, '--addons-path=%s' % addons,
        '--log-level=warn', '--max-cron-threads=0'])
    return odoo.modules.registry.Registry(db)


def odoo_args():
    """The connection and addons-path flags ``start_odoo`` uses, for an
    ``odoo-bin`` subprocess on the same server (e.g. to create a database)."""
    import odoo
    host = os.environ.get('HOST', '127.0.0.1')
    port = os.environ.get('PORT', '5432')
    user = os.environ.get('USER') if os.environ.get('PASSWORD') else 'odoo'
    password = os.environ.get('PASSWORD', 'odoo')
    addons = os.environ.get('SUITE_ADDONS_PATH') or ','.join([
        os.path.join(os.path.dirname(odoo.__file__), 'addons'), ROOT])
    return ['--db_host=%s' % host, '--db_port=%s' % port,
            '--db_user=%s' % user, '--db_password=%s' % password,
            '--addons-path=%s' % addons]


def add_size_arguments(parser, default):
    """``--size N`` (one data size) and ``--sizes A,B,C`` (several: the
    benchmark runs once per size, so the growth curve shows)."""
    parser.add_argument('--size', type=int, default=default,
                        help='data size (default %d)' % default)
    parser.add_argument('--sizes', default=None,
                        help='comma-separated data sizes, e.g. '
                             '10000,100000,1000000: one run per size')


def sizes_of(args):
    """The data sizes asked for: ``--sizes``, else ``--size``."""
    if getattr(args, 'sizes', None):
        return [int(size) for size in args.sizes.replace('_', '').split(',')
                if size.strip()]
    return [args.size]


def for_each_size(args, run_once):
    """Call ``run_once(args)`` with ``args.size`` set to each size in turn;
    ``run_once`` prints its figures and returns the main ones as
    ``{label: value}``. With several sizes, ends with the growth table:
    each figure per size and its ratio to the smallest size's."""
    results = []
    for size in sizes_of(args):
        args.size = size
        print('=== size %d ===' % size, flush=True)
        results.append((size, run_once(args) or {}))
    if len(results) < 2:
        return results
    print('=== growth (value, and ratio to size %d) ===' % results[0][0])
    for label in results[0][1]:
        base = results[0][1][label]
        cells = []
        for size, figures in results:
            value = figures.get(label)
            ratio = value / base if value is not None and base else None
            cells.append('%d: %s%s' % (
                size, '%.2f' % value if value is not None else '-',
                ' (%.2fx)' % ratio if ratio is not None else ''))
        print('%s: %s' % (label, '; '.join(cells)))
    return results
