#!/usr/bin/env python3
"""Times GET /api/topics/TOPIC/cloud?top=50 on one silo over one kept-alive connection, one request then 5 ms of rest,
from a process of its own: the same client for any build, so builds whose load commands differ compare alike.

    cloud-probe.py --port 8080 --topic bench0 --seconds 20 --delay 25   # start it beside load-local.sh
Prints: probe PORT: n=... errors=... p50=... p90=... p99=... ms
"""
import argparse
import http.client
import time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=8080)
parser.add_argument("--topic", default="bench0")
parser.add_argument("--seconds", type=float, default=20)
parser.add_argument("--delay", type=float, default=0, help="seconds to wait first (the silos start, the load warms up)")
args = parser.parse_args()

time.sleep(args.delay)
latencies, errors, connection = [], 0, None
end = time.time() + args.seconds
while time.time() < end:
    try:
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
        started = time.perf_counter()
        connection.request("GET", f"/api/topics/{args.topic}/cloud?top=50")
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            errors += 1
    except (OSError, http.client.HTTPException):
        errors += 1
        connection = None
    time.sleep(0.005)

latencies.sort()
n = len(latencies)
if n == 0:
    print(f"probe {args.port}: no answers, {errors} errors")
else:
    print(f"probe {args.port}: n={n} errors={errors} p50={latencies[n // 2]:.3f} "
          f"p90={latencies[int(n * 0.9)]:.3f} p99={latencies[int(n * 0.99)]:.3f} ms")
