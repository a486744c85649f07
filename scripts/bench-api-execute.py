#!/usr/bin/env python3
"""The whole execute path through the HTTP API against `docker exec`, side by side.

Creates one session of BAIKAL_IMAGE through the API, then alternates N calls of
`POST /v1/sessions/{id}/execute` of `echo hi` (one kept connection, as a client library would)
with N runs of `docker exec CONTAINER /bin/sh -c 'echo hi'` on the session's own container,
and prints median, p90 and p99 of each and their ratio. Deletes the session at the end.

Usage (with the dev cluster's environment):
  set -a; . var/dev-cluster/env; set +a; scripts/bench-api-execute.py [N]
"""

import http.client
import json
import os
import ssl
import statistics
import subprocess
import sys
import time
import urllib.parse


def connect(url, cacert):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        ctx = ssl.create_default_context(cafile=cacert) if cacert else ssl.create_default_context()
        return http.client.HTTPSConnection(parts.hostname, parts.port, context=ctx)
    return http.client.HTTPConnection(parts.hostname, parts.port)


def call(conn, token, method, path, body=None):
    headers = {"Authorization": "Bearer " + token}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    res = conn.getresponse()
    text = res.read()
    if res.status >= 300:
        sys.exit(f"{method} {path}: {res.status} {text[:300]!r}")
    return json.loads(text) if text else {}


def figures(ms):
    ms = sorted(ms)
    def at(q):
        return ms[min(len(ms) - 1, int(q * len(ms)))]
    return statistics.median(ms), at(0.90), at(0.99)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    url = os.environ["BAIKAL_API_URL"]
    token = os.environ["BAIKAL_TOKEN"]
    image = os.environ["BAIKAL_IMAGE"]
    conn = connect(url, os.environ.get("BAIKAL_CACERT"))
    created = call(conn, token, "POST", "/v1/sessions", {"image": image})
    sid = created["id"]
    try:
        for _ in range(600):
            s = call(conn, token, "GET", f"/v1/sessions/{sid}")
            if s["status"] == "RUNNING":
                break
            if s["status"] in ("ERROR", "TERMINATED", "CANCELLED"):
                sys.exit(f"session {sid} is {s['status']}: {s.get('status_reason', '')}")
            time.sleep(0.1)
        container = s["kernels"][0]["container_id"]
        body = {"mode": "query", "code": "echo hi"}
        for _ in range(5):  # warm-up
            call(conn, token, "POST", f"/v1/sessions/{sid}/execute", body)
            subprocess.run(["docker", "exec", container, "/bin/sh", "-c", "echo hi"],
                           capture_output=True, check=True)
        api, cli = [], []
        for _ in range(n):
            t = time.perf_counter()
            out = call(conn, token, "POST", f"/v1/sessions/{sid}/execute", body)
            api.append((time.perf_counter() - t) * 1000)
            if out["console"] != [["stdout", "hi\n"]]:
                sys.exit(f"unexpected output {out['console']!r}")
            t = time.perf_counter()
            subprocess.run(["docker", "exec", container, "/bin/sh", "-c", "echo hi"],
                           capture_output=True, check=True)
            cli.append((time.perf_counter() - t) * 1000)
        a, c = figures(api), figures(cli)
        print(f"{n} calls each, alternating; ms median / p90 / p99")
        print(f"POST /v1/sessions/{{id}}/execute  {a[0]:8.2f} {a[1]:8.2f} {a[2]:8.2f}")
        print(f"docker exec                      {c[0]:8.2f} {c[1]:8.2f} {c[2]:8.2f}")
        print(f"docker exec / API at the median: {c[0] / a[0]:.1f} x")
    finally:
        call(conn, token, "DELETE", f"/v1/sessions/{sid}")


if __name__ == "__main__":
    main()
