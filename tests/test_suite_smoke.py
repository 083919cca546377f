"""The real stack works end to end: install, multi-worker RPC, assets, browser."""
import os
import re

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import unique

SUITE_ADDONS = ("crm_public_pool", "crm_lead_scoring", "crm_service_ticket")


def test_addons_installed(admin):
    wanted = os.environ.get("SUITE_ADDONS", ",".join(SUITE_ADDONS)).split(",")
    rows = admin.call("ir.module.module", "search_read",
                      [("name", "in", wanted)], ["name", "state"])
    assert {r["name"]: r["state"] for r in rows} == {n: "installed" for n in wanted}


def test_salesperson_creates_and_reads_lead_over_jsonrpc(make_user, odoo_server):
    assert odoo_server.workers >= 2
    sales = make_user(groups=["sales_team.group_sale_salesman"], name="王小明")
    name = unique("线索")
    lead_id = sales.call("crm.lead", "create", {"name": name, "phone": "13800138000"})
    # A second connection may land on another worker: the row is committed.
    other = type(sales)(odoo_server, sales.login, sales.password)
    rows = other.call("crm.lead", "read", [lead_id], ["name", "user_id", "phone"])
    assert rows[0]["name"] == name
    assert rows[0]["user_id"][0] == sales.uid
    assert rows[0]["phone"] == "13800138000"


def test_login_page_and_backend_css_bundle(odoo_server, web_session):
    resp = requests.get(odoo_server.url + "/web/login", timeout=60)
    assert resp.status_code == 200
    assert 'name="login"' in resp.text and 'name="password"' in resp.text

    session = web_session("admin", "admin")
    page = session.get(odoo_server.url + "/web", timeout=120)
    assert page.status_code == 200
    css_urls = re.findall(r'href="(/web/content/[^"]*web\.assets_backend[^"]*\.css)"',
                          page.text)
    assert css_urls, "no backend CSS bundle linked from /web"
    for url in css_urls:
        css = session.get(odoo_server.url + url, timeout=300)
        assert css.status_code == 200
        assert len(css.content) > 100000
        assert "lessc" not in css.text.lower()
    log = odoo_server.log_text()
    assert "Could not execute command" not in log
    assert "Error while compiling" not in log.lower()


def test_chromium_admin_sees_crm_pipeline(odoo_server, admin, browser, screenshot_dir):
    action_id = admin.ref("crm.crm_lead_opportunities_tree_view")
    browser.get(odoo_server.url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys("admin")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait = WebDriverWait(browser, 120)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".o_main_navbar,"
                                               ".o_main_content, .o_web_client")))
    browser.get("%s/web#action=%d&view_type=kanban" % (odoo_server.url, action_id))
    wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_kanban_view .o_kanban_group")))
    browser.save_screenshot(os.path.join(screenshot_dir, "crm_pipeline.png"))
    breadcrumb = browser.find_element(By.CSS_SELECTOR, ".breadcrumb").text
    assert breadcrumb.strip() in ("Pipeline", "管道", "销售管道")
    stages = [el.text for el in browser.find_elements(
        By.CSS_SELECTOR, ".o_kanban_group .o_column_title")]
    assert stages, "no pipeline stage column rendered"
