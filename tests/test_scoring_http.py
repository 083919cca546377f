"""POST /crm_score/event on a live multi-worker server: good and bad inputs."""
import json
import uuid

import pytest
import requests

from suite_harness import json_post, unique

TOKEN_KEY = "crm_lead_scoring.event_token"
LIMIT_KEY = "crm_lead_scoring.event_rate_limit"


@pytest.fixture(scope="module")
def endpoint(odoo_server, admin):
    """A fresh token (so the per-token rate counter starts at 0) and a high
    limit; the previous values are restored afterwards."""
    old_token = admin.call("ir.config_parameter", "get_param", TOKEN_KEY)
    old_limit = admin.call("ir.config_parameter", "get_param", LIMIT_KEY)
    token = "test-" + uuid.uuid4().hex
    admin.call("ir.config_parameter", "set_param", TOKEN_KEY, token)
    admin.call("ir.config_parameter", "set_param", LIMIT_KEY, "1000")
    yield {"url": odoo_server.url + "/crm_score/event", "token": token}
    admin.call("ir.config_parameter", "set_param", TOKEN_KEY, old_token or "")
    admin.call("ir.config_parameter", "set_param", LIMIT_KEY, old_limit or "120")


@pytest.fixture
def lead(admin):
    email = "%s@scoring.test" % unique("visitor")
    lead_id = admin.call("crm.lead", "create", {"name": unique("Scored lead"),
                                                "email_from": email})
    return {"id": lead_id, "email": email}


def post(endpoint, body, token=None, headers=None):
    hdrs = {"Authorization": "Bearer %s" % (token or endpoint["token"])}
    hdrs.update(headers or {})
    return json_post(requests, endpoint["url"], body, headers=hdrs)


def assert_error(resp, status):
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"} and body["error"]
    return body["error"]


def test_event_by_lead_id_is_recorded_and_scores(endpoint, lead, admin):
    resp = post(endpoint, {"lead_id": lead["id"], "event_type": "form_submit",
                           "date": "2026-11-01T08:00:00Z"})
    assert resp.status_code == 201, resp.text
    event_id = resp.json()["id"]
    rows = admin.call("crm.lead.score.event", "read", [event_id],
                      ["lead_id", "event_type_id", "source", "date"])
    assert rows[0]["lead_id"][0] == lead["id"]
    assert rows[0]["source"] == "api"
    assert rows[0]["date"] == "2026-11-01 08:00:00"
    code = admin.call("crm.lead.score.event.type", "read",
                      [rows[0]["event_type_id"][0]], ["code"])[0]["code"]
    assert code == "form_submit"
    lines = admin.call("crm.lead.score.line", "search_read",
                       [("lead_id", "=", lead["id"])], ["points"])
    score = admin.call("crm.lead", "read", [lead["id"]], ["score"])[0]["score"]
    assert round(sum(line["points"] for line in lines), 2) == score


def test_event_by_email(endpoint, lead, admin):
    resp = post(endpoint, {"email": lead["email"].upper(), "event_type": "site_visit"})
    assert resp.status_code == 201, resp.text
    rows = admin.call("crm.lead.score.event", "read", [resp.json()["id"]], ["lead_id"])
    assert rows[0]["lead_id"][0] == lead["id"]


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_unknown_or_missing_token_is_401(endpoint, lead, token):
    headers = {"Authorization": "Bearer %s" % token} if token else {}
    resp = json_post(requests, endpoint["url"],
                     {"lead_id": lead["id"], "event_type": "site_visit"},
                     headers=headers)
    assert assert_error(resp, 401) == "Missing or unknown token."


@pytest.mark.parametrize("body, message", [
    ("{not json", "The body is not valid JSON."),
    (b"\xff\xfe\x00", "The body is not valid JSON."),
    ("[1, 2]", "The body must be a JSON object."),
    ("42", "The body must be a JSON object."),
])
def test_bad_json_is_400(endpoint, body, message):
    assert assert_error(post(endpoint, body), 400) == message


@pytest.mark.parametrize("body, message", [
    ({"event_type": "site_visit"}, "Give 'lead_id' or 'email'."),
    ({"lead_id": 1}, "'event_type' is required."),
    ({"lead_id": 1, "event_type": "no_such_type"},
     "Unknown event type 'no_such_type'."),
    ({"lead_id": "12", "event_type": "site_visit"},
     "'lead_id' must be a positive integer."),
    ({"lead_id": True, "event_type": "site_visit"},
     "'lead_id' must be a positive integer."),
    ({"lead_id": 2 ** 40, "event_type": "site_visit"},
     "'lead_id' must be a positive integer."),
    ({"email": "not-an-address", "event_type": "site_visit"},
     "'email' must be an email address."),
    ({"email": ["a@b.c"], "event_type": "site_visit"},
     "'email' must be an email address."),
])
def test_invalid_fields_are_422(endpoint, body, message):
    assert assert_error(post(endpoint, body), 422) == message


@pytest.mark.parametrize("date", ["yesterday", "2026-13-45", 20261101, "2999-01-01"])
def test_bad_or_future_date_is_422(endpoint, lead, date):
    resp = post(endpoint, {"lead_id": lead["id"], "event_type": "site_visit",
                           "date": date})
    assert assert_error(resp, 422) == \
        "'date' must be an ISO 8601 datetime, not in the future."


def test_unknown_lead_or_email_is_404(endpoint, admin):
    last = admin.call("crm.lead", "search", [], order="id desc", limit=1,
                      context={"active_test": False})
    missing = (last[0] if last else 0) + 100000
    resp = post(endpoint, {"lead_id": missing, "event_type": "site_visit"})
    assert assert_error(resp, 404) == "No lead with id %s." % missing
    email = "%s@nowhere.test" % unique("ghost")
    resp = post(endpoint, {"email": email, "event_type": "site_visit"})
    assert assert_error(resp, 404) == "No active lead with the email %s." % email


def test_email_wildcards_match_no_other_lead(endpoint, lead, admin):
    """``%`` and ``_`` in the address are literal: an event never lands on
    whichever lead a pattern matches first."""
    domain = "@" + lead["email"].split("@")[1]
    for pattern in ("%" + domain, "_" + lead["email"][1:]):
        resp = post(endpoint, {"email": pattern, "event_type": "site_visit"})
        assert resp.status_code == 404, (pattern, resp.text)
    assert admin.call("crm.lead.score.event", "search_count",
                      [("lead_id", "=", lead["id"])]) == 0


def test_oversized_body_is_413(endpoint, lead):
    body = json.dumps({"lead_id": lead["id"], "event_type": "site_visit",
                       "note": "x" * 20000})
    assert assert_error(post(endpoint, body), 413) == \
        "The request body is larger than 16384 bytes."


def test_no_event_is_recorded_for_refused_requests(endpoint, lead, admin):
    post(endpoint, {"lead_id": lead["id"], "event_type": "nope"})
    post(endpoint, {"lead_id": lead["id"], "event_type": "site_visit",
                    "date": "garbage"})
    count = admin.call("crm.lead.score.event", "search_count",
                       [("lead_id", "=", lead["id"])])
    assert count == 0


def test_rate_limit_per_token_is_429(endpoint, lead, admin, odoo_server):
    token = "rate-" + uuid.uuid4().hex
    admin.call("ir.config_parameter", "set_param", TOKEN_KEY, token)
    admin.call("ir.config_parameter", "set_param", LIMIT_KEY, "3")
    try:
        statuses = [post(endpoint, {"lead_id": lead["id"], "event_type": "site_visit"},
                         token=token).status_code for _i in range(3)]
        over = post(endpoint, {"lead_id": lead["id"], "event_type": "site_visit"},
                    token=token)
    finally:
        admin.call("ir.config_parameter", "set_param", TOKEN_KEY, endpoint["token"])
        admin.call("ir.config_parameter", "set_param", LIMIT_KEY, "1000")
    # a bucket of 3 refilled at 3 per minute: the 4th request within
    # seconds finds it empty
    assert statuses == [201, 201, 201]
    message = assert_error(over, 429)
    assert "at most 3 per minute" in message
    assert int(over.headers["Retry-After"]) >= 1
    assert "Traceback" not in odoo_server.log_text().split("crm_score/event")[-1]
