"""Lead scoring in the web client: a salesperson (zh_CN) sees the grade badge
and the score breakdown of a lead they own (headless Chromium)."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import unique

SALESMAN = "sales_team.group_sale_salesman"


def login(browser, server, login_name, password):
    browser.get(server.url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(login_name)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 120).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".oe_topbar_name")))


def test_salesperson_sees_grade_and_score_breakdown_in_browser(
        odoo_server, admin, make_user, browser, screenshot_dir):
    sales = make_user(groups=[SALESMAN], name="王芳", lang="zh_CN")
    city = unique("苏州评分")
    function = unique("采购总监")
    region_rule = unique("华东城市")
    buyer_rule = unique("决策人职位")
    admin.call("crm.lead.score.rule", "create", {
        "name": region_rule, "domain": "[('city', '=', '%s')]" % city,
        "points": 45.0})
    admin.call("crm.lead.score.rule", "create", {
        "name": buyer_rule, "domain": "[('function', '=', '%s')]" % function,
        "points": 40.0})
    unmatched_rule = unique("未命中规则")
    admin.call("crm.lead.score.rule", "create", {
        "name": unmatched_rule, "domain": "[('city', '=', '%s')]" % unique("无"),
        "points": 7.0})
    lead_id = admin.call("crm.lead", "create", {
        "name": unique("评分线索"), "type": "lead", "user_id": sales.uid,
        "city": city, "function": function})
    lead = sales.call("crm.lead", "read", [lead_id], ["grade", "score"])[0]
    assert lead["grade"]
    assert lead["score"] >= 85.0

    login(browser, odoo_server, sales.login, sales.password)
    wait = WebDriverWait(browser, 120)
    # A query string forces a full load of the client on the wanted record.
    browser.get("%s/web?x=1#id=%d&model=crm.lead&view_type=form"
                % (odoo_server.url, lead_id))
    badge = wait.until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, ".o_form_view .o_crm_score_grade_box .o_crm_score_grade")))
    assert badge.text.strip() == lead["grade"]
    # the breakdown is on the "Score" (得分) page of the notebook
    tab = wait.until(ec.element_to_be_clickable(
        (By.XPATH, "//ul[contains(@class, 'nav-tabs')]//a"
                   "[normalize-space() = '得分']")))
    tab.click()
    wait.until(lambda drv: buyer_rule in drv.find_element(
        By.CSS_SELECTOR, ".o_form_view .o_notebook .tab-pane.active").text)
    page = browser.find_element(
        By.CSS_SELECTOR, ".o_form_view .o_notebook .tab-pane.active").text
    assert region_rule in page
    assert "45.00" in page
    assert "40.00" in page
    assert unmatched_rule not in page
    assert "得分原因" in page  # the translated "Why this score" separator
    browser.save_screenshot(os.path.join(screenshot_dir, "scoring_lead_breakdown.png"))
