"""What a salesperson sees in the web client (headless Chromium, zh_CN)."""
import os

from selenium.common.exceptions import (ElementNotInteractableException,
                                        StaleElementReferenceException,
                                        TimeoutException)
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


def test_list_merge_of_two_masked_pool_leads_is_refused(
        odoo_server, admin, make_user, browser, screenshot_dir):
    """The list's Merge action on two unclaimed masked leads, as a pool
    member: a clear refusal, both leads kept with their real contact data."""
    sales = make_user(groups=["crm_public_pool.group_pool_user"])
    pool_id = admin.call("crm.pool", "create", {
        "name": unique("merge-pool"), "res_model": "crm.lead",
        "mask_contact": True, "duplicate_check": "none",
        "member_ids": [(0, 0, {"user_id": sales.uid})],
    })
    tag = unique("merge")
    lead_ids = [admin.call("crm.lead", "create", {
        "name": "%s %s" % (tag, index), "pool_id": pool_id, "user_id": False,
        "phone": "1391111%04d" % index, "type": "lead",
        "email_from": "m%s.%s@secret.example" % (index, tag)})
        for index in range(2)]
    before = admin.call("crm.lead", "read", lead_ids, ["phone", "email_from"])
    pool_name = admin.call("crm.pool", "read", [pool_id], ["name"])[0]["name"]
    action_id = admin.ref("crm_public_pool.crm_lead_pool_action")
    wait = WebDriverWait(browser, 120)
    login(browser, odoo_server, sales.login, sales.password)
    browser.get("%s/web?merge=1#action=%d&view_type=list"
                % (odoo_server.url, action_id))
    # the salesperson is a member of this pool only: its list shows just the
    # two leads (no search, whose late answer would re-render the list and
    # clear a selection made meanwhile)
    wait.until(lambda drv: len(drv.find_elements(
        By.XPATH, "//tr[contains(@class, 'o_data_row')]"
                  "[contains(., '%s')]" % tag)) == 2 and len(
        drv.find_elements(By.CSS_SELECTOR, "tr.o_data_row")) == 2)

    def click(xpath):
        """Click the element once it is there and stays (the control panel
        re-renders when the selection changes)."""
        def attempt(drv):
            try:
                element = drv.find_element(By.XPATH, xpath)
                if not element.is_displayed():
                    return False
                element.click()
                return True
            except (StaleElementReferenceException,
                    ElementNotInteractableException):
                return False
        try:
            wait.until(attempt)
        except TimeoutException:
            browser.save_screenshot(os.path.join(
                screenshot_dir, "pool_merge_failure.png"))
            raise

    # select both rows (the list's "select all" box) and open Action >
    # Merge, as a user does; the list may still re-render once the search
    # answers, which clears the selection: then select again
    merge_link = ("//div[contains(@class, 'o_cp_sidebar')]//a[contains("
                  "normalize-space(), 'Merge') or contains(normalize-space(),"
                  " '合并')]")
    short = WebDriverWait(browser, 10)

    def selected(drv):
        # one script call: no element can go stale between find and check
        return drv.execute_script(
            "return document.querySelectorAll('tr.o_data_row "
            ".o_list_record_selector input:checked').length") == 2

    for _attempt in range(5):
        try:
            if not selected(browser):
                click("//thead//th[contains(@class, 'o_list_record_selector')]")
            short.until(selected)
            click("//div[contains(@class, 'o_cp_sidebar')]//button[contains("
                  "normalize-space(), 'Action') or contains(normalize-space(),"
                  " '动作')]")
            short.until(ec.visibility_of_element_located(
                (By.XPATH, merge_link)))
            if selected(browser):
                break
        except (TimeoutException, StaleElementReferenceException):
            continue
    click(merge_link)
    click("//div[contains(@class, 'modal-footer')]//button["
          "normalize-space() = 'Merge' or normalize-space() = '合并']")
    warning = wait.until(lambda drv: [
        body for body in drv.find_elements(By.CSS_SELECTOR, ".modal-body")
        if tag in body.text and pool_name in body.text])
    assert warning
    browser.save_screenshot(os.path.join(screenshot_dir,
                                         "pool_merge_refused.png"))
    assert admin.call("crm.lead", "read", lead_ids,
                      ["phone", "email_from"]) == before
