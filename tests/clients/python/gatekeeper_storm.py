"""Hostile and canary clients for the gatekeeper, over raw sockets (standard library only).
Run by tests/integration/gatekeeper_robustness_test.sh. Subcommands:
  canary-http PORT TOKEN N INTERVAL OUT     valid POST /v1/query, alternating keep-alive / new conn
  canary-mysql PORT USER PW N INTERVAL OUT  valid COM_QUERY point selects on one front session
  slowloris PORT N HEADER_TIMEOUT_S OUT     N slow-head + N/20 slow-body clients, silent, aborted
  http-bad PORT TOKEN OUT                   malformed HTTP, bad JSON, huge heads/bodies, TLS, floods
  mysql-bad PORT USER PW OUT                junk on the MySQL front, before and after a login
Each writes JSON lines to OUT: one per check {"probe", "ok", "detail", ...} (canaries: one per
request, with its latency) and a final {"summary": ...} line with the figures the test compares
with the gatekeeper's counters. Failed checks are also printed as "FAIL: ..." on stderr.
Every loop is bounded in count and time; only 127.0.0.1 is contacted.
"""
import hashlib
import http.client
import json
import os
import select
import socket
import struct
import sys
import time

HOST = "127.0.0.1"
FORGE_MARKER = os.environ.get("GK_FORGE_MARKER", "GK-FORGED-LINE")


class Out:
    def __init__(self, path):
        self.f = open(path, "w", buffering=1)

    def rec(self, probe, ok, detail="", **kw):
        row = {"probe": probe, "ok": bool(ok), "detail": detail}
        row.update(kw)
        self.f.write(json.dumps(row) + "\n")
        print(("ok: " if ok else "FAIL: ") + probe + (": " + detail if detail else ""),
              file=sys.stderr if not ok else sys.stdout, flush=True)


def connect(port, timeout=10):
    s = socket.create_connection((HOST, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_until_close(s, limit):
    """Reads until EOF/RST or `limit` seconds. -> (bytes, how: eof|rst|open, seconds)."""
    s.settimeout(0.2)
    out = b""
    t0 = time.monotonic()
    while True:
        left = limit - (time.monotonic() - t0)
        if left <= 0:
            return out, "open", time.monotonic() - t0
        s.settimeout(min(left, 0.5))
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return out, "rst", time.monotonic() - t0
        if not d:
            return out, "eof", time.monotonic() - t0
        out += d


def parse_responses(data, complete_only=False):
    """Splits raw HTTP/1.x responses (Content-Length framed). -> [(status, body_bytes)];
    garbage gives (None, first bytes). With complete_only, an incomplete last one is left out."""
    res = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0 or not data.startswith(b"HTTP/1."):
            if not complete_only:
                res.append((None, data[:200]))
            break
        head = data[:end].decode("latin-1")
        try:
            status = int(head.split(" ", 2)[1])
        except (IndexError, ValueError):
            res.append((None, data[:200]))
            break
        length = 0
        for line in head.split("\r\n")[1:]:
            k, _, v = line.partition(":")
            if k.strip().lower() == "content-length":
                length = int(v.strip())
        if complete_only and len(data) < end + 4 + length:
            break
        res.append((status, data[end + 4:end + 4 + length]))
        data = data[end + 4 + length:]
    return res


def read_responses(s, count, limit=5):
    """Reads until `count` complete responses arrived, the peer closed, or `limit` s."""
    s.settimeout(limit)
    raw = b""
    t0 = time.monotonic()
    while len(parse_responses(raw, True)) < count and time.monotonic() - t0 < limit:
        try:
            d = s.recv(65536)
        except (socket.timeout, ConnectionResetError):
            break
        if not d:
            break
        raw += d
    return parse_responses(raw, True)


def err_message(body):
    try:
        return json.loads(body)["error"]["message"]
    except Exception:  # noqa: BLE001 - any unparsable body
        return None


def pct(values, p):
    v = sorted(values)
    if not v:
        return None
    k = max(0, min(len(v) - 1, int(-(-p * len(v) // 100)) - 1))
    return v[k]


# ------------------------------------------------------------------------------ canaries
def point_body(i):
    return json.dumps({"sql": "SELECT actor_id, first_name FROM actor WHERE actor_id = ?",
                       "params": [i], "strategy": "random"})


def canary_http(port, token, n, interval, path):
    out = Out(path)
    deadline = time.monotonic() + 60
    keep = None
    lat = []
    fails = 0
    for k in range(n):
        actor = k % 200 + 1
        mode = "keepalive" if k % 2 == 0 else "new"
        t0 = time.monotonic()
        status, err = None, ""
        try:
            if time.monotonic() > deadline:
                raise RuntimeError("canary deadline (60 s) passed")
            if mode == "keepalive":
                if keep is None:
                    keep = http.client.HTTPConnection(HOST, port, timeout=5)
                conn = keep
            else:
                conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("POST", "/v1/query", point_body(actor),
                         {"Authorization": "Bearer " + token, "Content-Type": "application/json",
                          **({"Connection": "close"} if mode == "new" else {})})
            r = conn.getresponse()
            body = r.read()
            status = r.status
            if mode == "new":
                conn.close()
            doc = json.loads(body)
            if status != 200 or doc["rows"][0][0] != actor:
                err = f"status {status}: {body[:200]!r}"
        except Exception as e:  # noqa: BLE001 - every failure is recorded
            err = f"{type(e).__name__}: {e}"
            if mode == "keepalive" and keep is not None:
                keep.close()
                keep = None
        ms = (time.monotonic() - t0) * 1000
        lat.append(ms)
        if err:
            fails += 1
            out.rec(f"canary-http #{k} ({mode})", False, err, latency_ms=ms)
        else:
            out.f.write(json.dumps({"probe": "canary-http", "ok": True, "i": k, "mode": mode,
                                    "latency_ms": round(ms, 3)}) + "\n")
        time.sleep(max(0.0, interval - (time.monotonic() - t0)))
    out.f.write(json.dumps({"summary": "canary-http", "n": n, "fails": fails,
                            "p50": pct(lat, 50), "p99": pct(lat, 99), "max": max(lat)}) + "\n")


def scramble(pw, nonce):
    h1 = hashlib.sha1(pw.encode()).digest()
    h2 = hashlib.sha1(h1).digest()
    h3 = hashlib.sha1(nonce + h2).digest()
    return bytes(a ^ b for a, b in zip(h1, h3))


class MyConn:
    """Just enough of a MySQL client: greeting, mysql_native_password login, COM_QUERY."""

    def __init__(self, port, timeout=10):
        self.s = connect(port, timeout)
        self.buf = b""
        self.seq, g = self.read()
        if g[0] != 10:
            raise RuntimeError(f"not a v10 greeting: {g[:40]!r}")
        i = g.index(b"\0", 1) + 1 + 4
        n1 = g[i:i + 8]
        i += 9 + 2 + 1 + 2 + 2
        alen = g[i]
        i += 1 + 10
        n2 = g[i:i + max(13, alen - 8) - 1]
        self.nonce = n1 + n2

    def login(self, user, pw, db=None):
        caps = 0x1 | 0x4 | 0x200 | 0x2000 | 0x8000 | 0x10000 | 0x80000 | (0x8 if db else 0)
        auth = scramble(pw, self.nonce) if pw else b""
        p = struct.pack("<IIB", caps, 1 << 24, 45) + b"\0" * 23 + user.encode() + b"\0"
        p += bytes([len(auth)]) + auth + ((db.encode() + b"\0") if db else b"")
        p += b"mysql_native_password\0"
        self.send(p, self.seq + 1)
        _, r = self.read()
        return r

    def send(self, payload, seq=0):
        self.s.sendall(struct.pack("<I", len(payload))[:3] + bytes([seq & 255]) + payload)

    def read(self):
        while len(self.buf) < 4 or len(self.buf) < 4 + int.from_bytes(self.buf[:3], "little"):
            d = self.s.recv(65536)
            if not d:
                raise EOFError("connection closed")
            self.buf += d
        n = int.from_bytes(self.buf[:3], "little")
        seq, p = self.buf[3], self.buf[4:4 + n]
        self.buf = self.buf[4 + n:]
        return seq, p

    def query(self, sql):
        """-> ("ok"|"err"|"rows", payload or [row payloads])."""
        self.send(b"\x03" + sql.encode())
        _, p = self.read()
        if p[0] == 0x00:
            return "ok", p
        if p[0] == 0xFF:
            return "err", p
        rows, eofs = [], 0
        while True:
            _, q = self.read()
            if q[0] == 0xFE and len(q) < 9:
                eofs += 1
                if eofs == 2:
                    return "rows", rows
            elif q[0] == 0xFF:
                return "err", q
            elif eofs == 1:
                rows.append(q)

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def err_text(p):
    """errno and message of an ERR payload."""
    if not p or p[0] != 0xFF:
        return None, None
    code = struct.unpack("<H", p[1:3])[0]
    msg = p[3:]
    if msg[:1] == b"#":
        msg = msg[6:]
    return code, msg.decode("utf-8", "replace")


def first_col(row):
    n = row[0]
    return row[1:1 + n].decode()


def canary_mysql(port, user, pw, n, interval, path):
    out = Out(path)
    deadline = time.monotonic() + 60
    lat, fails = [], 0
    conn = None
    for k in range(n):
        actor = k % 200 + 1
        t0 = time.monotonic()
        err = ""
        try:
            if time.monotonic() > deadline:
                raise RuntimeError("canary deadline (60 s) passed")
            if conn is None:
                conn = MyConn(port, timeout=5)
                r = conn.login(user, pw)
                if r[0] != 0:
                    raise RuntimeError(f"login: {err_text(r)}")
            kind, rows = conn.query(f"SELECT actor_id FROM actor WHERE actor_id = {actor}")
            if kind != "rows" or len(rows) != 1 or first_col(rows[0]) != str(actor):
                err = f"{kind}: {rows if kind == 'rows' else err_text(rows)}"
        except Exception as e:  # noqa: BLE001
            err = f"{type(e).__name__}: {e}"
            if conn:
                conn.close()
            conn = None
        ms = (time.monotonic() - t0) * 1000
        lat.append(ms)
        if err:
            fails += 1
            out.rec(f"canary-mysql #{k}", False, err, latency_ms=ms)
        else:
            out.f.write(json.dumps({"probe": "canary-mysql", "ok": True, "i": k,
                                    "latency_ms": round(ms, 3)}) + "\n")
        time.sleep(max(0.0, interval - (time.monotonic() - t0)))
    if conn:
        conn.send(b"\x01")
        conn.close()
    out.f.write(json.dumps({"summary": "canary-mysql", "n": n, "fails": fails,
                            "p50": pct(lat, 50), "p99": pct(lat, 99), "max": max(lat)}) + "\n")


# ------------------------------------------------------------------------------ slow clients
def slowloris(port, n, header_timeout, path):
    """n clients send a request head one byte per second; n//20 send a whole head and then the
    body one byte per second. The server must close each within header_timeout of its first
    byte (plus slack), without answering. Also: silent connections (no byte at all) and abortive
    closes, held during the storm; silent ones must not be answered."""
    out = Out(path)
    head = (b"POST /v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"X-Slow: " + b"s" * 200 + b"\r\n\r\n")
    body_head = b"POST /v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200\r\n\r\n"
    clients = []  # dicts: sock, data, pos, first (time of first byte), closed, how, got
    n_body = max(1, n // 20)
    for k in range(n + n_body):
        try:
            s = connect(port)
        except OSError as e:
            out.rec(f"slowloris connect #{k}", False, str(e))
            continue
        s.setblocking(False)
        if k < n:
            clients.append({"sock": s, "data": head, "pos": 0, "kind": "head"})
        else:
            s.sendall(body_head)  # the head at once, then the body byte by byte
            clients.append({"sock": s, "data": b"{" * 200, "pos": 0, "kind": "body",
                            "first": time.monotonic()})
    silent = []
    for k in range(20):
        try:
            silent.append(connect(port))
        except OSError as e:
            out.rec(f"silent connect #{k}", False, str(e))
    # abortive: a partial request, then RST (SO_LINGER 0)
    for k in range(20):
        s = connect(port)
        s.sendall(b"POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"sql\":")
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    start = time.monotonic()
    limit = header_timeout + 15
    next_send = start
    open_ = {c["sock"].fileno(): c for c in clients}
    while open_ and time.monotonic() - start < limit:
        now = time.monotonic()
        if now >= next_send:
            for c in list(open_.values()):
                if c["pos"] < len(c["data"]):
                    try:
                        c["sock"].send(c["data"][c["pos"]:c["pos"] + 1])
                        if c["pos"] == 0 and "first" not in c:
                            c["first"] = time.monotonic()
                        c["pos"] += 1
                    except (BrokenPipeError, ConnectionResetError):
                        c["closed"] = time.monotonic()
                        c["how"] = "rst(send)"
                        del open_[c["sock"].fileno()]
            next_send += 1.0
        socks = [c["sock"] for c in open_.values()]
        if not socks:
            break
        r, _, _ = select.select(socks, [], [], max(0.0, min(0.1, next_send - time.monotonic())))
        for s in r:
            c = open_.get(s.fileno())
            if c is None:
                continue
            try:
                d = s.recv(4096)
            except BlockingIOError:
                continue
            except ConnectionResetError:
                d, c["how"] = b"", "rst"
            if d:
                c["got"] = c.get("got", b"") + d
                continue
            c.setdefault("how", "eof")
            c["closed"] = time.monotonic()
            del open_[s.fileno()]
    cut, early, late, answered = [], [], [], []
    for c in clients:
        if "closed" not in c:
            late.append(c)
            continue
        t = c["closed"] - c["first"]
        cut.append(t)
        if t < header_timeout - 0.5:
            early.append((c["kind"], round(t, 2)))
        if t > header_timeout + 4:
            late.append(c)
        if c.get("got"):
            answered.append(c["got"][:80])
    heads = sum(1 for c in clients if c["kind"] == "head")
    bodies = len(clients) - heads
    out.rec(f"slowloris: {heads} slow heads + {bodies} slow bodies cut off by the server",
            not late and len(clients) == n + n_body,
            f"{len(cut)} closed, {len(late)} still open or closed late (> {header_timeout + 4:.0f} s "
            f"after their first byte); time from first byte to close: min {min(cut, default=0):.2f} "
            f"s, max {max(cut, default=0):.2f} s")
    out.rec("slowloris: none cut before header_timeout", not early,
            f"header_timeout {header_timeout} s; early: {early[:5]}")
    out.rec("slowloris: no answer to a slow client", not answered, f"{answered[:3]}")
    # The silent connections were held all along: none was answered (they are within the
    # idle timeout); closing them now must let the server release them.
    got = []
    for s in silent:
        s.setblocking(False)
        try:
            d = s.recv(100)
            got.append(d or b"<eof>")
        except BlockingIOError:
            pass
        except ConnectionResetError:
            got.append(b"<rst>")
        s.close()
    out.rec("silent connections held during the storm, not answered", not got, f"{got[:3]}")
    for c in clients:
        c["sock"].close()
    out.f.write(json.dumps({"summary": "slowloris", "cut_off": len(cut)}) + "\n")


# ------------------------------------------------------------------------------ bad HTTP
def http_bad(port, token, path):
    out = Out(path)
    auth = b"Authorization: Bearer " + token.encode() + b"\r\n"
    post = b"POST /v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    malformed_answers = 0  # transport 400/413 answers: each one is a `malformed` count

    def transport_error(status, body):
        m = err_message(body) or ""
        return status in (400, 413) and (m.startswith("malformed HTTP request") or
                                         m.startswith("request head larger") or
                                         m.startswith("request body larger"))

    def probe(name, data, want_status, want_close=True, want_msg=None, shut=False, limit=5):
        """Sends data on a new connection; expects exactly one response with want_status
        (a set) and, with want_close, the server closing the connection."""
        nonlocal malformed_answers
        s = connect(port)
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            out.rec(name, False, f"send failed: {e}")
            return
        if shut:
            s.shutdown(socket.SHUT_WR)
        raw, how, secs = read_until_close(s, limit)
        s.close()
        res = parse_responses(raw)
        statuses = [r[0] for r in res]
        ok = len(res) == 1 and res[0][0] in want_status
        if want_close:
            ok = ok and how in ("eof", "rst")
        msg = err_message(res[0][1]) if res else None
        if want_msg and (msg is None or want_msg not in msg):
            ok = False
        if res and transport_error(res[0][0], res[0][1]):
            malformed_answers += 1
        out.rec(name, ok, f"want {sorted(want_status)}{' + close' if want_close else ''}; got "
                f"{statuses} {msg!r}, connection {how} after {secs:.2f} s")

    # --- malformed requests: 400 and close
    probe("garbage bytes", b"\x00\x01\x02\x03garbage\xff\xfe\xfd\r\n\r\n", {400})
    probe("invalid request line: no target", b"GET\r\n\r\n", {400})
    probe("invalid request line: bad version", b"GET /v1/health HTTP/9.9\r\nHost: x\r\n\r\n", {400})
    probe("invalid request line: LF only", b"GET /v1/health HTTP/1.1\nHost: x\n\n", {400})
    probe("invalid request line: spaces", b"POST  /v1/query  HTTP/1.1\r\n\r\n", {400})
    probe("invalid request line: 100k CRLF", b"\r\n" * 50000, {400, 413})
    probe("NUL in a header value", post + b"X-A: a\x00b\r\n\r\n", {400})
    probe("header without colon", post + b"NoColonHere\r\n\r\n", {400})
    probe("bad Content-Length", post + auth + b"Content-Length: abc\r\n\r\n{}", {400})
    probe("negative Content-Length", post + auth + b"Content-Length: -5\r\n\r\n{}", {400})
    probe("two Content-Lengths", post + auth + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
          {400})
    probe("Content-Length + chunked (smuggling)",
          post + auth + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
          b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n", {400})
    probe("Transfer-Encoding: gzip, not chunked (smuggling; RFC 9112 6.3: 400 + close)",
          post + auth + b"Transfer-Encoding: gzip\r\n\r\n"
          b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n", {400})
    probe("bad chunk size", post + auth + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
          {400})
    probe("chunk size overflow",
          post + auth + b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n{}\r\n", {400})
    probe("partial head, then FIN (half-closed)", post + b"Content-Le", {400}, shut=True)
    probe("partial body, then FIN (half-closed)",
          post + auth + b"Content-Length: 100\r\n\r\n{\"sql\"", {400}, shut=True)
    # TLS ClientHello on the plain port (tls = off).
    hello = (bytes.fromhex("16030100c4010000c00303") + os.urandom(32) + b"\x20" + os.urandom(32)
             + bytes.fromhex("0008130213011303c02f0100006f0000000e000c0000096c6f63616c686f7374"
                             "000a00080006001d00170018000d00140012040308040401050308050501080606"
                             "010201002b0003020304002d00020101003300260024001d0020") + os.urandom(32))
    probe("TLS ClientHello on the plain port", hello, {400})
    # --- too large heads: 413 and close
    probe("100 KB header", post + b"X-Big: " + b"a" * 100_000 + b"\r\n\r\n", {413},
          want_msg="request head larger")
    probe("20,000 small headers", b"GET /v1/health HTTP/1.1\r\n" +
          b"".join(b"X-%d: y\r\n" % i for i in range(20000)) + b"\r\n", {413})
    probe("100 KB URL", b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", {413})
    # --- bad JSON on a valid request: 400, the connection stays usable
    for name, body in [("invalid JSON: syntax", b"{{{{"), ("invalid JSON: truncated", b'{"sql":"SELECT 1"'),
                       ("invalid JSON: binary", b"\xff\xfe\x00\x01"), ("invalid JSON: array", b"[1,2]"),
                       ("invalid JSON: sql not a string", b'{"sql": 5}'),
                       ("invalid JSON: params not an array", b'{"sql":"SELECT 1","params":{"a":1}}'),
                       ("invalid JSON: deep nesting", b'{"sql":' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
                       ("JSON number out of double range (1e999 would bind as inf)", b'{"sql":"SELECT ?","params":[1e999]}'),
                       ("invalid JSON: bad strategy", b'{"sql":"SELECT 1","strategy":"bogus"}'),
                       ("invalid JSON: lone surrogate", b'{"sql":"SELECT \\ud800"}'),
                       ("invalid JSON: empty body", b"")]:
        if len(body) > 1 << 20:
            continue
        s = connect(port)
        req = post + auth + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        follow = post + auth + b"Content-Length: %d\r\n\r\n" % len(point_body(5)) + point_body(5).encode()
        try:
            s.sendall(req)
            first = read_responses(s, 1)
            s.sendall(follow)
            second = read_responses(s, 1)
        except OSError as e:
            out.rec(name, False, f"{type(e).__name__}: {e}")
            s.close()
            continue
        s.close()
        st1 = first[0][0] if first else None
        st2 = second[0][0] if second else None
        ok = st1 == 400 and st2 == 200
        out.rec(name, ok, f"want 400, then 200 on the same connection; got {st1} "
                f"{err_message(first[0][1]) if first else None!r}, then {st2}")
    # --- wrong token: 401
    probe("wrong API key", post + b"Authorization: Bearer ghk_000000000000_" + b"x" * 32 +
          b"\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(point_body(1)) +
          point_body(1).encode(), {401}, want_close=True)

    # --- 20 MB body with a declared Content-Length: 413 before the upload completes
    total = 20 * 1024 * 1024
    s = connect(port)
    s.sendall(post + auth + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % total)
    s.setblocking(False)
    sent, raw, t0, how = 0, b"", time.monotonic(), "open"
    chunk = b"x" * 65536
    while time.monotonic() - t0 < 10:
        try:
            d = s.recv(65536)
            if not d:
                how = "eof"
                break
            raw += d
            if b"\r\n\r\n" in raw and len(parse_responses(raw)[0][1]) >= 10:
                break
        except BlockingIOError:
            pass
        except ConnectionResetError:
            how = "rst"
            break
        if sent < total:
            try:
                sent += s.send(chunk[:min(len(chunk), total - sent)])
            except BlockingIOError:
                select.select([s], [s], [], 0.01)
            except (BrokenPipeError, ConnectionResetError):
                how = "rst(send)"
                break
        else:
            select.select([s], [], [], 0.05)
    secs = time.monotonic() - t0
    if how == "open":  # answered: the server must now close
        s.setblocking(True)
        more, how, _ = read_until_close(s, 3)
        raw += more
    s.close()
    res = parse_responses(raw)
    st = res[0][0] if res else None
    if res and transport_error(st, res[0][1]):
        malformed_answers += 1
    out.rec("20 MB body, declared Content-Length (raw socket)",
            st == 413 and sent < total and secs < 3 and how != "open",
            f"want 413 before the upload completes; got {st} {err_message(res[0][1]) if res else None!r} "
            f"after {secs:.2f} s with {sent:,} of {total:,} body bytes sent (connection {how})")

    # --- chunked body over the limit: 413
    s = connect(port)
    s.sendall(post + auth + b"Transfer-Encoding: chunked\r\n\r\n")
    s.setblocking(False)
    sent, raw, t0 = 0, b"", time.monotonic()
    piece = b"%x\r\n" % 65536 + b"y" * 65536 + b"\r\n"
    while time.monotonic() - t0 < 10 and sent < 8 * 1024 * 1024:
        try:
            d = s.recv(65536)
            if not d:
                break
            raw += d
            if b"\r\n\r\n" in raw and len(parse_responses(raw)[0][1]) >= 10:
                break
        except BlockingIOError:
            pass
        except ConnectionResetError:
            break
        try:
            sent += s.send(piece)
        except BlockingIOError:
            select.select([s], [s], [], 0.01)
        except (BrokenPipeError, ConnectionResetError):
            break
    s.setblocking(True)
    more, how, _ = read_until_close(s, 3)
    raw += more
    s.close()
    res = parse_responses(raw)
    st = res[0][0] if res else None
    if res and transport_error(st, res[0][1]):
        malformed_answers += 1
    out.rec("chunked body over the limit", st == 413 and how in ("eof", "rst"),
            f"want 413 + close; got {st} {err_message(res[0][1]) if res else None!r} after "
            f"{sent:,} bytes sent, connection {how}")

    # --- Expect: 100-continue with a too-large body: no 100, a final 413
    s = connect(port)
    s.sendall(post + auth + b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % total)
    raw, how, secs = read_until_close(s, 3)
    s.close()
    res = parse_responses(raw)
    st = [r[0] for r in res]
    if res and transport_error(res[-1][0], res[-1][1]):
        malformed_answers += 1
    out.rec("Expect: 100-continue, 20 MB declared", st == [413] and how != "open",
            f"want [413] (no 100 Continue) + close; got {st} {err_message(res[-1][1]) if res else None!r}, "
            f"connection {how}")

    # --- 1 MB of /dev/urandom on the HTTP port: an error answer or a close, quickly
    s = connect(port)
    try:
        s.sendall(os.urandom(1 << 20))
    except (BrokenPipeError, ConnectionResetError):
        pass
    raw, how, secs = read_until_close(s, 6)
    s.close()
    res = parse_responses(raw)
    if res and res[0][0] is not None and transport_error(res[0][0], res[0][1]):
        malformed_answers += 1
    out.rec("1 MB of /dev/urandom on the HTTP port",
            how in ("eof", "rst") and (not res or res[0][0] in (400, 413)),
            f"want 400/413 or a close; got {[r[0] for r in res]}, connection {how} after {secs:.2f} s")

    # --- a flood: 500 connections of garbage as fast as possible (bounded to 20 s)
    t0 = time.monotonic()
    bad, done = [], 0
    for k in range(500):
        if time.monotonic() - t0 > 20:
            break
        try:
            s = connect(port, timeout=5)
            s.sendall(os.urandom(64) + b"\r\n\r\n")
            raw, how, _ = read_until_close(s, 5)
            s.close()
            res = parse_responses(raw)
            if how == "open" or (res and res[0][0] not in (400, 413)):
                bad.append((how, [r[0] for r in res]))
            elif res and transport_error(res[0][0], res[0][1]):
                malformed_answers += 1
            done += 1
        except OSError as e:
            bad.append(str(e))
    out.rec("flood: garbage on 500 new connections", done == 500 and not bad,
            f"{done} done in {time.monotonic() - t0:.1f} s; bad: {bad[:5]}")

    # --- slow readers: pipelined requests for large results, never read (write_timeout)
    slow = []
    big = json.dumps({"sql": "SELECT * FROM rental LIMIT 5000", "strategy": "random"}).encode()
    for k in range(3):
        s = connect(port)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        req = post + auth + b"Content-Length: %d\r\n\r\n" % len(big) + big
        try:
            s.sendall(req * 10)
        except OSError:
            pass
        slow.append(s)
    time.sleep(2)
    for s in slow:
        s.close()
    out.rec("slow readers: 3 connections x 10 pipelined 5000-row results, never read", True,
            "load only (the canaries judge)")
    out.f.write(json.dumps({"summary": "http-bad", "malformed_answers": malformed_answers}) + "\n")


# ------------------------------------------------------------------------------ MySQL front
def mysql_bad(port, user, pw, path):
    out = Out(path)
    counted = 0  # answers that each mean one protocol_errors count

    def pre_login(name, data, want, limit=5, counts=True):
        """Reads the greeting, sends data, expects an ERR containing `want` (None: any answer
        or none) and a close within `limit` seconds."""
        nonlocal counted
        try:
            c = MyConn(port)
        except Exception as e:  # noqa: BLE001
            out.rec(name, False, f"no greeting: {e}")
            return
        try:
            c.s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        raw, how, secs = read_until_close(c.s, limit)
        c.close()
        msg = None
        if len(raw) > 4 and raw[4] == 0xFF:
            msg = err_text(raw[4:4 + int.from_bytes(raw[:3], "little")])
        ok = how in ("eof", "rst") and (want is None or (msg and want in msg[1]))
        if ok and counts and msg:
            counted += 1
        out.rec(name, ok, f"want ERR {want!r} + close; got {msg}, connection {how} after {secs:.2f} s")

    pre_login("pre-login: length header 0xFFFFFF (16 MB)", b"\xff\xff\xff\x01" + b"A" * 1000,
              "packet_too_large")
    pre_login("pre-login: garbage handshake response", struct.pack("<I", 64)[:3] + b"\x01" +
              os.urandom(64), "malformed_packet")
    pre_login("pre-login: 4-byte handshake response", b"\x04\x00\x00\x01\x00\x00\x00\x00",
              "malformed_packet")
    # SSLRequest: CLIENT_SSL with no user: refused (no TLS on this front)
    ssl_req = struct.pack("<IIB", 0x800 | 0x200 | 0x8000 | 0x80000, 1 << 24, 45) + b"\0" * 23
    pre_login("pre-login: SSLRequest", struct.pack("<I", len(ssl_req))[:3] + b"\x01" + ssl_req,
              "TLS", counts=False)
    pre_login("pre-login: truncated handshake response (200 announced, 20 sent)",
              struct.pack("<I", 200)[:3] + b"\x01" + os.urandom(20), None, limit=15, counts=False)
    pre_login("pre-login: TLS ClientHello bytes", bytes.fromhex("16030100c4010000c00303") +
              os.urandom(200), None, limit=15, counts=False)
    for k in range(20):
        pre_login(f"pre-login: 1 MB of /dev/urandom #{k}", os.urandom(1 << 20), None, limit=15,
                  counts=False)

    # after a valid login
    def session():
        c = MyConn(port)
        r = c.login(user, pw)
        if r[0] != 0:
            raise RuntimeError(f"login failed: {err_text(r)}")
        return c

    def usable(c):
        kind, rows = c.query("SELECT actor_id FROM actor WHERE actor_id = 9")
        return kind == "rows" and rows and first_col(rows[0]) == "9"

    def post_login(name, payload, want, stays, raw=None):
        nonlocal counted
        try:
            c = session()
        except Exception as e:  # noqa: BLE001
            out.rec(name, False, f"{type(e).__name__}: {e}")
            return
        try:
            c.s.sendall(raw) if raw is not None else c.send(payload)
            _, p = c.read()
            msg = err_text(p)
        except Exception as e:  # noqa: BLE001
            msg = (None, f"{type(e).__name__}: {e}")
        ok = msg[1] is not None and want in msg[1]
        if stays:
            try:
                ok = ok and usable(c)
                after = "session still usable"
            except Exception as e:  # noqa: BLE001
                ok, after = False, f"session broken: {type(e).__name__}: {e}"
        else:
            rest, how, secs = read_until_close(c.s, 5)
            ok = ok and how in ("eof", "rst")
            after = f"connection {how} after {secs:.2f} s"
        if ok and msg[1] and ("malformed_packet" in msg[1] or "too_large" in msg[1]
                              or "unsupported_command" in msg[1]):
            counted += 1
        c.close()
        out.rec(name, ok, f"want ERR {want!r}, {'session usable' if stays else 'close'}; got {msg}; {after}")

    post_login("post-login: unknown command 0xEE", b"\xee\x01\x02", "unsupported_command", True)
    post_login("post-login: COM_CHANGE_USER", b"\x11root\x00\x00", "unsupported_command", True)
    post_login("post-login: COM_SHUTDOWN", b"\x08\x00", "unsupported_command", True)
    post_login("post-login: COM_BINLOG_DUMP", b"\x12" + b"\0" * 10, "unsupported_command", True)
    post_login("post-login: length header 0xFFFFFF", None, "too_large", False,
               raw=b"\xff\xff\xff\x00" + b"x" * 1000)
    post_login("post-login: empty command packet", b"", "malformed_packet", False)
    post_login("post-login: COM_STMT_EXECUTE of an unknown statement",
               b"\x17\xff\xff\xff\x7f\x00\x01\x00\x00\x00", "Unknown prepared statement", True)
    post_login("post-login: INSERT as the read role", b"\x03INSERT INTO actor (first_name, last_name) "
               b"VALUES ('x','y')", "denied by gatekeeper rule role", True)
    # truncated COM_QUERY then close; a big SELECT then close before reading: no crash
    for name, data in [("post-login: truncated COM_QUERY, then close",
                        struct.pack("<I", 100)[:3] + b"\x00\x03SELECT"),
                       ("post-login: 5000-row SELECT, then close unread",
                        struct.pack("<I", 33)[:3] + b"\x00\x03SELECT * FROM rental LIMIT 5000"),
                       ("post-login: 1 MB of /dev/urandom", os.urandom(1 << 20))]:
        try:
            c = session()
            try:
                c.s.sendall(data)
            except OSError:
                pass
            c.close()
            out.rec(name, True, "sent and closed")
        except Exception as e:  # noqa: BLE001
            out.rec(name, False, f"{type(e).__name__}: {e}")
    # wrong password
    try:
        c = MyConn(port)
        r = c.login(user, "wrong-password")
        code, msg = err_text(r)
        out.rec("wrong password", code == 7405, f"want ERR 7405; got {code} {msg!r}")
        c.close()
    except Exception as e:  # noqa: BLE001
        out.rec("wrong password", False, f"{type(e).__name__}: {e}")
    # an unknown user whose name holds a newline and an escape sequence: the ERR names the
    # user, and the log line must not split (the shell checks DIR/gatekeeper.log for the marker
    # at the start of a line)
    forged = "robust\n" + FORGE_MARKER + " [info] forged log line \x1b[31m"
    try:
        c = MyConn(port)
        r = c.login(forged, "x")
        code, msg = err_text(r)
        out.rec("unknown user with a newline in its name", code == 7405,
                f"want ERR 7405; got {code} {msg!r}")
        c.close()
    except Exception as e:  # noqa: BLE001
        out.rec("unknown user with a newline in its name", False, f"{type(e).__name__}: {e}")
    # a flood of short-lived junk connections
    t0, bad = time.monotonic(), []
    for k in range(100):
        if time.monotonic() - t0 > 30:
            bad.append("time limit")
            break
        try:
            c = MyConn(port, timeout=5)
            c.s.sendall(b"\xff\xff\xff\x01" + os.urandom(1000))
            raw, how, _ = read_until_close(c.s, 5)
            c.close()
            if how == "open":
                bad.append("still open after 5 s")
            elif len(raw) > 4 and raw[4] == 0xFF:
                counted += 1
        except Exception as e:  # noqa: BLE001
            bad.append(f"{type(e).__name__}: {e}")
    out.rec("flood: 100 junk connections", not bad, f"{time.monotonic() - t0:.1f} s; bad: {bad[:5]}")
    out.f.write(json.dumps({"summary": "mysql-bad", "protocol_errors_expected": counted}) + "\n")


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "canary-http":
        canary_http(int(args[0]), args[1], int(args[2]), float(args[3]), args[4])
    elif cmd == "canary-mysql":
        canary_mysql(int(args[0]), args[1], args[2], int(args[3]), float(args[4]), args[5])
    elif cmd == "slowloris":
        slowloris(int(args[0]), int(args[1]), float(args[2]), args[3])
    elif cmd == "http-bad":
        http_bad(int(args[0]), args[1], args[2])
    elif cmd == "mysql-bad":
        mysql_bad(int(args[0]), args[1], args[2], args[3])
    else:
        raise SystemExit(f"unknown subcommand {cmd}")


if __name__ == "__main__":
    main(sys.argv)
