"""The pool list's pager counts up to a limit; a click counts exactly
(headless Chromium, as a salesperson)."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import db_connect, unique
from test_pool_browser import login

LIMIT_PARAM = "crm_public_pool.count_limit"
LIMIT = 100
LEADS = 150


def test_pool_list_pager_shows_capped_count_and_exact_on_click(
        odoo_server, admin, make_user, browser, screenshot_dir, suite_db):
    sales = make_user(groups=["crm_public_pool.group_pool_user"])
    pool_id = admin.call("crm.pool", "create", {
        "name": unique("pager-pool"), "res_model": "crm.lead",
        "mask_contact": True, "duplicate_check": "none",
        "member_ids": [(0, 0, {"user_id": sales.uid})],
    })
    tag = unique("pager")
    conn = db_connect(suite_db)
    with conn.cursor() as cr:
        # more unowned leads in the salesperson's only pool than the limit
        cr.execute("""
            INSERT INTO crm_lead (name, type, active, company_id, pool_id,
                                  pool_state, probability, create_uid,
                                  write_uid, create_date, write_date)
            SELECT %s || ' ' || g, 'lead', TRUE, 1, %s, 'pool', 0, 1, 1,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %s) g
        """, (tag, pool_id, LEADS))
    previous = admin.call("ir.config_parameter", "get_param", LIMIT_PARAM)
    admin.call("ir.config_parameter", "set_param", LIMIT_PARAM, str(LIMIT))
    try:
        action_id = admin.ref("crm_public_pool.crm_lead_pool_action")
        wait = WebDriverWait(browser, 120)
        login(browser, odoo_server, sales.login, sales.password)
        browser.get("%s/web?pager=1#action=%d&view_type=list"
                    % (odoo_server.url, action_id))
        wait.until(lambda drv: len(drv.find_elements(
            By.CSS_SELECTOR, "tr.o_data_row")) == 80)
        capped = wait.until(ec.visibility_of_element_located(
            (By.CSS_SELECTOR, ".o_cp_pager .o_pager_limit.o_pool_count_capped")))
        assert capped.text == "%d+" % LIMIT
        assert browser.find_element(
            By.CSS_SELECTOR, ".o_cp_pager .o_pager_value").text == "1-80"
        browser.save_screenshot(os.path.join(screenshot_dir,
                                             "pool_pager_capped.png"))
        capped.click()
        wait.until(lambda drv: drv.find_element(
            By.CSS_SELECTOR, ".o_cp_pager .o_pager_limit").text == str(LEADS))
        assert not browser.find_elements(By.CSS_SELECTOR, ".o_pool_count_capped")
        # the next page keeps the exact count
        browser.find_element(By.CSS_SELECTOR, ".o_cp_pager .o_pager_next").click()
        wait.until(lambda drv: drv.find_element(
            By.CSS_SELECTOR, ".o_cp_pager .o_pager_value").text == "81-%d" % LEADS)
        assert browser.find_element(
            By.CSS_SELECTOR, ".o_cp_pager .o_pager_limit").text == str(LEADS)
        browser.save_screenshot(os.path.join(screenshot_dir,
                                             "pool_pager_exact.png"))
    finally:
        admin.call("ir.config_parameter", "set_param", LIMIT_PARAM,
                   previous or False)
        with conn.cursor() as cr:
            cr.execute("DELETE FROM crm_lead WHERE pool_id = %s", (pool_id,))
        conn.close()
