"""The pool list's pager counts up to a limit; a click counts exactly
(headless Chromium, as a salesperson)."""
import os

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import db_connect, unique
from test_pool_browser import login

LIMIT_PARAM = "crm_public_pool.count_limit"
LIMIT = 100
LEADS = 150


def capped_first_page(browser, wait, pager):
    """The first 80 rows are shown and the pager (``pager``: its CSS
    selector) reads "1-80 / 100+": returns its "100+"."""
    wait.until(lambda drv: len(drv.find_elements(
        By.CSS_SELECTOR, "tr.o_data_row")) == 80)
    limit = wait.until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, pager + " .o_pager_limit.o_pool_count_capped")))
    assert limit.text == "%d+" % LIMIT
    assert browser.find_element(
        By.CSS_SELECTOR, pager + " .o_pager_value").text == "1-80"
    return limit


@pytest.fixture
def capped_pool(admin, make_user, suite_db):
    """A salesperson and their only pool, the pool lists' count limit at
    LIMIT, and ``fill(owned)``: LEADS unowned leads in the pool, plus
    ``owned`` leads of the salesperson's. All undone after the test."""
    sales = make_user(groups=["crm_public_pool.group_pool_user"])
    pool_id = admin.call("crm.pool", "create", {
        "name": unique("pager-pool"), "res_model": "crm.lead",
        "mask_contact": True, "duplicate_check": "none",
        "member_ids": [(0, 0, {"user_id": sales.uid})],
    })
    tag = unique("pager")
    conn = db_connect(suite_db)

    def fill(owned=0):
        with conn.cursor() as cr:
            cr.execute("""
                INSERT INTO crm_lead (name, type, active, company_id, pool_id,
                                      pool_state, user_id, probability,
                                      create_uid, write_uid, create_date,
                                      write_date)
                SELECT %s || ' ' || g, 'lead', TRUE, 1, %s,
                       CASE WHEN g <= %s THEN 'owned' ELSE 'pool' END,
                       CASE WHEN g <= %s THEN %s END, 0, 1, 1,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM generate_series(1, %s) g
            """, (tag, pool_id, owned, owned, sales.uid, LEADS + owned))

    previous = admin.call("ir.config_parameter", "get_param", LIMIT_PARAM)
    admin.call("ir.config_parameter", "set_param", LIMIT_PARAM, str(LIMIT))
    try:
        yield sales, pool_id, fill
    finally:
        admin.call("ir.config_parameter", "set_param", LIMIT_PARAM,
                   previous or False)
        with conn.cursor() as cr:
            cr.execute("DELETE FROM crm_lead WHERE pool_id = %s", (pool_id,))
        conn.close()


def test_pool_list_pager_shows_capped_count_and_exact_on_click(
        odoo_server, admin, browser, screenshot_dir, capped_pool):
    sales, _pool_id, fill = capped_pool
    # more unowned leads in the salesperson's only pool than the limit
    fill()
    action_id = admin.ref("crm_public_pool.crm_lead_pool_action")
    wait = WebDriverWait(browser, 120)
    login(browser, odoo_server, sales.login, sales.password)
    browser.get("%s/web?pager=1#action=%d&view_type=list"
                % (odoo_server.url, action_id))
    capped = capped_first_page(browser, wait, ".o_cp_pager")
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


def _grouped_action(admin, pool_id, view_mode, view_xmlid, context):
    """A window action on the pool's leads in one of the pool views."""
    return admin.call("ir.actions.act_window", "create", {
        "name": unique("grouped-pool"), "res_model": "crm.lead",
        "view_mode": view_mode, "view_id": admin.ref(view_xmlid),
        "search_view_id": admin.ref("crm.view_crm_case_leads_filter"),
        "domain": "[('pool_id', '=', %d)]" % pool_id, "context": context,
    })


def test_pool_grouped_counts_capped_and_exact_on_click(
        odoo_server, admin, browser, screenshot_dir, capped_pool):
    """Kanban columns and list groups by pool state count up to the limit
    ("100+"); a click on the figure counts that group exactly."""
    sales, pool_id, fill = capped_pool
    # more unowned leads than the limit, and 3 of the salesperson's own
    fill(owned=3)
    actions = []
    try:
        actions.append(_grouped_action(
            admin, pool_id, "kanban", "crm_public_pool.crm_lead_view_kanban_pool",
            "{}"))
        actions.append(_grouped_action(
            admin, pool_id, "tree", "crm_public_pool.crm_lead_view_tree_pool",
            "{'search_default_groupby_pool_state': 1}"))
        # the views re-render after a click: elements read meanwhile go stale
        wait = WebDriverWait(browser, 120, ignored_exceptions=(
            StaleElementReferenceException,))
        login(browser, odoo_server, sales.login, sales.password)

        def counts(drv):
            return sorted(el.text for el in drv.find_elements(
                By.CSS_SELECTOR, ".o_pool_group_count"))

        # kanban: one column per pool state, its count in the header
        browser.get("%s/web#action=%d&view_type=kanban"
                    % (odoo_server.url, actions[0]))
        wait.until(lambda drv: counts(drv) == ["%d+" % LIMIT, "3"])
        assert not browser.find_element(
            By.CSS_SELECTOR, ".o_cp_pager .o_pager_limit").is_displayed()
        browser.save_screenshot(os.path.join(
            screenshot_dir, "pool_kanban_counts_capped.png"))
        capped = browser.find_element(
            By.CSS_SELECTOR, ".o_kanban_group .o_pool_count_capped")
        column = capped.find_element(
            By.XPATH, "ancestor::div[contains(concat(' ', @class, ' '), "
                      "' o_kanban_group ')][1]")
        loaded = len(column.find_elements(By.CSS_SELECTOR, ".o_kanban_record"))
        # "Load more... (60+ remaining)": the column holds more than that
        assert "(%d+" % (LIMIT - loaded) in column.find_element(
            By.CSS_SELECTOR, ".o_kanban_load_more").text
        capped.click()
        wait.until(lambda drv: counts(drv) == [str(LEADS), "3"])
        assert "(%d" % (LEADS - loaded) in browser.find_element(
            By.CSS_SELECTOR, ".o_kanban_group .o_kanban_load_more").text
        assert not browser.find_elements(
            By.CSS_SELECTOR, ".o_kanban_group .o_pool_count_capped")
        # grouped, the view has no pager of its own (as Odoo's views)
        assert not browser.find_element(
            By.CSS_SELECTOR, ".o_cp_pager .o_pager_limit").is_displayed()
        browser.save_screenshot(os.path.join(
            screenshot_dir, "pool_kanban_counts_exact.png"))

        # grouped list: "In Pool (100+)", a click counts the group
        browser.get("%s/web#action=%d&view_type=list"
                    % (odoo_server.url, actions[1]))
        capped = wait.until(ec.visibility_of_element_located(
            (By.CSS_SELECTOR, "tr.o_group_header .o_pool_count_capped")))
        assert capped.text == "%d+" % LIMIT
        headers = [el.text for el in browser.find_elements(
            By.CSS_SELECTOR, "tr.o_group_header th.o_group_name")]
        assert any(text.endswith("(%d+)" % LIMIT) for text in headers), headers
        assert any(text.endswith("(3)") for text in headers), headers
        browser.save_screenshot(os.path.join(
            screenshot_dir, "pool_list_groups_capped.png"))
        capped.click()
        wait.until(lambda drv: any(
            el.text.endswith("(%d)" % LEADS) for el in drv.find_elements(
                By.CSS_SELECTOR, "tr.o_group_header th.o_group_name")))
        assert not browser.find_elements(
            By.CSS_SELECTOR, "tr.o_group_header .o_pool_count_capped")
        # the click counted: the group did not open
        assert not browser.find_elements(By.CSS_SELECTOR, "tr.o_data_row")
        browser.save_screenshot(os.path.join(
            screenshot_dir, "pool_list_groups_exact.png"))

        # an open group's pager: "1-80 / 100+", a click counts the group
        # (a page loaded anew: the same address would only keep this one)
        browser.get("%s/web?again=1#action=%d&view_type=list"
                    % (odoo_server.url, actions[1]))
        capped = wait.until(ec.visibility_of_element_located(
            (By.CSS_SELECTOR, "tr.o_group_header .o_pool_count_capped")))
        capped.find_element(By.XPATH, "ancestor::tr[1]").find_element(
            By.CSS_SELECTOR, ".fa-caret-right").click()
        limit = capped_first_page(browser, wait, "td.o_group_pager")
        browser.save_screenshot(os.path.join(
            screenshot_dir, "pool_list_group_pager_capped.png"))
        limit.click()
        wait.until(lambda drv: drv.find_element(
            By.CSS_SELECTOR, "td.o_group_pager .o_pager_limit").text == str(LEADS))
        assert any(el.text.endswith("(%d)" % LEADS) for el in browser.find_elements(
            By.CSS_SELECTOR, "tr.o_group_header th.o_group_name"))
        # the group stayed open on its page
        assert len(browser.find_elements(By.CSS_SELECTOR, "tr.o_data_row")) == 80
        assert not browser.find_elements(By.CSS_SELECTOR, ".o_pool_count_capped")
        browser.save_screenshot(os.path.join(
            screenshot_dir, "pool_list_group_pager_exact.png"))
    finally:
        if actions:
            admin.call("ir.actions.act_window", "unlink", actions)
