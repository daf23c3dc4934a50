#!/usr/bin/env python3
"""Benchmarks of the epos-trust host, each request by
a freshly spawned process, as Chromium's and Firefox's runtime.sendNativeMessage do (docs/browser-behaviour.md §4):
spawn + one frame + reply + exit, timed from spawn to exit. Prints JSON; tests/bench/run.sh
turns it into docs/benchmarks.md. Not a test: it asserts only that every reply is right.

  host_bench.py --host BIN --emulator BIN [--runs N]

`trust` and the growth figures are tests/bench/store_bench.mjs's (run.sh includes them).
"""
import argparse
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHROME = "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"


def frame(obj):
    body = json.dumps(obj).encode()
    return struct.pack("<I", len(body)) + body


def one_request(argv, request, env):
    """Spawns argv, sends one frame, reads to EOF; returns (ms, reply)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env)
    child.stdin.write(frame(request))
    child.stdin.close()
    out = child.stdout.read()
    child.wait()
    elapsed = (time.perf_counter() - start) * 1000
    if child.returncode != 0 or len(out) < 4:
        sys.exit(f"{argv[0]}: exit {child.returncode}, {len(out)} bytes for {request}")
    (length,) = struct.unpack("<I", out[:4])
    reply = json.loads(out[4 : 4 + length])
    if not reply.get("ok"):
        sys.exit(f"{argv[0]}: {reply}")
    return elapsed, reply


def peak_rss_kib(argv, request, env, runs=11):
    """The largest peak RSS over `runs` requests, from GNU time's %M (wait4 in a small parent:
    rusage of a child forked from this Python process would include Python's own pages)."""
    peak = 0
    with tempfile.NamedTemporaryFile(mode="r") as report:
        for _ in range(runs):
            one_request(["/usr/bin/time", "-f", "%M", "-o", report.name, *argv], request, env)
            report.seek(0)
            peak = max(peak, int(report.read().split()[-1]))
    return peak


def summary(times):
    ordered = sorted(times)
    return {
        "runs": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "min_ms": round(ordered[0], 2),
        "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1], 2),
        "max_ms": round(ordered[-1], 2),
    }


def measure(argv, request, env, runs, check=None):
    times = []
    one_request(argv, request, env)  # warm the page cache; not counted
    for _ in range(runs):
        ms, reply = one_request(argv, request, env)
        if check:
            check(reply)
        times.append(ms)
    result = summary(times)
    result["peak_rss_kib"] = peak_rss_kib(argv, request, env)
    return result


def start_emulator(binary, address):
    child = subprocess.Popen([binary, "--address", address, "--port", "0"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
    info = json.loads(child.stdout.readline())
    info["process"] = child
    return info


def certutil(*args):
    subprocess.run(["certutil", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--runs", type=int, default=101)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="epos-bench-")
    home = os.path.join(work, "home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=home, EPOS_TRUST_STATE_DIR=os.path.join(work, "state"))
    os.makedirs(home)
    printer = start_emulator(args.emulator, "127.0.0.1")
    results = {}
    try:
        host = [args.host, CHROME]
        python = [sys.executable, os.path.join(HERE, "python_host.py")]
        inspect = {"id": 2, "cmd": "inspect", "url": printer["url"]}

        def right_cert(reply):
            if reply["result"]["certificate"]["sha256"] != printer["sha256"]:
                sys.exit(f"inspect returned another certificate: {reply}")

        # No browser database yet: hello and inspect look for stores and find none.
        results["hello"] = measure(host, {"id": 1, "cmd": "hello"}, env, args.runs)
        results["inspect"] = measure(host, inspect, env, args.runs, right_cert)
        results["python_hello"] = measure(python, {"id": 1, "cmd": "hello"}, env, args.runs)
        results["python_inspect"] = measure(python, inspect, env, args.runs, right_cert)

        # A machine with Chromium's database and 3 Firefox profiles (docs/browser-behaviour.md §5 paths).
        chromium = os.path.join(home, ".local/share/pki/nssdb")
        profiles = [os.path.join(home, f".mozilla/firefox/p{i}.default") for i in range(3)]
        for db in [chromium, *profiles]:
            os.makedirs(db)
            certutil("-N", "--empty-password", "-d", f"sql:{db}")
        results["hello_4_databases"] = measure(host, {"id": 1, "cmd": "hello"}, env, args.runs)
        results["inspect_4_databases"] = measure(host, inspect, env, args.runs, right_cert)

    finally:
        printer["process"].terminate()
        printer["process"].wait()
        shutil.rmtree(work, ignore_errors=True)
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
