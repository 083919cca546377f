"""What a salesperson sees in the web client (headless Chromium, zh_CN)."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import unique

PHONE = "13812345678"
MASKED = "138****5678"


def login(browser, server, login_name, password):
    browser.get(server.url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(login_name)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 120).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".oe_topbar_name")))


def test_salesperson_claims_masked_pool_lead_in_browser(
        odoo_server, admin, make_user, browser, screenshot_dir):
    sales = make_user(groups=["crm_public_pool.group_pool_user"], name="李娜",
                      lang="zh_CN")
    pool_id = admin.call("crm.pool", "create", {
        "name": unique("华东公海"), "res_model": "crm.lead", "mask_contact": True,
        "idle_days": 7, "nodeal_days": 30, "duplicate_check": "none",
        "member_ids": [(0, 0, {"user_id": sales.uid})],
    })
    lead_name = unique("上海贸易线索")
    lead_id = admin.call("crm.lead", "create", {
        "name": lead_name, "pool_id": pool_id, "user_id": False, "phone": PHONE,
        "type": "lead",
    })
    action_id = admin.ref("crm_public_pool.crm_lead_pool_action")
    wait = WebDriverWait(browser, 120)

    login(browser, odoo_server, sales.login, sales.password)
    # A query string forces a full load of the client on the wanted action.
    browser.get("%s/web?pool=1#action=%d&view_type=list" % (odoo_server.url, action_id))
    row = wait.until(ec.presence_of_element_located(
        (By.XPATH, "//tr[contains(@class, 'o_data_row')][contains(., '%s')]"
         % lead_name)))
    assert MASKED in row.text
    assert PHONE not in browser.page_source
    browser.save_screenshot(os.path.join(screenshot_dir, "pool_list_masked.png"))

    browser.get("%s/web?pool=2#id=%d&model=crm.lead&view_type=form&action=%d"
                % (odoo_server.url, lead_id, action_id))
    # Odoo 11 renders header buttons without their name attribute: find the
    # visible "Claim" (领取) button by its label.
    claim = wait.until(ec.element_to_be_clickable(
        (By.XPATH, "//div[contains(@class, 'o_statusbar_buttons')]/button"
                   "[not(contains(@class, 'o_invisible_modifier'))]"
                   "[normalize-space() = '领取' or normalize-space() = 'Claim']")))
    claim.click()
    wait.until(lambda drv: PHONE in drv.find_element(
        By.CSS_SELECTOR, ".o_form_view [name=phone]").text)
    browser.save_screenshot(os.path.join(screenshot_dir, "pool_lead_claimed.png"))

    lead = admin.call("crm.lead", "read", [lead_id], ["user_id", "pool_state",
                                                      "pool_deadline"])[0]
    assert lead["user_id"][0] == sales.uid
    assert lead["pool_state"] == "owned"
    assert lead["pool_deadline"]
