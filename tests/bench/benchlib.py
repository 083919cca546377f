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
