"""Two Odoo servers with cron workers on one database: every policy batch
runs once (reclaim and distribution), quotas hold across servers."""
import time

from suite_harness import db_connect, unique

RECLAIM = 3000
DISTRIBUTE = 3000
QUOTA = 1000
CRONS = ["crm_public_pool.crm_pool_cron_reclaim",
         "crm_public_pool.crm_pool_cron_distribute",
         "crm_public_pool.crm_pool_cron_freeze_expiry",
         "crm_public_pool.crm_pool_cron_remind"]


def _users(admin, count):
    group = admin.ref("crm_public_pool.group_pool_user")
    return [admin.call("res.users", "create", {
        "name": unique("cron-sales"), "login": unique("cron"),
        "groups_id": [(6, 0, [group])]}) for _i in range(count)]


def test_two_servers_run_each_batch_once(admin, suite_db, start_odoo_server):
    users = _users(admin, 2)
    reclaim_pool = admin.call("crm.pool", "create", {
        "name": unique("cron-reclaim"), "res_model": "crm.lead",
        "idle_days": 1,
        "member_ids": [(0, 0, {"user_id": uid}) for uid in users]})
    dist_pool = admin.call("crm.pool", "create", {
        "name": unique("cron-dist"), "res_model": "crm.lead",
        "distribution": "round_robin", "quota": QUOTA, "idle_days": 30,
        "member_ids": [(0, 0, {"user_id": uid}) for uid in users]})
    conn = db_connect(suite_db)
    try:
        with conn.cursor() as cr:
            cr.execute("""
                INSERT INTO crm_lead (name, type, active, probability, user_id,
                                      pool_id, pool_state, pool_date_claimed,
                                      pool_deadline, create_date, write_date,
                                      create_uid, write_uid)
                SELECT 'cron reclaim ' || g, 'lead', TRUE, 10,
                       (ARRAY[%s, %s])[1 + g %% 2], %s, 'owned',
                       now() at time zone 'utc' - interval '3 days',
                       now() at time zone 'utc' - interval '2 days',
                       now() at time zone 'utc', now() at time zone 'utc', 1, 1
                  FROM generate_series(1, %s) g
            """, (users[0], users[1], reclaim_pool, RECLAIM))
            cr.execute("""
                INSERT INTO crm_lead (name, type, active, probability, pool_id,
                                      pool_state, priority, create_date,
                                      write_date, create_uid, write_uid)
                SELECT 'cron dist ' || g, 'lead', TRUE, 10, %s, 'pool',
                       (g %% 4)::text, now() at time zone 'utc',
                       now() at time zone 'utc', 1, 1
                  FROM generate_series(1, %s) g
            """, (dist_pool, DISTRIBUTE))
        cron_ids = [admin.ref(xmlid) for xmlid in CRONS]
        admin.call("ir.cron", "write", cron_ids, {
            "active": True, "nextcall": "2000-01-01 00:00:00"})
        servers = [start_odoo_server(workers=1, cron_threads=1,
                                     name=unique("pool-cron"))
                   for _i in range(2)]
        deadline = time.time() + 400
        while time.time() < deadline:
            with conn.cursor() as cr:
                cr.execute("""SELECT count(*) FILTER (WHERE pool_id = %s
                                                      AND pool_state = 'pool'),
                                     count(*) FILTER (WHERE pool_id = %s
                                                      AND user_id IS NOT NULL)
                                FROM crm_lead WHERE pool_id IN (%s, %s)""",
                           (reclaim_pool, dist_pool, reclaim_pool, dist_pool))
                reclaimed, assigned = cr.fetchone()
            if reclaimed == RECLAIM and assigned == 2 * QUOTA:
                break
            time.sleep(2)
        logs = "".join(server.log_text() for server in servers)
        assert reclaimed == RECLAIM, logs[-3000:]
        assert assigned == 2 * QUOTA, logs[-3000:]
        # a little more time: a second server would be too late, not wrong
        time.sleep(5)
        with conn.cursor() as cr:
            cr.execute("""
                SELECT action, count(*), count(DISTINCT res_id)
                  FROM crm_pool_log
                 WHERE pool_id IN (%s, %s) AND action IN ('reclaim', 'assign')
                 GROUP BY action""", (reclaim_pool, dist_pool))
            counts = {row[0]: row[1:] for row in cr.fetchall()}
            cr.execute("""SELECT max(c) FROM (
                            SELECT count(*) c FROM crm_lead
                             WHERE pool_id = %s AND user_id IS NOT NULL
                             GROUP BY user_id) x""", (dist_pool,))
            top = cr.fetchone()[0]
        assert counts["reclaim"] == (RECLAIM, RECLAIM)
        assert counts["assign"] == (2 * QUOTA, 2 * QUOTA)
        assert top == QUOTA
        errors = [line for line in logs.splitlines() if " ERROR " in line]
        assert not errors, errors[:5]
    finally:
        with conn.cursor() as cr:
            cr.execute("DELETE FROM crm_pool_log WHERE pool_id IN (%s, %s)",
                       (reclaim_pool, dist_pool))
            cr.execute("DELETE FROM crm_lead WHERE pool_id IN (%s, %s)",
                       (reclaim_pool, dist_pool))
        conn.close()
