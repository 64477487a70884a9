// SPDX-License-Identifier: Apache-2.0
// Unit tests for the connection and server command families (connection_commands.cc,
// server_commands.cc) on one in-process shard.
#include <string>

#include <gmock/gmock.h>

#include "command_test.h"
#include "protocol/errors.h"

namespace ringtail::commands {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ServerCommandsTest : public CommandTest {};

TEST_F(ServerCommandsTest, PingAndEcho) {
  EXPECT_EQ(Run({"PING"}), Simple("PONG"));
  EXPECT_EQ(Run({"ping", "hi"}), Bulk("hi"));
  EXPECT_EQ(Run({"PING", "a", "b"}), Err("ERR wrong number of arguments for 'ping' command"));
  EXPECT_EQ(Run({"ECHO", std::string_view("a\0b", 3)}), Bulk(std::string_view("a\0b", 3)));
  EXPECT_EQ(Run({"ECHO"}), Err("ERR wrong number of arguments for 'echo' command"));
}

TEST_F(ServerCommandsTest, UnknownCommandListsArguments) {
  EXPECT_EQ(Run({"NOSUCH"}), Err("ERR unknown command 'NOSUCH', with args beginning with: "));
  EXPECT_EQ(Run({"nosuch", "a", "b"}),
            Err("ERR unknown command 'nosuch', with args beginning with: 'a' 'b' "));
  // Arguments are quoted until 128 bytes of text are reached, as Redis does.
  std::string long_arg(200, 'x');
  EXPECT_EQ(Run({"nosuch", long_arg}),
            Err("ERR unknown command 'nosuch', with args beginning with: '" + std::string(128, 'x') +
                "' "));
}

TEST_F(ServerCommandsTest, QuitMarksClientForClose) {
  EXPECT_EQ(Run({"QUIT"}), Ok());
  EXPECT_TRUE(client_.close_after_reply);
}

TEST_F(ServerCommandsTest, SelectSwitchesDatabase) {
  EXPECT_EQ(Run({"SELECT", "3"}), Ok());
  EXPECT_EQ(client_.db, 3);
  EXPECT_EQ(Run({"SELECT", "16"}), Err(protocol::kDbIndexOutOfRange));
  EXPECT_EQ(Run({"SELECT", "-1"}), Err(protocol::kDbIndexOutOfRange));
  EXPECT_EQ(Run({"SELECT", "x"}), Err(protocol::kNotInteger));
  EXPECT_EQ(client_.db, 3);
}

TEST_F(ServerCommandsTest, HelloSwitchesProtocol) {
  std::string reply = Run({"HELLO", "3"});
  EXPECT_THAT(reply, StartsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"));
  EXPECT_THAT(reply, HasSubstr("$5\r\nproto\r\n:3\r\n"));
  EXPECT_TRUE(client_.resp3);
  EXPECT_EQ(Run({"GET", "missing"}), "_\r\n");
  reply = Run({"HELLO", "2"});
  EXPECT_THAT(reply, StartsWith("*14\r\n"));
  EXPECT_FALSE(client_.resp3);
  EXPECT_EQ(Run({"HELLO", "4"}), Err(protocol::kNoProto));
  EXPECT_EQ(Run({"HELLO", "x"}), Err("ERR Protocol version is not an integer or out of range"));
  EXPECT_EQ(Run({"HELLO", "3", "FOO"}), Err("ERR Syntax error in HELLO option 'FOO'"));
  EXPECT_FALSE(client_.resp3);
}

TEST_F(ServerCommandsTest, HelloAuthAndSetName) {
  EXPECT_THAT(Run({"HELLO", "2", "AUTH", "default", "anything", "SETNAME", "worker"}),
              StartsWith("*14\r\n"));
  EXPECT_EQ(client_.name, "worker");
  EXPECT_EQ(Run({"HELLO", "2", "AUTH", "alice", "pw"}), Err(protocol::kInvalidUsernamePassword));
  EXPECT_EQ(Run({"HELLO", "2", "SETNAME", "bad name"}),
            Err("ERR Client names cannot contain spaces, newlines or special characters."));
}

TEST_F(ServerCommandsTest, AuthWithoutPassword) {
  EXPECT_EQ(Run({"AUTH", "x"}), Err(protocol::kAuthNoPassword));
  EXPECT_EQ(Run({"AUTH", "default", "x"}), Ok());
  EXPECT_EQ(Run({"AUTH", "bob", "x"}), Err(protocol::kInvalidUsernamePassword));
}

TEST_F(ServerCommandsTest, ClientNameAndId) {
  EXPECT_EQ(Run({"CLIENT", "ID"}), Int(1));
  EXPECT_EQ(Run({"CLIENT", "GETNAME"}), Nil());
  EXPECT_EQ(Run({"CLIENT", "SETNAME", "app"}), Ok());
  EXPECT_EQ(Run({"CLIENT", "GETNAME"}), Bulk("app"));
  EXPECT_EQ(Run({"CLIENT", "SETNAME", "a b"}),
            Err("ERR Client names cannot contain spaces, newlines or special characters."));
  EXPECT_EQ(Run({"CLIENT", "SETNAME"}),
            Err("ERR wrong number of arguments for 'client|setname' command"));
  EXPECT_EQ(Run({"CLIENT", "BOGUS"}), Err("ERR unknown subcommand 'BOGUS'. Try CLIENT HELP."));
}

TEST_F(ServerCommandsTest, ClientListShowsRegisteredClients) {
  shard_.clients.insert(&client_);
  client_.name = "lister";
  std::string reply = Run({"CLIENT", "LIST"});
  EXPECT_THAT(reply, HasSubstr("id=1 "));
  EXPECT_THAT(reply, HasSubstr(" name=lister "));
  EXPECT_THAT(reply, HasSubstr(" cmd=client|list "));
  EXPECT_THAT(Run({"CLIENT", "LIST", "ID", "99"}), StartsWith("$0\r\n"));
  EXPECT_EQ(Run({"CLIENT", "LIST", "TYPE", "bogus"}), Err("ERR Unknown client type 'bogus'"));
  EXPECT_THAT(Run({"CLIENT", "INFO"}), HasSubstr("name=lister"));
  shard_.clients.erase(&client_);
}

TEST_F(ServerCommandsTest, CommandIntrospection) {
  EXPECT_EQ(Run({"COMMAND", "COUNT"}), Int(static_cast<int64_t>(shard_.commands->size())));
  std::string info = Run({"COMMAND", "INFO", "get", "nosuch"});
  EXPECT_THAT(info, StartsWith("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n"));
  EXPECT_THAT(info, HasSubstr("$-1\r\n"));
  EXPECT_EQ(Run({"COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"}), Bulks({"a", "b"}));
  EXPECT_EQ(Run({"COMMAND", "GETKEYS", "PING", "x"}),
            Err("ERR The command has no key arguments"));
  EXPECT_EQ(Run({"COMMAND", "GETKEYS", "NOSUCH", "a"}), Err("ERR Invalid command specified"));
  EXPECT_EQ(Run({"COMMAND", "GETKEYS", "GET"}),
            Err("ERR wrong number of arguments for 'command|getkeys' command"));
  EXPECT_EQ(Run({"COMMAND", "GETKEYS", "GET", "a", "b"}),
            Err("ERR Invalid number of arguments specified for command"));
  EXPECT_THAT(Run({"COMMAND", "DOCS", "set"}), StartsWith("*2\r\n$3\r\nset\r\n*6\r\n"));
  EXPECT_THAT(Run({"COMMAND", "LIST"}), HasSubstr("$4\r\nping\r\n"));
  EXPECT_THAT(Run({"COMMAND", "LIST"}), HasSubstr("$10\r\nconfig|get\r\n"));
}

TEST_F(ServerCommandsTest, ConfigGetAndSet) {
  EXPECT_EQ(Run({"CONFIG", "GET", "maxmemory"}), Bulks({"maxmemory", "0"}));
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory", "1mb"}), Ok());
  EXPECT_EQ(Run({"CONFIG", "GET", "maxmemory"}), Bulks({"maxmemory", "1048576"}));
  EXPECT_EQ(Run({"CONFIG", "GET", "save"}), Bulks({"save", ""}));
  EXPECT_EQ(Run({"CONFIG", "GET", "appendonly"}), Bulks({"appendonly", "no"}));
  EXPECT_EQ(Run({"CONFIG", "GET", "nosuch"}), "*0\r\n");
  EXPECT_EQ(Run({"CONFIG", "SET", "nosuch", "1"}),
            Err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"));
  EXPECT_EQ(Run({"CONFIG", "SET", "port", "1"}),
            Err("ERR CONFIG SET failed (possibly related to argument 'port') - can't set "
                "immutable config"));
  EXPECT_EQ(Run({"CONFIG", "SET", "maxmemory", "lots"}),
            Err("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument "
                "must be a memory value"));
  EXPECT_EQ(Run({"CONFIG", "SET", "hz", "often"}),
            Err("ERR CONFIG SET failed (possibly related to argument 'hz') - argument "
                "couldn't be parsed into an integer"));
  // A failing pair leaves the others unchanged.
  EXPECT_THAT(Run({"CONFIG", "SET", "hz", "20", "maxmemory-policy", "bogus"}), StartsWith("-ERR"));
  EXPECT_EQ(Run({"CONFIG", "GET", "hz"}), Bulks({"hz", "10"}));
  EXPECT_EQ(Run({"CONFIG", "SET", "hz", "20", "maxmemory-policy", "allkeys-lru"}), Ok());
  EXPECT_EQ(Run({"CONFIG", "GET", "maxmemory-policy"}), Bulks({"maxmemory-policy", "allkeys-lru"}));
}

TEST_F(ServerCommandsTest, InfoReportsSectionsAndKeyspace) {
  Run({"SET", "a", "1"});
  Run({"SET", "b", "2"});
  Run({"PEXPIRE", "b", "100000"});
  std::string info = Run({"INFO"});
  EXPECT_THAT(info, HasSubstr("# Server\r\nredis_version:7.0.15\r\n"));
  EXPECT_THAT(info, HasSubstr("connected_clients:"));
  EXPECT_THAT(info, HasSubstr("used_memory:"));
  EXPECT_THAT(info, HasSubstr("db0:keys=2,expires=1,avg_ttl="));
  EXPECT_THAT(info, ::testing::Not(HasSubstr("# Commandstats")));
  std::string stats = Run({"INFO", "commandstats"});
  EXPECT_THAT(stats, HasSubstr("cmdstat_set:calls=2,"));
  EXPECT_THAT(stats, ::testing::Not(HasSubstr("# Server")));
  Run({"GET", "a"});
  Run({"GET", "zz"});
  std::string s = Run({"INFO", "stats"});
  EXPECT_THAT(s, HasSubstr("keyspace_hits:1\r\n"));
  EXPECT_THAT(s, HasSubstr("keyspace_misses:1\r\n"));
  EXPECT_THAT(s, HasSubstr("max_loop_iteration_usec:"));
  EXPECT_THAT(s, HasSubstr("max_loop_iteration_cpu_usec:0\r\n"));  // loop-cpu-stats is off
}

TEST_F(ServerCommandsTest, ShutdownChecksItsOptionsThenStopsWithoutAReply) {
  int stops = 0;
  info_.request_stop = [&stops] { ++stops; };
  EXPECT_EQ(Run({"SHUTDOWN", "ABORT"}), Err("ERR No shutdown in progress."));
  EXPECT_EQ(Run({"SHUTDOWN", "FOO"}), Err(protocol::kSyntax));
  EXPECT_EQ(Run({"SHUTDOWN", "NOSAVE", "ABORT"}), Err(protocol::kSyntax));
  EXPECT_EQ(Run({"SHUTDOWN", "SAVE", "NOSAVE"}), Err(protocol::kSyntax));
  EXPECT_EQ(Run({"SHUTDOWN", "SAVE"}), Err("ERR Errors trying to SHUTDOWN. Check logs."));
  EXPECT_EQ(stops, 0);
  EXPECT_FALSE(info_.shutdown_requested.load());
  EXPECT_FALSE(client_.close_after_reply);
  EXPECT_EQ(Run({"SHUTDOWN", "nosave", "now", "force"}), "");
  EXPECT_EQ(stops, 1);
  EXPECT_TRUE(info_.shutdown_requested.load());
  EXPECT_TRUE(client_.close_after_reply);
}

TEST_F(ServerCommandsTest, DbSizeAndFlush) {
  Run({"SET", "a", "1"});
  Run({"SELECT", "1"});
  Run({"SET", "b", "1"});
  EXPECT_EQ(Run({"DBSIZE"}), Int(1));
  EXPECT_EQ(Run({"FLUSHDB", "BOGUS"}), Err(protocol::kSyntax));
  EXPECT_EQ(Run({"FLUSHDB"}), Ok());
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
  Run({"SELECT", "0"});
  EXPECT_EQ(Run({"DBSIZE"}), Int(1));
  Run({"SELECT", "1"});
  Run({"SET", "b", "1"});
  EXPECT_EQ(Run({"FLUSHALL", "ASYNC"}), Ok());
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
  Run({"SELECT", "0"});
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
}

TEST_F(ServerCommandsTest, TimeIsNow) {
  std::string reply = Run({"TIME"});
  EXPECT_THAT(reply, StartsWith("*2\r\n$10\r\n"));
}

}  // namespace
}  // namespace ringtail::commands
