"""Odoo's standard features on masked pool records, as a salesperson would
use them over JSON-RPC: merge, convert, edit, create, chatter, freeze
requests and the public search keep the pool's promises (no placeholder
stored, no contact data shown, no record lost)."""
import datetime
import random

import pytest
import requests

from suite_harness import RpcError, db_connect, json_post, unique


def refused(func, *args, **kwargs):
    """The call fails with a clean, translated refusal (not a traceback)."""
    with pytest.raises(RpcError) as info:
        func(*args, **kwargs)
    assert info.value.exc_name in ("odoo.exceptions.UserError",
                                   "odoo.exceptions.AccessError",
                                   "odoo.exceptions.ValidationError"), info.value
    return info.value


def assert_no_secret(payload, secrets):
    text = repr(payload)
    for secret in secrets:
        assert secret not in text, (secret, text[:2000])


def stored(suite_db, table, record_id, columns=("phone", "mobile", "email")):
    conn = db_connect(suite_db)
    try:
        with conn.cursor() as cr:
            cr.execute('SELECT %s FROM "%s" WHERE id = %%s'
                       % (", ".join(columns), table), (record_id,))
            return cr.fetchone()
    finally:
        conn.close()


@pytest.fixture
def pool(admin, make_user):
    seller = make_user(groups=["crm_public_pool.group_pool_user"])
    other = make_user(groups=["crm_public_pool.group_pool_user"])
    outsider = make_user(groups=["crm_public_pool.group_pool_user"])
    pool_id = admin.call("crm.pool", "create", {
        "name": unique("paths"), "res_model": "crm.lead",
        "mask_contact": True, "duplicate_check": "block",
        "member_ids": [(0, 0, {"user_id": seller.uid}),
                       (0, 0, {"user_id": other.uid})],
    })
    tag = unique("sp")
    leads, secrets = [], []
    for index in range(2):
        # numbers of this test only (the test database is shared)
        phone = "138%08d" % random.randrange(10 ** 8)
        mobile = "139%08d" % random.randrange(10 ** 8)
        email = "h%s.%s@secret.example" % (index, tag)
        secrets.append((phone, mobile, email))
        leads.append(admin.call("crm.lead", "create", {
            "name": "%s lead %s" % (tag, index), "pool_id": pool_id,
            "user_id": False, "phone": phone, "mobile": mobile,
            "email_from": email,
            "partner_name": "%s Company %s" % (tag, index)}))
    return dict(seller=seller, other=other, outsider=outsider,
                pool_id=pool_id, tag=tag, leads=leads, secrets=secrets)


def lead_secrets(pool, index):
    """(phone, mobile, email) of the pool's lead ``index``."""
    return pool["secrets"][index]


def spaced(number):
    """``13812345678`` as people write it: ``138 1234 5678``."""
    return "%s %s %s" % (number[:3], number[3:7], number[7:])


def test_merge_of_unclaimed_masked_leads_is_refused(admin, pool, suite_db):
    seller, leads = pool["seller"], pool["leads"]
    before = [stored(suite_db, "crm_lead", lead_id,
                     ("phone", "mobile", "email_from")) for lead_id in leads]
    # the list's Merge action, as the web client runs it
    wizard_id = seller.call("crm.merge.opportunity", "create", {
        "opportunity_ids": [(6, 0, leads)]},
        context={"active_model": "crm.lead", "active_ids": leads})
    refused(seller.call, "crm.merge.opportunity", "action_merge", [wizard_id])
    refused(seller.call, "crm.lead", "merge_opportunity", leads)
    after = [stored(suite_db, "crm_lead", lead_id,
                    ("phone", "mobile", "email_from")) for lead_id in leads]
    assert after == before
    assert admin.call("crm.lead", "search_count",
                      [("id", "in", leads)]) == 2
    # the owner of both merges them: real data, nothing masked stored
    for lead_id in leads:
        seller.call("crm.lead", "action_pool_claim", [lead_id])
    seller.call("crm.lead", "merge_opportunity", leads)
    head = admin.call("crm.lead", "search", [("id", "in", leads)])
    assert len(head) == 1
    row = stored(suite_db, "crm_lead", head[0],
                 ("phone", "mobile", "email_from"))
    assert "*" not in "".join(value or "" for value in row)
    assert row in before


def test_convert_of_unclaimed_masked_lead_is_refused(admin, pool, suite_db):
    seller, lead_id = pool["seller"], pool["leads"][0]
    phone, mobile, email = lead_secrets(pool, 0)
    context = {"active_model": "crm.lead", "active_id": lead_id,
               "active_ids": [lead_id]}
    wizard_id = seller.call("crm.lead2opportunity.partner", "create", {
        "name": "convert", "action": "create"}, context=context)
    refused(seller.call, "crm.lead2opportunity.partner", "action_apply",
            [wizard_id], context=context)
    refused(seller.call, "crm.lead", "handle_partner_assignation", [lead_id])
    assert admin.call("res.partner", "search_count",
                      [("email", "ilike", pool["tag"])]) == 0
    # claimed, the owner converts it: the new customer gets the real data
    seller.call("crm.lead", "action_pool_claim", [lead_id])
    wizard_id = seller.call("crm.lead2opportunity.partner", "create", {
        "name": "convert", "action": "create"}, context=context)
    seller.call("crm.lead2opportunity.partner", "action_apply", [wizard_id],
                context=context)
    partners = admin.call("res.partner", "search_read",
                          [("email", "ilike", pool["tag"])],
                          ["email", "phone", "mobile"])
    assert partners and partners[0]["email"] == email
    assert partners[0]["phone"] == phone and partners[0]["mobile"] == mobile


def test_editing_a_masked_lead_keeps_the_duplicate_check(admin, pool,
                                                         suite_db):
    seller, lead_id = pool["seller"], pool["leads"][0]
    phone, _mobile, _email = lead_secrets(pool, 0)
    norm = stored(suite_db, "crm_lead", lead_id,
                  ("pool_phone_norm", "pool_email_norm"))
    for vals in ({"partner_name": "renamed"}, {"phone": "138****5678"},
                 {"description": "x"}):
        refused(seller.call, "crm.lead", "write", [lead_id], vals)
    assert stored(suite_db, "crm_lead", lead_id,
                  ("pool_phone_norm", "pool_email_norm")) == norm
    # a manager's edit recomputes the keys from the real values
    admin.call("crm.lead", "write", [lead_id], {"partner_name": "renamed"})
    assert stored(suite_db, "crm_lead", lead_id,
                  ("pool_phone_norm", "pool_email_norm")) == norm
    # so the block pool still refuses a duplicate of the number
    error = refused(seller.call, "crm.lead", "create", {
        "name": unique("dup"), "pool_id": pool["pool_id"],
        "phone": phone, "user_id": seller.uid})
    assert phone not in error.message


def test_creating_into_a_foreign_pool_is_refused(admin, pool):
    outsider = pool["outsider"]
    name = unique("foreign")
    error = refused(outsider.call, "crm.lead", "create", {
        "name": name, "pool_id": pool["pool_id"], "user_id": outsider.uid})
    assert "not a member" in error.message or "不是" in error.message
    refused(outsider.call, "crm.lead", "create", {
        "name": name, "pool_id": pool["pool_id"]})
    # nor by moving an own lead into it
    own = outsider.call("crm.lead", "create", {"name": name})
    refused(outsider.call, "crm.lead", "write", [own],
            {"pool_id": pool["pool_id"]})
    assert admin.call("crm.lead", "search_count", [
        ("name", "=", name), ("pool_id", "=", pool["pool_id"])]) == 0


def test_creating_over_quota_leaves_the_record_in_the_pool(admin, pool):
    seller = pool["seller"]
    admin.call("crm.pool", "write", [pool["pool_id"]], {"quota": 1})
    seller.call("crm.lead", "action_pool_claim", [pool["leads"][0]])
    lead_id = seller.call("crm.lead", "create", {
        "name": unique("over"), "pool_id": pool["pool_id"],
        "user_id": seller.uid})
    row = admin.call("crm.lead", "read", [lead_id],
                     ["user_id", "pool_state"])[0]
    assert row["user_id"] is False and row["pool_state"] == "pool"
    notes = admin.call("mail.message", "search_read", [
        ("model", "=", "crm.lead"), ("res_id", "=", lead_id)], ["body"])
    assert any("1" in note["body"] for note in notes)
    # within the quota the creator owns it (a claim, with its history)
    admin.call("crm.pool", "write", [pool["pool_id"]], {"quota": 5})
    lead_id = seller.call("crm.lead", "create", {
        "name": unique("within"), "pool_id": pool["pool_id"],
        "user_id": seller.uid})
    row = admin.call("crm.lead", "read", [lead_id], ["user_id"])[0]
    assert row["user_id"][0] == seller.uid
    # an integrator's create without an owner lands in the pool
    lead_id = seller.call("crm.lead", "create", {
        "name": unique("unowned"), "pool_id": pool["pool_id"]})
    assert admin.call("crm.lead", "read", [lead_id],
                      ["pool_state"])[0]["pool_state"] == "pool"


def test_chatter_of_a_masked_lead_masks_contact_data(admin, odoo_server, pool):
    seller, lead_id = pool["seller"], pool["leads"][0]
    secrets = lead_secrets(pool, 0)
    # a note quoting the number, a customer's email with a signature
    admin.call("crm.lead", "message_post", [lead_id],
               body="Called %s, mail %s" % (secrets[0], secrets[2]),
               subtype="mail.mt_note", message_type="comment")
    raw = (
        "From: Customer <%s>\r\nTo: sales@example.com\r\n"
        "Subject: Re: quotation\r\nMessage-Id: <%s@secret.example>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Please call me back on %s.\r\n" % (
            secrets[2], unique("msg"), spaced(secrets[1])))
    admin.call("mail.thread", "message_process", "crm.lead", raw,
               thread_id=lead_id)
    # the capture endpoint's note on a duplicate
    token = admin.call("crm.pool", "read", [pool["pool_id"]],
                       ["capture_token"])[0]["capture_token"]
    resp = json_post(requests, odoo_server.url + "/crm_pool/capture", {
        "name": "again", "email_from": secrets[2], "phone": secrets[0]},
        headers={"Authorization": "Bearer %s" % token})
    assert resp.status_code == 200 and resp.json()["duplicate"], resp.text
    domain = [("model", "=", "crm.lead"), ("res_id", "=", lead_id)]
    # what the chatter loads, and the plain reads
    fetched = seller.call("mail.message", "message_fetch", domain, limit=50)
    assert len(fetched) >= 3
    for payload in (
            fetched,
            seller.call("mail.message", "search_read", domain, []),
            seller.call("mail.message", "export_data",
                        seller.call("mail.message", "search", domain),
                        ["body", "email_from", "subject"]),
            seller.call("mail.message", "read_group", domain,
                        ["email_from"], ["email_from"]),
            seller.call("crm.lead", "message_get_suggested_recipients",
                        [lead_id]),
            seller.call("crm.lead", "message_get_default_recipients",
                        [lead_id]),
            # what the email composer renders from a template
            seller.call("mail.template", "render_template",
                        "${object.email_from} ${object.phone}", "crm.lead",
                        [lead_id])):
        assert_no_secret(payload, secrets + tuple(spaced(number)
                                                  for number in secrets[:2]))
    # the text of masked messages answers no search either
    assert seller.call("mail.message", "search", domain + [
        ("body", "ilike", secrets[0][:6])]) == []
    # the manager, and the owner once claimed, read the messages whole
    assert secrets[0] in repr(admin.call("mail.message", "message_fetch",
                                         domain, limit=50))
    seller.call("crm.lead", "action_pool_claim", [lead_id])
    assert secrets[0] in repr(seller.call("mail.message", "message_fetch",
                                          domain, limit=50))


def test_messages_to_the_customer_need_a_claim(admin, pool):
    seller, lead_id = pool["seller"], pool["leads"][0]
    refused(seller.call, "crm.lead", "message_post", [lead_id],
            body="hello", subtype="mail.mt_comment", message_type="comment")
    # an internal note stays possible
    seller.call("crm.lead", "message_post", [lead_id], body="looked at it",
                subtype="mail.mt_note", message_type="comment")


def test_withdrawn_freeze_request_keeps_the_clocks(admin, pool, suite_db):
    seller, lead_id = pool["seller"], pool["leads"][0]
    admin.call("crm.pool", "write", [pool["pool_id"]], {
        "idle_days": 10, "nodeal_days": 30, "freeze_needs_approval": True,
        "max_freeze_days": 30})
    seller.call("crm.lead", "action_pool_claim", [lead_id])
    past = (datetime.datetime.utcnow()
            - datetime.timedelta(days=8)).strftime("%Y-%m-%d %H:%M:%S")
    admin.call("crm.lead", "write", [lead_id], {
        "pool_date_claimed": past, "pool_date_followup": past})
    fields = ["pool_date_claimed", "pool_date_followup", "pool_deadline",
              "pool_state"]
    before = admin.call("crm.lead", "read", [lead_id], fields)[0]
    until = (datetime.datetime.utcnow()
             + datetime.timedelta(days=5)).strftime("%Y-%m-%d %H:%M:%S")
    for _round in range(3):
        seller.call("crm.lead", "action_pool_freeze", [lead_id], until,
                    "waiting for budget")
        seller.call("crm.lead", "action_pool_unfreeze", [lead_id])
    after = admin.call("crm.lead", "read", [lead_id], fields)[0]
    assert after == before
    logs = admin.call("crm.pool.log", "search_read", [
        ("res_model", "=", "crm.lead"), ("res_id", "=", lead_id),
        ("action", "=", "freeze_withdrawn")], ["actor_id"])
    assert len(logs) == 3 and logs[0]["actor_id"][0] == seller.uid


def test_portal_user_cannot_run_the_public_search(admin, make_user, pool):
    portal = make_user(groups=["base.group_portal"])
    refused(portal.call, "crm.pool.public.search", "create",
            {"query": pool["tag"], "res_model": "crm.lead"})
    refused(portal.call, "crm.pool.public.search.line", "create",
            {"name": "x"})
    # a salesperson still may, and sees no contact data
    seller = pool["seller"]
    wizard_id = seller.call("crm.pool.public.search", "create",
                            {"query": pool["tag"], "res_model": "crm.lead"})
    seller.call("crm.pool.public.search", "action_search", [wizard_id])
    lines = seller.call("crm.pool.public.search.line", "search_read",
                        [("search_id", "=", wizard_id)], [])
    assert len(lines) == 2
    assert_no_secret(lines, lead_secrets(pool, 0) + lead_secrets(pool, 1))


def test_no_oracle_on_hidden_values(pool):
    seller, lead_id = pool["seller"], pool["leads"][0]
    phone = lead_secrets(pool, 0)[0]
    mine = [("id", "in", pool["leads"])]
    # several exact candidates at once are a list, like 'in'
    candidates = ["|", "|", ("phone", "=", "13800000000"),
                  ("phone", "=", phone), ("phone", "=", "13900000000")]
    assert seller.call("crm.lead", "search", mine + candidates) == []
    # one exact value stays answerable (the duplicate check tells it anyway)
    assert seller.call("crm.lead", "search",
                       mine + [("phone", "=", phone)]) == [lead_id]
    # sorting by a hidden value does not order by it
    for order, same_as in (("phone asc", None), ("phone desc", None),
                           ("email_from desc, id desc", "id desc"),
                           ("mobile, id", "id")):
        ids = seller.call("crm.lead", "search", mine, order=order)
        assert ids == seller.call("crm.lead", "search", mine,
                                  order=same_as), order


def test_refusals_never_name_what_the_user_cannot_read(admin, pool):
    outsider, lead_id = pool["outsider"], pool["leads"][0]
    name = admin.call("crm.lead", "read", [lead_id], ["name"])[0]["name"]
    for call in (
            lambda: outsider.call("crm.lead", "action_pool_claim", [lead_id]),
            lambda: outsider.call("crm.lead", "action_pool_freeze", [lead_id],
                                  "2099-01-01", "x")):
        with pytest.raises(RpcError) as info:
            call()
        assert name not in info.value.message


def test_customer_email_of_a_foreign_partner_is_not_read(admin, pool):
    seller = pool["seller"]
    # a customer the salesperson may not read (another's pool customer)
    partner_pool = admin.call("crm.pool", "create", {
        "name": unique("cust"), "res_model": "res.partner",
        "mask_contact": True,
        "member_ids": [(0, 0, {"user_id": pool["other"].uid})]})
    email = "%s@hidden.example" % unique("vip")
    partner_id = admin.call("res.partner", "create", {
        "name": unique("vip"), "email": email, "pool_id": partner_pool,
        "user_id": pool["other"].uid})
    own = seller.call("crm.lead", "create", {"name": unique("own")})
    seller.call("crm.lead", "write", [own], {"partner_id": partner_id})
    row = seller.call("crm.lead", "read", [own], ["partner_address_email"])[0]
    assert email not in repr(row)


def test_capture_refusal_names_no_lead(admin, odoo_server, pool):
    lead_id = pool["leads"][0]
    token = admin.call("crm.pool", "read", [pool["pool_id"]],
                       ["capture_token"])[0]["capture_token"]
    name = admin.call("crm.lead", "read", [lead_id], ["name"])[0]["name"]
    # a lost (archived) lead: a returning customer's enquiry is a new lead
    admin.call("crm.lead", "write", [lead_id], {"active": False})
    secrets = lead_secrets(pool, 0)
    resp = json_post(requests, odoo_server.url + "/crm_pool/capture", {
        "name": "returning", "email_from": secrets[2]},
        headers={"Authorization": "Bearer %s" % token})
    assert resp.status_code == 201, resp.text
    # the block pool refuses a company-name duplicate without naming it
    company = admin.call("crm.lead", "read", [pool["leads"][1]],
                         ["partner_name"])[0]["partner_name"]
    resp = json_post(requests, odoo_server.url + "/crm_pool/capture", {
        "name": "same company", "partner_name": company},
        headers={"Authorization": "Bearer %s" % token})
    assert resp.status_code == 422, resp.text
    assert name not in resp.text and company not in resp.text


def test_score_data_of_a_foreign_pool_lead_is_not_readable(admin, pool):
    outsider = pool["outsider"]
    lead_id = pool["leads"][0]
    type_id = admin.call("crm.lead.score.event.type", "search",
                         [("code", "=", "site_visit")])[0]
    event_id = admin.call("crm.lead.score.event", "create", {
        "lead_id": lead_id, "event_type_id": type_id})
    domain = [("lead_id", "=", lead_id)]
    assert admin.call("crm.lead.score.event", "search", domain) == [event_id]
    # the lead is unclaimed in a pool the outsider is not a member of: its
    # score data is as invisible to them as the lead itself
    assert outsider.call("crm.lead", "search", [("id", "=", lead_id)]) == []
    for model in ("crm.lead.score.event", "crm.lead.score.line"):
        assert outsider.call(model, "search", domain) == [], model
        assert outsider.call(model, "search_count", []) == outsider.call(
            model, "search_count", [("lead_id", "!=", lead_id)]), model
    with pytest.raises(RpcError):
        outsider.call("crm.lead.score.event", "read", [event_id], ["lead_id"])
    # a member of the pool sees it, like the lead
    assert pool["seller"].call("crm.lead.score.event", "search",
                               domain) == [event_id]


def test_other_employees_edit_pool_customers_as_usual(admin, make_user, pool):
    """Everyday edits are kept from salespeople only: an employee of another
    department (contact manager) still updates a pool customer's address,
    while the pool's members must claim it first; copying is for the owner
    or a pool manager, whoever asks."""
    seller = pool["seller"]
    clerk = make_user(groups=["base.group_user", "base.group_partner_manager"])
    partner_pool = admin.call("crm.pool", "create", {
        "name": unique("cust"), "res_model": "res.partner",
        "mask_contact": True, "member_ids": [(0, 0, {"user_id": seller.uid})]})
    partner_id = admin.call("res.partner", "create", {
        "name": unique("customer"), "pool_id": partner_pool, "user_id": False,
        "phone": "138%08d" % random.randrange(10 ** 8)})
    refused(seller.call, "res.partner", "write", [partner_id],
            {"street": "1 Nanjing Road"})
    clerk.call("res.partner", "write", [partner_id],
               {"street": "2 Nanjing Road"})
    assert admin.call("res.partner", "read", [partner_id],
                      ["street"])[0]["street"] == "2 Nanjing Road"
    refused(clerk.call, "res.partner", "copy", [partner_id])
