#!/usr/bin/env python3
"""nginx in front of one or more Odoo 11 servers, configured in a folder.

The layout of Odoo's deployment guide: ``/longpolling/`` goes to the gevent
ports of the nodes, everything else to their HTTP workers; gzip on text
answers, static files cached and sent with a long ``Expires``. Every path
nginx writes (pid, logs, temporary files, cache) is inside the given folder,
so no system configuration is read or touched.

Used by ``./dev run`` and by the live tests (``tests/suite_harness.py``)::

    python3 tools/suite_nginx.py --dir var/run/8069 --port 8069 \
        --node 127.0.0.1:18069:18072 --node 127.0.0.1:18079:18082
"""
import argparse
import os

TEMPLATE = """# Written by tools/suite_nginx.py on each start: do not edit.
{user}worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    default_type application/octet-stream;
    access_log {dir}/access.log;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    proxy_cache_path {dir}/cache levels=1:2 keys_zone=odoo_static:10m
                     max_size=200m inactive=60m;
    client_max_body_size 64m;

    upstream odoo {{
{http_servers}
    }}
    upstream odoochat {{
{longpolling_servers}
    }}

    server {{
        listen {listen}:{port};
        proxy_read_timeout 720s;
        proxy_connect_timeout 720s;
        proxy_send_timeout 720s;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Real-IP $remote_addr;

        gzip on;
        gzip_min_length 1000;
        gzip_proxied any;
        gzip_types text/css text/less text/plain text/xml text/javascript
                   application/xml application/json application/javascript;

        location /longpolling/ {{
            proxy_pass http://odoochat;
        }}
        location ~* ^/[^/]+/static/ {{
            proxy_cache odoo_static;
            proxy_cache_valid 200 90m;
            proxy_buffering on;
            expires 864000;
            proxy_pass http://odoo;
        }}
        location / {{
            proxy_redirect off;
            proxy_pass http://odoo;
        }}
    }}
}}
"""


def render(folder, port, nodes, listen="0.0.0.0"):
    """The configuration text; ``nodes`` is a list of (host, http, longpolling)."""
    folder = os.path.abspath(folder)
    # As root, nginx would hand its workers to "nobody", who may not enter
    # the project folder: keep them with the user who runs the suite.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return TEMPLATE.format(
        user=user, dir=folder, listen=listen, port=port,
        http_servers="\n".join(
            "        server %s:%s;" % (host, http) for host, http, _lp in nodes),
        longpolling_servers="\n".join(
            "        server %s:%s;" % (host, lp) for host, _http, lp in nodes),
    )


def write(folder, port, nodes, listen="0.0.0.0"):
    """Write ``folder/nginx.conf`` (and the folders it names); return its path."""
    for sub in ("tmp", "cache"):
        os.makedirs(os.path.join(folder, sub), exist_ok=True)
    path = os.path.join(folder, "nginx.conf")
    with open(path, "w", encoding="utf-8") as fobj:
        fobj.write(render(folder, port, nodes, listen))
    return path


def command(folder):
    """The command line that runs nginx in the foreground on that folder."""
    folder = os.path.abspath(folder)
    return ["nginx", "-p", folder, "-c", os.path.join(folder, "nginx.conf"),
            "-e", os.path.join(folder, "error.log"), "-g", "daemon off;"]


def _node(text):
    host, http, longpolling = text.rsplit(":", 2)
    return host, int(http), int(longpolling)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--listen", default="0.0.0.0")
    parser.add_argument("--node", action="append", type=_node, required=True,
                        help="HOST:HTTP_PORT:LONGPOLLING_PORT, once per node")
    args = parser.parse_args()
    print(write(args.dir, args.port, args.node, args.listen))


if __name__ == "__main__":
    main()
