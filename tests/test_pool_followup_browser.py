"""Follow-ups in the web client (headless Chromium, zh_CN): a salesperson
logs one from the lead form and finds it in the follow-up list and
calendar; a reviewer flags it."""
import datetime
import os

from selenium.common.exceptions import (ElementNotInteractableException,
                                        StaleElementReferenceException,
                                        TimeoutException)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import unique
from test_pool_browser import login

CONTENT = "拜访工厂，客户要报价单"


def click_when_ready(browser, wait, xpath, screenshot):
    """Click the visible element at ``xpath`` once it stays rendered."""
    def attempt(drv):
        try:
            for element in drv.find_elements(By.XPATH, xpath):
                if element.is_displayed():
                    element.click()
                    return True
            return False
        except (StaleElementReferenceException,
                ElementNotInteractableException):
            return False
    try:
        wait.until(attempt)
    except TimeoutException:
        browser.save_screenshot(screenshot)
        raise


def header_button(label):
    return ("//div[contains(@class, 'o_statusbar_buttons')]/button"
            "[not(contains(@class, 'o_invisible_modifier'))]"
            "[normalize-space() = '%s']" % label)


MODAL_CONFIRM = ("//div[contains(@class, 'modal-footer')]"
                 "//button[contains(@class, 'btn-primary')]")


def test_salesperson_logs_followup_reviewer_flags_it(
        odoo_server, admin, make_user, browser, screenshot_dir):
    sales = make_user(groups=["crm_public_pool.group_pool_user"],
                      name="王芳", lang="zh_CN", tz="UTC")
    reviewer = make_user(groups=["crm_public_pool.group_pool_reviewer"],
                         name="钱审计", lang="zh_CN", tz="UTC")
    pool_id = admin.call("crm.pool", "create", {
        "name": unique("华南公海"), "res_model": "crm.lead",
        "idle_days": 7, "duplicate_check": "none",
        "member_ids": [(0, 0, {"user_id": sales.uid})],
    })
    lead_id = admin.call("crm.lead", "create", {
        "name": unique("深圳电子线索"), "pool_id": pool_id, "user_id": False,
        "type": "lead"})
    sales.call("crm.lead", "action_pool_claim", [lead_id])
    lang = admin.call("res.lang", "search_read", [("code", "=", "zh_CN")],
                      ["date_format"])[0]
    today = datetime.datetime.utcnow().date()
    my_leads = admin.ref("crm_public_pool.crm_lead_my_pool_action")
    followups = admin.ref("crm_public_pool.crm_followup_action")
    wait = WebDriverWait(browser, 120)
    shot = os.path.join(screenshot_dir, "followup_failed.png")

    login(browser, odoo_server, sales.login, sales.password)
    browser.get("%s/web?fu=1#id=%d&model=crm.lead&view_type=form&action=%d"
                % (odoo_server.url, lead_id, my_leads))
    click_when_ready(browser, wait, header_button("记录跟进"), shot)
    content = wait.until(ec.element_to_be_clickable(
        (By.CSS_SELECTOR, ".modal textarea[name=content]")))
    content.send_keys(CONTENT)
    date_input = browser.find_element(
        By.CSS_SELECTOR, ".modal [name=next_date] input")
    date_input.send_keys(today.strftime(lang["date_format"]), Keys.TAB)
    browser.save_screenshot(os.path.join(screenshot_dir,
                                         "followup_wizard.png"))
    click_when_ready(browser, wait, MODAL_CONFIRM, shot)
    wait.until(lambda drv: admin.call("crm.followup", "search", [
        ("lead_id", "=", lead_id)]))
    [followup] = admin.call("crm.followup", "search_read", [
        ("lead_id", "=", lead_id)], ["content", "user_id", "next_date"])
    assert followup["content"] == CONTENT
    assert followup["user_id"][0] == sales.uid
    assert followup["next_date"] == today.isoformat()

    browser.get("%s/web?fu=2#action=%d&view_type=list"
                % (odoo_server.url, followups))
    wait.until(ec.presence_of_element_located(
        (By.XPATH, "//tr[contains(@class, 'o_data_row')][contains(., '%s')]"
                   % CONTENT)))
    browser.get("%s/web?fu=3#action=%d&view_type=calendar"
                % (odoo_server.url, followups))
    wait.until(ec.presence_of_element_located(
        (By.XPATH, "//*[contains(@class, 'fc-event')][contains(., '%s')]"
                   % CONTENT)))
    browser.save_screenshot(os.path.join(screenshot_dir,
                                         "followup_calendar.png"))

    browser.delete_all_cookies()
    login(browser, odoo_server, reviewer.login, reviewer.password)
    review = admin.ref("crm_public_pool.crm_followup_review_action")
    browser.get("%s/web?fu=4#id=%d&model=crm.followup&view_type=form"
                "&action=%d" % (odoo_server.url, followup["id"], review))
    click_when_ready(browser, wait, header_button("标记存疑"), shot)
    note = wait.until(ec.element_to_be_clickable(
        (By.CSS_SELECTOR, ".modal textarea[name=review_note]")))
    note.send_keys("当天没有拜访记录")
    click_when_ready(browser, wait, MODAL_CONFIRM, shot)
    wait.until(lambda drv: admin.call("crm.followup", "read", [
        followup["id"]], ["review_state"])[0]["review_state"] == "flagged")
    browser.save_screenshot(os.path.join(screenshot_dir,
                                         "followup_flagged.png"))
    flagged = admin.call("crm.followup", "read", [followup["id"]],
                         ["review_note", "reviewer_id"])[0]
    assert flagged["review_note"] == "当天没有拜访记录"
    assert flagged["reviewer_id"][0] == reviewer.uid
