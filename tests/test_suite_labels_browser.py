"""A Chinese user sees Chinese labels: the main screens of the three addons
(lists, forms, kanban, reports, settings, menus, portal) in zh_CN, checked
in Chromium; a visible label made only of Latin letters fails the test."""
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import unique

# Words a Chinese CRM shows as they are (abbreviations and product names).
ALLOWED = {"SLA", "ID", "URL", "Odoo", "CRM", "WeChat", "Email", "A", "B", "C", "D"}
LATIN_ONLY = re.compile(r"[A-Za-z][A-Za-z0-9 .,:;'&/()+#%_-]*")

# What is a label (not record data) on Odoo 11's screens.
LABELS_JS = """
var selectors = arguments[0], found = [];
selectors.forEach(function (selector) {
    document.querySelectorAll(selector).forEach(function (el) {
        var menu = el.closest('.oe_secondary_menus_container');  // all apps' menus
        if (el.offsetParent === null && !menu) { return; }
        var text = (el.innerText || el.textContent || '').trim();
        if (text) { found.push([selector, text]); }
    });
});
return found;
"""
BACKEND = [
    ".o_control_panel .breadcrumb li", ".o_cp_buttons button", ".o_list_view thead th",
    ".o_form_label", ".o_horizontal_separator", ".o_form_view .nav-tabs > li > a",
    ".o_form_statusbar .o_statusbar_buttons > button", ".o_statusbar_status button",
    ".oe_button_box .o_stat_text", ".o_kanban_view .o_column_title",
    ".o_pivot .o_pivot_measure_row", ".o_setting_container h2",
    ".oe_application_menu_placeholder .oe_menu_text",
    ".oe_secondary_menus_container .oe_menu_text", ".o_searchview_input",
]
PORTAL = [".breadcrumb li", "thead th", "h3", ".o_portal_my_home a", "label",
          "button", ".o_portal_submenu a"]
SCREENS = ["action=crm_public_pool.%s" % name for name in (
    "crm_pool_action", "crm_lead_pool_action", "crm_lead_my_pool_action",
    "res_partner_pool_action", "crm_pool_log_action", "crm_pool_health_report_action",
    "crm_pool_activity_report_action", "crm_lead_qualification_action")] + [
    "action=crm.crm_lead_opportunities_tree_view&view_type=list",
    "action=crm_lead_scoring.crm_lead_score_rule_action",
    "action=crm_lead_scoring.crm_lead_score_event_type_action",
] + ["action=crm_service_ticket.%s" % name for name in (
    "crm_service_ticket_action", "crm_service_ticket_action&view_type=list",
    "crm_service_team_action", "crm_service_sla_action", "crm_service_stage_action",
    "crm_service_ticket_report_action")]
VIEWS = (".o_list_view, .o_kanban_view, .o_form_view, .o_pivot, .o_graph, "
         ".o_calendar_view, .o_setting_container, .oe_view_nocontent")


def latin_labels(found):
    """The labels made only of Latin letters that are not allowed as they are."""
    bad = set()
    for selector, text in found:
        for line in text.splitlines():
            line = line.strip()
            if not LATIN_ONLY.fullmatch(line) or "@" in line:
                continue
            # codes such as a ticket number (TK2026000011) are data, not words
            words = [word for word in re.findall(r"[A-Za-z][A-Za-z0-9]*", line)
                     if not re.search(r"[0-9]", word)]
            if all(word in ALLOWED for word in words):
                continue
            bad.add("%s: %s" % (selector, line))
    return bad


def _open(browser, url, hash_, css=VIEWS, admin=None):
    """Open a client hash as a fresh page and wait for its view."""
    if admin and hash_.startswith("action="):  # Odoo 11 wants the action's id
        xmlid, _sep, rest = hash_[len("action="):].partition("&")
        hash_ = "action=%d&%s" % (admin.ref(xmlid), rest)
    browser.get("%s/web?#%s" % (url, hash_))
    WebDriverWait(browser, 120).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, css)))
    WebDriverWait(browser, 30).until(lambda drv: not drv.find_elements(
        By.CSS_SELECTOR, ".o_loading:not([style*='none'])"))


def _login(browser, url, login, landing):
    browser.get(url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(login)
    browser.find_element(By.NAME, "password").send_keys(login)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 120).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, landing)))


def _records(admin, portal_partner):
    pool = admin.call("crm.pool", "create", {
        "name": unique("标签公海"), "res_model": "crm.lead"})
    lead = admin.call("crm.lead", "create", {"name": unique("标签线索"),
                                             "pool_id": pool})
    ticket = admin.call("crm.service.ticket", "create", {
        "name": unique("标签工单"), "partner_id": portal_partner})
    forms = [("crm.pool", pool), ("crm.lead", lead), ("crm.service.ticket", ticket)]
    for model in ("crm.service.team", "crm.service.sla", "crm.lead.score.rule"):
        # the oldest one: the addon's own (demo) record, not one another
        # test left with a Latin test name
        forms += [(model, rid) for rid in admin.call(model, "search", [],
                                                     limit=1, order="id")]
    return forms, ticket


def test_zh_cn_screens_show_no_latin_labels(odoo_server, admin, make_user,
                                            browser, screenshot_dir):
    user = make_user(groups=[
        "base.group_system", "sales_team.group_sale_manager",
        "crm_public_pool.group_pool_manager", "crm_service_ticket.group_ticket_manager",
    ], lang="zh_CN", tz="Asia/Shanghai")
    portal = make_user(groups=["base.group_portal"], lang="zh_CN", tz="Asia/Shanghai")
    portal_partner = admin.call("res.users", "read", [portal.uid],
                                ["partner_id"])[0]["partner_id"][0]
    forms, ticket = _records(admin, portal_partner)
    url = odoo_server.url
    found = []
    _login(browser, url, user.login, "#oe_main_menu_navbar")
    for screen in SCREENS:
        _open(browser, url, screen, admin=admin)
        found += [(screen + " " + sel, text) for sel, text in
                  browser.execute_script(LABELS_JS, BACKEND)]
    for model, rid in forms:
        _open(browser, url, "id=%d&model=%s&view_type=form" % (rid, model),
              ".o_form_view")
        found += [(model + " " + sel, text) for sel, text in
                  browser.execute_script(LABELS_JS, BACKEND)]
    _open(browser, url, "action=base_setup.action_general_configuration",
          ".o_setting_container", admin=admin)
    for app in browser.find_elements(By.CSS_SELECTOR, ".settings_tab .tab"):
        app.click()
        found += [("settings " + sel, text) for sel, text in
                  browser.execute_script(LABELS_JS, BACKEND + [
                      ".o_setting_container .o_setting_right_pane > .o_form_label",
                  ])]
    browser.save_screenshot(screenshot_dir + "/labels_backend.png")
    browser.get(url + "/web/session/logout")

    _login(browser, url, portal.login, ".o_portal_my_home, .o_portal")
    for path in ("/my/home", "/my/tickets", "/my/ticket/%d" % ticket):
        browser.get(url + path)
        found += [(path + " " + sel, text) for sel, text in
                  browser.execute_script(LABELS_JS, PORTAL)]
    browser.save_screenshot(screenshot_dir + "/labels_portal.png")

    assert len(found) > 200, found  # the screens did render their labels
    bad = latin_labels(found)
    assert not bad, "\n".join(sorted(bad))
