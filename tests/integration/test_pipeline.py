# SPDX-License-Identifier: Apache-2.0
"""Pipelines whose commands land on every shard: replies must come back in request order and
each connection must see its own writes in order."""

import threading

from raw_client import encode_command


def test_thousand_command_pipeline_in_order(r):
    pipe = r.pipeline(transaction=False)
    expected = []
    for i in range(1000):
        key = "p:%d" % (i % 97)  # 97 keys spread over every shard, each hit several times
        kind = i % 3
        if kind == 0:
            pipe.set(key, str(i))
            expected.append(("set", key, i))
        elif kind == 1:
            pipe.get(key)
            expected.append(("get", key, i))
        else:
            pipe.incr("n:%d" % (i % 13))
            expected.append(("incr", "n:%d" % (i % 13), i))
    replies = pipe.execute()
    assert len(replies) == 1000
    values, counters = {}, {}
    for (kind, key, i), reply in zip(expected, replies):
        if kind == "set":
            assert reply is True, i
            values[key] = str(i)
        elif kind == "get":
            assert reply == values.get(key), (i, key)
        else:
            counters[key] = counters.get(key, 0) + 1
            assert reply == counters[key], (i, key)


def test_pipeline_mixing_local_and_remote_keys(r):
    # With several shards, whichever shard owns the connection, some keys are local and the
    # rest remote; interleaving them must not reorder replies.
    pipe = r.pipeline(transaction=False)
    for i in range(200):
        pipe.set("mix:%d" % i, "v%d" % i)
        pipe.get("mix:%d" % (i // 2))
        pipe.mget(["mix:%d" % j for j in range(max(0, i - 3), i + 1)])
        pipe.exists("mix:%d" % i, "nope:%d" % i)
    replies = pipe.execute()
    for i in range(200):
        set_reply, get_reply, mget_reply, exists_reply = replies[4 * i:4 * i + 4]
        assert set_reply is True
        assert get_reply == "v%d" % (i // 2)
        assert mget_reply == ["v%d" % j for j in range(max(0, i - 3), i + 1)]
        assert exists_reply == 1


def test_pipeline_of_deletes_and_multikey_commands(r):
    keys = ["d:%d" % i for i in range(64)]
    pipe = r.pipeline(transaction=False)
    pipe.mset({k: "1" for k in keys})
    pipe.delete(*keys[:32])
    pipe.exists(*keys)
    pipe.msetnx({k: "2" for k in keys[:32]})
    pipe.mget(keys[30:34])
    pipe.delete(*keys)
    pipe.dbsize()
    assert pipe.execute() == [True, 32, 32, True, ["2", "2", "1", "1"], 64, 0]


def test_pipeline_with_errors_in_the_middle(r):
    pipe = r.pipeline(transaction=False)
    pipe.set("e:1", "abc")
    pipe.incr("e:1")
    pipe.set("e:2", "5")
    pipe.incr("e:2")
    pipe.execute_command("NOSUCHCOMMAND")
    pipe.get("e:1")
    replies = pipe.execute(raise_on_error=False)
    assert replies[0] is True
    assert str(replies[1]) == "value is not an integer or out of range"
    assert replies[2:4] == [True, 6]
    assert str(replies[4]).startswith("unknown command 'NOSUCHCOMMAND'")
    assert replies[5] == "abc"


def test_raw_pipeline_in_one_write(rc):
    n = 3000
    data = b"".join(encode_command("SET", "raw:%d" % i, i) + encode_command("GET", "raw:%d" % i)
                    for i in range(n))
    rc.send(data)
    replies = rc.read_replies(2 * n)
    assert replies[0::2] == [b"+OK\r\n"] * n
    assert replies[1::2] == [b"$%d\r\n%d\r\n" % (len(str(i)), i) for i in range(n)]


def test_writes_are_visible_to_the_next_command_of_the_connection(rc):
    # Read-your-writes on one connection, key by key, across shards.
    data = b""
    for i in range(500):
        data += encode_command("SET", "ryw:%d" % i, "a")
        data += encode_command("APPEND", "ryw:%d" % i, "b")
        data += encode_command("GET", "ryw:%d" % i)
        data += encode_command("DEL", "ryw:%d" % i)
        data += encode_command("EXISTS", "ryw:%d" % i)
    rc.send(data)
    replies = rc.read_replies(2500)
    assert replies == [b"+OK\r\n", b":2\r\n", b"$2\r\nab\r\n", b":1\r\n", b":0\r\n"] * 500


def test_concurrent_pipelined_clients(server, r):
    errors = []

    def worker(wid):
        try:
            client = server.client()
            for round_ in range(5):
                pipe = client.pipeline(transaction=False)
                for i in range(200):
                    pipe.incr("shared:%d" % (i % 10))
                    pipe.set("own:%d:%d" % (wid, i), round_)
                    pipe.get("own:%d:%d" % (wid, i))
                replies = pipe.execute()
                for i in range(200):
                    if replies[3 * i + 2] != str(round_):
                        errors.append((wid, round_, i, replies[3 * i + 2]))
            client.close()
        except Exception as exc:  # reported through `errors`
            errors.append((wid, repr(exc)))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    # 8 clients x 5 rounds x 200 INCRs over 10 counters.
    assert [int(v) for v in r.mget(["shared:%d" % i for i in range(10)])] == [800] * 10
