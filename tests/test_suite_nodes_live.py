"""The production layout of ``./dev run --nodes 2``: nginx in front of two Odoo
nodes (workers, one cron worker and a gevent longpolling process each) on one
database. Live notifications reach a browser through ``/longpolling/``, any
node serves any session, a cron runs once across the nodes and neither node
logs an ERROR."""
import threading
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from suite_harness import (JsonRpcClient, NginxProxy, OdooServer, make_chromium,
                           unique, web_session)

# the messaging menu's counter (the activity menu has one too)
COUNTER = ".o_mail_navbar_item > a:has(.fa-comments) .o_notification_counter"
MENTION = ("//*[contains(@class, 'o_composer_mention_dropdown')]"
           "//li[contains(@class, 'o_mention_proposition')][contains(., '%s')]")


def _start_nodes(db, count):
    nodes = [OdooServer(db, workers=2, cron_threads=1, extra_args=("--proxy-mode",),
                        name=unique("live-node%d" % (i + 1)))
             for i in range(count)]
    failures = []

    def _start(node):
        try:
            node.start()
        except Exception as exc:  # reported below, with the node's log
            failures.append(exc)

    threads = [threading.Thread(target=_start, args=(node,)) for node in nodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return nodes, failures


def _login(browser, url, login):
    browser.get(url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(login)
    browser.find_element(By.NAME, "password").send_keys(login)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 120).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".o_mail_navbar_item")))


def _counter(browser):
    found = browser.find_elements(By.CSS_SELECTOR, COUNTER)
    text = found[0].text.strip() if found else ""
    return int(text) if text.isdigit() else 0


def _post_mention(browser, url, partner_id, mention, text):
    """Log a note on a contact that mentions ``mention`` (typed, then picked)."""
    wait = WebDriverWait(browser, 120)
    # "/web?#": a new page load, not a hash change racing the home action
    browser.get("%s/web?#id=%d&model=res.partner&view_type=form" % (url, partner_id))
    wait.until(ec.element_to_be_clickable(
        (By.CSS_SELECTOR, ".o_chatter_button_log_note"))).click()
    field = wait.until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, ".o_chatter .o_composer_text_field")))
    field.send_keys(text + " @" + mention[:12])
    # the proposition of that user (an earlier, shorter search may answer late)
    wait.until(ec.element_to_be_clickable((By.XPATH, MENTION % mention))).click()
    field.send_keys(Keys.END, " ")
    browser.find_element(By.CSS_SELECTOR, ".o_chatter .o_composer_button_send").click()
    wait.until(ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_chatter .o_thread_message"), text))


def _error_lines(node):
    return [line for line in node.log_text().splitlines()
            if " ERROR " in line or " CRITICAL " in line]


def test_two_nodes_behind_nginx(suite_db, screenshot_dir):
    nodes, failures = _start_nodes(suite_db, 2)
    proxy = None
    browsers = []
    try:
        assert not failures, failures
        started = time.time()
        proxy = NginxProxy(nodes, name=unique("live-nginx")).start()
        admin = JsonRpcClient(proxy, "admin", "admin")
        # A cron due now: the cron workers of both nodes poll for it.
        marker = unique("live-cron")
        admin.call("ir.cron", "create", {
            "name": marker, "model_id": admin.call(
                "ir.model", "search", [("model", "=", "res.partner")])[0],
            "state": "code", "interval_number": 1, "interval_type": "days",
            "numbercall": -1, "nextcall": "2000-01-01 00:00:00",
            "code": "time.sleep(5)\nmodel.create({'name': %r})" % marker})

        users = {}
        for role in ("sender", "receiver"):
            login = unique("live-%s" % role)
            uid = admin.call("res.users", "create", {
                "name": login, "login": login, "password": login,
                "email": "%s@example.com" % login, "notification_type": "inbox",
                "groups_id": [(6, 0, [admin.ref("sales_team.group_sale_salesman"),
                                      admin.ref("crm_public_pool.group_pool_user")])]})
            users[role] = {"login": login, "uid": uid, "partner_id": admin.call(
                "res.users", "read", [uid], ["partner_id"])[0]["partner_id"][0]}
        contact = admin.call("res.partner", "create", {"name": unique("live contact")})

        # A session made on one node is valid on the other.
        session = web_session(nodes[0], users["sender"]["login"],
                              users["sender"]["login"])
        info = session.post(nodes[1].url + "/web/session/get_session_info", json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {}}, timeout=60)
        assert info.json()["result"]["uid"] == users["sender"]["uid"]

        receiver, sender = make_chromium(), make_chromium()
        browsers += [receiver, sender]
        _login(receiver, proxy.url, users["receiver"]["login"])
        receiver.get(proxy.url + "/web?#action=%d" % admin.ref(
            "mail.mail_channel_action_client_chat"))
        WebDriverWait(receiver, 120).until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, ".o_mail_chat_content .o_mail_no_content")))
        receiver.execute_script("window.suiteNoReload = 'still here';")
        before = _counter(receiver)
        _login(sender, proxy.url, users["sender"]["login"])
        text = unique("Live mention")
        _post_mention(sender, proxy.url, contact, users["receiver"]["login"], text)

        # The receiver's open Discuss gets it live: the counter goes up and
        # the message appears in the inbox, with no page load in between.
        WebDriverWait(receiver, 90).until(lambda drv: _counter(drv) > before)
        WebDriverWait(receiver, 30).until(ec.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".o_mail_chat .o_mail_chat_content"), text))
        assert receiver.execute_script("return window.suiteNoReload;") == "still here"

        # Both nodes served the browsers' requests (one session, two nodes).
        for node in nodes:
            assert "POST /web/dataset/call_kw" in node.log_text(), node.name

        # The cron ran once: wait until both cron workers have polled.
        deadline = started + 150
        while time.time() < deadline and not admin.call(
                "res.partner", "search_count", [("name", "=", marker)]):
            time.sleep(2)
        time.sleep(max(0, started + 80 - time.time()))
        assert admin.call("res.partner", "search_count", [("name", "=", marker)]) == 1
        starts = sum(node.log_text().count("Starting job `%s`" % marker)
                     for node in nodes)
        assert starts == 1
        admin.call("ir.cron", "write", admin.call(
            "ir.cron", "search", [("name", "=", marker)]), {"active": False})

        for node in nodes:
            assert not _error_lines(node), (node.name, _error_lines(node)[:5])
        assert "[error]" not in proxy.error_log()
    finally:
        for index, browser in enumerate(browsers):
            browser.save_screenshot("%s/live_browser%d.png" % (screenshot_dir, index))
            browser.quit()
        if proxy:
            proxy.stop()
        for node in nodes:
            node.stop()
