#!/usr/bin/env python3
"""fixture_server.py — the test and demo HTTP/1.1 server: serves the sites
sitegen.py generated (chosen by the Host header, or by an absolute request
target as a proxy would receive), with gzip, chunked responses, ETag /
Last-Modified and 304s, and the declared fault table tests/server/faults.json.
Logs every request as a JSON line. 127.0.0.1 only; stdlib only.

  fixture_server.py --root DIR [--generate PRESET] [--port 0] [--port-file F]
                    [--log F] [--faults FILE] [--max-seconds 300] [--nodelay]
                    [--write-conf OUT [--archive DIR] [--set KEY=VALUE]...]

Prints "PORT n" as its first stdout line (and writes n to --port-file). Exits
after --max-seconds, on SIGTERM or SIGINT. GET /__fixture/reset resets the
fault counters ("times"), GET /__fixture/ping answers "ok", GET
/__fixture/switch swaps --alt-root in (a later generation of the same hosts).

CMS endpoints (sitegen preset "cms"): a hanweb host answers jpage's POST
/module/web/jpage/dataproxy.jsp?startrecord=A&endrecord=B&perpage=P (form body
with the page's columnid, unitid, webid; 400 otherwise) with a datastore of
records A..B; a jsonapi host answers GET /api/list?channelId=C&pageNo=N&pageSize=S
with JSON (400 for another page size). POST bodies are logged ("body").

FAULT KINDS (faults.json "fault"): slow (wait `seconds`, then serve), trickle
(`bytes_per_second` for at most `seconds`), reset (RST after `after_bytes`),
truncate (Content-Length `declared`, close after `send` bytes), redirect_chain
(path-N -> path-N+1 ... -> `target` after `length`), big (`size` bytes, streamed;
`chunked`), gzip_bomb (`size` bytes of zeros gzip'd on the fly, about 1 KB per
MiB sent; Content-Encoding: gzip, or the body itself with `as_body`), gzip_twice
(an article page gzip'd twice under one Content-Encoding: gzip), png (an
image/png body), infinite (sitegen.render_infinite pages), repeat (`head`, then
`line` repeated, then `tail`: about `size` bytes of `content_type`, @ORIGIN@
substituted, streamed; with `gzip` Content-Encoding: gzip of that text),
cookie_gate (a request without the first of `cookies` (its name=value) is
answered 302 to the same URL with one Set-Cookie per entry of `cookies`;
one that has it is served normally: the set-cookie-and-redirect-to-itself
of some portals).
Without `fault`, an entry answers `status` with `headers` and `body` (@N@ in
the body: the number of this request to that host and path, 0 first).
The JSON log's "cookie" is the request's Cookie header (null without one).

SOAK OPTIONS (tests/bench/soak.sh; both off by default):
  --chaos P [--chaos-seed N]: a fraction P of the requests (not /__fixture/)
  gets a random fault: a 500/502/503, a connection reset after a few bytes, a
  slow answer (0.5-2.5 s before the body), or a truncated body (Content-Length
  twice what is sent). GET /__fixture/chaos?p=P changes P.
  --hide-newest N: the N newest expected articles of each host (truth
  "published") are not published yet: their pages answer 404 and every link
  to them (<a>, feed items and entries, sitemap <url>s, text sitemap lines) is
  taken out of the pages served. GET /__fixture/reveal?n=K publishes the K
  next-newest of each host (n=all: every one); GET /__fixture/visible answers
  the published expected paths as JSON {host: [path, ...]}."""

import argparse
import email.utils
import fnmatch
import gzip
import json
import os
import random
import re
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sitegen  # noqa: E402

TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml", "application/json",
              "application/javascript")
SERVER_HEADERS = {
    "zblog": [("Server", "nginx"), ("X-Powered-By", "PHP/7.4.33")],
    "wordpress": [("Server", "nginx/1.22.1"), ("X-Cache", "HIT")],
    "gov": [("Server", "Apache"), ("X-Frame-Options", "SAMEORIGIN")],
}


# ---------------------------------------------------------------------------
# Streamed bodies

def _gf2_times(mat, vec):
    s, i = 0, 0
    while vec:
        if vec & 1:
            s ^= mat[i]
        vec >>= 1
        i += 1
    return s


def _gf2_square(mat):
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1, crc2, len2):
    """zlib's crc32_combine: CRC of A+B from CRC(A), CRC(B), len(B)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


MIB = 1 << 20
_bomb = {}


def bomb_parts(size):
    """(head, block, nblocks, tail): a gzip member of `size` zero bytes is
    head + block * nblocks + tail; each block inflates to 1 MiB."""
    nblocks = max(1, size // MIB)
    if nblocks in _bomb:
        return _bomb[nblocks]
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    zero = bytes(MIB)
    block = co.compress(zero) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(zero) + co.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    end = co.flush(zlib.Z_FINISH)
    crc_block, crc, n, length = zlib.crc32(zero), None, nblocks, MIB
    # CRC of nblocks MiB of zeros by doubling.
    acc = crc_block
    while n:
        if n & 1:
            crc = acc if crc is None else crc32_combine(crc, acc, length)
        n >>= 1
        if n:
            acc = crc32_combine(acc, acc, length)
            length *= 2
    head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"
    tail = end + struct.pack("<II", crc & 0xFFFFFFFF, (nblocks * MIB) & 0xFFFFFFFF)
    _bomb[nblocks] = (head, block, nblocks, tail)
    return _bomb[nblocks]


def png_bytes(w=64, h=48):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(v for x in range(w) for v in (x * 4 % 256, y * 5 % 256, 128)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


BIG_BLOCK = ("<p>" + "大页面填充内容，用于测试抓取器的页面大小上限。" * 40 + "</p>\n").encode("utf-8")


# ---------------------------------------------------------------------------
# Server state

class State:
    def __init__(self, root, faults, log_path, stop):
        self.root = root
        with open(os.path.join(root, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.hosts = self.manifest["hosts"]
        self.faults = faults
        self.counters = {}
        self.lock = threading.Lock()
        self.cache = {}
        self.log = open(log_path, "a", encoding="utf-8") if log_path else None
        self.stop = stop
        self.port = 0
        self.alt_root = None
        self.chaos = 0.0
        self.chaos_rng = random.Random(1)
        self.hidden = {}      # host -> [path, ...] not yet published, oldest first
        self.hidden_re = {}   # host -> compiled regex matching a link to one of them
        self.reveal_time = 0  # Last-Modified of every page of a host with hidden articles

    def hide_newest(self, n):
        """Hides the n newest expected articles of every host."""
        for h in self.hosts:
            try:
                with open(os.path.join(self.root, h + ".truth.json"), encoding="utf-8") as f:
                    truth = json.load(f)
            except OSError:
                continue
            arts = truth.get("articles", {})
            exp = sorted(truth.get("expected", []), key=lambda p: arts.get(p, {}).get("published", ""))
            self.hidden[h] = exp[len(exp) - min(n, len(exp)):] if n > 0 else []
        self._hidden_changed()

    def reveal(self, k):
        with self.lock:
            for h in self.hidden:
                self.hidden[h] = self.hidden[h][:max(0, len(self.hidden[h]) - k)]
            self._hidden_changed()

    def _hidden_changed(self):
        self.reveal_time = int(time.time())
        self.hidden_re = {}
        for h, paths in self.hidden.items():
            keys = sorted({[x for x in p.split("/") if x][-1] for p in paths if p.strip("/")})
            if keys:
                alt = b"|".join(re.escape(k.encode()) for k in keys)
                self.hidden_re[h] = re.compile(rb"/(?:" + alt + rb")(?=[/\"'?#<\s&]|$)", re.M)

    def visible(self):
        out = {}
        for h in self.hosts:
            try:
                with open(os.path.join(self.root, h + ".truth.json"), encoding="utf-8") as f:
                    exp = json.load(f).get("expected", [])
            except OSError:
                continue
            hid = set(self.hidden.get(h, []))
            out[h] = [p for p in exp if p not in hid]
        return out

    def fault_for(self, host, path):
        if getattr(self, "faults_off", False):
            return None
        exact = [f for f in self.faults if f.get("path") == path and f.get("host", "*") in (host, "*")]
        if exact:
            return exact[0]
        pre = [f for f in self.faults if f.get("path_prefix") and path.startswith(f["path_prefix"])
               and f.get("host", "*") in (host, "*")]
        return pre[0] if pre else None

    def count(self, host, path):
        with self.lock:
            n = self.counters.get((host, path), 0)
            self.counters[(host, path)] = n + 1
            return n

    def file(self, host, path):
        """(bytes, mtime) of the generated file for path, or None."""
        key = (host, path)
        with self.lock:
            if key in self.cache:
                return self.cache[key]
        try:
            fp = sitegen.path_to_file(os.path.join(self.root, host), path)
        except ValueError:
            return None
        if os.path.isdir(fp):
            fp = os.path.join(fp, "index.html")
        try:
            st = os.stat(fp)
            with open(fp, "rb") as f:
                data = f.read()
        except OSError:
            return None
        val = (data, int(st.st_mtime))
        with self.lock:
            self.cache[key] = val
        return val

    def write_log(self, rec):
        if not self.log:
            return
        line = json.dumps(rec, ensure_ascii=False)
        with self.lock:
            self.log.write(line + "\n")
            self.log.flush()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30              # idle keep-alive connections and stalled writes
    st = None                 # State, set by main()

    def log_message(self, fmt, *args):   # the JSON log replaces stderr chatter
        pass

    def version_string(self):
        return self._server_name

    # -- entry points

    def do_GET(self):
        self._handle(head=False)

    def do_HEAD(self):
        self._handle(head=True)

    def do_POST(self):
        self._rec = self._new_rec()
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = -1
        if n < 0 or n > 65536:
            self.close_connection = True
            self._send_simple(413, b"bad Content-Length\n")
            return self._finish_rec()
        body = self.rfile.read(n).decode("utf-8", "replace")
        self._rec["body"] = body
        try:
            if self._route_post(body) is False:
                self.close_connection = True
                self._send_simple(405, b"method not allowed\n", [("Allow", "GET, HEAD")])
        except (BrokenPipeError, ConnectionResetError, socket.timeout, TimeoutError):
            self.close_connection = True
            self._rec["client_gone"] = True
        self._finish_rec()

    # -- CMS endpoints (sitegen preset "cms")

    def _route_post(self, body):
        """Hanweb jpage: POST /module/web/jpage/dataproxy.jsp?startrecord=A&endrecord=B&perpage=P
        with columnid, unitid and webid in the form body (as the column page
        gives them) answers a datastore of records A..B. False: not a CMS POST."""
        host, target = self._target()
        path, _, query = target.partition("?")
        e = self._entry
        if not e or e["template"] != "hanweb" or path != "/module/web/jpage/dataproxy.jsp":
            return False
        q = urllib.parse.parse_qs(query)
        f = urllib.parse.parse_qs(body)
        got = self.st.file(host, "/module/web/jpage/col%s.json" % (f.get("columnid") or ["x"])[0])
        try:
            a, b, per = (int(q[k][0]) for k in ("startrecord", "endrecord", "perpage"))
            col = json.loads(got[0]) if got else None
            if not col or (f.get("unitid") or [""])[0] != str(col["unitid"]) or \
                    (f.get("webid") or [""])[0] != str(col["webid"]) or a < 1 or b < a or per < 1:
                raise ValueError
        except (KeyError, ValueError, IndexError):
            return self._send_simple(400, b"<error>bad jpage request</error>\n", ctype="text/xml; charset=utf-8")
        recs = col["records"][a - 1:b]
        xml = ('<?xml version="1.0" encoding="utf-8"?><datastore><nextgroup><![CDATA[%s]]></nextgroup>'
               '<recordset>\n%s</recordset><totalrecord>%d</totalrecord></datastore>\n' % (
                   col["nextgroup"], "".join("<record><![CDATA[\n%s]]></record>\n" % r for r in recs),
                   len(col["records"])))
        return self._send_simple(200, xml.encode("utf-8"), ctype="text/xml; charset=utf-8")

    def _api_list(self, host, query):
        """GET /api/list?channelId=C&pageNo=N&pageSize=S of a jsonapi host:
        /api/list/C/N.json when S is the generated page size (400 else)."""
        q = urllib.parse.parse_qs(query)
        try:
            c, n, size = (int(q[k][0]) for k in ("channelId", "pageNo", "pageSize"))
            spec = self._entry["spec"]
            if size != spec["per_page"] or n < 1:
                raise ValueError
        except (KeyError, ValueError):
            return self._send_simple(400, b'{"code":400,"msg":"bad request"}\n', ctype="application/json; charset=utf-8")
        p = "/api/list/%d/%d.json" % (c, n)
        got = self.st.file(host, p)
        if got is None:
            empty = {"code": 0, "msg": "success", "data": {"total": 0, "pageNo": n, "pageSize": size, "list": []}}
            got = (json.dumps(empty).encode(), int(time.time()) - 86400)
        self._serve(p, got[0], got[1], "application/json; charset=utf-8")

    def _target(self):
        target = self.path
        host = (self.headers.get("Host") or "").strip().lower()
        if target.startswith("http://"):
            rest = target[7:]
            host, _, p = rest.partition("/")
            target = "/" + p
        host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        self._host = host
        self._rec["host"] = host
        self._rec["path"] = target
        self._entry = self.st.hosts.get(host)
        e = self._entry
        self._server_name = dict(SERVER_HEADERS.get(e["template"], [])).get("Server", "nginx") if e else "nginx"
        return host, target

    # -- helpers

    def _new_rec(self):
        h = self.headers
        return {"t": round(time.time(), 4), "method": self.command, "host": None, "path": self.path,
                "status": None, "bytes": 0, "fault": None,
                "if_none_match": h.get("If-None-Match"), "if_modified_since": h.get("If-Modified-Since"),
                "accept_encoding": h.get("Accept-Encoding"), "user_agent": h.get("User-Agent"),
                "conn": "%s:%d" % self.client_address[:2], "http": self.request_version,
                "cookie": h.get("Cookie")}

    def _finish_rec(self):
        r = self._rec
        r["dur"] = round(time.time() - r["t"], 4)
        self.st.write_log(r)

    def _origin(self):
        port = self.st.port
        return "http://%s%s" % (self._host, "" if port == 80 else ":%d" % port)

    def _subst(self, b):
        return b.replace(b"@ORIGIN@", self._origin().encode()).replace(b"@PORT@", str(self.st.port).encode())

    def _write(self, data):
        self.wfile.write(data)
        self._rec["bytes"] += len(data)

    def _send_headers(self, status, headers):
        self._rec["status"] = status
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()

    def _send_simple(self, status, body, headers=(), ctype="text/html; charset=utf-8"):
        hs = [("Content-Type", ctype), ("Content-Length", str(len(body)))] + list(headers)
        self._send_headers(status, hs)
        if self.command != "HEAD":
            self._write(body)

    def _handle(self, head):
        self._rec = self._new_rec()
        try:
            self._dispatch()
        except (BrokenPipeError, ConnectionResetError, socket.timeout, TimeoutError):
            self.close_connection = True
            self._rec["client_gone"] = True
        finally:
            self._finish_rec()

    def _dispatch(self):
        host, target = self._target()
        path = target.split("?", 1)[0].split("#", 1)[0]
        entry = self._entry
        self._server_name = dict(SERVER_HEADERS.get(entry["template"], [])).get("Server", "nginx") if entry else "nginx"
        if path.startswith("/__fixture/"):
            return self._control(path)
        if path in self.st.hidden.get(host, ()):
            return self._not_found()
        if self.st.chaos > 0:
            with self.st.lock:
                hit = self.st.chaos_rng.random() < self.st.chaos
                kind = self.st.chaos_rng.choice(("5xx", "reset", "slow", "truncate"))
                arg = self.st.chaos_rng.random()
            if hit:
                self._rec["fault"] = "chaos-" + kind
                if kind == "5xx":
                    return self._fault({"status": (500, 502, 503)[int(arg * 3)],
                                        "body": "<html><body><h1>Server Error</h1></body></html>"}, path)
                if kind == "reset":
                    return self._fault({"fault": "reset", "after_bytes": int(arg * 3000)}, path)
                if kind == "truncate":
                    return self._fault({"fault": "truncate"}, path)
                if self.st.stop.wait(0.5 + 2 * arg):
                    self.close_connection = True
                    return
        fault = self.st.fault_for(host, path)
        if fault is not None and fault.get("fault") == "cookie_gate":
            want = (fault.get("cookies") or ["gate=1"])[0].split(";", 1)[0].strip()
            have = [c.strip() for c in (self.headers.get("Cookie") or "").split(";")]
            if want not in have:
                self._rec["fault"] = "cookie_gate"
                hs = [("Location", self._origin() + target)]
                hs += [("Set-Cookie", c) for c in fault.get("cookies") or ["gate=1; Path=/"]]
                return self._send_simple(302, b"", hs)
            fault = None
        if fault is not None:
            times = fault.get("times")
            if times is None or self.st.count(host, path) < times:
                self._rec["fault"] = fault.get("fault") or "status-%s" % fault.get("status")
                return self._fault(fault, path)
        if entry is None:
            return self._send_simple(404, b"<html><body><h1>404 Not Found</h1><p>unknown host</p></body></html>\n")
        if path == "/robots.txt" and (entry.get("robots_status") or 200) != 200:
            s = entry["robots_status"]
            return self._send_simple(s, b"<html><body><h1>%d</h1></body></html>\n" % s)
        if entry["template"] == "jsonapi" and path == "/api/list":
            return self._api_list(host, target.partition("?")[2])
        got = self.st.file(host, path)
        if got is None:
            return self._not_found()
        data, mtime = got
        if host in self.st.hidden:  # pages change when articles are published
            mtime = max(mtime, self.st.reveal_time)
        self._serve(path, self._unlink_hidden(self._subst(data)), mtime)

    def _unlink_hidden(self, body):
        """body without the links to articles not published yet (--hide-newest)."""
        rx = self.st.hidden_re.get(self._host)
        if rx is None or not rx.search(body):
            return body
        def drop(m):
            return b"" if rx.search(m.group(0)) else m.group(0)
        body = re.sub(rb"<(item|url|entry)\b.*?</\1>", drop, body, flags=re.S)
        body = re.sub(rb"<a\b[^>]*>.*?</a>", drop, body, flags=re.S | re.I)
        return re.sub(rb"^[^<>\n]*\n?", drop, body, flags=re.M) if not body.lstrip().startswith(b"<") else body

    def _control(self, path):
        if path == "/__fixture/reset":
            with self.st.lock:
                self.st.counters.clear()
            return self._send_simple(200, b"reset\n", ctype="text/plain")
        if path == "/__fixture/switch":
            # --alt-root: serve the other generation from now on (cron tests)
            with self.st.lock:
                if self.st.alt_root:
                    self.st.root, self.st.alt_root = self.st.alt_root, self.st.root
                    with open(os.path.join(self.st.root, "manifest.json"), encoding="utf-8") as f:
                        self.st.manifest = json.load(f)
                    self.st.hosts = self.st.manifest["hosts"]
                    self.st.cache.clear()
            return self._send_simple(200, b"switched\n", ctype="text/plain")
        if path in ("/__fixture/faults-off", "/__fixture/faults-on"):
            self.st.faults_off = path.endswith("-off")   # every fault paused / back (a site that recovers)
            return self._send_simple(200, b"ok\n", ctype="text/plain")
        if path == "/__fixture/ping":
            return self._send_simple(200, b"ok\n", ctype="text/plain")
        q = dict(kv.partition("=")[::2] for kv in (self.path.split("?", 1) + [""])[1].split("&") if kv)
        if path == "/__fixture/chaos":
            self.st.chaos = float(q.get("p", "0"))
            return self._send_simple(200, b"chaos %g\n" % self.st.chaos, ctype="text/plain")
        if path == "/__fixture/reveal":
            self.st.reveal(1 << 30 if q.get("n") == "all" else int(q.get("n", "1")))
            return self._send_simple(200, json.dumps(self.st.visible()).encode(), ctype="application/json")
        if path == "/__fixture/visible":
            return self._send_simple(200, json.dumps(self.st.visible()).encode(), ctype="application/json")
        return self._send_simple(404, b"no such control\n", ctype="text/plain")

    def _not_found(self):
        e = self._entry
        body = ("<!DOCTYPE html><html><head><meta charset=\"%s\"><title>404 - 页面不存在</title></head>"
                "<body><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p><p><a href=\"/\">返回首页</a></p></body></html>\n"
                % (e["charset"] if e else "utf-8"))
        cs = e["charset"] if e else "utf-8"
        self._send_simple(404, body.encode(cs), ctype="text/html; charset=%s" % cs)

    def _ctype(self, path):
        e = self._entry
        ct = e["content_types"].get(path)
        if not ct:
            ext = os.path.splitext(path)[1].lower()
            ct = {".html": "text/html", ".htm": "text/html", ".php": "text/html", ".xml": "application/xml",
                  ".txt": "text/plain", ".json": "application/json", ".gz": "application/gzip",
                  ".jpg": "image/jpeg", ".png": "image/png"}.get(ext, "text/html" if path.endswith("/") or not ext else
                                                                  "application/octet-stream")
        if ct.startswith("text/html"):
            if e.get("header_charset", True):
                ct += "; charset=%s" % e["charset"]
        elif ct.startswith(("application/rss", "application/xml")):
            if path in e["content_types"]:      # a feed in the site's charset
                ct += "; charset=%s" % e["charset"]
        elif ct.startswith("text/"):
            ct += "; charset=utf-8"
        return ct

    def _wants_gzip(self):
        for part in (self.headers.get("Accept-Encoding") or "").split(","):
            tok, _, params = part.strip().partition(";")
            if tok.strip().lower() in ("gzip", "x-gzip", "*"):
                q = params.strip()
                if q.startswith("q="):
                    try:
                        return float(q[2:]) > 0
                    except ValueError:
                        return True
                return True
        return False

    def _chunked(self, path):
        pats = self._entry.get("chunked") or []
        return any(path == p if p.startswith("/") and "*" not in p else fnmatch.fnmatch(path, p) for p in pats)

    def _serve(self, path, body, mtime, ctype=None):
        """A generated page, with validators, 304s, gzip and chunking as the
        host's manifest entry says."""
        e = self._entry
        ctype = ctype or self._ctype(path)
        val = e.get("validators", "both")
        etag = '"%x-%x"' % (mtime, len(body))
        lm = email.utils.formatdate(mtime, usegmt=True)
        hs = [("Content-Type", ctype)] + [h for h in SERVER_HEADERS.get(e["template"], []) if h[0] != "Server"]
        if val in ("etag", "both"):
            hs.append(("ETag", None))
        if val in ("last-modified", "both"):
            hs.append(("Last-Modified", lm))
        gz = self._wants_gzip() and ctype.startswith(TEXT_TYPES)
        tag = ("W/" + etag) if gz else etag
        hs = [(k, tag if k == "ETag" else v) for k, v in hs]
        # Conditional requests (RFC 9110 13.2.2: If-None-Match wins over If-Modified-Since).
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None and val in ("etag", "both"):
            tags = [t.strip() for t in inm.split(",")]
            not_modified = "*" in tags or any(t.replace("W/", "", 1) == etag for t in tags)
        elif inm is None and ims and val in ("last-modified", "both"):
            try:
                not_modified = email.utils.parsedate_to_datetime(ims).timestamp() >= mtime
            except (TypeError, ValueError, IndexError):
                not_modified = False
        if not_modified:
            self._send_headers(304, [h for h in hs if h[0] in ("ETag", "Last-Modified")] +
                               ([("Vary", "Accept-Encoding")] if gz else []))
            return
        if gz:
            body = gzip.compress(body, 6, mtime=0)
            hs += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        if self._chunked(path):
            self._send_headers(200, hs + [("Transfer-Encoding", "chunked")])
            if self.command != "HEAD":
                self._write_chunked(body)
        else:
            self._send_headers(200, hs + [("Content-Length", str(len(body)))])
            if self.command != "HEAD":
                self._write(body)

    def _write_chunked(self, body, sizes=(4000, 8192, 1500, 16384)):
        i, k = 0, 0
        while i < len(body):
            c = body[i:i + sizes[k % len(sizes)]]
            self._write(b"%x\r\n" % len(c) + c + b"\r\n")
            i += len(c)
            k += 1
        self._write(b"0\r\n\r\n")

    def _page_or_placeholder(self, path):
        got = self.st.file(self._host, path) if self._entry else None
        if got:
            return self._unlink_hidden(self._subst(got[0]))
        return ("<html><head><meta charset=\"utf-8\"><title>fault</title></head><body>" +
                "<p>用于故障测试的页面内容。</p>" * 400 + "</body></html>\n").encode("utf-8")

    # -- faults

    def _fault(self, f, path):
        kind = f.get("fault")
        st = self.st
        if kind is None:
            status = int(f.get("status", 500))
            body = self._subst(f.get("body", "").encode("utf-8"))
            if b"@N@" in body:  # a page that changes on every request (a counter, a token)
                body = body.replace(b"@N@", str(self.st.count(self._host, "@N@" + path)).encode())
            hs = [(k, self._subst(v.encode()).decode()) for k, v in (f.get("headers") or {}).items()]
            ctype = dict((k.lower(), v) for k, v in hs).get("content-type", "text/html; charset=utf-8")
            hs = [h for h in hs if h[0].lower() != "content-type"]
            return self._send_simple(status, body, hs, ctype)
        if kind == "slow":
            if st.stop.wait(float(f.get("seconds", 60))):
                self.close_connection = True
                return
            body = self._page_or_placeholder(path)
            return self._send_simple(200, body)
        if kind == "trickle":
            body = self._page_or_placeholder(path)
            self._send_headers(200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
            rate = max(1, int(f.get("bytes_per_second", 10)))
            end = time.time() + float(f.get("seconds", 120))
            i = 0
            while i < len(body) and time.time() < end:
                self._write(body[i:i + rate])
                i += rate
                if st.stop.wait(1.0):
                    break
            self.close_connection = True
            return
        if kind == "reset":
            body = self._page_or_placeholder(path)
            self._send_headers(200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
            self._write(body[:int(f.get("after_bytes", 1000))])
            self.wfile.flush()
            time.sleep(0.05)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if kind == "truncate":
            body = self._page_or_placeholder(path)
            declared = int(f.get("declared", len(body) * 2))
            send = int(f.get("send", len(body) // 2))
            while len(body) < send:
                body += BIG_BLOCK
            self._send_headers(200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(declared))])
            self._write(body[:send])
            self.wfile.flush()
            try:
                self.connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            self.close_connection = True
            return
        if kind == "redirect_chain":
            n = 1
            stem = path.rsplit("-", 1)
            try:
                n = int(stem[1].split(".")[0])
            except (IndexError, ValueError):
                pass
            length = int(f.get("length", 8))
            loc = "%s-%d.html" % (stem[0], n + 1) if n < length else f.get("target", "/")
            return self._send_simple(302, b"", [("Location", self._origin() + loc)])
        if kind == "big":
            size = int(f.get("size", 50 * MIB))
            head = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>big</title></head><body>\n"
            tail = b"</body></html>\n"
            chunked = f.get("chunked")
            hs = [("Content-Type", "text/html; charset=utf-8")]
            hs.append(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(size)))
            self._send_headers(200, hs)
            if self.command == "HEAD":
                return
            left = size - len(head) - len(tail)
            out = [head]
            while left > 0:
                blk = BIG_BLOCK * 8
                blk = blk[:left]
                out.append(blk)
                left -= len(blk)
                if left <= 0:
                    out.append(tail)
                data = b"".join(out)
                out = []
                self._write(b"%x\r\n" % len(data) + data + b"\r\n" if chunked else data)
                if st.stop.is_set():
                    self.close_connection = True
                    return
            if chunked:
                self._write(b"0\r\n\r\n")
            return
        if kind == "gzip_bomb":
            head, block, nblocks, tail = bomb_parts(int(f.get("size", 4096 * MIB)))
            total = len(head) + len(block) * nblocks + len(tail)
            if f.get("as_body"):
                hs = [("Content-Type", "application/gzip")]
            else:
                hs = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")]
            self._send_headers(200, hs + [("Content-Length", str(total))])
            if self.command == "HEAD":
                return
            self._write(head)
            group = 64
            for i in range(0, nblocks, group):
                self._write(block * min(group, nblocks - i))
                if st.stop.is_set():
                    self.close_connection = True
                    return
            self._write(tail)
            return
        if kind == "gzip_twice":
            # A real-looking article page, gzip'd twice under one Content-Encoding: gzip.
            page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body>"
                    "<div class=\"content\"><h1>%s</h1>%s</div></body></html>" % (
                        f.get("title", "gzip"), f.get("title", "gzip"),
                        "<p>记者从天津港集团获悉，今年一季度，天津港完成货物吞吐量1.2亿吨，同比增长5.3%。</p>" * 40))
            body = gzip.compress(gzip.compress(page.encode("utf-8"), 6, mtime=0), 6, mtime=0)
            return self._send_simple(200, body, [("Content-Encoding", "gzip")])
        if kind == "png":
            return self._send_simple(200, PNG, [], "image/png")
        if kind == "repeat":
            return self._repeat(f)
        if kind == "infinite":
            e = self._entry
            got = sitegen.render_infinite(e["spec"], st.manifest["now"], path) if e else None
            if got is None:
                return self._not_found()
            html_, cs = got
            body = self._subst(html_.encode(cs))
            # Each page is as new as the server: validators would never match.
            return self._serve(path, body, int(time.time()), "text/html; charset=%s" % cs)
        return self._send_simple(500, b"unknown fault kind\n", ctype="text/plain")

    def _repeat(self, f):
        """The `repeat` fault: a large generated text (a robots.txt or sitemap
        over some cap), streamed as it is written unless gzip-coded."""
        head = self._subst(f.get("head", "").encode("utf-8"))
        line = self._subst(f.get("line", "\n").encode("utf-8")) or b"\n"
        tail = self._subst(f.get("tail", "").encode("utf-8"))
        count = max(0, (int(f.get("size", MIB)) - len(head) - len(tail)) // len(line))
        per = max(1, (64 << 10) // len(line))
        ctype = f.get("content_type", "text/plain; charset=utf-8")
        if f.get("gzip"):
            co = zlib.compressobj(6, zlib.DEFLATED, 31)
            parts = [co.compress(head)]
            for i in range(0, count, per):
                parts.append(co.compress(line * min(per, count - i)))
            parts += [co.compress(tail), co.flush()]
            return self._send_simple(200, b"".join(parts), [("Content-Encoding", "gzip")], ctype)
        self._send_headers(200, [("Content-Type", ctype),
                                 ("Content-Length", str(len(head) + len(line) * count + len(tail)))])
        if self.command == "HEAD":
            return
        self._write(head)
        for i in range(0, count, per):
            self._write(line * min(per, count - i))
            if self.st.stop.is_set():
                self.close_connection = True
                return
        self._write(tail)


PNG = png_bytes()


def write_conf(state, out, archive, sets):
    """A complete sites.conf for the generated hosts on this server's port."""
    port = state.port
    with open(os.path.join(state.root, "sites.conf.in"), encoding="utf-8") as f:
        sections = f.read().replace("@PORT@", str(port))
    glob = [("archive", archive), ("user_agent", "newsarc-test/0.1 (+mailto:tests@newsarc.test)"),
            ("concurrency", "8"), ("per_host_connections", "1"), ("delay", "0"), ("connect_timeout", "5"),
            ("timeout", "20"), ("low_speed_time", "10"), ("retries", "2"), ("robots", "yes")]
    for kv in sets:
        k, _, v = kv.partition("=")
        glob = [(a, b) for a, b in glob if a != k.strip()] + [(k.strip(), v.strip())]
    lines = ["# Written by fixture_server.py for the server on 127.0.0.1:%d." % port, "[newsarc]"]
    lines += ["%s = %s" % kv for kv in glob]
    for h in list(state.hosts) + ["offscope.newsarc.test"]:
        lines.append("resolve = %s:%d:127.0.0.1" % (h, port))
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n\n" + sections)
    os.replace(tmp, out)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Serve sitegen sites with faults (tests and demo).")
    ap.add_argument("--root", required=True, help="folder written by sitegen.py")
    ap.add_argument("--generate", metavar="PRESET", help="run sitegen.py --preset PRESET into --root first, if it has no manifest.json")
    ap.add_argument("--now", help="sitegen --now, with --generate")
    ap.add_argument("--alt-root", help="another sitegen folder (same hosts) that GET /__fixture/switch swaps in")
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 = ephemeral (default)")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--log", help="append one JSON line per request here")
    ap.add_argument("--faults", action="append", help="fault table JSON (default tests/server/faults.json); repeatable")
    ap.add_argument("--no-faults", action="store_true", help="serve the sites only")
    ap.add_argument("--max-seconds", type=float, default=300)
    ap.add_argument("--write-conf", metavar="OUT", help="write a sites.conf for this server")
    ap.add_argument("--archive", default="archive", help="archive = ... in --write-conf")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="[newsarc] key in --write-conf")
    ap.add_argument("--nodelay", action="store_true",
                    help="TCP_NODELAY: no 40 ms delayed-ACK stall per response (heads and bodies are separate writes)")
    ap.add_argument("--chaos", type=float, default=0.0, metavar="P",
                    help="a random fault (5xx, reset, slow, truncation) for a fraction P of requests")
    ap.add_argument("--chaos-seed", type=int, default=1)
    ap.add_argument("--hide-newest", type=int, default=0, metavar="N",
                    help="the N newest expected articles of each host are unpublished until /__fixture/reveal")
    a = ap.parse_args(argv)

    if a.bind not in ("127.0.0.1", "localhost", "::1"):
        ap.error("--bind: loopback only")
    if a.generate and not os.path.exists(os.path.join(a.root, "manifest.json")):
        sitegen.write_sites(sitegen.preset(a.generate), a.root, sitegen.parse_now(a.now), quiet=True)
    faults = []
    if not a.no_faults:
        for fp in a.faults or [os.path.join(HERE, "faults.json")]:
            with open(fp, encoding="utf-8") as f:
                faults += json.load(f)["faults"]
    stop = threading.Event()
    state = State(a.root, faults, a.log, stop)
    state.alt_root = a.alt_root
    state.chaos = a.chaos
    state.chaos_rng = random.Random(a.chaos_seed)
    if a.hide_newest:
        state.hide_newest(a.hide_newest)
    Handler.st = state
    Handler.disable_nagle_algorithm = a.nodelay
    try:
        srv = Server((a.bind, a.port), Handler)
    except OSError as e:
        print("fixture_server: cannot listen on %s:%d: %s" % (a.bind, a.port, e.strerror), file=sys.stderr)
        return 1
    state.port = srv.server_address[1]
    if a.write_conf:
        write_conf(state, a.write_conf, a.archive, a.set)
    print("PORT %d" % state.port, flush=True)
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % state.port)
        os.replace(tmp, a.port_file)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    t.start()
    stop.wait(a.max_seconds)
    stop.set()
    srv.shutdown()
    srv.server_close()
    if state.log:
        state.log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
