"""More than one application server (issue 15, point 4): the same pages through one nginx, once
in front of one gunicorn with two workers and once in front of two gunicorns with one worker
each, against the one PostgreSQL. Sessions, the task queue, PDFs and uploads live in the
database, so any server answers any request: wrk's sessions go to both servers in turn.

nginx is Debian's (``make bench`` installs it as root, as it does wrk); it runs in the
foreground with a configuration written under var/, and stops with the run.
"""

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# The proxy's configuration: what a deployment's nginx does for us (README "More than one
# server"), without TLS (wrk speaks plain HTTP; the header says https as the TLS proxy would).
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {run}/bench-nginx.pid;
error_log {run}/bench-nginx.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {run}/nginx-body;
    proxy_temp_path {run}/nginx-proxy;
    client_max_body_size 11m;
    upstream app {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""


@dataclass(frozen=True)
class Layout:
    name: str
    workers: tuple[int, ...]  # one gunicorn per entry, with this many workers


LAYOUTS = (
    Layout("one server, 2 workers", (2,)),
    Layout("two servers, 1 worker each", (1, 1)),
)


def nginx() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
    )


def write_conf(port: int, upstream_ports: list[int]) -> Path:
    run = settings.BASE_DIR / "var" / "run"
    run.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstream_ports)
    conf = run / "bench-nginx.conf"
    conf.write_text(NGINX_CONF.format(run=run, servers=servers, port=port))
    return conf


def start_nginx(conf: Path) -> subprocess.Popen:
    return subprocess.Popen([nginx(), "-c", str(conf), "-p", str(conf.parent)])  # noqa: S603


def nginx_version() -> str:
    done = subprocess.run([nginx(), "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    return (done.stderr or done.stdout).strip().rsplit("/", 1)[-1]
