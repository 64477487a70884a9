// SPDX-License-Identifier: Apache-2.0
// Tests of the hash command family (src/commands/hash_commands.cc) on one in-process shard.
// Expected replies and error texts were checked against redis-server 7.0.15.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_test.h"
#include "protocol/errors.h"
#include "protocol/reply_reader.h"
#include "storage/hash.h"

namespace ringtail::commands {
namespace {

using protocol::kHashIncrNotFinite;
using protocol::kRandCountOutOfRange;
using protocol::kValueOutOfRange;
using protocol::kHashValueNotFloat;
using protocol::kHashValueNotInteger;
using protocol::kIncrFloatNaN;
using protocol::kInvalidCursor;
using protocol::kNotFloat;
using protocol::kNotInteger;
using protocol::kOverflow;
using protocol::kSyntax;
using protocol::kWrongType;

class HashCommandsTest : public CommandTest {
 protected:
  static std::string WrongArgs(std::string_view command) {
    return Err("ERR wrong number of arguments for '" + std::string(command) + "' command");
  }
  std::string Encoding(std::string_view key) { return Run({"OBJECT", "ENCODING", key}); }
  void SetLimits(int64_t entries, int64_t value_bytes) {
    shard_.config.hash_max_listpack_entries = entries;
    shard_.config.hash_max_listpack_value = value_bytes;
    shard_.ApplyConfig();
  }
  uint64_t hits() const { return shard_.stats.keyspace_hits; }
  uint64_t misses() const { return shard_.stats.keyspace_misses; }

  // The elements of a reply that is an array (or map) of bulk strings, decoded.
  static std::vector<std::string> Strings(std::string_view reply) {
    std::vector<std::string> out;
    protocol::ElementReader reader(reply);
    while (std::optional<std::string_view> element = reader.Next()) {
      out.push_back(BulkText(*element));
    }
    return out;
  }
  // The text of one encoded bulk string ("$n\r\n...\r\n").
  static std::string BulkText(std::string_view bulk) {
    EXPECT_EQ(bulk.substr(0, 1), "$") << bulk;
    size_t start = bulk.find("\r\n") + 2;
    return std::string(bulk.substr(start, bulk.size() - start - 2));
  }
  // HSCAN until the cursor comes back 0: every field seen, with its value.
  std::map<std::string, std::string> ScanAll(std::string_view key, std::string_view count,
                                             size_t* calls = nullptr) {
    std::map<std::string, std::string> out;
    std::string cursor = "0";
    size_t n = 0;
    do {
      std::string reply = Run({"HSCAN", key, cursor, "COUNT", count});
      protocol::ElementReader reader(reply);
      EXPECT_EQ(reader.count(), 2);
      cursor = BulkText(*reader.Next());
      std::vector<std::string> items = Strings(*reader.Next());
      EXPECT_EQ(items.size() % 2, 0u);
      for (size_t i = 0; i + 1 < items.size(); i += 2) out[items[i]] = items[i + 1];
      ++n;
    } while (cursor != "0" && n < 1'000'000);
    if (calls != nullptr) *calls = n;
    return out;
  }
  // Adds fields f0..f(n-1) with values v0.. to `key`.
  void Fill(std::string_view key, int n) {
    for (int i = 0; i < n; ++i) {
      std::string f = "f" + std::to_string(i);
      std::string v = "v" + std::to_string(i);
      Run({"HSET", key, f, v});
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Command table rows

TEST_F(HashCommandsTest, RowsMatchRedisCommandInfo) {
  ExpectSpecRows({
      {"hset", -4, kWrite | kDenyOom | kFast},
      {"hsetnx", 4, kWrite | kDenyOom | kFast},
      {"hget", 3, kRead | kFast},
      {"hmset", -4, kWrite | kDenyOom | kFast},
      {"hmget", -3, kRead | kFast},
      {"hgetall", 2, kRead},
      {"hdel", -3, kWrite | kFast},
      {"hlen", 2, kRead | kFast},
      {"hexists", 3, kRead | kFast},
      {"hkeys", 2, kRead},
      {"hvals", 2, kRead},
      {"hincrby", 4, kWrite | kDenyOom | kFast},
      {"hincrbyfloat", 4, kWrite | kDenyOom | kFast},
      {"hstrlen", 3, kRead | kFast},
      {"hrandfield", -2, kRead},
      {"hscan", -3, kRead},
  }, "hash");
}

TEST_F(HashCommandsTest, ArityErrors) {
  EXPECT_EQ(Run({"HSET", "h", "f"}), WrongArgs("hset"));
  EXPECT_EQ(Run({"HSET", "h", "f", "v", "g"}), WrongArgs("hset"));
  EXPECT_EQ(Run({"HMSET", "h", "f", "v", "g"}), WrongArgs("hmset"));
  EXPECT_EQ(Run({"HGET", "h"}), WrongArgs("hget"));
  EXPECT_EQ(Run({"HDEL", "h"}), WrongArgs("hdel"));
  EXPECT_EQ(Run({"HSCAN", "h"}), WrongArgs("hscan"));
  EXPECT_EQ(Run({"EXISTS", "h"}), Int(0));  // no empty hash left behind
}

// ---------------------------------------------------------------------------------------------
// Setting, reading and deleting

TEST_F(HashCommandsTest, SetGetAndCounts) {
  EXPECT_EQ(Run({"HSET", "h", "a", "1", "b", "2"}), Int(2));
  EXPECT_EQ(Run({"HSET", "h", "a", "10", "c", "3"}), Int(1));
  EXPECT_EQ(Run({"HSET", "h", "a", "11", "a", "12"}), Int(0));  // the last value wins
  EXPECT_EQ(Run({"HGET", "h", "a"}), Bulk("12"));
  EXPECT_EQ(Run({"HGET", "h", "zz"}), Nil());
  EXPECT_EQ(Run({"HGET", "nokey", "a"}), Nil());
  EXPECT_EQ(Run({"HMSET", "h", "d", "4"}), Ok());
  EXPECT_EQ(Run({"HLEN", "h"}), Int(4));
  EXPECT_EQ(Run({"HLEN", "nokey"}), Int(0));
  EXPECT_EQ(Run({"HEXISTS", "h", "d"}), Int(1));
  EXPECT_EQ(Run({"HEXISTS", "h", "e"}), Int(0));
  EXPECT_EQ(Run({"HEXISTS", "nokey", "e"}), Int(0));
  EXPECT_EQ(Run({"HSTRLEN", "h", "a"}), Int(2));
  EXPECT_EQ(Run({"HSTRLEN", "h", "e"}), Int(0));
  EXPECT_EQ(Run({"HSTRLEN", "nokey", "e"}), Int(0));
  EXPECT_EQ(Run({"HMGET", "h", "a", "zz", "b"}), Array({Bulk("12"), Nil(), Bulk("2")}));
  EXPECT_EQ(Run({"HMGET", "nokey", "a", "b"}), Array({Nil(), Nil()}));
  EXPECT_EQ(Run({"TYPE", "h"}), Simple("hash"));
}

TEST_F(HashCommandsTest, ListpackKeepsInsertionOrder) {
  Run({"HSET", "h", "b", "2", "a", "1", "c", "3"});
  EXPECT_EQ(Run({"HGETALL", "h"}), Bulks({"b", "2", "a", "1", "c", "3"}));
  EXPECT_EQ(Run({"HKEYS", "h"}), Bulks({"b", "a", "c"}));
  EXPECT_EQ(Run({"HVALS", "h"}), Bulks({"2", "1", "3"}));
  EXPECT_EQ(Run({"HGETALL", "nokey"}), "*0\r\n");
  EXPECT_EQ(Run({"HKEYS", "nokey"}), "*0\r\n");
  EXPECT_EQ(Run({"HVALS", "nokey"}), "*0\r\n");
}

TEST_F(HashCommandsTest, BinarySafeFieldsAndValues) {
  const std::string field("f\0\r\n", 4);
  const std::string value("\0\xff", 2);
  EXPECT_EQ(Run({"HSET", "h", field, value, "", ""}), Int(2));
  EXPECT_EQ(Run({"HGET", "h", field}), Bulk(value));
  EXPECT_EQ(Run({"HGET", "h", ""}), Bulk(""));
  EXPECT_EQ(Run({"HGET", "h", std::string_view("f", 1)}), Nil());
}

TEST_F(HashCommandsTest, Resp3Shapes) {
  client_.resp3 = true;
  Run({"HSET", "h", "a", "1", "b", "2"});
  EXPECT_EQ(Run({"HGETALL", "h"}), "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
  EXPECT_EQ(Run({"HGETALL", "nokey"}), "%0\r\n");
  EXPECT_EQ(Run({"HKEYS", "h"}), Bulks({"a", "b"}));
  EXPECT_EQ(Run({"HGET", "h", "zz"}), "_\r\n");
  EXPECT_EQ(Run({"HMGET", "h", "zz", "a"}), "*2\r\n_\r\n$1\r\n1\r\n");
  EXPECT_EQ(Run({"HRANDFIELD", "nokey"}), "_\r\n");
  // Pairs as two-element arrays.
  std::string reply = Run({"HRANDFIELD", "h", "2", "WITHVALUES"});
  protocol::ElementReader reader(reply);
  ASSERT_EQ(reader.count(), 2);
  std::set<std::vector<std::string>> pairs;
  while (auto pair = reader.Next()) pairs.insert(Strings(*pair));
  EXPECT_EQ(pairs, (std::set<std::vector<std::string>>{{"a", "1"}, {"b", "2"}}));
  reply = Run({"HRANDFIELD", "h", "-3", "WITHVALUES"});
  protocol::ElementReader repeats(reply);
  ASSERT_EQ(repeats.count(), 3);
  while (auto pair = repeats.Next()) EXPECT_EQ(pair->substr(0, 4), "*2\r\n");
  // HSCAN stays an array of [cursor, flat array].
  EXPECT_EQ(Run({"HSCAN", "h", "0"}), Array({Bulk("0"), Bulks({"a", "1", "b", "2"})}));
}

TEST_F(HashCommandsTest, HSetNx) {
  EXPECT_EQ(Run({"HSETNX", "h", "a", "1"}), Int(1));
  EXPECT_EQ(Run({"HSETNX", "h", "a", "2"}), Int(0));
  EXPECT_EQ(Run({"HGET", "h", "a"}), Bulk("1"));
  EXPECT_EQ(Run({"HSETNX", "h", "b", "2"}), Int(1));
  EXPECT_EQ(Run({"HLEN", "h"}), Int(2));
}

TEST_F(HashCommandsTest, HDelRemovesTheKeyWithItsLastField) {
  Run({"HSET", "h", "a", "1", "b", "2", "c", "3"});
  EXPECT_EQ(Run({"HDEL", "h", "a", "zz", "a"}), Int(1));
  EXPECT_EQ(Run({"HDEL", "nokey", "a"}), Int(0));
  EXPECT_EQ(Run({"HLEN", "h"}), Int(2));
  EXPECT_EQ(Run({"HDEL", "h", "b", "c", "d"}), Int(2));
  EXPECT_EQ(Run({"EXISTS", "h"}), Int(0));
  EXPECT_EQ(shard_.dbs[0].size(), 0u);
}

TEST_F(HashCommandsTest, WrongType) {
  Run({"SET", "s", "x"});
  const std::vector<std::vector<std::string_view>> commands = {
      {"HSET", "s", "f", "v"},
      {"HMSET", "s", "f", "v"},
      {"HSETNX", "s", "f", "v"},
      {"HGET", "s", "f"},
      {"HMGET", "s", "f"},
      {"HGETALL", "s"},
      {"HKEYS", "s"},
      {"HVALS", "s"},
      {"HDEL", "s", "f"},
      {"HLEN", "s"},
      {"HEXISTS", "s", "f"},
      {"HSTRLEN", "s", "f"},
      {"HINCRBY", "s", "f", "1"},
      {"HINCRBYFLOAT", "s", "f", "1"},
      {"HRANDFIELD", "s"},
      {"HRANDFIELD", "s", "0"},
      {"HRANDFIELD", "s", "-1"},
      {"HSCAN", "s", "0"},
  };
  for (const auto& args : commands) EXPECT_EQ(Run(args), Err(kWrongType)) << args[0];
  EXPECT_EQ(Run({"GET", "s"}), Bulk("x"));
  // Argument errors come before the type check where Redis checks them first.
  EXPECT_EQ(Run({"HINCRBY", "s", "f", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "s", "f", "x"}), Err(kNotFloat));
  EXPECT_EQ(Run({"HRANDFIELD", "s", "1", "foo"}), Err(kSyntax));
  EXPECT_EQ(Run({"HSCAN", "s", "x"}), Err(kInvalidCursor));
  EXPECT_EQ(Run({"HSET", "s", "f"}), WrongArgs("hset"));
}

TEST_F(HashCommandsTest, ReadsCountKeyspaceHitsAndMisses) {
  Run({"HSET", "h", "a", "1"});
  uint64_t h0 = hits();
  uint64_t m0 = misses();
  Run({"HGET", "h", "a"});
  Run({"HGET", "h", "zz"});  // a hit on the key
  Run({"HLEN", "nokey"});
  Run({"HMGET", "h", "a", "b"});
  EXPECT_EQ(hits() - h0, 3u);
  EXPECT_EQ(misses() - m0, 1u);
  Run({"HSET", "h", "b", "2"});
  Run({"HDEL", "h", "b"});
  Run({"HINCRBY", "h", "n", "1"});
  EXPECT_EQ(hits() - h0, 3u);
  EXPECT_EQ(misses() - m0, 1u);
}

// ---------------------------------------------------------------------------------------------
// HINCRBY / HINCRBYFLOAT

TEST_F(HashCommandsTest, HIncrBy) {
  EXPECT_EQ(Run({"HINCRBY", "h", "n", "5"}), Int(5));
  EXPECT_EQ(Run({"HINCRBY", "h", "n", "-7"}), Int(-2));
  EXPECT_EQ(Run({"HGET", "h", "n"}), Bulk("-2"));
  EXPECT_EQ(Run({"HINCRBY", "h", "n", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"HINCRBY", "h", "n", "1.5"}), Err(kNotInteger));
  EXPECT_EQ(Run({"HINCRBY", "nokey", "n", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"EXISTS", "nokey"}), Int(0));
  for (std::string_view bad : {"abc", " 1", "0123", "1.0", "", "-0", "+1"}) {
    Run({"HSET", "h", "bad", bad});
    EXPECT_EQ(Run({"HINCRBY", "h", "bad", "1"}), Err(kHashValueNotInteger)) << bad;
  }
  Run({"HSET", "h", "max", "9223372036854775807", "min", "-9223372036854775808"});
  EXPECT_EQ(Run({"HINCRBY", "h", "max", "1"}), Err(kOverflow));
  EXPECT_EQ(Run({"HINCRBY", "h", "min", "-1"}), Err(kOverflow));
  EXPECT_EQ(Run({"HINCRBY", "h", "max", "0"}), Int(INT64_MAX));
  EXPECT_EQ(Run({"HINCRBY", "h", "max", "-9223372036854775808"}), Int(-1));
  EXPECT_EQ(Run({"HGET", "h", "max"}), Bulk("-1"));
}

TEST_F(HashCommandsTest, HIncrByFloat) {
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "f", "10.5"}), Bulk("10.5"));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "f", "0.1"}), Bulk("10.6"));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "f", "-5"}), Bulk("5.6"));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "g", "3.0e3"}), Bulk("3000"));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "g", "-3000"}), Bulk("0"));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "z", "-0.0"}), Bulk("0"));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "x", "0x10"}), Bulk("16"));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "tiny", "1e-400"}), Bulk("0"));  // a long double
  EXPECT_EQ(Run({"HGET", "h", "f"}), Bulk("5.6"));
  Run({"HSET", "h", "i", "7", "e", "1e2"});
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "i", "0.5"}), Bulk("7.5"));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "e", "0"}), Bulk("100"));
  // Errors.
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "f", "abc"}), Err(kNotFloat));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "f", "nan"}), Err(kNotFloat));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "f", " 1"}), Err(kNotFloat));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "f", "inf"}), Err(kHashIncrNotFinite));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "f", "-inf"}), Err(kHashIncrNotFinite));
  EXPECT_EQ(Run({"HINCRBYFLOAT", "nokey", "f", "inf"}), Err(kHashIncrNotFinite));
  EXPECT_EQ(Run({"EXISTS", "nokey"}), Int(0));
  for (std::string_view bad : {"abc", " 1", "1 ", "nan", ""}) {
    Run({"HSET", "h", "bad", bad});
    EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "bad", "1"}), Err(kHashValueNotFloat)) << bad;
  }
  // A value stored as inf parses, and inf + 1 is not finite.
  Run({"HSET", "h", "inf", "inf"});
  EXPECT_EQ(Run({"HINCRBYFLOAT", "h", "inf", "1"}), Err(kIncrFloatNaN));
  // Long double range: 1.7976931348623157e308 * 2 does not overflow.
  Run({"HSET", "h", "big", "1.7976931348623157e308"});
  std::string doubled = Run({"HINCRBYFLOAT", "h", "big", "1.7976931348623157e308"});
  EXPECT_EQ(doubled.substr(0, 10), "$309\r\n3595") << doubled;
  EXPECT_EQ(Run({"HGET", "h", "inf"}), Bulk("inf"));
}

// ---------------------------------------------------------------------------------------------
// Encodings

TEST_F(HashCommandsTest, ConvertsPastTheEntryLimit) {
  SetLimits(4, 8);
  Run({"HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4"});
  EXPECT_EQ(Encoding("h"), Bulk("listpack"));
  Run({"HSET", "h", "a", "5"});
  EXPECT_EQ(Encoding("h"), Bulk("listpack"));
  Run({"HSET", "h", "e", "5"});
  EXPECT_EQ(Encoding("h"), Bulk("hashtable"));
  // Repeated fields in one HSET count once.
  Run({"HSET", "r", "a", "1", "a", "2", "a", "3", "a", "4", "a", "5"});
  EXPECT_EQ(Encoding("r"), Bulk("listpack"));
  // Never back.
  Run({"HDEL", "h", "a", "b", "c", "d"});
  EXPECT_EQ(Encoding("h"), Bulk("hashtable"));
  SetLimits(0, 8);
  Run({"HSET", "z", "a", "1"});
  EXPECT_EQ(Encoding("z"), Bulk("hashtable"));
}

TEST_F(HashCommandsTest, ConvertsOnLongStrings) {
  SetLimits(4, 8);
  Run({"HSET", "h", "a", "12345678"});
  EXPECT_EQ(Encoding("h"), Bulk("listpack"));
  Run({"HSET", "h", "a", "123456789"});  // an existing field's long value
  EXPECT_EQ(Encoding("h"), Bulk("hashtable"));
  // HSETNX on an existing field changes nothing, not even the encoding.
  Run({"HSET", "n", "a", "1"});
  EXPECT_EQ(Run({"HSETNX", "n", "a", "123456789"}), Int(0));
  EXPECT_EQ(Encoding("n"), Bulk("listpack"));
  EXPECT_EQ(Run({"HSETNX", "n", "123456789", "1"}), Int(1));
  EXPECT_EQ(Encoding("n"), Bulk("hashtable"));
  // HINCRBY and HINCRBYFLOAT convert on the length of the new value or the field.
  Run({"HSET", "i", "a", "1"});
  EXPECT_EQ(Run({"HINCRBY", "i", "a", "123456789"}), Int(123456790));
  EXPECT_EQ(Encoding("i"), Bulk("hashtable"));
  Run({"HSET", "j", "a", "1"});
  Run({"HINCRBY", "j", "abcdefghi", "1"});
  EXPECT_EQ(Encoding("j"), Bulk("hashtable"));
  Run({"HSET", "k", "a", "1"});
  EXPECT_EQ(Run({"HINCRBYFLOAT", "k", "a", "0.12345678"}), Bulk("1.12345678"));
  EXPECT_EQ(Encoding("k"), Bulk("hashtable"));
  // HSET looks at all its arguments before adding any.
  Run({"HSET", "m", "a", "1", "b", "123456789"});
  EXPECT_EQ(Encoding("m"), Bulk("hashtable"));
  // A zero value limit: only empty strings fit.
  SetLimits(4, 0);
  Run({"HSET", "e", "", ""});
  EXPECT_EQ(Encoding("e"), Bulk("listpack"));
  Run({"HSET", "e", "", "x"});
  EXPECT_EQ(Encoding("e"), Bulk("hashtable"));
}

TEST_F(HashCommandsTest, MemoryIsCountedAndReleased) {
  Run({"SET", "other", "x"});  // the keyspace's bucket array exists from here on
  const size_t empty = shard_.dbs[0].memory_bytes();
  SetLimits(16, 64);
  Fill("h", 2000);
  const storage::Entry* entry = shard_.dbs[0].Peek("h", NowMs());
  ASSERT_NE(entry, nullptr);
  EXPECT_GT(shard_.dbs[0].memory_bytes(), empty + 2000 * 20);
  EXPECT_EQ(entry->hash()->AllocatedBytes(), entry->hash()->CountAllocatedBytes());
  for (int i = 0; i < 2000; i += 2) Run({"HDEL", "h", "f" + std::to_string(i)});
  for (int i = 0; i < 300; ++i) Run({"HINCRBY", "h", "f1", "100000"});
  Run({"DEL", "h"});
  // Whatever the path, the table's count returns to where it started.
  EXPECT_EQ(shard_.dbs[0].memory_bytes(), empty);
  Fill("small", 5);
  Run({"HDEL", "small", "f0", "f1", "f2", "f3", "f4"});
  EXPECT_EQ(shard_.dbs[0].memory_bytes(), empty);
}

// ---------------------------------------------------------------------------------------------
// HRANDFIELD

TEST_F(HashCommandsTest, HRandFieldArgumentErrors) {
  Run({"HSET", "h", "a", "1"});
  EXPECT_EQ(Run({"HRANDFIELD", "h", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "1.5"}), Err(kNotInteger));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "-9223372036854775808"}), Err(kRandCountOutOfRange));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "x", "foo"}), Err(kNotInteger));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "-9223372036854775808", "foo"}), Err(kRandCountOutOfRange));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "1", "foo"}), Err(kSyntax));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "1", "WITHVALUES", "x"}), Err(kSyntax));
  EXPECT_EQ(Run({"HRANDFIELD", "nokey", "1", "foo"}), Err(kSyntax));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "4611686018427387904", "foo"}), Err(kSyntax));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"}),
            Err(kValueOutOfRange));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"}),
            Err(kValueOutOfRange));
  EXPECT_EQ(Run({"HRANDFIELD", "nokey", "-4611686018427387904", "withvalues"}),
            Err(kValueOutOfRange));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "9223372036854775807", "WITHVALUES"}),
            Err(kValueOutOfRange));
  // In range: the whole hash.
  EXPECT_EQ(Run({"HRANDFIELD", "h", "4611686018427387903", "WITHVALUES"}), Bulks({"a", "1"}));
  EXPECT_EQ(Run({"HRANDFIELD", "h", "9223372036854775807"}), Bulks({"a"}));
}

TEST_F(HashCommandsTest, HRandFieldReplies) {
  EXPECT_EQ(Run({"HRANDFIELD", "nokey"}), Nil());
  EXPECT_EQ(Run({"HRANDFIELD", "nokey", "3"}), "*0\r\n");
  EXPECT_EQ(Run({"HRANDFIELD", "nokey", "-3", "WITHVALUES"}), "*0\r\n");
  EXPECT_EQ(Run({"HRANDFIELD", "nokey", "0"}), "*0\r\n");
  Run({"HSET", "h", "a", "1", "b", "2", "c", "3"});
  EXPECT_EQ(Run({"HRANDFIELD", "h", "0"}), "*0\r\n");
  EXPECT_EQ(Run({"HRANDFIELD", "h", "0", "WITHVALUES"}), "*0\r\n");
  const std::set<std::string> all = {"a", "b", "c"};
  std::string one = BulkText(Run({"HRANDFIELD", "h"}));
  EXPECT_TRUE(all.count(one)) << one;
  // Positive: distinct, at most the size.
  std::vector<std::string> two = Strings(Run({"HRANDFIELD", "h", "2"}));
  ASSERT_EQ(two.size(), 2u);
  EXPECT_NE(two[0], two[1]);
  std::vector<std::string> five = Strings(Run({"HRANDFIELD", "h", "5"}));
  EXPECT_EQ(std::set<std::string>(five.begin(), five.end()), all);
  EXPECT_EQ(five.size(), 3u);
  // Negative: exactly |count|, repeats allowed.
  std::vector<std::string> many = Strings(Run({"HRANDFIELD", "h", "-100"}));
  EXPECT_EQ(many.size(), 100u);
  EXPECT_EQ(std::set<std::string>(many.begin(), many.end()), all);
  // With values, RESP2: a flat array of pairs.
  std::vector<std::string> pairs = Strings(Run({"HRANDFIELD", "h", "-10", "withvalues"}));
  ASSERT_EQ(pairs.size(), 20u);
  for (size_t i = 0; i < pairs.size(); i += 2) {
    EXPECT_EQ(pairs[i + 1], std::string(1, static_cast<char>('1' + (pairs[i][0] - 'a'))));
  }
}

TEST_F(HashCommandsTest, HRandFieldOnAHashtable) {
  SetLimits(4, 64);
  Fill("h", 100);
  ASSERT_EQ(Encoding("h"), Bulk("hashtable"));
  for (std::string_view count : {"1", "10", "40", "99", "100", "1000"}) {
    std::vector<std::string> fields = Strings(Run({"HRANDFIELD", "h", count}));
    size_t expected = std::min<size_t>(100, std::stoul(std::string(count)));
    EXPECT_EQ(fields.size(), expected) << count;
    EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()).size(), expected) << count;
  }
  std::vector<std::string> pairs = Strings(Run({"HRANDFIELD", "h", "-500", "WITHVALUES"}));
  ASSERT_EQ(pairs.size(), 1000u);
  for (size_t i = 0; i < pairs.size(); i += 2) EXPECT_EQ("v" + pairs[i].substr(1), pairs[i + 1]);
}

// ---------------------------------------------------------------------------------------------
// HSCAN

TEST_F(HashCommandsTest, HScanArguments) {
  Run({"HSET", "h", "a", "1", "b", "2", "ab", "3"});
  EXPECT_EQ(Run({"HSCAN", "nokey", "0"}), Array({Bulk("0"), "*0\r\n"}));
  EXPECT_EQ(Run({"HSCAN", "nokey", "0", "COUNT", "x"}), Array({Bulk("0"), "*0\r\n"}));
  EXPECT_EQ(Run({"HSCAN", "nokey", "x"}), Err(kInvalidCursor));
  EXPECT_EQ(Run({"HSCAN", "h", "18446744073709551616"}), Err(kInvalidCursor));
  EXPECT_EQ(Run({"HSCAN", "h", "0", "COUNT", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"HSCAN", "h", "0", "COUNT", "0"}), Err(kSyntax));
  EXPECT_EQ(Run({"HSCAN", "h", "0", "COUNT"}), Err(kSyntax));
  EXPECT_EQ(Run({"HSCAN", "h", "0", "MATCH"}), Err(kSyntax));
  EXPECT_EQ(Run({"HSCAN", "h", "0", "TYPE", "string"}), Err(kSyntax));
  // A listpack comes whole with cursor 0, whatever the cursor and COUNT.
  const std::string all = Array({Bulk("0"), Bulks({"a", "1", "b", "2", "ab", "3"})});
  EXPECT_EQ(Run({"HSCAN", "h", "0"}), all);
  EXPECT_EQ(Run({"HSCAN", "h", "123", "COUNT", "1"}), all);
  EXPECT_EQ(Run({"HSCAN", "h", "-1"}), all);
  EXPECT_EQ(Run({"HSCAN", "h", "0", "MATCH", "a*"}),
            Array({Bulk("0"), Bulks({"a", "1", "ab", "3"})}));
  EXPECT_EQ(Run({"HSCAN", "h", "0", "match", "a*", "count", "1", "match", "b*"}),
            Array({Bulk("0"), Bulks({"b", "2"})}));
}

TEST_F(HashCommandsTest, HScanOverAHashtable) {
  SetLimits(16, 64);
  Fill("h", 3000);
  ASSERT_EQ(Encoding("h"), Bulk("hashtable"));
  size_t calls = 0;
  std::map<std::string, std::string> seen = ScanAll("h", "10", &calls);
  EXPECT_EQ(seen.size(), 3000u);
  EXPECT_GT(calls, 100u);
  for (const auto& [field, value] : seen) EXPECT_EQ("v" + field.substr(1), value);
  EXPECT_EQ(ScanAll("h", "100000", &calls).size(), 3000u);
  EXPECT_EQ(calls, 1u);
  // MATCH filters fields (and their values) after the walk.
  std::map<std::string, std::string> matched;
  std::string cursor = "0";
  do {
    std::string reply = Run({"HSCAN", "h", cursor, "MATCH", "f1?"});
    protocol::ElementReader reader(reply);
    cursor = BulkText(*reader.Next());
    std::vector<std::string> items = Strings(*reader.Next());
    for (size_t i = 0; i + 1 < items.size(); i += 2) matched[items[i]] = items[i + 1];
  } while (cursor != "0");
  EXPECT_EQ(matched.size(), 10u);
  EXPECT_EQ(matched["f17"], "v17");
}

TEST_F(HashCommandsTest, HScanSurvivesGrowthBetweenCalls) {
  SetLimits(16, 64);
  Fill("h", 500);
  std::set<std::string> seen;
  std::string cursor = "0";
  int next = 500;
  do {
    std::string reply = Run({"HSCAN", "h", cursor, "COUNT", "5"});
    protocol::ElementReader reader(reply);
    cursor = BulkText(*reader.Next());
    std::vector<std::string> items = Strings(*reader.Next());
    for (size_t i = 0; i < items.size(); i += 2) seen.insert(items[i]);
    for (int k = 0; k < 100 && next < 20'000; ++k, ++next) {
      std::string f = "f" + std::to_string(next);
      Run({"HSET", "h", f, "x"});
    }
  } while (cursor != "0");
  for (int i = 0; i < 500; ++i) EXPECT_TRUE(seen.count("f" + std::to_string(i))) << i;
}

}  // namespace
}  // namespace ringtail::commands
