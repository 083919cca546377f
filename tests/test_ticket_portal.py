"""Customer portal for service tickets, against a live multi-worker server."""
import re

import pytest

from suite_harness import RpcError, unique


def csrf_of(html):
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no csrf token in the page"
    return match.group(1)


@pytest.fixture
def portal_setup(admin, make_user):
    """Two companies' tickets and a portal user of the first company."""
    company = admin.call("res.partner", "create",
                         {"name": unique("Acme"), "is_company": True})
    stranger = admin.call("res.partner", "create",
                          {"name": unique("Stranger"), "is_company": True,
                           "email": "%s@other.example" % unique("s")})
    portal = make_user(groups=["base.group_portal"], name=unique("李雷"))
    partner_id = admin.call("res.users", "read", [portal.uid],
                            ["partner_id"])[0]["partner_id"][0]
    admin.call("res.partner", "write", [partner_id], {"parent_id": company})
    colleague = admin.call("res.partner", "create",
                           {"name": unique("韩梅梅"), "parent_id": company})
    team = admin.call("crm.service.team", "create",
                      {"name": unique("Desk"), "alias_name": unique("desk")})

    def ticket(partner, name):
        return admin.call("crm.service.ticket", "create", {
            "name": name, "partner_id": partner, "team_id": team})

    own = ticket(partner_id, unique("own"))
    mate = ticket(colleague, unique("colleague"))
    foreign = ticket(stranger, unique("foreign"))
    numbers = {
        r["id"]: r["number"] for r in admin.call(
            "crm.service.ticket", "read", [own, mate, foreign], ["number"])}
    return {"portal": portal, "partner_id": partner_id, "own": own,
            "mate": mate, "foreign": foreign, "numbers": numbers}


def test_portal_lists_own_and_company_tickets(portal_setup, web_session,
                                              odoo_server):
    data = portal_setup
    session = web_session(data["portal"].login, data["portal"].password)
    resp = session.get(odoo_server.url + "/my/tickets", timeout=60)
    assert resp.status_code == 200
    numbers = data["numbers"]
    assert numbers[data["own"]] in resp.text
    assert numbers[data["mate"]] in resp.text
    assert numbers[data["foreign"]] not in resp.text
    detail = session.get(odoo_server.url + "/my/ticket/%s" % data["own"],
                         timeout=60)
    assert detail.status_code == 200
    assert numbers[data["own"]] in detail.text


def test_portal_someone_elses_ticket_is_not_found(portal_setup, web_session,
                                                  odoo_server):
    data = portal_setup
    session = web_session(data["portal"].login, data["portal"].password)
    url = odoo_server.url + "/my/ticket/%s" % data["foreign"]
    resp = session.get(url, timeout=60)
    assert resp.status_code == 404
    assert "foreign" not in resp.text
    assert session.get(odoo_server.url + "/my/ticket/987654321",
                       timeout=60).status_code == 404
    token = csrf_of(session.get(odoo_server.url + "/my/tickets/new",
                                timeout=60).text)
    for action in ("reply", "close"):
        resp = session.post(url + "/" + action,
                            data={"csrf_token": token, "body": "hello"},
                            timeout=60, allow_redirects=False)
        assert resp.status_code == 404


def test_portal_new_reply_close_and_rating(portal_setup, web_session, admin,
                                           odoo_server, make_user):
    data = portal_setup
    session = web_session(data["portal"].login, data["portal"].password)
    form = session.get(odoo_server.url + "/my/tickets/new", timeout=60)
    assert form.status_code == 200
    token = csrf_of(form.text)
    bad = session.post(odoo_server.url + "/my/tickets/new",
                       data={"csrf_token": token, "subject": "  "}, timeout=60)
    assert bad.status_code == 400
    # The user's language is the database default (en_US or zh_CN).
    assert "Please enter a subject." in bad.text or "请填写主题。" in bad.text
    chinese = make_user(groups=["base.group_portal"], lang="zh_CN")
    zh_session = web_session(chinese.login, chinese.password)
    zh_form = zh_session.get(odoo_server.url + "/my/tickets/new", timeout=60)
    zh_bad = zh_session.post(odoo_server.url + "/my/tickets/new", data={
        "csrf_token": csrf_of(zh_form.text), "subject": ""}, timeout=60)
    assert zh_bad.status_code == 400
    assert "请填写主题。" in zh_bad.text
    subject = unique("打印机坏了")
    resp = session.post(odoo_server.url + "/my/tickets/new", data={
        "csrf_token": token, "subject": subject, "kind": "incident",
        "description": "It smokes"}, timeout=60, allow_redirects=False)
    assert resp.status_code in (302, 303)
    ticket_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    row = admin.call("crm.service.ticket", "read", [ticket_id],
                     ["name", "partner_id", "channel", "kind", "closed_date"])[0]
    assert row["name"] == subject
    assert row["partner_id"][0] == data["partner_id"]
    assert (row["channel"], row["kind"]) == ("portal", "incident")

    url = odoo_server.url + "/my/ticket/%s" % ticket_id
    resp = session.post(url + "/reply", data={
        "csrf_token": token, "body": "Please hurry"}, timeout=60)
    assert resp.status_code == 200
    assert "Please hurry" in resp.text

    resp = session.post(url + "/close", data={"csrf_token": token}, timeout=60)
    assert resp.status_code == 200
    row = admin.call("crm.service.ticket", "read", [ticket_id],
                     ["closed_date", "resolution", "is_closed"])[0]
    assert row["closed_date"] and row["is_closed"]
    assert row["resolution"] in ("Closed by the customer from the portal.",
                                 "客户已通过门户关闭。")
    ratings = admin.call("rating.rating", "search_read", [
        ("res_model", "=", "crm.service.ticket"), ("res_id", "=", ticket_id)],
        ["access_token", "consumed"])
    assert len(ratings) == 1 and not ratings[0]["consumed"]
    assert "/rating/%s/10" % ratings[0]["access_token"] in resp.text


def test_agent_cannot_read_other_agents_ticket_over_rpc(portal_setup,
                                                        make_user):
    agent = make_user(groups=["crm_service_ticket.group_ticket_agent"])
    with pytest.raises(RpcError) as err:
        agent.call("crm.service.ticket", "write", [portal_setup["own"]],
                   {"name": "mine now"})
    # The ticket belongs to a team the agent is not in, and is unassigned.
    assert err.value.exc_name == "odoo.exceptions.AccessError"
