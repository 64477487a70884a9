# SPDX-License-Identifier: Apache-2.0
"""Expiry at scale: exact deadlines, and a bulk expiry of many keys sharing one deadline that
the server reclaims on its own (active expiry), staying responsive and giving memory back."""

import socket
import time


def info_section(r, section):
    return r.info(section)


def test_key_lives_through_its_deadline_and_not_after(r):
    r.set("k", "v", px=300)
    assert r.get("k") == "v"
    time.sleep(0.45)
    assert r.get("k") is None
    assert r.exists("k") == 0


def load_with_deadline(server, keys, deadline_ms):
    """SET bulk:0 .. bulk:<keys-1> with one PXAT deadline, as one fast raw pipeline."""
    deadline = str(deadline_ms).encode()
    payload = b"".join(
        b"*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$32\r\n%s\r\n$4\r\nPXAT\r\n$%d\r\n%s\r\n"
        % (len(k), k, b"x" * 32, len(deadline), deadline)
        for k in (b"bulk:%d" % i for i in range(keys)))
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(payload)
        expected = b"+OK\r\n" * keys
        received = b""
        while len(received) < len(expected):
            chunk = sock.recv(1 << 20)
            assert chunk, "connection closed while loading"
            received += chunk
        assert received == expected


def test_bulk_expiry_reclaims_every_key(r, server):
    keys = 100_000
    deadline_ms = int(time.time() * 1000) + 4000  # loading takes well under a second
    load_with_deadline(server, keys, deadline_ms)
    assert time.time() * 1000 < deadline_ms - 300, "loading took too long for this test"
    r.set("keeper", "stays")
    assert r.dbsize() == keys + 1
    before = info_section(r, "keyspace")["db0"]
    assert before["expires"] == keys
    memory_loaded = info_section(r, "memory")["used_memory"]

    # Nobody touches the keys: active expiry alone must remove them, soon after the deadline,
    # while the server keeps answering.
    deadline_s = deadline_ms / 1000.0
    latencies = []
    while time.time() < deadline_s + 5 and r.dbsize() > 1:
        start = time.perf_counter()
        assert r.get("keeper") == "stays"
        latencies.append(time.perf_counter() - start)
        time.sleep(0.01)
    assert r.dbsize() == 1, "keys left 5 s after their deadline: %d" % (r.dbsize() - 1)
    assert time.time() < deadline_s + 3, "reclaiming took more than 3 s"
    assert r.get("keeper") == "stays"
    assert r.ttl("bulk:1") == -2
    stats = info_section(r, "stats")
    assert stats["expired_keys"] >= keys
    assert "expires" not in info_section(r, "keyspace").get("db0", {}) or \
        info_section(r, "keyspace")["db0"]["expires"] == 0
    memory_after = info_section(r, "memory")["used_memory"]
    assert memory_after < memory_loaded


def test_expired_keys_are_invisible_before_active_expiry(r):
    deadline_ms = int(time.time() * 1000) + 200
    for i in range(100):
        r.set("soon:%d" % i, "v", pxat=deadline_ms)
    time.sleep(0.3)
    # Each read sees the key gone, whether or not active expiry got to it yet.
    assert all(r.get("soon:%d" % i) is None for i in range(100))
    assert r.dbsize() == 0
