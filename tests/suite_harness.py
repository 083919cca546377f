"""Live-server harness for the suite's top-level tests.

Starts real Odoo 11 servers (multi-worker) on free ports against the test
database, talks JSON-RPC to them and drives headless Chromium. Nothing here
imports Odoo: the servers run in their own processes.
"""
import glob
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import psycopg2
import requests

ROOT = os.environ.get(
    "SUITE_ROOT", os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)
VAR = os.path.join(ROOT, "var")
ODOO_BIN = os.path.join(ROOT, "tools", "odoo-bin")


def db_params():
    """Connection parameters of the database server, as ./dev exports them."""
    return {
        "host": os.environ.get("HOST", "127.0.0.1"),
        "port": os.environ.get("PORT", "5432"),
        "user": os.environ.get("USER") if os.environ.get("SUITE_TEST_DB") else "odoo",
        "password": os.environ.get("PASSWORD", "odoo"),
    }


def db_connect(db):
    """A plain autocommit connection to ``db`` (to build data and check it)."""
    params = db_params()
    conn = psycopg2.connect(dbname=db, host=params["host"], port=params["port"],
                            user=params["user"], password=params["password"])
    conn.autocommit = True
    return conn


# Code for an Odoo process started by a test (``python -c``): once its registry
# is loaded it says so and waits for the test's go, so several processes start
# their work at the same moment. ``barrier`` is a path prefix, '-' for none.
BARRIER_SNIPPET = """
if barrier != '-':
    open(barrier + '.ready.' + str(os.getpid()), 'w').close()
    while not os.path.exists(barrier + '.go'):
        time.sleep(0.01)
"""


def release_barrier(barrier, procs, timeout=120):
    """Wait until every process in ``procs`` is ready, then let them go."""
    barrier = str(barrier)
    deadline = time.time() + timeout
    while len(glob.glob(barrier + ".ready.*")) < len(procs):
        assert time.time() < deadline, "the processes did not start"
        for proc in procs:
            assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.05)
    open(barrier + ".go", "w").close()


def addons_path():
    default = ",".join([
        os.path.join(os.path.dirname(sys.executable), "..", "lib", "python3.7",
                     "site-packages", "odoo", "addons"),
        ROOT,
    ])
    return os.environ.get("SUITE_ADDONS_PATH", default)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RpcError(Exception):
    """An error answered by the server to a JSON-RPC call."""

    def __init__(self, payload, http_status=200):
        self.payload = payload
        self.http_status = http_status
        data = payload.get("data") or {}
        self.exc_name = data.get("name", "")
        self.message = data.get("message") or payload.get("message", "")
        self.debug = data.get("debug", "")
        super().__init__("%s: %s" % (self.exc_name, self.message))


class OdooServer:
    """One Odoo server process started on a free port."""

    def __init__(self, db, workers=2, cron_threads=0, extra_args=(), name=None):
        self.db = db
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.workers = workers
        os.makedirs(os.path.join(VAR, "log"), exist_ok=True)
        self.name = name or "odoo-%d" % self.port
        self.log_path = os.path.join(VAR, "log", "%s.log" % self.name)
        params = db_params()
        self.args = [
            sys.executable, ODOO_BIN,
            "--db_host=%s" % params["host"], "--db_port=%s" % params["port"],
            "--db_user=%s" % params["user"], "--db_password=%s" % params["password"],
            "--addons-path=%s" % addons_path(),
            "-d", db, "--db-filter=^%s$" % db,
            "--http-interface=127.0.0.1", "--http-port=%d" % self.port,
            # The longpolling port must be free too when workers run.
            "--longpolling-port=%d" % free_port(),
            "--workers=%d" % workers, "--max-cron-threads=%d" % cron_threads,
            "--limit-time-real=600", "--limit-time-cpu=600",
            "--db_maxconn=64",
            "--logfile=%s" % self.log_path, "--log-level=info",
        ] + list(extra_args)
        self.proc = None

    def start(self, timeout=180):
        with open(self.log_path, "w"):
            pass
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([
            os.path.join(ROOT, ".tools", "node_modules", ".bin"),
            os.path.dirname(sys.executable), env.get("PATH", ""),
        ])
        self.proc = subprocess.Popen(
            self.args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    "Odoo exited with %s:\n%s" % (self.proc.returncode,
                                                  self.log_text()[-4000:]))
            try:
                resp = requests.get(self.url + "/web/login", timeout=5)
                if resp.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("Odoo did not answer within %ss:\n%s"
                           % (timeout, self.log_text()[-4000:]))

    def stop(self, timeout=30):
        if not self.proc or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def log_text(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as fobj:
            return fobj.read()


class JsonRpcClient:
    """Odoo's external API over /jsonrpc, as an integrator would use it."""

    _ids = itertools.count(1)

    def __init__(self, server, login, password):
        self.server = server
        self.login = login
        self.password = password
        self.http = requests.Session()
        self.uid = self._rpc("common", "login", server.db, login, password)
        if not self.uid:
            raise RpcError({"message": "login failed for %s" % login})

    def _rpc(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0", "method": "call", "id": next(self._ids),
            "params": {"service": service, "method": method, "args": list(args)},
        }
        resp = self.http.post(self.server.url + "/jsonrpc", json=payload, timeout=300)
        if resp.status_code != 200:
            raise RpcError({"message": resp.text[:500]}, resp.status_code)
        body = resp.json()
        if body.get("error"):
            raise RpcError(body["error"], resp.status_code)
        return body.get("result")

    def call(self, model, method, *args, **kwargs):
        return self._rpc("object", "execute_kw", self.server.db, self.uid,
                         self.password, model, method, list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call("ir.model.data", "search_read",
                         [("module", "=", module), ("name", "=", name)],
                         ["res_id"])
        if not rows:
            raise KeyError(xmlid)
        return rows[0]["res_id"]


def web_session(server, login, password):
    """A browser-like HTTP session logged in through /web/session/authenticate."""
    session = requests.Session()
    resp = session.post(server.url + "/web/session/authenticate", json={
        "jsonrpc": "2.0", "method": "call", "id": 1,
        "params": {"db": server.db, "login": login, "password": password},
    }, timeout=60)
    resp.raise_for_status()
    result = resp.json()
    if result.get("error") or not result.get("result", {}).get("uid"):
        raise RpcError(result.get("error") or {"message": "login failed"})
    session.base_url = server.url
    return session


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def make_chromium(download_dir=None):
    """Headless Debian chromium driven by selenium + chromium-driver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--window-size=1400,900", "--lang=zh-CN"):
        options.add_argument(flag)
    options.add_argument("--user-data-dir=%s" % tempfile.mkdtemp(prefix="chromium-"))
    if download_dir:
        options.add_experimental_option("prefs", {
            "download.default_directory": download_dir})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                            options=options)


def json_post(session_or_module, url, body, headers=None, timeout=60):
    """POST a raw JSON body (str or bytes or object) and return the response."""
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    hdrs = {"Content-Type": "application/json"}
    hdrs.update(headers or {})
    return session_or_module.post(url, data=body, headers=hdrs, timeout=timeout)


# ------------------------------------------------------------------ nginx --
# The production layout of ``./dev run``: nginx (tools/suite_nginx.py) in front
# of OdooServer nodes started with ``--proxy-mode``.
def _load_suite_nginx():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "suite_nginx", os.path.join(ROOT, "tools", "suite_nginx.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def longpolling_port(server):
    """The gevent (longpolling) port an OdooServer was started with."""
    for arg in server.args:
        if arg.startswith("--longpolling-port="):
            return int(arg.split("=", 1)[1])
    raise ValueError("no --longpolling-port in %s" % server.args)


class NginxProxy:
    """nginx on a free port routing to running OdooServer nodes."""

    def __init__(self, servers, name=None):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.db = servers[0].db
        self.dir = os.path.join(VAR, "nginx", name or "nginx-%d" % self.port)
        self.nodes = [("127.0.0.1", server.port, longpolling_port(server))
                      for server in servers]
        self.proc = None

    def start(self, timeout=60):
        suite_nginx = _load_suite_nginx()
        suite_nginx.write(self.dir, self.port, self.nodes, listen="127.0.0.1")
        self.proc = subprocess.Popen(
            suite_nginx.command(self.dir), stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited with %s:\n%s" % (
                    self.proc.returncode, self.error_log()[-2000:]))
            try:
                if requests.get(self.url + "/web/login", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("nginx did not answer:\n%s" % self.error_log()[-2000:])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(30)

    def error_log(self):
        path = os.path.join(self.dir, "error.log")
        if not os.path.exists(path):
            return ""
        with open(path, encoding="utf-8", errors="replace") as fobj:
            return fobj.read()
