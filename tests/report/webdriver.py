"""webdriver.py: a small W3C WebDriver client (the standard library only)
for Debian's chromedriver driving Debian's chromium headless, so the
review page is tested in a real browser without anything from npm or PyPI.

Chromium gets the flags that keep it off the network (no background
networking, component updates, sync or QUIC) and a fresh profile; the
caller runs it in a network namespace of its own when it can, where no
host but loopback exists at all."""
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--force-color-profile=srgb",
]

# Loopback requests must not go through a proxy from the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loopback_up():
    """Brings up `lo` in a fresh network namespace (SIOCSIFFLAGS), so that
    chromedriver can listen there without iproute2."""
    import fcntl
    import struct
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16sH14s", b"lo", 0, b"")
        flags = struct.unpack("16sH14s", fcntl.ioctl(s, siocgifflags, req))[1]
        if not flags & iff_up:
            fcntl.ioctl(s, siocsifflags,
                        struct.pack("16sH14s", b"lo", flags | iff_up, b""))


class Browser:
    def __init__(self, width=1400, height=900,
                 driver="/usr/bin/chromedriver", binary="/usr/bin/chromium"):
        self.tmp = tempfile.mkdtemp(prefix="e8k-chromium-")
        self.port = _free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log = open(os.path.join(self.tmp, "chromedriver.log"), "wb")
        self.proc = subprocess.Popen(
            [driver, "--port=%d" % self.port, "--allowed-ips=127.0.0.1"],
            stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)  # its own group: chromium goes with it
        self.session = None
        try:
            self._wait_ready()
            caps = {"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:loggingPrefs": {"browser": "ALL"},
                "goog:chromeOptions": {
                    "binary": binary,
                    "args": CHROMIUM_FLAGS + [
                        "--user-data-dir=" + os.path.join(self.tmp, "profile"),
                        "--window-size=%d,%d" % (width, height)],
                }}}}
            self.session = self._call("POST", "/session", caps)["sessionId"]
        except Exception:
            self.close()
            raise

    def _wait_ready(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("chromedriver exited with %s" % self.proc.returncode)
            try:
                if self._call("GET", "/status", timeout=2).get("ready"):
                    return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise RuntimeError("chromedriver did not start within 30 s")

    def _call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with _opener.open(req, timeout=timeout) as r:
                return json.loads(r.read().decode())["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError("%s %s: %s" % (method, path, e.read().decode()[:2000]))

    def _s(self, path):
        return "/session/%s%s" % (self.session, path)

    def open(self, url):
        self._call("POST", self._s("/url"), {"url": url})

    def viewport(self, width, height):
        """Sizes the window so that the page itself gets width x height
        (what a screenshot shows), whatever the window's frame takes."""
        for _ in range(3):
            w, h = self.run("return [window.innerWidth, window.innerHeight];")
            if (w, h) == (width, height):
                return
            r = self._call("GET", self._s("/window/rect"))
            self._call("POST", self._s("/window/rect"),
                       {"width": r["width"] + width - w,
                        "height": r["height"] + height - h})

    def run(self, script, *args):
        """Runs the body of a function in the page; its return value back."""
        return self._call("POST", self._s("/execute/sync"),
                          {"script": script, "args": list(args)})

    def find(self, css):
        els = self._call("POST", self._s("/elements"),
                         {"using": "css selector", "value": css})
        return [list(e.values())[0] for e in els]

    def click(self, element):
        self._call("POST", self._s("/element/%s/click" % element), {})

    def screenshot(self, path):
        png = base64.b64decode(self._call("GET", self._s("/screenshot")))
        with open(path, "wb") as f:
            f.write(png)
        return png

    def console(self):
        """The page's console messages (CSP violations are reported there)."""
        try:
            return self._call("POST", self._s("/se/log"), {"type": "browser"})
        except RuntimeError:
            return []

    def close(self):
        if self.session:
            try:
                self._call("DELETE", self._s(""), timeout=20)
            except (RuntimeError, OSError, urllib.error.URLError):
                pass
            self.session = None
        try:  # chromedriver and any browser it left: the group it leads
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
