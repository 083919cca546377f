"""Data and databases of bench_standard_paths.py: the same generated
partners and opportunities in the suite database and in a crm-only one,
the bench users, and the crm-only database itself."""
import os
import re
import subprocess
import sys
import time

from benchlib import odoo_args

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARAM = 'bench_standard_paths.size'
LEAD_MARK = 'bench_standard_paths'
# the salesperson, a colleague owning opportunities, and a salesperson like
# the first whom the pool's visibility rule does not restrict (``no rule``)
LOGINS = ('bench.sp.salesperson', 'bench.sp.colleague', 'bench.sp.norule')

SURNAMES = ['Zhang', 'Wang', 'Li', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao',
            'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo', 'He', 'Lin',
            'Luo', 'Gao']
GIVEN = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Lei', 'Qiang', 'Jun', 'Yan',
         'Hui', 'Tao', 'Ming', 'Chao', 'Xiu', 'Ping', 'Gang', 'Hong', 'Bo',
         'Lan', 'Yun']
CITIES = ['Shanghai', 'Beijing', 'Shenzhen', 'Guangzhou', 'Hangzhou',
          'Chengdu', 'Wuhan', 'Nanjing', 'Suzhou', 'Tianjin']
WORDS = ['Hengtai', 'Huaxin', 'Jinlong', 'Xinda', 'Tianyu', 'Hongfa',
         'Ruifeng', 'Zhongke', 'Boyuan', 'Kangda', 'Minghui', 'Dingsheng',
         'Yongli', 'Jiahe', 'Shengda', 'Fuxing', 'Longteng', 'Haixin',
         'Guangyu', 'Baoli']
KINDS = ['Trading', 'Technology', 'Logistics', 'Machinery', 'Foods',
         'Textiles', 'Pharma', 'Electronics']


# ------------------------------------------------------------------ data --
def table_columns(cr, table):
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = %s""", (table,))
    return {row[0] for row in cr.fetchall()}


def insert_select(cr, table, columns, extra, select_from, params):
    """INSERT INTO table (columns + the extra ones the table has) SELECT ...

    ``columns`` and ``extra`` are lists of (column, SQL expression); the
    extra ones are the suite's stored columns, filled as its ORM would."""
    present = table_columns(cr, table)
    pairs = list(columns) + [(c, e) for c, e in extra if c in present]
    cr.execute('INSERT INTO %s (%s) SELECT %s %s' % (
        table, ', '.join(c for c, _e in pairs), ', '.join(e for _c, e in pairs),
        select_from), params)
    return [c for c, _e in extra if c in present]


def digits(expr):
    return "regexp_replace(%s, '[^0-9]', '', 'g')" % expr


def company_key(expr):
    return "regexp_replace(lower(%s), '[^a-z0-9]', '', 'g')" % expr


def generate(cr, size, seller_id, colleague_id):
    """Insert ``size`` partners and ``size`` opportunities; returns the
    suite-only columns that were filled."""
    now = "(now() at time zone 'UTC')"
    companies = max(size // 10, 1)
    people = size - companies
    params = {'size': size, 'companies': companies, 'people': people,
              'sur': SURNAMES, 'given': GIVEN, 'cities': CITIES,
              'words': WORDS, 'kinds': KINDS, 'seller': seller_id,
              'colleague': colleague_id, 'mark': LEAD_MARK}
    cr.execute("SELECT res_id FROM ir_model_data "
               "WHERE module = 'base' AND name = 'cn'")
    params['country'] = cr.fetchone()[0]
    # partners: one in ten owned by the salesperson, six by a colleague
    owner = ("CASE WHEN g %% 10 = 0 THEN %(seller)s WHEN g %% 10 > 3 "
             "THEN %(colleague)s END")
    common = [
        ('company_id', '1'), ('active', 'true'), ('customer', 'true'),
        ('supplier', 'false'), ('employee', 'false'), ('type', "'contact'"),
        ('lang', "'en_US'"), ('partner_share', 'true'), ('color', '0'),
        ('country_id', '%(country)s'), ('user_id', owner),
        ('create_uid', '1'), ('write_uid', '1'),
        ('create_date', '%s - (g %%%% 700) * interval \'1 day\'' % now),
        ('write_date', now)]
    name = ("(%(cities)s)[1 + g %% 10] || ' ' || (%(words)s)[1 + (g / 10) %% 20]"
            " || ' ' || (%(kinds)s)[1 + (g / 200) %% 8] || ' Co., Ltd.'")
    columns = common + [
        ('id', 's.id'), ('commercial_partner_id', 's.id'),
        ('name', 's.name'), ('display_name', 's.name'),
        ('commercial_company_name', 's.name'), ('is_company', 'true'),
        ('ref', "'bsp-c' || lpad(g::text, 7, '0')"),
        ('email', 's.email'), ('phone', 's.phone'),
        ('street', "g || ' Renmin Road'"), ('zip', "'200' || (g %% 1000)"),
        ('city', '(%(cities)s)[1 + g %% 10]')]
    extra = [('pool_phone_norm', digits('s.phone')),
             ('pool_email_norm', 's.email'),
             ('pool_company_norm', company_key('s.name'))]
    # the rows' values in a sub-select, so that the suite's keys are
    # computed from them
    sub = """FROM (SELECT nextval('res_partner_id_seq') AS id, g, %s AS name,
                          'info' || g || '@' || lower((%%(words)s)[1 + (g / 10)
                            %%%% 20]) || g || '.example.cn' AS email,
                          '+86 21 ' || lpad((g * 37 %%%% 100000000)::text, 8,
                                            '0') AS phone
                     FROM generate_series(1, %%(companies)s) g) s""" % name
    filled = insert_select(cr, 'res_partner', [
        (c, re.sub(r'\bg\b', 's.g', e)) for c, e in columns], extra, sub, params)
    # people: half of them contacts of a company (display name
    # "Company, Person"), the other half on their own
    person = "(%(sur)s)[1 + g %% 20] || ' ' || (%(given)s)[1 + (g / 20) %% 20]"
    cr.execute("""
        CREATE TEMP TABLE bsp_company ON COMMIT DROP AS
        SELECT id, name, row_number() OVER (ORDER BY id) - 1 AS k
          FROM res_partner WHERE ref LIKE 'bsp-c%%'""")
    columns = [(c, e) for c, e in common] + [
        ('id', 's.id'), ('name', 's.name'),
        ('display_name', "CASE WHEN c.id IS NULL THEN s.name "
                         "ELSE c.name || ', ' || s.name END"),
        ('parent_id', 'c.id'), ('commercial_partner_id', 'COALESCE(c.id, s.id)'),
        ('commercial_company_name', 'c.name'), ('is_company', 'false'),
        ('ref', "'bsp-p' || lpad(g::text, 7, '0')"),
        ('email', 's.email'), ('phone', 's.phone'), ('mobile', 's.mobile'),
        ('function', "CASE WHEN c.id IS NOT NULL THEN 'Purchasing' END"),
        ('street', "g || ' Nanjing Road'"), ('zip', "'100' || (g %% 1000)"),
        ('city', '(%(cities)s)[1 + (g / 3) %% 10]')]
    extra = [('pool_phone_norm', digits('s.phone')),
             ('pool_mobile_norm', digits('s.mobile')),
             ('pool_email_norm', 's.email'),
             ('pool_company_norm', company_key('c.name'))]
    sub = """FROM (SELECT nextval('res_partner_id_seq') AS id, g,
                          %s AS name,
                          lower((%%(given)s)[1 + (g / 20) %%%% 20]) || '.'
                            || lower((%%(sur)s)[1 + g %%%% 20]) || g
                            || '@mail' || (g %%%% 50) || '.example.cn'
                            AS email,
                          '+86 10 ' || lpad((g * 53 %%%% 100000000)::text, 8,
                                            '0') AS phone,
                          '13' || lpad((g * 7919 %%%% 1000000000)::text, 9,
                                       '0') AS mobile
                     FROM generate_series(1, %%(people)s) g) s
              LEFT JOIN bsp_company c
                     ON s.g %%%% 2 = 0 AND c.k = (s.g / 2) %%%% %%(companies)s
    """ % person
    filled += insert_select(cr, 'res_partner', [
        (c, re.sub(r'\bg\b', 's.g', e)) for c, e in columns], extra, sub, params)
    cr.execute('DROP TABLE bsp_company')
    # opportunities: 10 % the salesperson's, 30 % unassigned, 60 % a
    # colleague's; each of a generated partner, over crm's stages
    cr.execute("""
        CREATE TEMP TABLE bsp_partner ON COMMIT DROP AS
        SELECT id, display_name, email, phone, commercial_company_name,
               row_number() OVER (ORDER BY id) - 1 AS k
          FROM res_partner WHERE ref LIKE 'bsp-%%'""")
    cr.execute("CREATE INDEX ON bsp_partner (k)")
    cr.execute("SELECT array_agg(id ORDER BY sequence, id) FROM crm_stage")
    params['stages'] = cr.fetchone()[0]
    cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'sales_team'"
               " AND name = 'team_sales_department'")
    params['team'] = cr.fetchone()[0]
    columns = [
        ('name', "'Opportunity ' || g || ' ' || "
                 "coalesce(p.commercial_company_name, p.display_name)"),
        ('type', "'opportunity'"), ('active', 'true'), ('company_id', '1'),
        ('team_id', '%(team)s'),
        ('user_id', "CASE WHEN g %% 10 = 0 THEN %(seller)s "
                    "WHEN g %% 10 > 3 THEN %(colleague)s END"),
        ('stage_id', '(%(stages)s)[1 + g %% array_length(%(stages)s, 1)]'),
        ('partner_id', 'p.id'), ('partner_name', 'p.commercial_company_name'),
        ('contact_name', 'p.display_name'), ('email_from', 'p.email'),
        ('phone', 'p.phone'), ('country_id', '%(country)s'),
        ('probability', '(g %% 10) * 10'),
        ('planned_revenue', '(g %% 100) * 1000'),
        ('priority', '(g %% 4)::text'), ('referred', '%(mark)s'),
        ('date_deadline', "(now() + (g %% 90) * interval '1 day')::date"),
        ('date_open', "%s - (g %%%% 365) * interval '1 day'" % now),
        ('date_last_stage_update', "%s - (g %%%% 30) * interval '1 day'"
                                   % now),
        ('create_uid', '1'), ('write_uid', '1'),
        ('create_date', "%s - (g %%%% 365) * interval '1 day'" % now),
        ('write_date', now)]
    extra = [('qualification_state', "'new'"),
             ('pool_phone_norm', digits('p.phone')),
             ('pool_email_norm', 'p.email'),
             ('pool_company_norm', company_key('p.commercial_company_name'))]
    filled += insert_select(cr, 'crm_lead', columns, extra, """
        FROM generate_series(1, %(size)s) g
        JOIN bsp_partner p ON p.k = (g * 7919) %% %(size)s""", params)
    cr.execute('DROP TABLE bsp_partner')
    return sorted(set(filled))


def drop_data(cr):
    """Remove the generated rows (nothing else refers to them)."""
    cr.execute("DELETE FROM crm_lead WHERE referred = %s", (LEAD_MARK,))
    cr.execute("DELETE FROM res_partner WHERE ref LIKE 'bsp-%%'")
    cr.execute("DELETE FROM ir_config_parameter WHERE key = %s", (PARAM,))


def data_size(cr):
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (PARAM,))
    row = cr.fetchone()
    return int(row[0]) if row else None


def ensure_users(env):
    """The salesperson and the colleague, same logins in both databases."""
    group = env.ref('sales_team.group_sale_salesman')
    Users = env['res.users'].with_context(no_reset_password=True,
                                          active_test=False)
    users = []
    for login in LOGINS:
        user = Users.search([('login', '=', login)])
        if not user:
            user = Users.create({
                'name': login.replace('.', ' ').title(), 'login': login,
                'email': '%s@bench.example' % login,
                'groups_id': [(6, 0, [group.id])]})
        users.append(user)
    return users


def user_id(registry, login):
    with registry.cursor() as cr:
        cr.execute('SELECT id FROM res_users WHERE login = %s', (login,))
        return cr.fetchone()[0]


def drop_users(env):
    users = env['res.users'].with_context(active_test=False).search(
        [('login', 'in', list(LOGINS))])
    partners = users.mapped('partner_id')
    users.unlink()
    partners.unlink()


def vacuum(registry, tables):
    """Rewrite the tables compactly: rows deleted by an earlier run of
    another size would otherwise leave one database's tables bigger."""
    import odoo
    cnx = odoo.sql_db.db_connect(registry.db_name)
    with cnx.cursor() as cr:
        cr.autocommit(True)
        for table in tables:
            cr.execute('VACUUM FULL ANALYZE %s' % table)


def prepare(registry, args, label):
    """Users and data in one database; returns (uid, info)."""
    from odoo import SUPERUSER_ID, api
    info = {}
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        seller, colleague = ensure_users(env)[:2]
        info['pool user'] = seller.has_group('crm_public_pool.group_pool_user') \
            if 'crm.pool' in env else False
        cr.execute("SELECT count(*) FROM res_partner WHERE ref LIKE 'bsp-%%'")
        partners = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM crm_lead WHERE referred = %s",
                   (LEAD_MARK,))
        leads = cr.fetchone()[0]
        if data_size(cr) == args.size and partners == leads == args.size:
            info['generated'] = 'reused'
            return seller.id, info
        t0 = time.time()
        drop_data(cr)
        info['filled'] = generate(cr, args.size, seller.id, colleague.id)
        cr.execute("INSERT INTO ir_config_parameter (key, value, create_uid, "
                   "write_uid, create_date, write_date) VALUES (%s, %s, 1, 1,"
                   " now() at time zone 'UTC', now() at time zone 'UTC')",
                   (PARAM, str(args.size)))
        cr.commit()
        info['generated'] = '%.0f s' % (time.time() - t0)
        uid = seller.id
    if args.smoke:
        with registry.cursor() as cr:
            cr.execute('ANALYZE res_partner')
            cr.execute('ANALYZE crm_lead')
    else:
        vacuum(registry, ['res_partner', 'crm_lead'])
    return uid, info


def cleanup(registry):
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        drop_data(cr)
        drop_users(api.Environment(cr, SUPERUSER_ID, {}))


# -------------------------------------------------------------- databases --
def has_demo(db):
    import odoo
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute("SELECT demo FROM ir_module_module WHERE name = 'base'")
        return bool(cr.fetchone()[0])


def crm_db_state(db):
    """'missing', 'crm' (only crm, reusable) or a reason not to use it."""
    import psycopg2
    import odoo
    with odoo.sql_db.db_connect('postgres').cursor() as cr:
        cr.execute('SELECT 1 FROM pg_database WHERE datname = %s', (db,))
        if not cr.fetchone():
            return 'missing'
    try:
        with odoo.sql_db.db_connect(db).cursor() as cr:
            cr.execute("SELECT name FROM ir_module_module "
                       "WHERE state = 'installed'")
            installed = {row[0] for row in cr.fetchall()}
    except psycopg2.Error as exc:
        return 'not an Odoo database (%s)' % exc
    if 'crm' not in installed:
        return 'crm is not installed'
    suite = installed & {'crm_public_pool', 'crm_lead_scoring',
                         'crm_service_ticket'}
    if suite:
        return 'has the suite installed (%s)' % ', '.join(sorted(suite))
    return 'crm'


def ensure_crm_db(db, demo, smoke):
    """Create the crm-only database when missing, with demo data like the
    suite's database (so that both list the same records), except in smoke
    runs (faster, any existing one will do)."""
    state = crm_db_state(db)
    if state == 'crm':
        if smoke or has_demo(db) == demo:
            return 'reused'
        sys.exit('%s was created %s demo data, unlike the suite database: '
                 'drop it or pass another --crm-db'
                 % (db, 'with' if has_demo(db) else 'without'))
    if state != 'missing':
        sys.exit('%s: %s; pass another --crm-db' % (db, state))
    t0 = time.time()
    subprocess.check_call(
        [sys.executable, os.path.join(ROOT, 'tools', 'odoo-bin')]
        + odoo_args() + ['-d', db, '-i', 'crm', '--stop-after-init',
                         '--log-level=warn', '--max-cron-threads=0']
        + ([] if demo else ['--without-demo=all']),
        stdout=subprocess.DEVNULL)
    return 'created in %.0f s' % (time.time() - t0)
