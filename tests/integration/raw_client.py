# SPDX-License-Identifier: Apache-2.0
"""A raw-socket RESP client for protocol tests.

redis-py hides the wire: it re-encodes requests and decodes replies. Tests that must see exact
bytes (error texts, RESP3 type markers, how the server treats malformed or split input) use
RawClient instead. It sends arbitrary bytes and reads back exactly one reply frame, as bytes,
using the RESP2/RESP3 framing rules; `parse` turns a frame into Python values when the exact
bytes are not stable (ids, versions).
"""

import socket
import time

# Frames whose payload is one line: simple string, error, integer, null, boolean, double,
# big number.
_LINE_TYPES = b"+-:_#,("
# Frames with a length line and a payload: bulk string, bulk error, verbatim string.
_BULK_TYPES = b"$!="
# Aggregates of N elements: array, set, push. Maps and attributes hold N pairs.
_ARRAY_TYPES = b"*~>"
_PAIR_TYPES = b"%|"


class IncompleteFrame(Exception):
    """The buffer does not yet hold a whole frame."""


class ProtocolMismatch(AssertionError):
    """The server sent bytes that are not valid RESP."""


def encode_command(*args):
    """Encodes args (str, bytes or int) as a RESP multibulk request."""
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        elif isinstance(arg, int):
            arg = str(arg).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


def frame_end(buf, pos=0):
    """Returns the offset just past the frame starting at buf[pos].

    Raises IncompleteFrame if more bytes are needed, ProtocolMismatch on bytes that are not RESP.
    """
    if pos >= len(buf):
        raise IncompleteFrame()
    kind = buf[pos:pos + 1]
    eol = buf.find(b"\r\n", pos)
    if eol < 0:
        raise IncompleteFrame()
    line = buf[pos + 1:eol]
    after_line = eol + 2
    if kind in _LINE_TYPES:
        return after_line
    try:
        count = int(line)
    except ValueError:
        raise ProtocolMismatch("bad length line %r in %r" % (line, buf[pos:pos + 200]))
    if kind in _BULK_TYPES:
        if count < 0:
            return after_line
        end = after_line + count + 2
        if len(buf) < end:
            raise IncompleteFrame()
        if buf[end - 2:end] != b"\r\n":
            raise ProtocolMismatch("bulk not terminated by CRLF: %r" % buf[pos:pos + 200])
        return end
    if kind in _ARRAY_TYPES or kind in _PAIR_TYPES:
        if count < 0:
            return after_line
        elements = count * 2 if kind in _PAIR_TYPES else count
        cursor = after_line
        for _ in range(elements):
            cursor = frame_end(buf, cursor)
        if kind == b"|":
            # An attribute precedes the reply it describes.
            cursor = frame_end(buf, cursor)
        return cursor
    raise ProtocolMismatch("unknown RESP type byte %r in %r" % (kind, buf[pos:pos + 200]))


class Verbatim(str):
    """A RESP3 verbatim string; `.format` holds its three-letter format (e.g. "txt")."""

    format = ""


class ErrorReply(str):
    """An error reply ("-ERR ..." or "!<len>..."), as its text."""


def parse(frame):
    """Decodes one complete frame into Python values.

    Strings become bytes, errors ErrorReply, maps dict (keys decoded to str when they are bytes),
    sets set-like lists, nulls None, doubles float, booleans bool, verbatim strings Verbatim.
    """
    value, end = _parse_at(frame, 0)
    if end != len(frame):
        raise ProtocolMismatch("trailing bytes after frame: %r" % frame[end:])
    return value


def _parse_at(buf, pos):
    kind = buf[pos:pos + 1]
    eol = buf.index(b"\r\n", pos)
    line = buf[pos + 1:eol]
    after = eol + 2
    if kind == b"+":
        return line, after
    if kind == b"-":
        return ErrorReply(line.decode()), after
    if kind in (b":", b"("):
        return int(line), after
    if kind == b"_":
        return None, after
    if kind == b"#":
        return line == b"t", after
    if kind == b",":
        return float(line), after
    count = int(line)
    if kind in _BULK_TYPES:
        if count < 0:
            return None, after
        payload = buf[after:after + count]
        end = after + count + 2
        if kind == b"!":
            return ErrorReply(payload.decode()), end
        if kind == b"=":
            text = Verbatim(payload[4:].decode())
            text.format = payload[:3].decode()
            return text, end
        return payload, end
    if count < 0:
        return None, after
    cursor = after
    if kind in _PAIR_TYPES:
        result = {}
        for _ in range(count):
            key, cursor = _parse_at(buf, cursor)
            value, cursor = _parse_at(buf, cursor)
            if isinstance(key, bytes):
                key = key.decode()
            result[key] = value
        if kind == b"|":
            return _parse_at(buf, cursor)
        return result, cursor
    items = []
    for _ in range(count):
        item, cursor = _parse_at(buf, cursor)
        items.append(item)
    return items, cursor


class RawClient:
    """One TCP connection speaking raw bytes. Every read has a deadline of `timeout` seconds."""

    def __init__(self, host, port, timeout=5.0):
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def send_in_pieces(self, data, piece_size=1, pause_s=0.0):
        """Sends data in pieces of piece_size bytes, each its own segment (TCP_NODELAY)."""
        for start in range(0, len(data), piece_size):
            self.sock.sendall(data[start:start + piece_size])
            if pause_s:
                time.sleep(pause_s)

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no complete reply within %.1fs; have %r"
                               % (self.timeout, self.buf[:300]))
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(1 << 20)
        except socket.timeout:
            raise TimeoutError("no complete reply within %.1fs; have %r"
                               % (self.timeout, self.buf[:300]))
        if not chunk:
            raise ConnectionError("connection closed by server; have %r" % self.buf[:300])
        self.buf += chunk

    def read_reply(self):
        """Returns the exact bytes of the next reply frame."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                end = frame_end(self.buf)
                frame, self.buf = self.buf[:end], self.buf[end:]
                return frame
            except IncompleteFrame:
                self._fill(deadline)

    def read_replies(self, n):
        return [self.read_reply() for _ in range(n)]

    def call(self, *args):
        """Sends one multibulk command and returns the exact bytes of its reply."""
        self.send(encode_command(*args))
        return self.read_reply()

    def call_parsed(self, *args):
        return parse(self.call(*args))

    def call_error(self, *args):
        """Sends one command, asserts its reply is a simple error; returns the text after "-"."""
        reply = self.call(*args)
        assert reply.startswith(b"-") and reply.endswith(b"\r\n"), (
            "expected an error reply to %r, got %r" % (args, reply))
        return reply[1:-2].decode()

    def read_until_closed(self):
        """Reads until the server closes the connection; returns all bytes read.

        Fails with TimeoutError if the connection stays open for `timeout` seconds.
        """
        deadline = time.monotonic() + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("server kept the connection open; read %r" % self.buf[:300])
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                continue
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                data, self.buf = self.buf, b""
                return data
            self.buf += chunk

    def assert_no_reply(self, wait_s=0.2):
        """Asserts the server sends nothing for wait_s seconds (e.g. after a partial command)."""
        self.sock.settimeout(wait_s)
        try:
            chunk = self.sock.recv(1 << 16)
        except socket.timeout:
            return
        raise AssertionError("expected no reply yet, got %r" % (self.buf + chunk))
