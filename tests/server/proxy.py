#!/usr/bin/env python3
"""proxy.py — a small proxy for the network tests (stdlib only), on 127.0.0.1.

Modes:
  --mode http    an HTTP proxy: absolute-form requests ("GET http://host/…")
                 are forwarded (with Connection: close, the answer relayed
                 until the server closes), CONNECT host:port opens a tunnel
                 (for https).
  --mode socks5  a SOCKS5 proxy (RFC 1928): CONNECT to a name (ATYP 3, as
                 socks5h:// sends) or an IPv4 address; user/password
                 authentication (RFC 1929) when --auth is given.

Every upstream connection goes to --connect-to (default 127.0.0.1) at the
port asked for, whatever the name: the test hosts (*.newsarc.test) resolve
nowhere else, so a request that reached the server went through the proxy.

--auth USER:PASSWORD makes credentials required (HTTP: Proxy-Authorization:
Basic, else 407; SOCKS5: method 2, else refused). The log (--log, one JSON
line per request) says what was asked and whether the credentials matched;
it never holds the credentials themselves.

First stdout line "PORT n"; --port-file is written atomically; exits after
--max-seconds.
"""
import argparse
import base64
import json
import os
import select
import socket
import socketserver
import struct
import sys
import threading
import time

ARGS = None
LOG_LOCK = threading.Lock()


def log(**rec):
    if not ARGS.log:
        return
    rec["t"] = time.time()
    with LOG_LOCK, open(ARGS.log, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec) + "\n")


def relay(a, b, first=b""):
    """Copies both ways between sockets a and b until one side closes (bounded by --max-seconds)."""
    if first:
        b.sendall(first)
    socks = [a, b]
    deadline = time.time() + ARGS.max_seconds
    while time.time() < deadline:
        r, _, _ = select.select(socks, [], [], 1.0)
        for s in r:
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if not data:
                return
            (b if s is a else a).sendall(data)


def upstream(port):
    return socket.create_connection((ARGS.connect_to, port), timeout=10)


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > 1 << 20:
            return None, b""
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


class HTTPProxy(socketserver.BaseRequestHandler):
    def handle(self):
        c = self.request
        c.settimeout(30)
        head, rest = read_head(c)
        if head is None:
            return
        lines = head.split("\r\n")
        method, target, version = (lines[0].split(" ") + ["", ""])[:3]
        fields = [l.split(":", 1) for l in lines[1:] if ":" in l]
        auth_ok = True
        if ARGS.auth:
            want = "Basic " + base64.b64encode(ARGS.auth.encode()).decode()
            got = [v.strip() for k, v in fields if k.strip().lower() == "proxy-authorization"]
            auth_ok = bool(got) and got[0] == want
        log(mode="http", method=method, target=target, auth=(auth_ok if ARGS.auth else None))
        if not auth_ok:
            c.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                      b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            try:
                u = upstream(int(port))
            except (OSError, ValueError):
                c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with u:
                relay(c, u, rest)
            return
        if not target.startswith("http://"):
            c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        hostport, _, path = target[7:].partition("/")
        port = int(hostport.rpartition(":")[2]) if ":" in hostport else 80
        keep = [(k, v) for k, v in fields
                if k.strip().lower() not in ("proxy-authorization", "proxy-connection", "connection")]
        req = "%s /%s %s\r\n" % (method, path, version)
        req += "".join("%s:%s\r\n" % (k, v) for k, v in keep) + "Connection: close\r\n\r\n"
        try:
            u = upstream(port)
        except OSError:
            c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        with u:
            u.sendall(req.encode("latin-1") + rest)
            # the answer until the server closes; the client sees the close
            deadline = time.time() + ARGS.max_seconds
            while time.time() < deadline:
                data = u.recv(65536)
                if not data:
                    break
                c.sendall(data)


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


class SOCKS5Proxy(socketserver.BaseRequestHandler):
    def handle(self):
        c = self.request
        c.settimeout(30)
        try:
            ver, nm = recv_exact(c, 2)
            methods = recv_exact(c, nm)
            if ver != 5:
                return
            auth_ok = None
            if ARGS.auth:
                if 2 not in methods:
                    c.sendall(b"\x05\xff")
                    log(mode="socks5", target=None, auth=False)
                    return
                c.sendall(b"\x05\x02")
                _, ul = recv_exact(c, 2)
                user = recv_exact(c, ul)
                (pl,) = recv_exact(c, 1)
                pw = recv_exact(c, pl)
                auth_ok = (user + b":" + pw).decode("latin-1") == ARGS.auth
                c.sendall(b"\x01\x00" if auth_ok else b"\x01\x01")
                if not auth_ok:
                    log(mode="socks5", target=None, auth=False)
                    return
            else:
                if 0 not in methods:
                    c.sendall(b"\x05\xff")
                    return
                c.sendall(b"\x05\x00")
            ver, cmd, _, atyp = recv_exact(c, 4)
            if atyp == 1:
                host = socket.inet_ntoa(recv_exact(c, 4))
                kind = "ipv4"
            elif atyp == 3:
                (n,) = recv_exact(c, 1)
                host = recv_exact(c, n).decode("latin-1")
                kind = "name"
            elif atyp == 4:
                host = socket.inet_ntop(socket.AF_INET6, recv_exact(c, 16))
                kind = "ipv6"
            else:
                return
            (port,) = struct.unpack("!H", recv_exact(c, 2))
            log(mode="socks5", target="%s:%d" % (host, port), atyp=kind, auth=auth_ok)
            if cmd != 1:
                c.sendall(b"\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00")
                return
            try:
                u = upstream(port)
            except OSError:
                c.sendall(b"\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00")
                return
            c.sendall(b"\x05\x00\x00\x01\x7f\x00\x00\x01" + struct.pack("!H", port))
            with u:
                relay(c, u)
        except (EOFError, OSError, ValueError):
            return


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=("http", "socks5"), required=True)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--auth", metavar="USER:PASSWORD")
    ap.add_argument("--connect-to", default="127.0.0.1")
    ap.add_argument("--max-seconds", type=float, default=120)
    ARGS = ap.parse_args()
    srv = Server(("127.0.0.1", 0), HTTPProxy if ARGS.mode == "http" else SOCKS5Proxy)
    port = srv.server_address[1]
    print("PORT %d" % port, flush=True)
    if ARGS.port_file:
        tmp = ARGS.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, ARGS.port_file)
    threading.Timer(ARGS.max_seconds, lambda: os._exit(0)).start()
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
