"""Lead scoring over JSON-RPC on a live server: views, access, rule preview."""
import pytest

from suite_harness import RpcError, unique

SALESMAN = "sales_team.group_sale_salesman"
MANAGER = "sales_team.group_sale_manager"


def test_salesperson_sees_grade_and_breakdown_in_views(make_user, admin):
    sales = make_user(groups=[SALESMAN])
    for view_type, xmlid in (("form", "crm.crm_case_form_view_oppor"),
                             ("form", "crm.crm_case_form_view_leads"),
                             ("kanban", "crm.crm_case_kanban_view_leads"),
                             ("tree", "crm.crm_case_tree_view_oppor")):
        view = sales.call("crm.lead", "fields_view_get", view_id=admin.ref(xmlid),
                          view_type=view_type)
        assert "grade" in view["fields"], (xmlid, view_type)
        if view_type == "form":
            assert "score_line_ids" in view["fields"]
    search = sales.call("crm.lead", "fields_view_get", view_type="search",
                        view_id=admin.ref("crm.view_crm_case_opportunities_filter"))
    assert 'name="score_hot"' in search["arch"]


def test_salesperson_reads_scores_but_not_edits_rules(make_user, admin):
    sales = make_user(groups=[SALESMAN])
    lead_id = sales.call("crm.lead", "create", {
        "name": unique("RPC scored lead"), "email_from": "rpc@scoring.test",
        "phone": "13800000000"})
    lead = sales.call("crm.lead", "read", [lead_id],
                      ["score", "grade", "score_line_ids", "score_date"])[0]
    assert lead["score_date"]
    lines = sales.call("crm.lead.score.line", "read", lead["score_line_ids"],
                       ["points"])
    assert round(sum(line["points"] for line in lines), 2) == lead["score"]
    rule_ids = sales.call("crm.lead.score.rule", "search", [], limit=1)
    assert rule_ids
    with pytest.raises(RpcError) as err:
        sales.call("crm.lead.score.rule", "write", rule_ids, {"points": 99})
    assert err.value.exc_name == "odoo.exceptions.AccessError"


def test_manager_creates_and_previews_a_rule(make_user):
    manager = make_user(groups=[MANAGER])
    name = unique("Preview corp")
    manager.call("crm.lead", "create", {"name": unique("open"), "partner_name": name})
    manager.call("crm.lead", "create", {"name": unique("won"), "partner_name": name,
                                        "probability": 100})
    rule_id = manager.call("crm.lead.score.rule", "create", {
        "name": unique("rule"), "points": 5, "active": False,
        "domain": "[('partner_name', '=', '%s')]" % name})
    action = manager.call("crm.lead.score.rule", "action_preview", [rule_id])
    assert action["res_model"] == "crm.lead.score.rule.preview"
    preview = manager.call("crm.lead.score.rule.preview", "read", [action["res_id"]],
                           ["open_match_count", "match_won_count",
                            "match_win_rate"])[0]
    assert preview["open_match_count"] == 1
    assert preview["match_won_count"] == 1
    assert preview["match_win_rate"] == 100.0
    with pytest.raises(RpcError) as err:
        manager.call("crm.lead.score.rule", "create", {
            "name": unique("bad"), "points": 1, "kind": "engagement"})
    assert err.value.exc_name == "odoo.exceptions.ValidationError"
    manager.call("crm.lead.score.rule", "unlink", [rule_id])
