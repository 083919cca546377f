"""Reclaim cron under faults: killed mid-run, and two runs at once.

The cron method runs in separate Odoo processes (as a cron worker would) on
a pool of 20,000 due leads built with SQL; the test kills a run at whatever
point it has reached once a few batches are committed.
"""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from suite_harness import (BARRIER_SNIPPET, addons_path, db_connect, db_params,
                           release_barrier, unique)

SIZE = 20000
BATCH = 200

RUNNER = textwrap.dedent("""
    import os, sys, time
    import odoo
    from odoo import api, SUPERUSER_ID
    db, host, port, user, password, addons, pool_id, batch, barrier = \\
        sys.argv[1:10]
    odoo.tools.config.parse_config([
        '--db_host=' + host, '--db_port=' + port, '--db_user=' + user,
        '--db_password=' + password, '--addons-path=' + addons, '-d', db])
    registry = odoo.registry(db)
""") + BARRIER_SNIPPET + textwrap.dedent("""
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        count = env['crm.pool']._cron_reclaim(batch_size=int(batch),
                                              pool_ids=[int(pool_id)])
        print('RECLAIMED %s' % count, flush=True)
""")


def start_run(db, pool_id, batch=BATCH, barrier="-"):
    params = db_params()
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, db, params["host"], str(params["port"]),
         params["user"], params["password"], addons_path(), str(pool_id),
         str(batch), str(barrier)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, start_new_session=True)


def make_due_pool(admin, db, size=SIZE):
    """A pool with ``size`` owned leads, all past their idle deadline."""
    users = [admin.call("res.users", "create", {
        "name": unique("fault-sales"), "login": unique("fault"),
        "groups_id": [(6, 0, [admin.ref("crm_public_pool.group_pool_user")])],
    }) for _i in range(2)]
    pool_id = admin.call("crm.pool", "create", {
        "name": unique("fault-pool"), "res_model": "crm.lead", "idle_days": 1,
        "member_ids": [(0, 0, {"user_id": uid}) for uid in users]})
    conn = db_connect(db)
    with conn.cursor() as cr:
        cr.execute("""
            INSERT INTO crm_lead (name, type, active, probability, user_id,
                                  pool_id, pool_state, pool_date_claimed,
                                  pool_deadline, create_date, write_date,
                                  create_uid, write_uid)
            SELECT 'fault lead ' || g, 'lead', TRUE, 10,
                   (ARRAY[%s, %s])[1 + g %% 2], %s, 'owned',
                   now() at time zone 'utc' - interval '10 days',
                   now() at time zone 'utc' - interval '9 days',
                   now() at time zone 'utc', now() at time zone 'utc', 1, 1
              FROM generate_series(1, %s) g
        """, (users[0], users[1], pool_id, size))
    return conn, pool_id, users


def state(conn, pool_id):
    with conn.cursor() as cr:
        cr.execute("""
            SELECT count(*) FILTER (WHERE pool_state = 'pool'),
                   count(*) FILTER (WHERE pool_state = 'owned')
              FROM crm_lead WHERE pool_id = %s""", (pool_id,))
        in_pool, owned = cr.fetchone()
        cr.execute("""
            SELECT count(*), count(DISTINCT res_id)
              FROM crm_pool_log
             WHERE pool_id = %s AND action = 'reclaim'""", (pool_id,))
        logs, distinct = cr.fetchone()
        # compared in Python: fresh rows have no planner statistics yet
        cr.execute("SELECT id FROM crm_lead WHERE pool_id = %s "
                   "AND pool_state = 'pool'", (pool_id,))
        reclaimed = {row[0] for row in cr.fetchall()}
        cr.execute("""
            SELECT res_id, count(*) FROM crm_pool_log
             WHERE pool_id = %s AND action = 'reclaim'
               AND res_model = 'crm.lead'
             GROUP BY res_id""", (pool_id,))
        per_record = dict(cr.fetchall())
        wrong = sum(1 for rec_id in reclaimed if per_record.get(rec_id) != 1)
        wrong += len(set(per_record) - reclaimed)
    return {"in_pool": in_pool, "owned": owned, "logs": logs,
            "distinct": distinct, "wrong": wrong}


def cleanup(conn, pool_id):
    with conn.cursor() as cr:
        cr.execute("DELETE FROM crm_pool_log WHERE pool_id = %s", (pool_id,))
        cr.execute("DELETE FROM crm_lead WHERE pool_id = %s", (pool_id,))
        # the database is shared: leave no dead rows behind for the others
        cr.execute("VACUUM ANALYZE crm_lead")
        cr.execute("VACUUM ANALYZE crm_pool_log")
    conn.close()


@pytest.fixture
def due_pool(admin, suite_db):
    conn, pool_id, users = make_due_pool(admin, suite_db)
    yield conn, pool_id, users
    cleanup(conn, pool_id)


def test_reclaim_killed_mid_run_then_resumed(suite_db, due_pool):
    conn, pool_id, _users = due_pool
    proc = start_run(suite_db, pool_id)
    deadline = time.time() + 120
    # wait until some batches are committed, then kill the process hard
    while time.time() < deadline:
        if state(conn, pool_id)["in_pool"] >= 5 * BATCH:
            break
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    killed = state(conn, pool_id)
    assert 0 < killed["in_pool"] < SIZE, killed
    # whole batches only: every reclaimed lead has its one history row
    assert killed["in_pool"] % BATCH == 0, killed
    assert killed["logs"] == killed["in_pool"] == killed["distinct"], killed
    assert killed["wrong"] == 0
    assert killed["in_pool"] + killed["owned"] == SIZE

    rerun = start_run(suite_db, pool_id)
    out, _err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out[-3000:]
    assert "RECLAIMED %s" % (SIZE - killed["in_pool"]) in out, out[-3000:]
    final = state(conn, pool_id)
    assert final == {"in_pool": SIZE, "owned": 0, "logs": SIZE,
                     "distinct": SIZE, "wrong": 0}


def test_two_concurrent_runs_take_each_batch_once(suite_db, due_pool, tmp_path):
    conn, pool_id, _users = due_pool
    barrier = tmp_path / "barrier"
    procs = [start_run(suite_db, pool_id, batch=100, barrier=barrier)
             for _i in range(2)]
    release_barrier(barrier, procs)
    counts = []
    for proc in procs:
        out, _err = proc.communicate(timeout=300)
        assert proc.returncode == 0, out[-3000:]
        line = [row for row in out.splitlines()
                if row.startswith("RECLAIMED")][-1]
        counts.append(int(line.split()[1]))
    assert sum(counts) == SIZE, counts
    # both processes did part of the work, none did a record twice
    assert min(counts) > 0, counts
    final = state(conn, pool_id)
    assert final == {"in_pool": SIZE, "owned": 0, "logs": SIZE,
                     "distinct": SIZE, "wrong": 0}
