"""A real SMTP server for the delivery tests: a socketserver speaking enough SMTP for smtplib.

It can refuse the first connections (421, as a mail server that is down or overloaded says) and
hold its answer to a message it has received (to kill a worker in the middle of the hand-off).
"""

import email
import socketserver
import threading
import time
from email.message import Message


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        server: SMTPServer = self.server.owner  # type: ignore[attr-defined]
        if not server.connected():
            self.reply("421 4.3.2 Service not available, try again later")
            return
        self.reply("220 test.invalid ESMTP")
        lines: list[bytes] | None = None
        while raw := self.rfile.readline():
            line = raw.rstrip(b"\r\n")
            if lines is not None:  # inside DATA
                if line == b".":
                    server.received(b"\r\n".join(lines))
                    lines = None
                    self.reply("250 2.0.0 Queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"QUIT":
                self.reply("221 2.0.0 Bye")
                return
            if verb == b"DATA":
                lines = []
                self.reply("354 End data with <CR><LF>.<CR><LF>")
            elif verb in (b"EHLO", b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 5.5.2 Command not recognized")


class SMTPServer:
    """`refuse`: how many connections get 421 before the server accepts mail.
    `hold`: when set, the server answers a received message only once `release` is set."""

    def __init__(self, *, refuse: int = 0):
        self.refuse = refuse
        self.hold = False
        self.release = threading.Event()
        self.connection_times: list[float] = []
        self.raw_messages: list[bytes] = []
        self._lock = threading.Lock()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"smtp://{host}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def connected(self) -> bool:
        """Record a connection; False if it is to be refused."""
        with self._lock:
            self.connection_times.append(time.monotonic())
            return len(self.connection_times) > self.refuse

    def received(self, raw: bytes) -> None:
        with self._lock:
            self.raw_messages.append(raw)
        if self.hold:
            self.release.wait(30)

    def messages(self) -> list[Message]:
        with self._lock:
            return [email.message_from_bytes(raw) for raw in self.raw_messages]

    def wait_for_messages(self, count: int, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.raw_messages) >= count:
                return self.messages()
            time.sleep(0.05)
        raise AssertionError(
            f"expected {count} messages, got {len(self.raw_messages)} after {len(self.connection_times)} connections"
        )

    def gaps(self) -> list[float]:
        """Seconds between one connection and the next."""
        times = self.connection_times
        return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
