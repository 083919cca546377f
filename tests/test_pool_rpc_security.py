"""A salesperson over JSON-RPC: no other's lead, no unmasked contact data,
no history rewrite, no claim on behalf of someone else."""
import pytest

from suite_harness import RpcError, unique

PHONE = "13812345678"
EMAIL = "alice.%s@example.com"


@pytest.fixture
def setup(admin, make_user):
    seller = make_user(groups=["crm_public_pool.group_pool_user"])
    other = make_user(groups=["crm_public_pool.group_pool_user"])
    pool_id = admin.call("crm.pool", "create", {
        "name": unique("sec-pool"), "res_model": "crm.lead",
        "mask_contact": True, "duplicate_check": "none",
        "member_ids": [(0, 0, {"user_id": seller.uid}),
                       (0, 0, {"user_id": other.uid})],
    })
    tag = unique("sec")
    email = EMAIL % tag
    masked_id = admin.call("crm.lead", "create", {
        "name": "%s masked" % tag, "pool_id": pool_id, "user_id": False,
        "phone": PHONE, "mobile": "+86 139 8765 4321", "email_from": email,
        "partner_name": "%s Company" % tag})
    others_id = admin.call("crm.lead", "create", {
        "name": "%s other's" % tag, "pool_id": pool_id, "user_id": False,
        "phone": "13700001111"})
    admin.call("crm.lead", "action_pool_assign", [others_id], other.uid)
    return dict(seller=seller, other=other, pool_id=pool_id, tag=tag,
                email=email, masked_id=masked_id, others_id=others_id)


def assert_access_error(func, *args, **kwargs):
    with pytest.raises(RpcError) as info:
        func(*args, **kwargs)
    assert info.value.exc_name == "odoo.exceptions.AccessError", info.value
    return info.value


def test_no_read_of_another_salespersons_lead(setup):
    seller, others_id = setup["seller"], setup["others_id"]
    assert_access_error(seller.call, "crm.lead", "read", [others_id], ["name"])
    assert seller.call("crm.lead", "search",
                       [("id", "=", others_id)]) == []
    assert seller.call("crm.lead", "search_read",
                       [("name", "ilike", setup["tag"])], ["name"]) == [
        {"id": setup["masked_id"], "name": "%s masked" % setup["tag"]}]
    assert_access_error(seller.call, "crm.lead", "write", [others_id],
                        {"description": "mine now"})


def test_no_unmasked_contact_through_any_read_path(setup):
    seller, lead_id, email = setup["seller"], setup["masked_id"], setup["email"]
    secrets = (PHONE, "13987654321", "139 8765 4321", email)

    def assert_masked(payload):
        text = repr(payload)
        for secret in secrets:
            assert secret not in text, (secret, text)

    rec = seller.call("crm.lead", "read", [lead_id],
                      ["phone", "mobile", "email_from"])[0]
    assert rec["phone"] == "138****5678"
    assert rec["mobile"] == "139****4321"
    assert rec["email_from"] == "a***@example.com"
    assert_masked(rec)
    assert_masked(seller.call("crm.lead", "search_read", [("id", "=", lead_id)],
                              ["phone", "mobile", "email_from", "display_name"]))
    assert_masked(seller.call("crm.lead", "export_data", [lead_id],
                              ["phone", "mobile", "email_from", "name"]))
    assert_masked(seller.call("crm.lead", "read_group", [("id", "=", lead_id)],
                              ["phone"], ["phone"]))
    assert_masked(seller.call("crm.lead", "read_group", [("id", "=", lead_id)],
                              ["email_from", "mobile"], ["email_from", "mobile"],
                              lazy=False))
    assert_masked(seller.call("crm.lead", "name_search", setup["tag"]))
    assert_masked(seller.call("crm.lead", "name_get", [lead_id]))
    assert_masked(seller.call("crm.lead", "read", [lead_id], []))
    # revealed once claimed
    seller.call("crm.lead", "action_pool_claim", [lead_id])
    rec = seller.call("crm.lead", "read", [lead_id], ["phone", "email_from"])[0]
    assert rec == {"id": lead_id, "phone": PHONE, "email_from": email}


def test_no_write_to_the_history(admin, setup):
    seller = setup["seller"]
    seller.call("crm.lead", "action_pool_claim", [setup["masked_id"]])
    log_ids = seller.call("crm.pool.log", "search", [
        ("res_model", "=", "crm.lead"), ("res_id", "=", setup["masked_id"])])
    assert log_ids
    assert_access_error(seller.call, "crm.pool.log", "write", log_ids,
                        {"reason": "never happened"})
    assert_access_error(seller.call, "crm.pool.log", "unlink", log_ids)
    assert_access_error(seller.call, "crm.pool.log", "create", {
        "res_model": "crm.lead", "res_id": setup["others_id"],
        "action": "claim", "to_user_id": seller.uid})
    rows = admin.call("crm.pool.log", "read", log_ids, ["reason"])
    assert all(not row["reason"] for row in rows)


def test_no_claim_on_behalf_of_another_user(admin, setup):
    seller, other, lead_id = setup["seller"], setup["other"], setup["masked_id"]
    pool_name = admin.call("crm.pool", "read", [setup["pool_id"]],
                           ["name"])[0]["name"]
    manager_only = (
        "Only the managers of pool %s may assign its records." % pool_name,
        "只有公海 %s 的经理才能分配其记录。" % pool_name)
    for call in (
            lambda: seller.call("crm.lead", "write", [lead_id],
                                {"user_id": other.uid}),
            lambda: seller.call("crm.lead", "action_pool_assign", [lead_id],
                                other.uid),
            lambda: seller.call("crm.lead", "action_pool_assign", [lead_id],
                                other.uid, context={"pool_force_quota": True}),
    ):
        with pytest.raises(RpcError) as info:
            call()
        assert info.value.exc_name == "odoo.exceptions.UserError"
        assert info.value.message.strip() in manager_only
    with pytest.raises(RpcError) as info:
        seller.call("crm.lead", "write", [lead_id], {"pool_state": "owned"})
    assert info.value.exc_name == "odoo.exceptions.UserError"
    with pytest.raises(RpcError) as info:
        seller.call("crm.lead", "create", {
            "name": "planted", "pool_id": setup["pool_id"],
            "user_id": other.uid})
    assert info.value.exc_name == "odoo.exceptions.UserError"
    lead = admin.call("crm.lead", "read", [lead_id],
                      ["user_id", "pool_state"])[0]
    assert lead == {"id": lead_id, "user_id": False, "pool_state": "pool"}
