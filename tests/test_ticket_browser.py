"""The service ticket views render in the real web client (headless Chromium)."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import unique


def login(browser, url, login_name, password):
    browser.get(url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(login_name)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 120).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_main_navbar, .o_main_content, .o_web_client")))


def test_agent_sees_ticket_kanban_form_and_calendar(odoo_server, admin, make_user,
                                                    browser, screenshot_dir):
    agent = make_user(groups=["crm_service_ticket.group_ticket_agent"])
    name = unique("Kanban ticket")
    ticket_id = admin.call("crm.service.ticket", "create",
                           {"name": name, "user_id": agent.uid})
    number = admin.call("crm.service.ticket", "read", [ticket_id],
                        ["number"])[0]["number"]
    action_id = admin.ref("crm_service_ticket.crm_service_ticket_action")
    login(browser, odoo_server.url, agent.login, agent.password)
    wait = WebDriverWait(browser, 120)
    browser.get("%s/web#action=%d&view_type=kanban" % (odoo_server.url, action_id))
    wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_kanban_view .o_kanban_group")))
    wait.until(ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_kanban_view"), number))
    browser.save_screenshot(os.path.join(screenshot_dir, "ticket_kanban.png"))
    columns = [el.text for el in browser.find_elements(
        By.CSS_SELECTOR, ".o_kanban_group .o_column_title")]
    assert columns, "no stage column rendered"

    browser.get("%s/web#id=%d&model=crm.service.ticket&view_type=form"
                % (odoo_server.url, ticket_id))
    wait.until(ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_form_view"), name))
    assert browser.find_elements(By.CSS_SELECTOR, ".o_chatter")
    assert browser.find_elements(By.CSS_SELECTOR, ".o_statusbar_status")

    browser.get("%s/web#action=%d&view_type=calendar" % (odoo_server.url, action_id))
    wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_calendar_view")))
    # No client error dialog (crash manager) was opened on the way.
    assert not browser.find_elements(
        By.CSS_SELECTOR, ".o_dialog_warning, .modal .o_error_detail")
