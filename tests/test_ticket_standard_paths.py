"""Service tickets on Odoo's standard paths (issue 10, items 8-11).

A portal customer over JSON-RPC on the multi-worker server must find nothing
of another customer (ratings, attachments of internal notes, messages,
followers, wizards), and mail coming in through ``message_process`` must not
link a wildcard sender to an existing customer nor loop with auto-replies.
"""
import collections
import json
import threading

import pytest
import requests

from suite_harness import JsonRpcClient, RpcError, unique

TICKET = "crm.service.ticket"
PAST = "2024-03-08 08:00:00"  # a Friday, 16:00 in Beijing


def raw_mail(sender, to, subject, msgid, body="Hello", headers=(),
             in_reply_to=None):
    lines = ["From: %s" % sender, "To: %s" % to, "Subject: %s" % subject,
             "Message-ID: <%s>" % msgid]
    if in_reply_to:
        lines += ["In-Reply-To: <%s>" % in_reply_to,
                  "References: <%s>" % in_reply_to]
    lines += ["%s: %s" % header for header in headers]
    lines += ["MIME-Version: 1.0", 'Content-Type: text/plain; charset="utf-8"',
              "", body, ""]
    return "\r\n".join(lines)


def assert_refused(func, *args, **kwargs):
    with pytest.raises(RpcError) as info:
        func(*args, **kwargs)
    assert info.value.exc_name in ("odoo.exceptions.AccessError",
                                   "odoo.exceptions.except_orm"), info.value
    return info.value


def post(admin, ticket_id, body, note=False, files=()):
    """A message on a ticket as admin, with (name, text) attachments."""
    return admin.call(
        TICKET, "message_post", [ticket_id], body=body,
        message_type="comment",
        subtype="mail.mt_note" if note else "mail.mt_comment",
        attachments=[list(f) for f in files])


def attachment_id(admin, name):
    return admin.call("ir.attachment", "search", [("name", "=", name)])[0]


@pytest.fixture(scope="module")
def world(admin, odoo_server):
    """Customer A (with a portal user) and customer B, each with tickets,
    messages, attachments and ratings; B's data all carry ``mark_b``."""
    mark_b = unique("zzcustb")
    mark_int = unique("zzinternal")
    domain_b = "%s.example" % unique("custb")
    company_a = admin.call("res.partner", "create", {
        "name": unique("Custa"), "is_company": True,
        "email": "info@%s.example" % unique("custa")})
    login = unique("portal-a")
    admin.call("res.users", "create", {
        "name": unique("Li Lei"), "login": login, "password": login,
        "email": "%s@custa.example" % login,
        "groups_id": [(6, 0, [admin.ref("base.group_portal")])]})
    portal = JsonRpcClient(odoo_server, login, login)
    partner_a = admin.call("res.users", "read", [portal.uid],
                           ["partner_id"])[0]["partner_id"][0]
    admin.call("res.partner", "write", [partner_a], {"parent_id": company_a})
    company_b = admin.call("res.partner", "create", {
        "name": "%s Company" % mark_b, "is_company": True,
        "email": "info@%s" % domain_b})
    contact_b = admin.call("res.partner", "create", {
        "name": "%s Contact" % mark_b, "parent_id": company_b,
        "email": "contact@%s" % domain_b})
    calendar = admin.ref("resource.resource_calendar_std")
    alias = unique("desk")
    team = admin.call("crm.service.team", "create", {
        "name": unique("Desk"), "alias_name": alias, "reopen_days": 7})
    admin.call("crm.service.sla", "create", {
        "name": unique("Fast"), "team_id": team, "calendar_id": calendar,
        "tz": "Asia/Shanghai", "hours_first_response": 1,
        "hours_resolution": 2})

    def ticket(partner, name):
        return admin.call(TICKET, "create", {
            "name": name, "partner_id": partner, "team_id": team})

    ticket_b = ticket(contact_b, "%s ticket" % mark_b)
    post(admin, ticket_b, "%s public answer" % mark_b,
         files=[("%s-public.txt" % mark_b, "b public")])
    post(admin, ticket_b, "%s note" % mark_b, note=True,
         files=[("%s-note.txt" % mark_b, "b note")])
    token_b = admin.call(TICKET, "rating_get_access_token", [ticket_b])
    admin.call(TICKET, "rating_apply", [ticket_b], 1, token_b,
               "%s rude agent" % mark_b)
    rating_b = admin.call("rating.rating", "search",
                          [("access_token", "=", token_b)])[0]
    admin.call("crm.lead", "create", {
        "name": "%s lead" % mark_b, "partner_id": company_b,
        "email_from": "contact@%s" % domain_b})
    admin.call("crm.service.ticket", "message_subscribe", [ticket_b],
               [contact_b, company_b])

    ticket_a = ticket(partner_a, unique("A ticket"))
    public_name = unique("a-public") + ".txt"
    post(admin, ticket_a, "Here is the manual",
         files=[(public_name, "manual")])
    post(admin, ticket_a, "%s do not tell the customer" % mark_int, note=True,
         files=[("%s.txt" % mark_int, "cost price 12.50")])
    token_a = admin.call(TICKET, "rating_get_access_token", [ticket_a])
    admin.call(TICKET, "rating_apply", [ticket_a], 10, token_a, "A is happy")
    rating_a = admin.call("rating.rating", "search",
                          [("access_token", "=", token_a)])[0]
    return dict(
        mark_b=mark_b, mark_int=mark_int, domain_b=domain_b, alias=alias,
        team=team, portal=portal, partner_a=partner_a, company_a=company_a,
        company_b=company_b, contact_b=contact_b, ticket_a=ticket_a,
        ticket_b=ticket_b, rating_a=rating_a, rating_b=rating_b,
        public_name=public_name, token_a=token_a)


# ----------------------------------------------------------- 8. ratings --

def test_portal_reads_only_ratings_of_own_tickets_and_writes_none(
        world, admin, odoo_server):
    portal = world["portal"]
    rows = portal.call("rating.rating", "search_read", [],
                       ["res_model", "res_id", "feedback", "partner_id"])
    ids = [row["id"] for row in rows]
    assert world["rating_a"] in ids  # their own ticket's rating stays readable
    assert world["rating_b"] not in ids
    assert world["mark_b"] not in json.dumps(rows)
    for row in rows:
        assert row["res_model"] != TICKET or row["res_id"] == world["ticket_a"]
    assert portal.call("rating.rating", "search_count",
                       [("res_id", "=", world["ticket_b"])]) == 0
    assert_refused(portal.call, "rating.rating", "read", [world["rating_b"]],
                   ["feedback"])
    assert_refused(portal.call, "rating.rating", "write", [world["rating_b"]],
                   {"feedback": "hacked", "rating": 10})
    assert_refused(portal.call, "rating.rating", "write", [world["rating_a"]],
                   {"rating": 1})
    model_id = admin.call("ir.model", "search", [("model", "=", TICKET)])[0]
    assert_refused(portal.call, "rating.rating", "create", {
        "res_model_id": model_id, "res_id": world["ticket_b"], "rating": 1,
        "feedback": "fake", "consumed": True})
    stored = admin.call("rating.rating", "read",
                        [world["rating_b"], world["rating_a"]],
                        ["feedback", "rating"])
    assert [(r["feedback"], r["rating"]) for r in stored] == [
        ("%s rude agent" % world["mark_b"], 1.0), ("A is happy", 10.0)]
    assert admin.call("rating.rating", "search_count", [
        ("res_model", "=", TICKET), ("res_id", "=", world["ticket_b"])]) == 1

    # The rating flow by token (mail link, public, sudo) still works.
    ticket = admin.call(TICKET, "create", {
        "name": unique("rate me"), "partner_id": world["partner_a"],
        "team_id": world["team"]})
    token = admin.call(TICKET, "rating_get_access_token", [ticket])
    resp = requests.get("%s/rating/%s/5" % (odoo_server.url, token), timeout=60)
    assert resp.status_code == 200
    rated = admin.call("rating.rating", "search_read",
                       [("access_token", "=", token)], ["rating", "consumed"])
    assert (rated[0]["rating"], rated[0]["consumed"]) == (5.0, True)


# ------------------------------------------------------- 9. attachments --

def test_portal_cannot_download_attachments_of_internal_notes(world, admin):
    portal = world["portal"]
    rows = portal.call("ir.attachment", "search_read",
                       [("res_model", "=", TICKET)], ["name", "res_id"])
    names = [row["name"] for row in rows]
    assert world["public_name"] in names  # the public answer's file
    assert "%s.txt" % world["mark_int"] not in names
    assert not [n for n in names if world["mark_b"] in n]
    note_file = attachment_id(admin, "%s.txt" % world["mark_int"])
    assert_refused(portal.call, "ir.attachment", "read", [note_file],
                   ["datas", "name"])
    assert portal.call("ir.attachment", "search_count",
                       [("id", "=", note_file)]) == 0
    assert_refused(portal.call, "ir.attachment", "write", [note_file],
                   {"name": "mine"})
    public_file = attachment_id(admin, world["public_name"])
    content = portal.call("ir.attachment", "read", [public_file], ["datas"])
    assert content[0]["datas"]


# ----------------------------------------------------- 10. wildcard mail --

@pytest.mark.parametrize("local", ["%", "c_ntact", "%tact"])
def test_wildcard_sender_gets_own_partner_and_acknowledgement(world, admin,
                                                              local):
    sender = "%s@%s" % (local, world["domain_b"])
    ids = []
    for n in range(2):
        raw = raw_mail(sender, "%s@example.com" % world["alias"],
                       unique("outsider"), "%s@outsider.example" % unique("m"))
        ids.append(admin.call("mail.thread", "message_process", False, raw))
    tickets = admin.call(TICKET, "read", ids,
                         ["partner_id", "commercial_partner_id", "email_from"])
    b_partners = {world["company_b"], world["contact_b"]}
    for ticket in tickets:
        assert ticket["partner_id"], ticket
        assert ticket["partner_id"][0] not in b_partners
        assert ticket["commercial_partner_id"][0] != world["company_b"]
        assert ticket["email_from"] == sender
    # The second mail finds the partner the first one created.
    assert tickets[0]["partner_id"] == tickets[1]["partner_id"]
    partner = admin.call("res.partner", "read", [tickets[0]["partner_id"][0]],
                         ["email"])[0]
    assert partner["email"] == sender
    mails = admin.call("mail.mail", "search_read", [
        ("model", "=", TICKET), ("res_id", "in", ids)],
        ["recipient_ids", "email_to"])
    assert mails, "the outsider gets an acknowledgement"
    for mail in mails:
        assert not b_partners & set(mail["recipient_ids"]), mail
        assert world["domain_b"] not in (mail["email_to"] or "").replace(
            sender, "")
    assert admin.call(TICKET, "search_count", [
        ("id", "in", ids), ("commercial_partner_id", "=", world["company_b"])
    ]) == 0


# -------------------------------------------------------- 11. mail loops --

def acknowledgements(admin, ticket_id):
    return admin.call("mail.mail", "search_count", [
        ("model", "=", TICKET), ("res_id", "=", ticket_id)])


@pytest.mark.parametrize("header", [
    ("Auto-Submitted", "auto-replied"),
    ("Auto-Submitted", "auto-generated"),
    ("Precedence", "bulk"),
    ("Precedence", "junk"),
    ("Precedence", "auto_reply"),
    ("X-Autoreply", "yes"),
    ("X-Autorespond", "Out of office"),
])
def test_auto_reply_to_alias_is_not_acknowledged(world, admin, header):
    sender = "%s@ooo.example" % unique("away")
    raw = raw_mail(sender, "%s@example.com" % world["alias"],
                   "Out of office", "%s@ooo.example" % unique("m"),
                   headers=[header])
    ticket_id = admin.call("mail.thread", "message_process", False, raw)
    assert acknowledgements(admin, ticket_id) == 0


def test_normal_mail_is_still_acknowledged(world, admin):
    sender = "%s@fine.example" % unique("fine")
    raw = raw_mail(sender, "%s@example.com" % world["alias"], "Question",
                   "%s@fine.example" % unique("m"),
                   headers=[("Auto-Submitted", "no")])
    ticket_id = admin.call("mail.thread", "message_process", False, raw)
    assert acknowledgements(admin, ticket_id) == 1


def test_out_of_office_answer_to_rating_request_keeps_ticket_closed(world,
                                                                    admin):
    sender = "%s@customer.example" % unique("wang")
    first_id = "%s@customer.example" % unique("m")
    raw = raw_mail("Wang Fang <%s>" % sender,
                   "%s@example.com" % world["alias"], "Screen is black",
                   first_id)
    ticket_id = admin.call("mail.thread", "message_process", False, raw,
                           context={"ticket_now": PAST})
    admin.call(TICKET, "write", [ticket_id], {"resolution": "New cable"})
    admin.call(TICKET, "action_close", [ticket_id],
               context={"ticket_now": "2024-03-08 09:00:00"})
    # The newest mail of the ticket: the rating request sent on closing.
    request = admin.call("mail.mail", "search_read", [
        ("model", "=", TICKET), ("res_id", "=", ticket_id)], ["message_id"],
        order="id desc", limit=1)
    assert request and acknowledgements(admin, ticket_id) == 2
    parent = request[0]["message_id"].strip("<>")
    for n, now in enumerate(("2024-03-09 09:00:00", False)):
        marker = unique("ooo")
        raw = raw_mail(sender, "%s@example.com" % world["alias"],
                       "Automatic reply: How did we do?",
                       "%s@customer.example" % marker,
                       body="%s I am on leave until Monday." % marker,
                       headers=[("Auto-Submitted", "auto-replied"),
                                ("X-Autoreply", "yes")],
                       in_reply_to=parent)
        context = {"ticket_now": now} if now else {}
        routed = admin.call("mail.thread", "message_process", False, raw,
                            context=context)
        assert routed == ticket_id
        row = admin.call(TICKET, "read", [ticket_id], [
            "closed_date", "is_closed", "sla_state", "reopen_count",
            "child_ids"])[0]
        assert row["closed_date"] == "2024-03-08 09:00:00"
        assert row["is_closed"] and row["reopen_count"] == 0
        assert row["sla_state"] == "done"
        assert row["child_ids"] == []
        assert admin.call(TICKET, "search_count",
                          [("parent_id", "=", ticket_id)]) == 0
        logged = admin.call("mail.message", "search_count", [
            ("model", "=", TICKET), ("res_id", "=", ticket_id),
            ("body", "like", marker)])
        assert logged == 1, "the auto-reply is kept on the ticket"
    # Only the acknowledgement and the rating request were ever sent.
    assert acknowledgements(admin, ticket_id) == 2


# --------------------------------------------------- systematic portal --

def portal_models(admin):
    """Models a portal user may read, plus the mail/rating ones and every
    transient model (wizards)."""
    groups = [admin.ref("base.group_portal"), admin.ref("base.group_public")]
    rows = admin.call("ir.model.access", "search_read", [
        ("group_id", "in", groups), ("perm_read", "=", True)], ["model_id"])
    model_ids = {row["model_id"][0] for row in rows}
    names = {m["model"] for m in admin.call("ir.model", "read",
                                            list(model_ids), ["model"])}
    names |= {"mail.message", "mail.followers", "rating.rating",
              "ir.attachment", TICKET, "res.partner"}
    transient = {m["model"] for m in admin.call(
        "ir.model", "search_read", [("transient", "=", True)], ["model"])}
    return sorted(names), sorted(transient)


def readable_fields(client, model):
    fields = client.call(model, "fields_get", attributes=["type"])
    return [name for name, attrs in fields.items()
            if attrs["type"] not in ("binary",)]


def read_all(client, model):
    """Every row ``client`` can read of ``model`` (binary fields left out),
    or None when it can read nothing. The domain is not empty: Odoo 11's
    mail.message search for portal users breaks on an empty one."""
    domain = [("id", "!=", 0)]
    fields = readable_fields(client, model)
    try:
        return client.call(model, "search_read", domain, fields)
    except RpcError:
        pass
    try:
        ids = client.call(model, "search", domain, limit=2000)
    except RpcError:
        return None
    # Odoo 11's ir.attachment search returns ids that read() refuses
    # (attachments of no record): read one by one, keep what is readable.
    rows = []
    for id_ in ids:
        try:
            rows += client.call(model, "read", [id_], fields)
        except RpcError:
            continue
    return rows


def find_leaks(world, model, rows):
    """What in ``rows`` belongs to customer B or to A's internal notes."""
    text = json.dumps(rows, default=str)
    leaks = []
    for mark in (world["mark_b"], world["mark_int"], world["domain_b"]):
        if mark in text:
            leaks.append("%s shows %s" % (model, mark))
    for row in rows:
        if isinstance(row, dict) and row.get("res_model") == TICKET and \
                row.get("res_id") == world["ticket_b"]:
            leaks.append("%s row %s is about B's ticket" % (model, row["id"]))
    return leaks


def test_portal_sweep_finds_nothing_of_another_customer(world, admin):
    portal = world["portal"]
    readable, transient = portal_models(admin)
    leaks, checked = [], []
    for model in readable:
        if model in transient:
            continue
        rows = read_all(portal, model)
        if rows is None:
            continue  # nothing readable at all
        checked.append(model)
        leaks += find_leaks(world, model, rows)
    # Wizards: create one with every text field set to B's marker (a search
    # term), run its search/confirm buttons, read it and its lines back.
    for model in transient:
        fields = admin.call(model, "fields_get",
                            attributes=["type", "readonly", "related",
                                        "relation", "selection"])
        values = {}
        for name, attrs in fields.items():
            if attrs.get("readonly") or attrs.get("related"):
                continue
            if attrs["type"] in ("char", "text"):
                values[name] = world["mark_b"]
        try:
            wizard = portal.call(model, "create", values)
        except RpcError:
            try:
                wizard = portal.call(model, "create", {})
            except RpcError:
                continue
        checked.append(model)
        for button in ("action_search", "action_confirm"):
            try:
                portal.call(model, button, [wizard])
            except RpcError:
                pass
        names = readable_fields(portal, model)
        try:
            rows = portal.call(model, "read", [wizard], names)
        except RpcError:
            continue
        # What we typed in comes back (also as the display name), of
        # course: only the rest counts.
        echo = set(values) | {"display_name"}
        leaks += find_leaks(world, model, [
            {k: v for k, v in row.items() if k not in echo} for row in rows])
        for name, attrs in fields.items():
            if attrs["type"] in ("one2many", "many2many") and rows[0].get(name):
                try:
                    lines = portal.call(attrs["relation"], "read", rows[0][name])
                except RpcError:
                    continue
                leaks += find_leaks(world, attrs["relation"], lines)
    print("portal sweep checked %d models: %s" % (len(checked), checked))
    print("portal sweep leaks: %s" % (leaks,))
    assert {"rating.rating", "ir.attachment", "mail.message",
            "mail.followers"} <= set(checked)
    assert not leaks, "\n".join(leaks)


# ------------------------------------------ round robin under concurrency --

def test_concurrent_tickets_take_distinct_round_robin_turns(admin, make_user,
                                                            odoo_server):
    agents = [make_user(groups=["crm_service_ticket.group_ticket_agent"])
              for _i in range(3)]
    team = admin.call("crm.service.team", "create", {
        "name": unique("RR"), "alias_name": unique("rr"),
        "assignment": "round_robin",
        "member_ids": [(6, 0, [a.uid for a in agents])]})
    # As many clients as the server has workers: their creations overlap.
    clients = [JsonRpcClient(odoo_server, "admin", "admin") for _i in range(2)]
    barrier = threading.Barrier(len(clients))
    created, errors = [], []

    def run(client):
        barrier.wait()
        try:
            for _n in range(12):
                created.append(client.call(TICKET, "create", {
                    "name": unique("rr"), "team_id": team}))
        except RpcError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not errors, errors
    rows = admin.call(TICKET, "read", created, ["user_id"])
    counts = collections.Counter(row["user_id"][0] for row in rows)
    # 24 tickets, 3 agents: each turn taken once, so 8 each.
    assert sorted(counts.values()) == [8, 8, 8], counts
