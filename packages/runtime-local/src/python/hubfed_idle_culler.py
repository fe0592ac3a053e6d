"""Stops the idle or too old single-user servers of one JupyterHub.

Debian's JupyterHub 3.0 ships without jupyterhub-idle-culler; this is the part of it Hubfed needs,
with the standard library only. It runs as a managed hub service: JupyterHub passes
JUPYTERHUB_API_URL and JUPYTERHUB_API_TOKEN, and the service's role grants list:users,
read:users:activity, read:servers and delete:servers, nothing else.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

PAGINATION_MEDIA_TYPE = "application/jupyterhub-pagination+json"
PAGE_SIZE = 200


def log(message):
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    print(f"[hubfed-idle-culler {stamp}] {message}", file=sys.stderr, flush=True)


def parse_time(value):
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def call_hub(api_url, token, method, path, accept="application/json"):
    request = urllib.request.Request(
        api_url + path,
        method=method,
        headers={"Authorization": f"token {token}", "Accept": accept},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else None


def list_ready_users(api_url, token):
    offset = 0
    while True:
        query = urllib.parse.urlencode({"state": "ready", "offset": offset, "limit": PAGE_SIZE})
        page = call_hub(api_url, token, "GET", f"/users?{query}", accept=PAGINATION_MEDIA_TYPE)
        if isinstance(page, list):
            # A hub that ignores the pagination media type answers with the whole list.
            yield from page
            return
        yield from page.get("items", [])
        following = (page.get("_pagination") or {}).get("next")
        if not following:
            return
        offset = following["offset"]


def find_servers_to_stop(users, now, timeout_seconds, max_age_seconds):
    """Yields (user name, server name, reason) for each ready server past a limit."""
    for user in users:
        for server_name, server in (user.get("servers") or {}).items():
            if not server.get("ready") or server.get("pending"):
                continue
            started = parse_time(server.get("started"))
            last_activity = parse_time(server.get("last_activity")) or started
            if timeout_seconds and last_activity:
                idle_seconds = (now - last_activity).total_seconds()
                if idle_seconds > timeout_seconds:
                    yield user["name"], server_name, f"idle for {idle_seconds:.0f} s"
                    continue
            if max_age_seconds and started:
                age_seconds = (now - started).total_seconds()
                if age_seconds > max_age_seconds:
                    yield user["name"], server_name, f"running for {age_seconds:.0f} s"


def server_path(user_name, server_name):
    user = urllib.parse.quote(user_name, safe="")
    if not server_name:
        return f"/users/{user}/server"
    return f"/users/{user}/servers/{urllib.parse.quote(server_name, safe='')}"


def cull_once(api_url, token, timeout_seconds, max_age_seconds):
    now = datetime.now(timezone.utc)
    users = list(list_ready_users(api_url, token))
    for user_name, server_name, reason in find_servers_to_stop(
        users, now, timeout_seconds, max_age_seconds
    ):
        log(f"stopping server {server_name!r} of {user_name!r}: {reason}")
        try:
            call_hub(api_url, token, "DELETE", server_path(user_name, server_name))
        except urllib.error.HTTPError as error:
            log(f"could not stop {user_name!r}: HTTP {error.code}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=int, default=3600, help="idle seconds; 0 = no limit")
    parser.add_argument("--max-age", type=int, default=0, help="age in seconds; 0 = no limit")
    parser.add_argument("--interval", type=int, default=60, help="seconds between checks")
    parser.add_argument("--once", action="store_true", help="check once and exit")
    args = parser.parse_args()

    api_url = os.environ["JUPYTERHUB_API_URL"].rstrip("/")
    token = os.environ["JUPYTERHUB_API_TOKEN"]
    hub_pid = os.getppid()
    log(f"culling after {args.timeout} s idle, {args.max_age} s age, every {args.interval} s")
    while True:
        try:
            cull_once(api_url, token, args.timeout, args.max_age)
        except (urllib.error.URLError, OSError, ValueError) as error:
            log(f"check failed: {error}")
        if args.once:
            return 0
        deadline = time.monotonic() + args.interval
        while time.monotonic() < deadline:
            # A hub killed with SIGKILL cannot stop its services; its successor starts a new culler.
            if os.getppid() != hub_pid:
                log("hub process is gone, exiting")
                return 0
            time.sleep(1)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # JupyterHub stops its managed services with SIGINT.
        sys.exit(0)
