"""A sales manager working in Chinese: the conversion report with its
drill-down, and the stage template loaded from the CRM settings."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import unique
from test_pool_browser import login


def test_manager_drills_down_the_conversion_report_and_loads_stages(
        odoo_server, admin, make_user, browser, screenshot_dir):
    manager = make_user(groups=["sales_team.group_sale_manager",
                                "base.group_system"], name="王经理", lang="zh_CN")
    source_name = unique("展会来源")
    source_id = admin.call("utm.source", "create", {"name": source_name})
    lead_names = [unique("转化线索"), unique("转化商机")]
    admin.call("crm.lead", "create", {"name": lead_names[0], "type": "lead",
                                      "source_id": source_id})
    admin.call("crm.lead", "create", {"name": lead_names[1],
                                      "type": "opportunity",
                                      "source_id": source_id})
    wait = WebDriverWait(browser, 120)
    login(browser, odoo_server, manager.login, manager.password)

    # the report: one row per source, counts in the pivot
    action_id = admin.ref("crm_public_pool.crm_pool_conversion_report_action")
    browser.get("%s/web?conv=1#action=%d&view_type=pivot"
                % (odoo_server.url, action_id))
    header = wait.until(ec.presence_of_element_located(
        (By.XPATH, "//div[contains(@class, 'o_pivot')]//tr"
                   "[td[contains(., '%s')]]" % source_name)))
    assert "线索数" in browser.find_element(By.CSS_SELECTOR, ".o_pivot").text
    cells = header.find_elements(By.CSS_SELECTOR, "td.o_pivot_cell_value")
    assert cells[0].text.strip() == "2"  # leads
    assert cells[2].text.strip() == "1"  # converted to an opportunity
    browser.save_screenshot(os.path.join(screenshot_dir, "conversion_pivot.png"))
    # drill down: the cell opens the leads behind it
    cells[0].click()
    wait.until(lambda drv: all(
        drv.find_elements(By.XPATH, "//tr[contains(@class, 'o_data_row')]"
                                    "[contains(., '%s')]" % name)
        for name in lead_names))
    browser.save_screenshot(os.path.join(screenshot_dir,
                                         "conversion_drill_down.png"))

    # the stage template, from the CRM settings
    settings_id = admin.ref("crm.crm_config_settings_action")
    browser.get("%s/web?stages=1#action=%d" % (odoo_server.url, settings_id))
    button = wait.until(ec.element_to_be_clickable(
        (By.XPATH, "//button[normalize-space() = '加载阶段模板']")))
    button.click()
    wait.until(lambda drv: all(
        drv.find_elements(By.XPATH, "//tr[contains(@class, 'o_data_row')]"
                                    "[contains(., '%s')]" % name)
        for name in ("初步接触", "需求确认", "方案报价", "商务谈判", "赢单")))
    browser.save_screenshot(os.path.join(screenshot_dir, "stage_template.png"))
    stages = admin.call("crm.stage", "search_read",
                        [("name", "in", ["First Contact", "Deal Won",
                                         "初步接触", "赢单"])],
                        ["playbook_ids"])
    assert len(stages) >= 2 and all(stage["playbook_ids"] for stage in stages)
