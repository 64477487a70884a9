# SPDX-License-Identifier: Apache-2.0
"""Connection commands: PING, ECHO, QUIT, HELLO, AUTH, SELECT, CLIENT."""

import re

from raw_client import parse
from server_process import wait_until

HELLO_FIELDS = ["server", "version", "proto", "id", "mode", "role", "modules"]



# ---- PING / ECHO / QUIT --------------------------------------------------------------------

def test_ping(r, rc):
    assert r.ping() is True
    assert rc.call("PING") == b"+PONG\r\n"
    assert rc.call("ping") == b"+PONG\r\n"


def test_ping_with_argument_echoes_it_as_bulk(rc):
    assert rc.call("PING", "hello") == b"$5\r\nhello\r\n"
    assert rc.call("PING", "") == b"$0\r\n\r\n"


def test_ping_with_two_arguments_is_an_arity_error(rc):
    assert rc.call_error("PING", "a", "b") == "ERR wrong number of arguments for 'ping' command"


def test_echo(r, rc):
    assert r.echo("hi there") == "hi there"
    assert rc.call("ECHO", b"a\x00b\r\nc") == b"$6\r\na\x00b\r\nc\r\n"
    assert rc.call_error("ECHO") == "ERR wrong number of arguments for 'echo' command"
    assert rc.call_error("ECHO", "a", "b") == "ERR wrong number of arguments for 'echo' command"


def test_quit_replies_ok_and_closes(rc):
    rc.send(b"*1\r\n$4\r\nQUIT\r\n")
    assert rc.read_until_closed() == b"+OK\r\n"


def test_quit_drops_commands_pipelined_after_it(raw):
    conn = raw()
    conn.send(b"PING\r\nQUIT\r\nPING\r\n")
    assert conn.read_until_closed() == b"+PONG\r\n+OK\r\n"


# ---- HELLO / AUTH --------------------------------------------------------------------------

def test_hello_2_replies_flat_array(rc):
    frame = rc.call("HELLO", "2")
    assert frame.startswith(b"*14\r\n")
    fields = parse(frame)
    names = [f.decode() for f in fields[0::2]]
    assert names == HELLO_FIELDS
    reply = dict(zip(names, fields[1::2]))
    assert reply["server"] == b"redis"
    assert reply["proto"] == 2
    assert reply["mode"] == b"standalone"
    assert reply["role"] == b"master"
    assert reply["modules"] == []
    assert rc.call_parsed("CLIENT", "ID") == reply["id"]
    version = rc.call_parsed("INFO", "server").decode()
    assert "redis_version:%s\r\n" % reply["version"].decode() in version


def test_hello_3_replies_map_and_switches_protocol(rc):
    frame = rc.call("HELLO", "3")
    assert frame.startswith(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n")
    reply = parse(frame)
    assert list(reply) == HELLO_FIELDS
    assert reply["proto"] == 3
    assert reply["mode"] == b"standalone"
    assert reply["role"] == b"master"
    assert reply["modules"] == []
    assert isinstance(reply["id"], int)
    assert rc.call("GET", "missing") == b"_\r\n"
    # HELLO 2 switches back.
    assert rc.call("HELLO", "2").startswith(b"*14\r\n")
    assert rc.call("GET", "missing") == b"$-1\r\n"


def test_hello_without_version_keeps_protocol(rc):
    assert parse(rc.call("HELLO"))[5] == 2  # flat array: proto is the 6th element
    rc.call("HELLO", "3")
    assert parse(rc.call("HELLO"))["proto"] == 3


def test_hello_ids_differ_per_connection(raw):
    first = parse(raw().call("HELLO", "3"))["id"]
    second = parse(raw().call("HELLO", "3"))["id"]
    assert first != second


def test_hello_unsupported_versions(rc):
    assert rc.call("HELLO", "4") == b"-NOPROTO unsupported protocol version\r\n"
    assert rc.call("HELLO", "1") == b"-NOPROTO unsupported protocol version\r\n"
    assert rc.call_error("HELLO", "abc") == (
        "ERR Protocol version is not an integer or out of range")
    # The connection still works in RESP2.
    assert rc.call("GET", "missing") == b"$-1\r\n"


def test_hello_with_setname(rc):
    reply = parse(rc.call("HELLO", "3", "SETNAME", "conn-a"))
    assert reply["proto"] == 3
    assert rc.call("CLIENT", "GETNAME") == b"$6\r\nconn-a\r\n"


def test_hello_auth_default_user_without_password_configured(rc):
    # The default user has no password ("nopass"), so any password is accepted, as in Redis.
    reply = parse(rc.call("HELLO", "3", "AUTH", "default", "x", "SETNAME", "n1"))
    assert reply["proto"] == 3
    assert rc.call("CLIENT", "GETNAME") == b"$2\r\nn1\r\n"


def test_hello_syntax_errors(rc):
    assert rc.call_error("HELLO", "3", "FOO") == "ERR Syntax error in HELLO option 'FOO'"
    assert rc.call_error("HELLO", "2", "AUTH") == "ERR Syntax error in HELLO option 'AUTH'"
    assert rc.call_error("HELLO", "3", "SETNAME") == "ERR Syntax error in HELLO option 'SETNAME'"


def test_auth_without_password_configured(rc):
    assert rc.call_error("AUTH", "x") == (
        "ERR AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?")
    assert rc.call("AUTH", "default", "x") == b"+OK\r\n"
    assert rc.call_error("AUTH", "a", "b", "c") == "ERR syntax error"


# ---- SELECT --------------------------------------------------------------------------------

def test_select_every_db(rc):
    for db in range(16):
        assert rc.call("SELECT", db) == b"+OK\r\n"
        assert rc.call("SET", "k", "v%d" % db) == b"+OK\r\n"
    for db in range(16):
        rc.call("SELECT", db)
        assert rc.call("GET", "k") == b"$%d\r\nv%d\r\n" % (len(str(db)) + 1, db)


def test_select_out_of_range(rc):
    assert rc.call_error("SELECT", "16") == "ERR DB index is out of range"
    assert rc.call_error("SELECT", "-1") == "ERR DB index is out of range"
    assert rc.call_error("SELECT", "abc") == "ERR value is not an integer or out of range"
    assert rc.call_error("SELECT") == "ERR wrong number of arguments for 'select' command"


def test_keys_are_isolated_per_db(client, server):
    db0, db5 = client(db=0), client(db=5)
    keys = ["iso:%d" % i for i in range(50)]  # spread over every shard
    db0.mset({k: "zero" for k in keys})
    assert db5.mget(keys) == [None] * 50
    assert db5.dbsize() == 0
    db5.mset({k: "five" for k in keys[:20]})
    assert db0.mget(keys[:20]) == ["zero"] * 20
    assert db5.mget(keys[:20]) == ["five"] * 20
    assert db0.dbsize() == 50
    assert db5.dbsize() == 20
    assert db5.exists(*keys) == 20
    assert db5.delete(*keys) == 20
    assert db0.exists(*keys) == 50


def test_select_then_pipeline_uses_new_db(rc):
    rc.send(b"SELECT 3\r\nSET k three\r\nSELECT 0\r\nGET k\r\nSELECT 3\r\nGET k\r\n")
    assert rc.read_replies(6) == [b"+OK\r\n", b"+OK\r\n", b"+OK\r\n", b"$-1\r\n",
                                  b"+OK\r\n", b"$5\r\nthree\r\n"]


# ---- CLIENT --------------------------------------------------------------------------------

def test_client_id_is_unique_and_stable(raw):
    a, b = raw(), raw()
    id_a = parse(a.call("CLIENT", "ID"))
    id_b = parse(b.call("CLIENT", "ID"))
    assert isinstance(id_a, int) and id_a > 0
    assert id_a != id_b
    assert parse(a.call("CLIENT", "ID")) == id_a


def test_client_setname_getname(rc):
    assert rc.call("CLIENT", "GETNAME") == b"$-1\r\n"
    assert rc.call("CLIENT", "SETNAME", "worker-1") == b"+OK\r\n"
    assert rc.call("CLIENT", "GETNAME") == b"$8\r\nworker-1\r\n"
    assert rc.call_error("CLIENT", "SETNAME", "a b") == (
        "ERR Client names cannot contain spaces, newlines or special characters.")
    assert rc.call_error("CLIENT", "SETNAME", "a\nb") == (
        "ERR Client names cannot contain spaces, newlines or special characters.")
    assert rc.call("CLIENT", "GETNAME") == b"$8\r\nworker-1\r\n"
    # An empty name clears it.
    assert rc.call("CLIENT", "SETNAME", "") == b"+OK\r\n"
    assert rc.call("CLIENT", "GETNAME") == b"$-1\r\n"


def test_client_list_shows_every_connection(raw, server):
    a, b = raw(), raw()
    a.call("CLIENT", "SETNAME", "lister")
    b.call("CLIENT", "SETNAME", "other")
    id_b = parse(b.call("CLIENT", "ID"))
    b.call("SELECT", "2")
    listing = parse(a.call("CLIENT", "LIST")).decode()
    assert listing.endswith("\n")
    lines = listing.splitlines()
    by_name = {}
    for line in lines:
        fields = dict(f.split("=", 1) for f in line.split(" ") if "=" in f)
        by_name[fields.get("name")] = fields
    assert "lister" in by_name and "other" in by_name
    assert by_name["other"]["id"] == str(id_b)
    assert by_name["other"]["db"] == "2"
    assert by_name["lister"]["db"] == "0"
    assert by_name["lister"]["cmd"] == "client|list"
    assert by_name["lister"]["laddr"] == "%s:%d" % (server.host, server.port)
    assert re.fullmatch(r"127\.0\.0\.1:\d+", by_name["lister"]["addr"])


def test_client_list_by_id(raw):
    a, b = raw(), raw()
    id_b = parse(b.call("CLIENT", "ID"))
    listing = parse(a.call("CLIENT", "LIST", "ID", id_b)).decode()
    assert listing.startswith("id=%d " % id_b)
    assert listing.count("\n") == 1
    assert a.call("CLIENT", "LIST", "ID", "999999999") == b"$0\r\n\r\n"


def test_client_info_describes_this_connection(rc, server):
    rc.call("CLIENT", "SETNAME", "me")
    client_id = parse(rc.call("CLIENT", "ID"))
    info = parse(rc.call("CLIENT", "INFO")).decode()
    assert info.endswith("\n") and info.count("\n") == 1
    assert re.match(r"id=%d addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:%d fd=\d+ name=me age=\d+ "
                    r"idle=\d+ flags=N db=0 " % (client_id, server.port), info), info
    assert " cmd=client|info " in info
    assert info.rstrip("\n").endswith(" resp=2")


def test_client_info_is_verbatim_in_resp3(rc):
    rc.call("HELLO", "3")
    frame = rc.call("CLIENT", "INFO")
    assert frame.startswith(b"=")
    info = parse(frame)
    assert info.format == "txt"
    assert info.rstrip("\n").endswith(" resp=3")


def test_client_errors(rc):
    assert rc.call_error("CLIENT") == "ERR wrong number of arguments for 'client' command"
    assert rc.call_error("CLIENT", "FOO") == "ERR unknown subcommand 'FOO'. Try CLIENT HELP."


def test_connections_come_and_go(raw, r):
    extra = [raw() for _ in range(3)]
    ids = {parse(conn.call("CLIENT", "ID")) for conn in extra}

    def listed_ids():
        return {int(entry["id"]) for entry in r.client_list()}

    assert ids <= listed_ids()
    assert r.info("clients")["connected_clients"] >= 4  # the three, plus r
    for conn in extra:
        conn.close()
    assert wait_until(lambda: not (ids & listed_ids())), "closed clients still listed"
