#!/usr/bin/env python3
"""The alternative the benchmark compares against: a native messaging host written in Python
(standard library only), doing the least the same requests need. `hello` answers a fixed
object; `inspect` fetches the printer's certificate over TLS without verifying it and hashes it
(no judging, no ePOS probe: less work than epos-trust does, so the comparison favours Python).
"""
import hashlib
import json
import socket
import ssl
import struct
import sys
from urllib.parse import urlsplit


def read_frame(stream):
    header = stream.read(4)
    if len(header) < 4:
        return None
    (length,) = struct.unpack("=I", header)
    return stream.read(length)


def write_frame(stream, obj):
    body = json.dumps(obj).encode()
    stream.write(struct.pack("=I", len(body)) + body)
    stream.flush()


def inspect(url):
    parts = urlsplit(url)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((parts.hostname, parts.port or 443), timeout=3) as raw:
        with context.wrap_socket(raw) as tls:
            der = tls.getpeercert(binary_form=True)
            version = tls.version()
    return {"certificate": {"sha256": hashlib.sha256(der).hexdigest()}, "tls": {"version": version}}


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        body = read_frame(stdin)
        if body is None:
            return 0
        request = json.loads(body)
        if request.get("cmd") == "hello":
            result = {"name": "python-host", "protocol": 1}
        elif request.get("cmd") == "inspect":
            result = inspect(request["url"])
        else:
            write_frame(stdout, {"id": request.get("id"), "ok": False, "error": {"code": "unknown_command"}})
            continue
        write_frame(stdout, {"id": request.get("id"), "ok": True, "result": result})


if __name__ == "__main__":
    sys.exit(main())
