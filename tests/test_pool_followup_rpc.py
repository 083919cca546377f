"""Follow-ups, review, targets and handover over JSON-RPC, each as the
least-privileged user it is for: what they may see and do, and what they
may not (review their own follow-ups, set review fields, bad input)."""
import datetime
import random

import pytest

from suite_harness import RpcError, unique


@pytest.fixture
def team(admin, make_user):
    seller = make_user(groups=["crm_public_pool.group_pool_user"])
    other = make_user(groups=["crm_public_pool.group_pool_user"])
    leader = make_user(groups=["crm_public_pool.group_pool_user"])
    reviewer = make_user(groups=["crm_public_pool.group_pool_reviewer"])
    manager = make_user(groups=["crm_public_pool.group_pool_manager"])
    team_id = admin.call("crm.team", "create", {
        "name": unique("team"), "user_id": leader.uid})
    admin.call("res.users", "write", [seller.uid], {"sale_team_id": team_id})
    pool_id = admin.call("crm.pool", "create", {
        "name": unique("fu-pool"), "res_model": "crm.lead", "idle_days": 10,
        "quota": 5, "mask_contact": True, "duplicate_check": "none",
        "manager_ids": [(6, 0, [manager.uid])],
        "member_ids": [(0, 0, {"user_id": seller.uid}),
                       (0, 0, {"user_id": other.uid})],
    })
    lead_id = admin.call("crm.lead", "create", {
        "name": unique("fu-lead"), "pool_id": pool_id, "user_id": False,
        "phone": "1370%07d" % random.randrange(10 ** 7)})
    seller.call("crm.lead", "action_pool_claim", [lead_id])
    return dict(seller=seller, other=other, leader=leader, reviewer=reviewer,
                manager=manager, team_id=team_id, pool_id=pool_id,
                lead_id=lead_id)


def refused(func, *args, **kwargs):
    with pytest.raises(RpcError) as info:
        func(*args, **kwargs)
    return info.value


def test_followup_visibility_and_review_over_rpc(admin, team):
    seller, lead_id = team["seller"], team["lead_id"]
    [followup_id] = seller.call("crm.lead", "action_pool_log_followup",
                                [lead_id], "visit", "Visited the factory")
    mine = seller.call("crm.followup", "read", [followup_id],
                       ["content", "review_state", "user_id"])[0]
    assert mine["content"] == "Visited the factory"
    assert mine["review_state"] == "todo"
    clock = admin.call("crm.lead", "read", [lead_id],
                       ["pool_date_followup"])[0]["pool_date_followup"]
    assert clock
    # another salesperson sees nothing of it; the team leader does
    assert team["other"].call("crm.followup", "search",
                              [("id", "=", followup_id)]) == []
    error = refused(team["other"].call, "crm.followup", "read",
                    [followup_id], ["content"])
    assert error.exc_name == "odoo.exceptions.AccessError"
    assert team["leader"].call("crm.followup", "search",
                               [("id", "=", followup_id)]) == [followup_id]
    assert team["manager"].call("crm.followup", "search",
                                [("id", "=", followup_id)]) == [followup_id]
    # the salesperson may not review nor set review fields
    for call in (
            lambda: seller.call("crm.followup", "action_review_ok",
                                [followup_id]),
            lambda: seller.call("crm.followup", "action_review_flag",
                                [followup_id], "x"),
            lambda: seller.call("crm.followup", "write", [followup_id],
                                {"review_state": "ok"}),
            lambda: seller.call("crm.followup", "create", {
                "lead_id": lead_id, "content": "self-approved",
                "review_state": "ok"}),
            lambda: seller.call("crm.followup", "create", {
                "lead_id": lead_id, "content": "forged",
                "user_id": team["other"].uid})):
        assert refused(call).exc_name == "odoo.exceptions.AccessError"
    assert admin.call("crm.followup", "search_count",
                      [("lead_id", "=", lead_id)]) == 1
    # the reviewer flags it: the owner reads why, the clock forgets it
    team["reviewer"].call("crm.followup", "action_review_flag", [followup_id],
                          "No visit that day")
    mine = seller.call("crm.followup", "read", [followup_id],
                       ["review_state", "review_note"])[0]
    assert mine == {"id": followup_id, "review_state": "flagged",
                    "review_note": "No visit that day"}
    assert admin.call("crm.lead", "read", [lead_id], [
        "pool_date_followup"])[0]["pool_date_followup"] is False


def test_bad_input_is_refused_and_writes_nothing(admin, make_user, team):
    seller, lead_id = team["seller"], team["lead_id"]
    yesterday = (datetime.date.today()
                 - datetime.timedelta(days=2)).isoformat()
    for args in (("call", "  "), ("call", "ok", yesterday)):
        error = refused(seller.call, "crm.lead", "action_pool_log_followup",
                        [lead_id], *args)
        assert error.exc_name == "odoo.exceptions.UserError"
    assert admin.call("crm.followup", "search_count",
                      [("lead_id", "=", lead_id)]) == 0
    error = refused(team["manager"].call, "crm.followup.target", "create", {
        "user_id": seller.uid, "period": "week", "min_followups": -3})
    assert error.exc_name == "odoo.exceptions.ValidationError"
    assert admin.call("crm.followup.target", "search_count",
                      [("user_id", "=", seller.uid)]) == 0
    # handover to a non-member, to an archived user, by a salesperson
    outsider = make_user(groups=["crm_public_pool.group_pool_user"])
    gone = make_user(groups=["crm_public_pool.group_pool_user"])
    admin.call("crm.pool", "write", [team["pool_id"]], {
        "member_ids": [(0, 0, {"user_id": gone.uid})]})
    admin.call("res.users", "write", [gone.uid], {"active": False})
    for user, to_uid in ((team["manager"], outsider.uid),
                         (team["manager"], gone.uid),
                         (team["other"], team["other"].uid)):
        error = refused(user.call, "crm.pool", "action_pool_handover",
                        [team["pool_id"]], seller.uid, to_uid)
        assert error.exc_name == "odoo.exceptions.UserError"
    assert admin.call("crm.lead", "read", [lead_id],
                      ["user_id"])[0]["user_id"][0] == seller.uid


def test_handover_and_targets_as_their_users(admin, team):
    seller, other = team["seller"], team["other"]
    target_id = team["manager"].call("crm.followup.target", "create", {
        "team_id": team["team_id"], "period": "day", "min_followups": 1})
    rows = seller.call("crm.followup.target.report", "search_read",
                       [("target_id", "=", target_id)],
                       ["user_id", "followup_count", "behind"])
    assert [row["user_id"][0] for row in rows] == [seller.uid]
    assert rows[0]["behind"] is True
    assert other.call("crm.followup.target.report", "search",
                      [("target_id", "=", target_id)]) == []
    moved = team["manager"].call("crm.pool", "action_pool_handover",
                                 [team["pool_id"]], seller.uid, other.uid)
    assert moved == 1
    lead = admin.call("crm.lead", "read", [team["lead_id"]],
                      ["user_id", "pool_state"])[0]
    assert lead["user_id"][0] == other.uid and lead["pool_state"] == "owned"
    assert admin.call("crm.pool.log", "search_count", [
        ("res_id", "=", team["lead_id"]), ("res_model", "=", "crm.lead"),
        ("action", "=", "handover")]) == 1
