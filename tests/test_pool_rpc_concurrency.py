"""Concurrent claims against the multi-worker server (JSON-RPC, threads)."""
import re
import threading

import pytest
import requests

from suite_harness import JsonRpcClient, RpcError, unique

ALREADY = "This lead has already been claimed by another user."
ALREADY_ZH = "此线索已被其他用户领取。"


def run_together(calls):
    """Run the callables at once (one thread and HTTP session each).

    Returns a list of ('ok', result) or ('error', exception) in call order.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, func):
        barrier.wait()
        for attempt in range(3):
            try:
                results[index] = ('ok', func())
            except requests.ConnectionError as exc:
                # The prefork worker gives a client 2 s between accept() and
                # the request; 50 threads on a busy machine may miss that and
                # the request is then never processed: send it again.
                results[index] = ('error', exc)
                continue
            except Exception as exc:  # collected and asserted by the test
                results[index] = ('error', exc)
            break

    threads = [threading.Thread(target=worker, args=(i, f))
               for i, f in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return results


def log_errors(text, db):
    """Errors of our database in a slice of the server log (a traceback is
    always preceded by its ERROR line)."""
    return [line for line in text.splitlines()
            if re.search(r' (ERROR|CRITICAL) %s ' % re.escape(db), line)]


@pytest.fixture
def pool_factory(admin):
    def _make(member_ids, **policy):
        vals = {
            "name": unique("rpc-pool"), "res_model": "crm.lead",
            "duplicate_check": "none",
            "member_ids": [(0, 0, {"user_id": uid}) for uid in member_ids],
        }
        vals.update(policy)
        return admin.call("crm.pool", "create", vals)
    return _make


def make_leads(admin, pool_id, count):
    tag = unique("rpc-lead")
    return [admin.call("crm.lead", "create", {
        "name": "%s %s" % (tag, index), "pool_id": pool_id, "user_id": False,
    }) for index in range(count)]


def test_50_simultaneous_claims_of_one_lead(odoo_server, admin, make_user,
                                            pool_factory):
    users = [make_user(groups=["crm_public_pool.group_pool_user"])
             for _index in range(50)]
    pool_id = pool_factory([u.uid for u in users])
    lead_id = make_leads(admin, pool_id, 1)[0]
    log_start = len(odoo_server.log_text())

    results = run_together([
        (lambda client=client: client.call("crm.lead", "action_pool_claim",
                                           [lead_id]))
        for client in users])

    oks = [r for r in results if r[0] == 'ok']
    errors = [r[1] for r in results if r[0] == 'error']
    assert len(oks) == 1, results
    assert len(errors) == 49
    for exc in errors:
        assert isinstance(exc, RpcError), repr(exc)
        assert exc.http_status == 200
        assert exc.exc_name == "odoo.exceptions.UserError", exc.debug[-2000:]
        assert exc.message.strip() in (ALREADY, ALREADY_ZH)
    winner = users[[r[0] for r in results].index('ok')]
    lead = admin.call("crm.lead", "read", [lead_id],
                      ["user_id", "pool_state"])[0]
    assert lead["user_id"][0] == winner.uid
    assert lead["pool_state"] == "owned"
    logs = admin.call("crm.pool.log", "search_read", [
        ("res_model", "=", "crm.lead"), ("res_id", "=", lead_id),
        ("action", "=", "claim")], ["to_user_id"])
    assert [row["to_user_id"][0] for row in logs] == [winner.uid]
    assert log_errors(odoo_server.log_text()[log_start:], odoo_server.db) == []


def test_20_simultaneous_claims_by_one_user_respect_quota(
        odoo_server, admin, make_user, pool_factory):
    sales = make_user(groups=["crm_public_pool.group_pool_user"])
    pool_id = pool_factory([sales.uid], quota=7)
    owned = make_leads(admin, pool_id, 2)
    admin.call("crm.lead", "action_pool_assign", owned, sales.uid)
    leads = make_leads(admin, pool_id, 20)
    clients = [JsonRpcClient(odoo_server, sales.login, sales.password)
               for _index in range(20)]
    log_start = len(odoo_server.log_text())

    results = run_together([
        (lambda client=client, lead_id=lead_id: client.call(
            "crm.lead", "action_pool_claim", [lead_id]))
        for client, lead_id in zip(clients, leads)])

    oks = [r for r in results if r[0] == 'ok']
    errors = [r[1] for r in results if r[0] == 'error']
    assert len(oks) == 5, results
    for exc in errors:
        assert isinstance(exc, RpcError), repr(exc)
        assert exc.exc_name == "odoo.exceptions.UserError", exc.debug[-2000:]
        assert "7" in exc.message and "allowed in pool" in exc.message \
            or "7" in exc.message and "公海" in exc.message, exc.message
    count = admin.call("crm.lead", "search_count", [
        ("pool_id", "=", pool_id), ("user_id", "=", sales.uid)])
    assert count == 7
    claims = admin.call("crm.pool.log", "search_count", [
        ("pool_id", "=", pool_id), ("action", "=", "claim")])
    assert claims == 5
    assert log_errors(odoo_server.log_text()[log_start:], odoo_server.db) == []


def test_simultaneous_freezes_by_one_owner_respect_the_cap(
        odoo_server, admin, make_user, pool_factory):
    """Ten freeze requests of one owner at once, with at most two frozen
    records per owner: exactly two succeed."""
    sales = make_user(groups=["crm_public_pool.group_pool_user"])
    pool_id = pool_factory([sales.uid], max_frozen_per_user=2)
    leads = make_leads(admin, pool_id, 10)
    admin.call("crm.lead", "action_pool_assign", leads, sales.uid)
    clients = [JsonRpcClient(odoo_server, sales.login, sales.password)
               for _index in range(10)]
    until = "2099-01-01 00:00:00"
    log_start = len(odoo_server.log_text())

    results = run_together([
        (lambda client=client, lead_id=lead_id: client.call(
            "crm.lead", "action_pool_freeze", [lead_id], until, "budget"))
        for client, lead_id in zip(clients, leads)])

    oks = [r for r in results if r[0] == 'ok']
    errors = [r[1] for r in results if r[0] == 'error']
    assert len(oks) == 2, results
    for exc in errors:
        assert isinstance(exc, RpcError), repr(exc)
        assert exc.exc_name == "odoo.exceptions.UserError", exc.debug[-2000:]
    frozen = admin.call("crm.lead", "search_count", [
        ("pool_id", "=", pool_id), ("pool_state", "=", "frozen")])
    assert frozen == 2
    assert log_errors(odoo_server.log_text()[log_start:], odoo_server.db) == []
