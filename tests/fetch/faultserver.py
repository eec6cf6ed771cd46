#!/usr/bin/env python3
"""A fault-injecting HTTP server for the fetch tests, on 127.0.0.1 only.

URLs look like /MODE/COUNT/<mirror path>: the first COUNT requests for a
path under a mode misbehave as MODE says, later ones get the mirror's file.
COUNT 'all' misbehaves forever. Every request is logged as one JSON line
(time, mode, path, what was done) to the log file, so tests can assert how
often and how far apart edgar8k came back.

Modes: ok, 429 (Retry-After seconds), 429date (Retry-After HTTP-date),
redir-other (302 to the same path on http://localhost:PORT, another host
name for the same server), redir-same (302 to /ok/0/PATH on this host),
slow (2 KB/s, above any stall speed, for up to 20 s),
503, block (the SEC's 403 page), 404, trunc (short body, full
Content-Length), trunc-nolen (short body, no length, connection closed),
badgzip (corrupt gzip), bomb (1 MB gzip of 1 GiB opening like a
submission), zerobomb (the same of zeros), stall (headers then
silence), trickle (1 byte/s), reset (connection reset), html (200 with an
HTML error page).

Usage: faultserver.py ROOT LOGFILE  (prints the port on stdout)
"""
import email.utils, gzip, json, os, socket, struct, sys, threading, time, zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT, LOG = sys.argv[1], sys.argv[2]
RETRY_AFTER = 2
counts = {}
lock = threading.Lock()
_bomb = None
_zero_bomb = None

BLOCK_PAGE = b"""<!DOCTYPE html><html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head>
<body><h1>Your Request Originates from an Undeclared Automated Tool</h1>
<p>To allow for equitable access to all users, SEC reserves the right to limit requests
originating from undeclared automated tools. Your request has been identified as part of
a network of automated tools outside of the acceptable policy and will be managed until
action is taken to declare your traffic.</p></body></html>"""

HTML_PAGE = b"<html><head><title>Page Not Found</title></head><body><p>Sorry, the page is being updated.</p></body></html>\n"


def make_bomb(head):
    """About 1 MB of gzip that inflates to 1 GiB: `head`, then zeros.
    After a full flush deflate forgets its history, so every further
    1 MiB block of zeros compresses to the same bytes: repeat them."""
    mib = 1 << 20
    first_chunk = head + b"\0" * (mib - len(head))
    zeros = b"\0" * mib
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(first_chunk) + c.flush(zlib.Z_FULL_FLUSH)
    rest = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.flush(zlib.Z_FINISH)
    crc = zlib.crc32(first_chunk)
    for _ in range(1023):
        crc = zlib.crc32(zeros, crc)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + first + rest * 1023 + end
            + struct.pack("<II", crc, (1 << 30) & 0xFFFFFFFF))


def bomb():
    """A bomb that opens like a submission: only the size cap stops it."""
    global _bomb
    if _bomb is None:
        _bomb = make_bomb(b"<SEC-DOCUMENT>0001000001-24-000004.txt : 20240315\n")
    return _bomb


def zero_bomb():
    """A bomb of zeros: its first bytes already give it away."""
    global _zero_bomb
    if _zero_bomb is None:
        _zero_bomb = make_bomb(b"")
    return _zero_bomb


def log(entry):
    entry["t"] = time.time()
    with lock, open(LOG, "a") as f:
        f.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send_body(self, status, body, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = self.path.split("/", 3)
        if len(parts) < 4:
            return self.send_body(404, b"no mode\n")
        mode, count, rel = parts[1], parts[2], parts[3]
        key = (mode, count, rel)
        with lock:
            n = counts.get(key, 0)
            counts[key] = n + 1
        faulty = count == "all" or n < int(count)
        action = mode if faulty else "ok"
        log({"mode": mode, "path": rel, "n": n, "action": action,
             "host": self.headers.get("Host", ""),
             "ua": self.headers.get("User-Agent", ""),
             "ae": self.headers.get("Accept-Encoding", ""),
             "range": self.headers.get("Range", "")})
        path = os.path.join(ROOT, rel)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            data = None
        getattr(self, "fault_" + action.replace("-", "_"), self.fault_ok)(data)

    def fault_ok(self, data):
        if data is None:
            return self.send_body(404, b"not found\n")
        rng = self.headers.get("Range", "")
        if rng.startswith("bytes=") and rng.endswith("-") and rng[6:-1].isdigit():
            start = int(rng[6:-1])
            if start < len(data):
                return self.send_body(206, data[start:], [
                    ("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))])
        self.send_body(200, data, [("Content-Type", "text/plain")])

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def fault_redir_other(self, data):
        rel = self.path.split("/", 3)[3]
        self.redirect("http://localhost:%d/ok/0/%s" % (self.server.server_address[1], rel))

    def fault_redir_same(self, data):
        self.redirect("/ok/0/" + self.path.split("/", 3)[3])

    def fault_slow(self, data):
        # 2 KB/s keeps above any stall speed: only a deadline ends it
        self.send_response(200)
        self.send_header("Content-Length", str(len(data) + 40 * 2048))
        self.end_headers()
        try:
            self.wfile.write(data[:100])
            for _ in range(40):
                self.wfile.write(b" " * 1024)
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass
        self.close_connection = True

    def fault_404(self, data):
        self.send_body(404, b"<html><body>Not Found</body></html>")

    def fault_429(self, data):
        self.send_body(429, b"Too Many Requests\n", [("Retry-After", str(RETRY_AFTER))])

    def fault_429date(self, data):
        when = email.utils.formatdate(time.time() + RETRY_AFTER + 1, usegmt=True)
        self.send_body(429, b"Too Many Requests\n", [("Retry-After", when)])

    def fault_503(self, data):
        self.send_body(503, b"Service Unavailable\n", [("Retry-After", "1")])

    def fault_block(self, data):
        self.send_body(403, BLOCK_PAGE, [("Content-Type", "text/html")])

    def fault_html(self, data):
        self.send_body(200, HTML_PAGE, [("Content-Type", "text/html")])

    def fault_trunc(self, data):
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True

    def fault_trunc_nolen(self, data):
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True

    def fault_badgzip(self, data):
        gz = bytearray(gzip.compress(data))
        for i in range(20, min(len(gz) - 8, 400)):
            gz[i] ^= 0x5A
        self.send_body(200, bytes(gz), [("Content-Encoding", "gzip")])

    def fault_bomb(self, data):
        self.send_body(200, bomb(), [("Content-Encoding", "gzip")])

    def fault_zerobomb(self, data):
        self.send_body(200, zero_bomb(), [("Content-Encoding", "gzip")])

    def fault_stall(self, data):
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[:100])
        self.wfile.flush()
        time.sleep(30)
        self.close_connection = True

    def fault_trickle(self, data):
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            for i in range(min(len(data), 30)):
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass
        self.close_connection = True

    def fault_reset(self, data):
        # Linger 0 turns close() into a TCP RST instead of an orderly FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    bomb()  # built before listening: the first request must not wait for it
    zero_bomb()
    srv = Server(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
