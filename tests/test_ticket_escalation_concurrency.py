"""Two servers running the SLA escalation at once fire each step once."""
import threading

from suite_harness import JsonRpcClient, unique


def test_concurrent_escalation_fires_each_step_once(admin, make_user,
                                                    start_odoo_server):
    other_server = start_odoo_server(workers=2)
    leader = make_user(groups=["crm_service_ticket.group_ticket_leader"])
    agent = make_user(groups=["crm_service_ticket.group_ticket_agent"])
    team = admin.call("crm.service.team", "create", {
        "name": unique("Escalation desk"), "alias_name": unique("esc"),
        "leader_id": leader.uid, "member_ids": [(6, 0, [agent.uid])],
        "warn_share": 50})
    calendar = admin.ref("resource.resource_calendar_std")
    admin.call("crm.service.sla", "create", {
        "name": unique("Fast"), "team_id": team, "calendar_id": calendar,
        "tz": "Asia/Shanghai", "hours_first_response": 1,
        "hours_resolution": 2})
    ticket_ids = [
        admin.call("crm.service.ticket", "create", {
            "name": unique("late"), "team_id": team, "user_id": agent.uid,
            "priority": "1", "sla_start": "2024-03-01 01:00:00"})
        for _i in range(40)]
    cron = admin.ref("crm_service_ticket.ir_cron_ticket_escalate")
    clients = [JsonRpcClient(server, "admin", "admin")
               for server in (admin.server, other_server)]
    errors = []

    def run(client):
        try:
            client.call("ir.cron", "method_direct_trigger", [cron])
        except Exception as exc:  # reported below with the thread's error
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not errors, errors

    types = {
        admin.ref("crm_service_ticket.mail_activity_type_sla_warning"): "warn",
        admin.ref("crm_service_ticket.mail_activity_type_sla_breach"): "breach",
    }
    activities = admin.call("mail.activity", "search_read", [
        ("res_model", "=", "crm.service.ticket"), ("res_id", "in", ticket_ids),
        ("activity_type_id", "in", list(types))],
        ["res_id", "activity_type_id", "user_id"])
    seen = {}
    for act in activities:
        key = (act["res_id"], types[act["activity_type_id"][0]])
        seen[key] = seen.get(key, 0) + 1
        expected_user = agent.uid if key[1] == "warn" else leader.uid
        assert act["user_id"][0] == expected_user
    assert seen == {(tid, step): 1 for tid in ticket_ids
                    for step in ("warn", "breach")}
    rows = admin.call("crm.service.ticket", "read", ticket_ids,
                      ["priority", "sla_state", "sla_escalated"])
    assert {(r["priority"], r["sla_state"], r["sla_escalated"]) for r in rows} \
        == {("2", "breached", True)}
