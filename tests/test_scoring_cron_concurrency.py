"""Nightly score recompute in separate Odoo processes (as cron workers on two
servers would run it): two runs at once share the leads, the two workers of
one run too, a killed run or a failed worker leaves only whole batches and
the next run finishes the rest.
"""
import os
import re
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
NOW = '2030-06-01 03:00:00'

RUNNER = textwrap.dedent("""
    import os, sys, time
    import odoo
    from odoo import api, fields, SUPERUSER_ID
    db, host, port, user, password, addons, low, high, batch, now, barrier, \\
        workers = sys.argv[1:13]
    odoo.tools.config.parse_config([
        '--db_host=' + host, '--db_port=' + port, '--db_user=' + user,
        '--db_password=' + password, '--addons-path=' + addons, '-d', db])
    registry = odoo.registry(db)
""") + BARRIER_SNIPPET + textwrap.dedent("""
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT id FROM crm_lead WHERE id BETWEEN %s AND %s",
                   (int(low), int(high)))
        ids = [row[0] for row in cr.fetchall()]
        moment = fields.Datetime.from_string(now)
        leads = env['crm.lead'].browse(ids)
        leads.mapped('score_date')  # in this environment's cache before
        done = env['crm.lead']._cron_score_recompute(
            batch_size=int(batch), now=moment, cutoff=moment, lead_ids=ids,
            workers=int(workers))
        print('SCORED %s' % done, flush=True)
        # what this environment reads after the run, whichever worker wrote
        print('READ AS SCORED %s' % len(leads.filtered(
            lambda lead: lead.score_date == now)), flush=True)
""")


def start_run(db, low, high, batch=BATCH, barrier="-", workers=2):
    params = db_params()
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, db, params["host"], str(params["port"]),
         params["user"], params["password"], addons_path(), str(low), str(high),
         str(batch), NOW, str(barrier), str(workers)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, start_new_session=True)


def state(conn, low, high):
    """Leads scored at NOW, leads with lines, and (lead, rule) pairs with
    more than one line (a lead scored twice at once would have some)."""
    with conn.cursor() as cr:
        cr.execute("""SELECT count(*) FILTER (WHERE score_date = %s)
                      FROM crm_lead WHERE id BETWEEN %s AND %s""",
                   (NOW, low, high))
        scored = cr.fetchone()[0]
        cr.execute("""SELECT count(DISTINCT lead_id) FROM crm_lead_score_line
                      WHERE lead_id BETWEEN %s AND %s""", (low, high))
        with_lines = cr.fetchone()[0]
        cr.execute("""SELECT count(*) FROM (
                          SELECT lead_id, rule_id FROM crm_lead_score_line
                          WHERE lead_id BETWEEN %s AND %s
                          GROUP BY lead_id, rule_id HAVING count(*) > 1) twice""",
                   (low, high))
        doubled = cr.fetchone()[0]
    return {"scored": scored, "with_lines": with_lines, "doubled": doubled}


@pytest.fixture
def open_leads(admin, suite_db):
    """SIZE open leads inserted with SQL (no score yet), each matching a fit
    rule of the test."""
    rule_id = admin.call("crm.lead.score.rule", "create", {
        "name": unique("nightly rule"), "kind": "fit", "points": 7,
        "domain": "[('email_from', 'ilike', '@corp.example')]"})
    conn = db_connect(suite_db)
    tag = unique("nightly")
    with conn.cursor() as cr:
        cr.execute("""
            INSERT INTO crm_lead (name, type, active, probability, email_from,
                                  phone, create_date, write_date)
            SELECT %s || '-' || g, 'lead', TRUE, 10, 'buyer' || g || '@corp.example',
                   CASE WHEN g %% 2 = 0 THEN '1390000' || g END,
                   now() at time zone 'utc', now() at time zone 'utc'
              FROM generate_series(1, %s) g
            RETURNING id
        """, (tag, SIZE))
        ids = [row[0] for row in cr.fetchall()]
    low, high = min(ids), max(ids)
    assert high - low + 1 == SIZE
    yield conn, low, high
    with conn.cursor() as cr:
        cr.execute("DELETE FROM crm_lead WHERE id BETWEEN %s AND %s", (low, high))
        cr.execute("VACUUM ANALYZE crm_lead")
        cr.execute("VACUUM ANALYZE crm_lead_score_line")
    conn.close()
    admin.call("crm.lead.score.rule", "unlink", [rule_id])


def scored_count(out):
    line = [row for row in out.splitlines() if row.startswith("SCORED")][-1]
    return int(line.split()[1])


def worker_counts(out):
    """The leads each worker of the run recomputed, from the job's log."""
    found = re.findall(r"recomputed \d+ leads \(([\d +]+) by worker\)", out)
    assert found, out[-3000:]
    return [int(count) for count in found[-1].split(" + ")]


def test_two_concurrent_runs_score_each_lead_once(suite_db, open_leads, tmp_path):
    conn, low, high = open_leads
    barrier = tmp_path / "barrier"
    procs = [start_run(suite_db, low, high, barrier=barrier) for _i in range(2)]
    release_barrier(barrier, procs)
    counts = []
    for proc in procs:
        out, _err = proc.communicate(timeout=300)
        assert proc.returncode == 0, out[-3000:]
        counts.append(scored_count(out))
    assert sum(counts) == SIZE, counts
    # both runs did part of the work
    assert min(counts) > 0, counts
    assert state(conn, low, high) == {
        "scored": SIZE, "with_lines": SIZE, "doubled": 0}


def assert_next_run_finishes(db, conn, low, high, scored):
    """A new run scores the leads an earlier one left, once each."""
    rerun = start_run(db, low, high)
    out, _err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out[-3000:]
    assert scored_count(out) == SIZE - scored, out[-3000:]
    assert state(conn, low, high) == {
        "scored": SIZE, "with_lines": SIZE, "doubled": 0}


def test_the_two_workers_of_one_run_share_the_leads(suite_db, open_leads):
    conn, low, high = open_leads
    proc = start_run(suite_db, low, high)
    out, _err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out[-3000:]
    counts = worker_counts(out)
    assert len(counts) == 2 and min(counts) > 0, counts
    assert sum(counts) == scored_count(out) == SIZE, counts
    # the run's environment reads the scores of both workers' leads
    assert "READ AS SCORED %d" % SIZE in out, out[-3000:]
    assert state(conn, low, high) == {
        "scored": SIZE, "with_lines": SIZE, "doubled": 0}


def test_a_failed_worker_stops_the_run_with_whole_batches(suite_db, open_leads):
    """A batch the database refuses fails its worker: the other worker
    ends after its current batch, the run fails, what was committed is whole
    batches, and the next run finishes the rest."""
    conn, low, high = open_leads
    bad = low + SIZE // 2
    with conn.cursor() as cr:
        cr.execute("""
            CREATE FUNCTION crm_test_refuse_line() RETURNS trigger AS $$
            BEGIN
                IF NEW.lead_id = %s THEN
                    RAISE EXCEPTION 'refused line of lead %%', NEW.lead_id;
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql""" % bad)
        cr.execute("""CREATE TRIGGER crm_lead_score_line_refuse BEFORE INSERT
                      ON crm_lead_score_line FOR EACH ROW
                      EXECUTE PROCEDURE crm_test_refuse_line()""")
    try:
        proc = start_run(suite_db, low, high)
        out, _err = proc.communicate(timeout=300)
        assert proc.returncode != 0, out[-3000:]
        assert "refused line of lead %d" % bad in out, out[-3000:]
        failed = state(conn, low, high)
        # the batches before the refused one, and at most the other
        # worker's batch in progress: it did not go on to the end
        assert 0 < failed["scored"] <= SIZE // 2 + BATCH, failed
        assert failed["scored"] % BATCH == 0, failed
        assert failed["with_lines"] == failed["scored"], failed
        with conn.cursor() as cr:
            cr.execute("SELECT score_date FROM crm_lead WHERE id = %s", (bad,))
            assert cr.fetchone()[0] is None
    finally:
        with conn.cursor() as cr:
            cr.execute("DROP TRIGGER crm_lead_score_line_refuse ON crm_lead_score_line")
            cr.execute("DROP FUNCTION crm_test_refuse_line()")
    assert_next_run_finishes(suite_db, conn, low, high, failed["scored"])


def test_killed_run_leaves_whole_batches_and_the_next_run_finishes(
        suite_db, open_leads):
    conn, low, high = open_leads
    proc = start_run(suite_db, low, high)
    deadline = time.time() + 120
    while time.time() < deadline:
        if state(conn, low, high)["scored"] >= 5 * BATCH:
            break
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    killed = state(conn, low, high)
    assert 0 < killed["scored"] < SIZE, killed
    # whole batches only, lines and scores together
    assert killed["scored"] % BATCH == 0, killed
    assert killed["with_lines"] == killed["scored"], killed
    assert_next_run_finishes(suite_db, conn, low, high, killed["scored"])
