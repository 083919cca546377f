"""Web capture endpoint POST /crm_pool/capture against a live server."""
import json
import time

import pytest
import requests

from suite_harness import json_post, unique

URL = "/crm_pool/capture"


@pytest.fixture
def capture_pool(admin, make_user):
    """A lead pool with round-robin distribution to one salesperson."""
    sales = make_user(groups=["crm_public_pool.group_pool_user"])
    name = unique("capture-pool")
    pool_id = admin.call("crm.pool", "create", {
        "name": name, "res_model": "crm.lead", "distribution": "round_robin",
        "capture_rate_limit": 100, "duplicate_check": "warn",
        "member_ids": [(0, 0, {"user_id": sales.uid})],
    })
    token = admin.call("crm.pool", "read", [pool_id],
                       ["capture_token"])[0]["capture_token"]
    return {"id": pool_id, "token": token, "sales": sales, "name": name}


def post(server, token, body, **headers):
    hdrs = {"Authorization": "Bearer %s" % token} if token else {}
    hdrs.update(headers)
    return json_post(requests, server.url + URL, body, headers=hdrs)


def test_capture_creates_and_distributes(odoo_server, admin, capture_pool):
    email = "%s@example.com" % unique("buyer")
    resp = post(odoo_server, capture_pool["token"], {
        "name": "官网询价 %s" % email, "contact_name": "陈先生",
        "partner_name": "上海某某贸易有限公司", "email_from": email,
        "phone": "+86 138 0000 %04d" % (int(time.time()) % 10000),
        "description": "想了解报价", "city": "上海", "country": "cn",
        "source": "Website"})
    assert resp.status_code == 201, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    lead_id = resp.json()["id"]
    lead = admin.call("crm.lead", "read", [lead_id], [
        "pool_id", "pool_state", "user_id", "email_from", "country_id",
        "city", "contact_name", "type"])[0]
    assert lead["pool_id"][0] == capture_pool["id"]
    assert lead["email_from"] == email
    assert lead["city"] == "上海"
    assert lead["country_id"][0] == admin.ref("base.cn")
    assert lead["type"] == "lead"
    # distributed right after the capture: the member has room
    assert lead["user_id"] and lead["user_id"][0] == capture_pool["sales"].uid
    assert lead["pool_state"] == "owned"
    logs = admin.call("crm.pool.log", "search_read", [
        ("res_model", "=", "crm.lead"), ("res_id", "=", lead_id)],
        ["action"])
    assert sorted(log["action"] for log in logs) == ["assign", "create"]

    # the same email again: no new lead, a note on the existing one
    again = post(odoo_server, capture_pool["token"], {
        "name": "again", "email_from": email.upper(), "description": "第二次"})
    assert again.status_code == 200, again.text
    assert again.json() == {"id": lead_id, "duplicate": True}
    notes = admin.call("mail.message", "search_read", [
        ("model", "=", "crm.lead"), ("res_id", "=", lead_id),
        ("body", "ilike", "Captured again")], ["body"])
    assert len(notes) == 1 and "第二次" in notes[0]["body"]
    assert admin.call("crm.lead", "search_count",
                      [("email_from", "=ilike", email)]) == 1


@pytest.mark.parametrize("body, status, message", [
    ("{not json", 400, "not valid JSON"),
    ("[1, 2]", 400, "must be a JSON object"),
    (b"\xff\xfe\x00", 400, "not valid JSON"),
    ({"name": "x", "email_from": "not-an-email"}, 400, "Invalid email"),
    ({"name": "x", "phone": "call me maybe"}, 400, "Invalid phone"),
    ({"name": "x", "mobile": "12"}, 400, "Invalid phone"),
    ({"name": "x", "country": "ZZ"}, 400, "Unknown country"),
    ({"name": "x", "country": "CHN"}, 400, "longer than 2"),
    ({"name": "x", "priority": "3"}, 400, "Unknown fields: priority"),
    ({"name": 42}, 400, "must be a string"),
    ({"description": "only text"}, 400, "at least a name"),
    ({"name": "x" * 300}, 400, "longer than 256"),
])
def test_capture_bad_input(odoo_server, admin, capture_pool, body, status,
                           message):
    before = admin.call("crm.lead", "search_count",
                        [("pool_id", "=", capture_pool["id"])])
    resp = post(odoo_server, capture_pool["token"], body)
    assert resp.status_code == status, resp.text
    assert message in resp.json()["error"]
    assert admin.call("crm.lead", "search_count",
                      [("pool_id", "=", capture_pool["id"])]) == before


def test_capture_oversized_body(odoo_server, capture_pool):
    body = json.dumps({"name": "big", "description": "x" * 17000})
    resp = post(odoo_server, capture_pool["token"], body)
    assert resp.status_code == 413
    assert "larger than 16384 bytes" in resp.json()["error"]


def test_capture_token_checks(odoo_server, admin, capture_pool):
    body = {"name": unique("lead")}
    resp = post(odoo_server, "wrong-" + capture_pool["token"], body)
    assert resp.status_code == 401
    assert resp.json() == {"error": "Unknown capture token."}
    resp = post(odoo_server, None, body)
    assert resp.status_code == 401
    assert "Authorization" in resp.json()["error"]
    resp = post(odoo_server, None, body,
                Authorization="Basic %s" % capture_pool["token"])
    assert resp.status_code == 401
    # a regenerated token replaces the old one
    admin.call("crm.pool", "action_regenerate_capture_token",
               [capture_pool["id"]])
    resp = post(odoo_server, capture_pool["token"], body)
    assert resp.status_code == 401
    token = admin.call("crm.pool", "read", [capture_pool["id"]],
                       ["capture_token"])[0]["capture_token"]
    assert token != capture_pool["token"]
    resp = post(odoo_server, token, body)
    assert resp.status_code == 201, resp.text
    assert admin.call("crm.lead", "search_count",
                      [("name", "=", body["name"])]) == 1


def test_capture_rate_limit(odoo_server, admin, capture_pool):
    admin.call("crm.pool", "write", [capture_pool["id"]],
               {"capture_rate_limit": 3})
    prefix = unique("flood")
    codes = []
    for i in range(6):
        resp = post(odoo_server, capture_pool["token"],
                    {"name": "%s-%s" % (prefix, i)})
        codes.append(resp.status_code)
        if resp.status_code == 429:
            assert int(resp.headers["Retry-After"]) >= 1
            assert "at most 3 per minute" in resp.json()["error"]
    assert codes[:3] == [201, 201, 201]
    assert codes[3:] == [429, 429, 429]
    assert admin.call("crm.lead", "search_count",
                      [("name", "=like", prefix + "-%")]) == 3


def test_capture_never_500(odoo_server, capture_pool):
    resp = requests.get(odoo_server.url + URL, timeout=30)
    assert resp.status_code != 500
    resp = post(odoo_server, capture_pool["token"], "")
    assert resp.status_code == 400
