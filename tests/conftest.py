"""Fixtures of the live-server tests: real Odoo servers, JSON-RPC, Chromium."""
import os

import pytest

from suite_harness import (VAR, JsonRpcClient, OdooServer, make_chromium, unique,
                           web_session as _web_session)


@pytest.fixture(scope="session")
def suite_db():
    db = os.environ.get("SUITE_TEST_DB")
    if not db:
        pytest.fail("SUITE_TEST_DB is not set: run the suite through './dev test'")
    return db


@pytest.fixture(scope="session")
def odoo_server(suite_db):
    """A multi-worker Odoo server on the test database, cron threads off."""
    server = OdooServer(suite_db, workers=2, cron_threads=0, name="suite-main")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def start_odoo_server(suite_db):
    """Factory for extra servers (e.g. two servers with cron threads)."""
    started = []

    def _start(workers=2, cron_threads=0, extra_args=(), name=None):
        server = OdooServer(suite_db, workers=workers, cron_threads=cron_threads,
                            extra_args=extra_args, name=name)
        started.append(server)
        return server.start()

    yield _start
    for server in started:
        server.stop()


@pytest.fixture
def rpc_client(odoo_server):
    def _client(login, password, server=None):
        return JsonRpcClient(server or odoo_server, login, password)
    return _client


@pytest.fixture(scope="session")
def admin(odoo_server):
    return JsonRpcClient(odoo_server, "admin", "admin")


@pytest.fixture
def make_user(admin, odoo_server):
    """Create a user in the given groups; its password is its login."""

    def _make(groups=(), name=None, login=None, server=None, **values):
        login = login or unique("user")
        group_ids = [admin.ref(xmlid) for xmlid in groups]
        vals = {
            "name": name or login, "login": login, "password": login,
            "groups_id": [(6, 0, group_ids)],
            "email": "%s@example.com" % login,
        }
        vals.update(values)
        admin.call("res.users", "create", vals)
        return JsonRpcClient(server or odoo_server, login, login)

    return _make


@pytest.fixture
def web_session(odoo_server):
    def _session(login, password, server=None):
        return _web_session(server or odoo_server, login, password)
    return _session


@pytest.fixture
def browser():
    driver = make_chromium()
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def screenshot_dir():
    path = os.path.join(VAR, "screenshots")
    os.makedirs(path, exist_ok=True)
    return path
