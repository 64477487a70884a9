// SPDX-License-Identifier: Apache-2.0
// Tests of the generic key commands (key_commands.cc) on one in-process shard, plus the SCAN
// cursor helpers (scan_cursor.h) and a SCAN walk over several shards. Keys are put straight
// into the table, so these tests do not depend on the string commands.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_context.h"
#include "commands/command_test.h"
#include "commands/executor.h"
#include "commands/scan_cursor.h"
#include "protocol/errors.h"
#include "protocol/reply_reader.h"

namespace ringtail::commands {
namespace {

using protocol::kExpireGtLtIncompatible;
using protocol::kExpireNxIncompatible;
using protocol::kInvalidCursor;
using protocol::kNotInteger;
using protocol::kSyntax;

constexpr int64_t kInt64Max = INT64_MAX;

// The payload of an encoded bulk string ("$3\r\nabc\r\n" -> "abc").
std::string BulkPayload(std::string_view element) {
  size_t crlf = element.find("\r\n");
  EXPECT_EQ(element[0], '$') << element;
  size_t len = std::stoul(std::string(element.substr(1, crlf - 1)));
  return std::string(element.substr(crlf + 2, len));
}

// The elements of an array of bulk strings, sorted (KEYS has no defined order).
std::vector<std::string> SortedBulks(std::string_view reply) {
  std::vector<std::string> out;
  protocol::ElementReader reader(reply);
  while (auto element = reader.Next()) out.push_back(BulkPayload(*element));
  std::sort(out.begin(), out.end());
  return out;
}

struct ScanPage {
  uint64_t cursor = 0;
  std::vector<std::string> keys;
};

// Decodes a SCAN reply: [cursor as a bulk string, array of keys].
ScanPage ParseScanReply(std::string_view reply) {
  ScanPage page;
  protocol::ElementReader outer(reply);
  EXPECT_EQ(outer.count(), 2) << reply;
  page.cursor = std::stoull(BulkPayload(outer.Next().value_or("$0\r\n\r\n")));
  protocol::ElementReader keys(outer.Next().value_or("*0\r\n"));
  while (auto element = keys.Next()) page.keys.push_back(BulkPayload(*element));
  return page;
}

class KeyCommandsTest : public CommandTest {
 protected:
  storage::Table& table() { return shard_.dbs[client_.db]; }

  // Puts a string key in the selected database, with a deadline if `expire_at_ms` > 0.
  void Set(std::string_view key, std::string_view value = "v", int64_t expire_at_ms = 0) {
    storage::Entry* entry = table().FindOrInsert(key, NowMs()).entry;
    table().SetString(entry, value);
    (void)table().SetExpiry(entry, expire_at_ms);
  }

  // Walks a whole SCAN with extra `options`, calling `between` after each call; returns every
  // key returned, in order, and checks the walk ends.
  std::vector<std::string> ScanAll(
      std::vector<std::string_view> options, const std::function<void()>& between = [] {}) {
    std::vector<std::string> all;
    uint64_t cursor = 0;
    for (int calls = 0;; ++calls) {
      EXPECT_LT(calls, 100000) << "the scan does not end";
      if (calls >= 100000) break;
      std::string cursor_text = std::to_string(cursor);
      std::vector<std::string_view> args = {"SCAN", cursor_text};
      args.insert(args.end(), options.begin(), options.end());
      ScanPage page = ParseScanReply(Run(args));
      all.insert(all.end(), page.keys.begin(), page.keys.end());
      cursor = page.cursor;
      if (cursor == 0) break;
      between();
    }
    return all;
  }
};

// ---------------------------------------------------------------------------------------------
// DEL, UNLINK, EXISTS, TOUCH, TYPE

TEST_F(KeyCommandsTest, DelCountsDeletedKeys) {
  Set("a");
  Set("b");
  EXPECT_EQ(Run({"DEL", "a", "b", "missing"}), Int(2));
  EXPECT_EQ(Run({"EXISTS", "a", "b"}), Int(0));
  EXPECT_EQ(Run({"DEL", "a"}), Int(0));
}

TEST_F(KeyCommandsTest, DelCountsARepeatedKeyOnce) {
  Set("a");
  EXPECT_EQ(Run({"DEL", "a", "a"}), Int(1));
}

TEST_F(KeyCommandsTest, DelOfExpiredKeyCountsNothing) {
  Set("a", "v", NowMs() + 10);
  AdvanceTime(11);
  EXPECT_EQ(Run({"DEL", "a"}), Int(0));
  EXPECT_EQ(table().size(), 0u);
}

TEST_F(KeyCommandsTest, UnlinkDeletesLikeDel) {
  Set("a");
  Set("b");
  EXPECT_EQ(Run({"UNLINK", "a", "b", "a", "c"}), Int(2));
  EXPECT_EQ(Run({"EXISTS", "a", "b"}), Int(0));
}

TEST_F(KeyCommandsTest, ExistsCountsEveryMention) {
  Set("a");
  Set("b");
  EXPECT_EQ(Run({"EXISTS", "a"}), Int(1));
  EXPECT_EQ(Run({"EXISTS", "missing"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "a", "a", "b", "missing"}), Int(3));
}

TEST_F(KeyCommandsTest, ReadsCountKeyspaceHitsAndMisses) {
  Set("a");
  Run({"EXISTS", "a", "a", "zz"});
  EXPECT_EQ(shard_.stats.keyspace_hits, 2u);
  EXPECT_EQ(shard_.stats.keyspace_misses, 1u);
  Run({"TYPE", "zz"});
  Run({"TTL", "a"});
  Run({"TOUCH", "a", "zz"});
  EXPECT_EQ(shard_.stats.keyspace_hits, 4u);
  EXPECT_EQ(shard_.stats.keyspace_misses, 3u);
  // Writes are not lookups.
  Run({"EXPIRE", "a", "100"});
  Run({"PERSIST", "zz"});
  Run({"DEL", "a", "zz"});
  EXPECT_EQ(shard_.stats.keyspace_hits, 4u);
  EXPECT_EQ(shard_.stats.keyspace_misses, 3u);
}

TEST_F(KeyCommandsTest, TouchCountsExistingKeys) {
  Set("a");
  Set("b");
  EXPECT_EQ(Run({"TOUCH", "a", "b", "missing"}), Int(2));
  EXPECT_EQ(Run({"TOUCH", "missing"}), Int(0));
}

TEST_F(KeyCommandsTest, TypeNamesTheValueType) {
  Set("a");
  EXPECT_EQ(Run({"TYPE", "a"}), Simple("string"));
  EXPECT_EQ(Run({"TYPE", "missing"}), Simple("none"));
}

TEST_F(KeyCommandsTest, ArityErrors) {
  EXPECT_EQ(Run({"DEL"}), Err("ERR wrong number of arguments for 'del' command"));
  EXPECT_EQ(Run({"EXPIRE", "k"}), Err("ERR wrong number of arguments for 'expire' command"));
  EXPECT_EQ(Run({"TTL", "a", "b"}), Err("ERR wrong number of arguments for 'ttl' command"));
  EXPECT_EQ(Run({"RANDOMKEY", "x"}), Err("ERR wrong number of arguments for 'randomkey' command"));
  EXPECT_EQ(Run({"SCAN"}), Err("ERR wrong number of arguments for 'scan' command"));
}

TEST_F(KeyCommandsTest, RowsDeclareKeysRoutingAndMerging) {
  const CommandTable& commands = DefaultCommandTable();
  for (std::string_view name : {"del", "unlink", "exists", "touch"}) {
    const CommandSpec* spec = commands.Find(name);
    ASSERT_NE(spec, nullptr) << name;
    EXPECT_EQ(spec->first_key, 1) << name;
    EXPECT_EQ(spec->last_key, -1) << name;
    EXPECT_EQ(spec->step, 1) << name;
    EXPECT_EQ(spec->route, Route::kKeys) << name;
    EXPECT_EQ(spec->merge, Merge::kSumInts) << name;
  }
  EXPECT_EQ(commands.Find("keys")->route, Route::kAllShards);
  EXPECT_EQ(commands.Find("keys")->merge, Merge::kConcat);
  EXPECT_EQ(commands.Find("scan")->route, Route::kScanCursor);
  EXPECT_EQ(commands.Find("randomkey")->route, Route::kAllShards);
  EXPECT_EQ(commands.Find("randomkey")->merge, Merge::kCustom);
  EXPECT_NE(commands.Find("randomkey")->merge_fn, nullptr);
  EXPECT_EQ(commands.Find("expire")->flags, kWrite | kFast);
  EXPECT_EQ(commands.Find("pttl")->flags, kRead | kFast);
  EXPECT_EQ(commands.Find("del")->flags, kWrite);
}

// ---------------------------------------------------------------------------------------------
// Expired keys are never visible, even before active expiry reclaims them.

TEST_F(KeyCommandsTest, ExpiredKeyIsInvisibleToEveryCommand) {
  Set("gone", "v", NowMs() + 1000);
  AdvanceTime(1001);
  EXPECT_EQ(Run({"EXISTS", "gone"}), Int(0));
  EXPECT_EQ(Run({"TYPE", "gone"}), Simple("none"));
  EXPECT_EQ(Run({"TTL", "gone"}), Int(-2));
  EXPECT_EQ(Run({"PTTL", "gone"}), Int(-2));
  EXPECT_EQ(Run({"EXPIRETIME", "gone"}), Int(-2));
  EXPECT_EQ(Run({"TOUCH", "gone"}), Int(0));
  EXPECT_EQ(Run({"PERSIST", "gone"}), Int(0));
  EXPECT_EQ(Run({"EXPIRE", "gone", "100"}), Int(0));
  EXPECT_EQ(Run({"DEL", "gone"}), Int(0));
}

TEST_F(KeyCommandsTest, ExpiredKeysAreLeftOutOfWalks) {
  Set("live");
  Set("gone", "v", NowMs() + 5);
  AdvanceTime(6);
  EXPECT_EQ(Run({"KEYS", "*"}), Bulks({"live"}));
  EXPECT_EQ(Run({"SCAN", "0"}), Array({Bulk("0"), Bulks({"live"})}));
  EXPECT_EQ(Run({"RANDOMKEY"}), Bulk("live"));
}

// ---------------------------------------------------------------------------------------------
// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT

TEST_F(KeyCommandsTest, ExpireSetsTheDeadline) {
  Set("k");
  EXPECT_EQ(Run({"EXPIRE", "k", "100"}), Int(1));
  EXPECT_EQ(Run({"PEXPIRETIME", "k"}), Int(NowMs() + 100000));
  EXPECT_EQ(Run({"PEXPIRE", "k", "2500"}), Int(1));
  EXPECT_EQ(Run({"PEXPIRETIME", "k"}), Int(NowMs() + 2500));
  EXPECT_EQ(Run({"EXPIREAT", "k", "1800000000"}), Int(1));
  EXPECT_EQ(Run({"PEXPIRETIME", "k"}), Int(1800000000000));
  EXPECT_EQ(Run({"PEXPIREAT", "k", "1800000000123"}), Int(1));
  EXPECT_EQ(Run({"PEXPIRETIME", "k"}), Int(1800000000123));
}

TEST_F(KeyCommandsTest, ExpireOfMissingKeyReturnsZero) {
  EXPECT_EQ(Run({"EXPIRE", "missing", "100"}), Int(0));
  EXPECT_EQ(Run({"PEXPIREAT", "missing", "1800000000000"}), Int(0));
  EXPECT_EQ(table().size(), 0u);
}

TEST_F(KeyCommandsTest, KeyExpiresExactlyAtItsDeadline) {
  Set("k");
  EXPECT_EQ(Run({"PEXPIRE", "k", "100"}), Int(1));
  AdvanceTime(99);
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(1));
  EXPECT_EQ(Run({"PTTL", "k"}), Int(1));
  AdvanceTime(1);  // as in Redis, the key lives through its deadline's millisecond
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(1));
  EXPECT_EQ(Run({"PTTL", "k"}), Int(0));
  AdvanceTime(1);
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(table().expired_keys(), 1u);
}

TEST_F(KeyCommandsTest, ExpireInThePastDeletesTheKey) {
  for (std::vector<std::string_view> command : std::vector<std::vector<std::string_view>>{
           {"EXPIRE", "k", "0"},
           {"EXPIRE", "k", "-5"},
           {"PEXPIRE", "k", "0"},
           {"EXPIREAT", "k", "1700000000"},  // exactly now
           {"PEXPIREAT", "k", "1500"},
           {"PEXPIREAT", "k", "-9223372036854775808"},
       }) {
    Set("k");
    EXPECT_EQ(Run(command), Int(1)) << command[0] << " " << command[2];
    EXPECT_EQ(Run({"EXISTS", "k"}), Int(0)) << command[0] << " " << command[2];
  }
  Set("k");
  EXPECT_EQ(Run({"EXPIREAT", "k", "1700000001"}), Int(1));  // one second ahead
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(1));
}

TEST_F(KeyCommandsTest, ExpireRejectsANonInteger) {
  Set("k");
  EXPECT_EQ(Run({"EXPIRE", "k", "abc"}), Err(kNotInteger));
  EXPECT_EQ(Run({"PEXPIRE", "k", "1.5"}), Err(kNotInteger));
  EXPECT_EQ(Run({"EXPIREAT", "k", " 1"}), Err(kNotInteger));
  EXPECT_EQ(Run({"PEXPIREAT", "k", "9223372036854775808"}), Err(kNotInteger));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
}

TEST_F(KeyCommandsTest, ExpireOverflowNamesTheCommand) {
  Set("k");
  EXPECT_EQ(Run({"EXPIRE", "k", "9223372036854775"}),
            Err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(Run({"expire", "k", "-9223372036854775808"}),
            Err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(Run({"PEXPIRE", "k", "9223372036854775807"}),
            Err("ERR invalid expire time in 'pexpire' command"));
  EXPECT_EQ(Run({"ExpireAt", "k", "9223372036854775807"}),
            Err("ERR invalid expire time in 'expireat' command"));
  EXPECT_EQ(Run({"EXPIREAT", "k", "-9223372036854775808"}),
            Err("ERR invalid expire time in 'expireat' command"));
  // Checked before the key is looked up.
  EXPECT_EQ(Run({"EXPIRE", "missing", "99999999999999999"}),
            Err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
  // The largest deadlines that fit are accepted.
  std::string max_pexpire = std::to_string(kInt64Max - NowMs());
  EXPECT_EQ(Run({"PEXPIRE", "k", max_pexpire}), Int(1));
  std::string too_far = std::to_string(kInt64Max - NowMs() + 1);
  EXPECT_EQ(Run({"PEXPIRE", "k", too_far}), Err("ERR invalid expire time in 'pexpire' command"));
  EXPECT_EQ(Run({"PEXPIREAT", "k", "9223372036854775807"}), Int(1));
  EXPECT_EQ(Run({"PEXPIRETIME", "k"}), Int(kInt64Max));
  EXPECT_EQ(Run({"EXPIRETIME", "k"}), Int(9223372036854776));  // rounded as Redis does
  EXPECT_EQ(Run({"PTTL", "k"}), Int(kInt64Max - NowMs()));
}

TEST_F(KeyCommandsTest, ExpireNxOnlyWithoutDeadline) {
  Set("k");
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "NX"}), Int(1));
  EXPECT_EQ(Run({"EXPIRE", "k", "200", "nx"}), Int(0));
  EXPECT_EQ(Run({"TTL", "k"}), Int(100));
}

TEST_F(KeyCommandsTest, ExpireXxOnlyWithDeadline) {
  Set("k");
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "XX"}), Int(0));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
  Run({"EXPIRE", "k", "100"});
  EXPECT_EQ(Run({"EXPIRE", "k", "200", "xx"}), Int(1));
  EXPECT_EQ(Run({"TTL", "k"}), Int(200));
  // A past deadline under XX still deletes.
  EXPECT_EQ(Run({"EXPIRE", "k", "0", "XX"}), Int(1));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
}

TEST_F(KeyCommandsTest, ExpireGtTreatsNoDeadlineAsInfinite) {
  Set("k");
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "GT"}), Int(0));
  EXPECT_EQ(Run({"EXPIRE", "k", "-5", "GT"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(1));
  Run({"EXPIRE", "k", "100"});
  EXPECT_EQ(Run({"EXPIRE", "k", "50", "GT"}), Int(0));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "GT"}), Int(0));  // equal is not greater
  EXPECT_EQ(Run({"EXPIRE", "k", "200", "gt"}), Int(1));
  EXPECT_EQ(Run({"TTL", "k"}), Int(200));
  EXPECT_EQ(Run({"EXPIRE", "k", "300", "XX", "GT"}), Int(1));
  EXPECT_EQ(Run({"TTL", "k"}), Int(300));
}

TEST_F(KeyCommandsTest, ExpireLtSetsADeadlineOnAKeyWithout) {
  Set("k");
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "LT"}), Int(1));
  EXPECT_EQ(Run({"EXPIRE", "k", "300", "lt"}), Int(0));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "LT"}), Int(0));  // equal is not less
  EXPECT_EQ(Run({"EXPIRE", "k", "10", "LT"}), Int(1));
  EXPECT_EQ(Run({"TTL", "k"}), Int(10));
  EXPECT_EQ(Run({"PEXPIRE", "k", "20000", "XX", "LT"}), Int(0));
  // A past deadline under LT deletes, as on a key without deadline.
  Set("n");
  EXPECT_EQ(Run({"EXPIRE", "n", "-5", "LT"}), Int(1));
  EXPECT_EQ(Run({"EXISTS", "n"}), Int(0));
}

TEST_F(KeyCommandsTest, ExpireConditionsCompareMilliseconds) {
  Set("k");
  Run({"PEXPIRE", "k", "100500"});
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "GT"}), Int(0));
  EXPECT_EQ(Run({"EXPIRE", "k", "101", "GT"}), Int(1));
  EXPECT_EQ(Run({"PEXPIREAT", "k", std::to_string(NowMs() + 100999), "LT"}), Int(1));
  EXPECT_EQ(Run({"PTTL", "k"}), Int(100999));
}

TEST_F(KeyCommandsTest, ExpireRejectsIncompatibleOptions) {
  Set("k");
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "NX", "XX"}), Err(kExpireNxIncompatible));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "nx", "gt"}), Err(kExpireNxIncompatible));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "LT", "NX"}), Err(kExpireNxIncompatible));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "lt", "gt", "nx"}), Err(kExpireNxIncompatible));
  EXPECT_EQ(Run({"PEXPIRE", "k", "100", "GT", "LT"}), Err(kExpireGtLtIncompatible));
  EXPECT_EQ(Run({"EXPIREAT", "k", "100", "XX", "GT", "LT"}), Err(kExpireGtLtIncompatible));
  EXPECT_EQ(Run({"PEXPIREAT", "k", "100", "foo"}), Err("ERR Unsupported option foo"));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "NX", "Bar"}), Err("ERR Unsupported option Bar"));
  // Repeating an option is allowed.
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "NX", "NX"}), Int(1));
}

TEST_F(KeyCommandsTest, ExpireChecksOptionsBeforeTheTime) {
  Set("k");
  EXPECT_EQ(Run({"EXPIRE", "k", "abc", "foo"}), Err("ERR Unsupported option foo"));
  EXPECT_EQ(Run({"EXPIRE", "k", "abc", "NX", "XX"}), Err(kExpireNxIncompatible));
  EXPECT_EQ(Run({"EXPIRE", "missing", "100", "GT", "LT"}), Err(kExpireGtLtIncompatible));
  EXPECT_EQ(Run({"EXPIRE", "k", "abc", "NX"}), Err(kNotInteger));
}

// ---------------------------------------------------------------------------------------------
// TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST

TEST_F(KeyCommandsTest, TtlOfMissingKeyAndKeyWithoutDeadline) {
  Set("k");
  for (std::string_view command : {"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"}) {
    EXPECT_EQ(Run({command, "missing"}), Int(-2)) << command;
    EXPECT_EQ(Run({command, "k"}), Int(-1)) << command;
  }
}

TEST_F(KeyCommandsTest, TtlRoundsToTheNearestSecond) {
  Set("k");
  struct Case {
    const char* pttl_ms;
    int64_t ttl;
  };
  for (Case c : {Case{"1499", 1}, Case{"1500", 2}, Case{"500", 1}, Case{"499", 0}, Case{"1", 0},
                 Case{"100000", 100}, Case{"99501", 100}}) {
    Run({"PEXPIRE", "k", c.pttl_ms});
    EXPECT_EQ(Run({"TTL", "k"}), Int(c.ttl)) << c.pttl_ms;
    EXPECT_EQ(Run({"PTTL", "k"}), Int(std::stoll(c.pttl_ms))) << c.pttl_ms;
  }
}

TEST_F(KeyCommandsTest, TtlCountsDownWithTime) {
  Set("k");
  Run({"PEXPIRE", "k", "10000"});
  AdvanceTime(4501);
  EXPECT_EQ(Run({"PTTL", "k"}), Int(5499));
  EXPECT_EQ(Run({"TTL", "k"}), Int(5));
  AdvanceTime(4999);
  EXPECT_EQ(Run({"PTTL", "k"}), Int(500));
  EXPECT_EQ(Run({"TTL", "k"}), Int(1));
  AdvanceTime(501);
  EXPECT_EQ(Run({"TTL", "k"}), Int(-2));
}

TEST_F(KeyCommandsTest, ExpireTimeIsTheAbsoluteDeadline) {
  Set("k");
  Run({"EXPIRE", "k", "100"});
  EXPECT_EQ(Run({"EXPIRETIME", "k"}), Int(1700000100));
  EXPECT_EQ(Run({"PEXPIRETIME", "k"}), Int(1700000100000));
  AdvanceTime(30000);  // a deadline does not move with time
  EXPECT_EQ(Run({"EXPIRETIME", "k"}), Int(1700000100));
  Run({"PEXPIREAT", "k", "9999999999499"});
  EXPECT_EQ(Run({"EXPIRETIME", "k"}), Int(9999999999));
  Run({"PEXPIREAT", "k", "9999999999500"});
  EXPECT_EQ(Run({"EXPIRETIME", "k"}), Int(10000000000));
}

TEST_F(KeyCommandsTest, PersistRemovesTheDeadline) {
  Set("k");
  EXPECT_EQ(Run({"PERSIST", "missing"}), Int(0));
  EXPECT_EQ(Run({"PERSIST", "k"}), Int(0));
  Run({"EXPIRE", "k", "100"});
  EXPECT_EQ(table().expires_count(), 1u);
  EXPECT_EQ(Run({"PERSIST", "k"}), Int(1));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
  EXPECT_EQ(table().expires_count(), 0u);
  EXPECT_EQ(Run({"PERSIST", "k"}), Int(0));
  AdvanceTime(200000);
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(1));
}

// ---------------------------------------------------------------------------------------------
// KEYS

TEST_F(KeyCommandsTest, KeysMatchesGlobPatterns) {
  for (std::string_view key : {"hello", "hallo", "hxllo", "hllo", "heeeello", "other", "h*llo"}) {
    Set(key);
  }
  using V = std::vector<std::string>;
  EXPECT_EQ(SortedBulks(Run({"KEYS", "*"})),
            (V{"h*llo", "hallo", "heeeello", "hello", "hllo", "hxllo", "other"}));
  EXPECT_EQ(SortedBulks(Run({"KEYS", "h?llo"})), (V{"h*llo", "hallo", "hello", "hxllo"}));
  EXPECT_EQ(SortedBulks(Run({"KEYS", "h*llo"})),
            (V{"h*llo", "hallo", "heeeello", "hello", "hllo", "hxllo"}));
  EXPECT_EQ(SortedBulks(Run({"KEYS", "h[ae]llo"})), (V{"hallo", "hello"}));
  EXPECT_EQ(SortedBulks(Run({"KEYS", "h[^e]llo"})), (V{"h*llo", "hallo", "hxllo"}));
  EXPECT_EQ(SortedBulks(Run({"KEYS", "h[a-b]llo"})), (V{"hallo"}));
  EXPECT_EQ(SortedBulks(Run({"KEYS", "h\\*llo"})), (V{"h*llo"}));
  EXPECT_EQ(Run({"KEYS", "other"}), Bulks({"other"}));
  EXPECT_EQ(Run({"KEYS", "nothing*"}), Bulks({}));
}

TEST_F(KeyCommandsTest, KeysOfEmptyDatabase) { EXPECT_EQ(Run({"KEYS", "*"}), Bulks({})); }

TEST_F(KeyCommandsTest, KeysSeesOnlyTheSelectedDatabase) {
  Set("db0");
  client_.db = 3;
  Set("db3");
  EXPECT_EQ(Run({"KEYS", "*"}), Bulks({"db3"}));
  client_.db = 0;
  EXPECT_EQ(Run({"KEYS", "*"}), Bulks({"db0"}));
}

// ---------------------------------------------------------------------------------------------
// SCAN

TEST_F(KeyCommandsTest, ScanOfEmptyDatabase) {
  EXPECT_EQ(Run({"SCAN", "0"}), Array({Bulk("0"), Bulks({})}));
  EXPECT_EQ(Run({"SCAN", "0", "COUNT", "100", "MATCH", "*", "TYPE", "string"}),
            Array({Bulk("0"), Bulks({})}));
}

TEST_F(KeyCommandsTest, ScanVisitsEveryKeyExactlyOnce) {
  std::set<std::string> expected;
  for (int i = 0; i < 1000; ++i) {
    std::string key = "key:" + std::to_string(i);
    Set(key);
    expected.insert(key);
  }
  std::vector<std::string> seen = ScanAll({"COUNT", "7"});
  std::map<std::string, int> times;
  for (const std::string& key : seen) ++times[key];
  EXPECT_EQ(seen.size(), 1000u);
  for (const std::string& key : expected) EXPECT_EQ(times[key], 1) << key;
}

TEST_F(KeyCommandsTest, ScanStepsReturnAboutCountKeys) {
  for (int i = 0; i < 1000; ++i) Set("key:" + std::to_string(i));
  ScanPage page = ParseScanReply(Run({"SCAN", "0"}));
  EXPECT_NE(page.cursor, 0u);
  EXPECT_GE(page.keys.size(), 10u);  // the default COUNT
  EXPECT_LT(page.keys.size(), 40u);
  page = ParseScanReply(Run({"SCAN", "0", "COUNT", "100"}));
  EXPECT_GE(page.keys.size(), 100u);
  page = ParseScanReply(Run({"SCAN", "0", "COUNT", "9223372036854775807"}));
  EXPECT_EQ(page.cursor, 0u);
  EXPECT_EQ(page.keys.size(), 1000u);
}

TEST_F(KeyCommandsTest, ScanWithDefaultCountReturnsEveryKey) {
  for (int i = 0; i < 100; ++i) Set("key:" + std::to_string(i));
  std::vector<std::string> seen = ScanAll({});
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 100u);
}

TEST_F(KeyCommandsTest, ScanMatchFiltersKeys) {
  std::set<std::string> users;
  for (int i = 0; i < 100; ++i) {
    users.insert("user:" + std::to_string(i));
    Set("user:" + std::to_string(i));
    Set("item:" + std::to_string(i));
  }
  std::vector<std::string> seen = ScanAll({"MATCH", "user:*", "COUNT", "7"});
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), users);
  EXPECT_EQ(seen.size(), 100u);
  seen = ScanAll({"match", "user:1?"});
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_TRUE(ScanAll({"MATCH", "nobody*"}).empty());
  // The last MATCH wins.
  seen = ScanAll({"MATCH", "user:*", "MATCH", "item:5"});
  EXPECT_EQ(seen, std::vector<std::string>{"item:5"});
}

TEST_F(KeyCommandsTest, ScanTypeFiltersKeys) {
  for (int i = 0; i < 50; ++i) Set("key:" + std::to_string(i));
  EXPECT_EQ(ScanAll({"TYPE", "string"}).size(), 50u);
  EXPECT_EQ(ScanAll({"type", "STRING", "COUNT", "3"}).size(), 50u);
  EXPECT_TRUE(ScanAll({"TYPE", "list"}).empty());
  EXPECT_TRUE(ScanAll({"TYPE", "hash"}).empty());
  EXPECT_TRUE(ScanAll({"TYPE", "nosuchtype"}).empty());  // not an error in Redis 7.0
  EXPECT_EQ(ScanAll({"TYPE", "string", "MATCH", "key:1*"}).size(), 11u);
}

TEST_F(KeyCommandsTest, ScanTypeFilterCountsLookupsOfMatchingKeys) {
  for (int i = 0; i < 20; ++i) Set("key:" + std::to_string(i));
  Set("other");
  ScanAll({"COUNT", "1000"});
  EXPECT_EQ(shard_.stats.keyspace_hits, 0u);
  ScanAll({"COUNT", "1000", "MATCH", "key:*", "TYPE", "string"});
  EXPECT_EQ(shard_.stats.keyspace_hits, 20u);
}

TEST_F(KeyCommandsTest, ScanReturnsEveryKeyPresentThroughoutWhileKeysAreAdded) {
  std::set<std::string> initial;
  for (int i = 0; i < 300; ++i) {
    initial.insert("old:" + std::to_string(i));
    Set("old:" + std::to_string(i));
  }
  int added = 0;
  std::vector<std::string> seen = ScanAll({"COUNT", "5"}, [&] {
    for (int i = 0; i < 20; ++i) Set("new:" + std::to_string(added++));  // grows and rehashes
  });
  EXPECT_GT(added, 300);
  std::set<std::string> unique(seen.begin(), seen.end());
  for (const std::string& key : initial) EXPECT_EQ(unique.count(key), 1u) << key;
}

TEST_F(KeyCommandsTest, ScanReturnsEveryKeyPresentThroughoutWhileKeysAreDeleted) {
  std::set<std::string> kept;
  std::vector<std::string> doomed;
  for (int i = 0; i < 1000; ++i) {
    std::string key = "key:" + std::to_string(i);
    Set(key);
    if (i % 10 == 0) {
      kept.insert(key);
    } else {
      doomed.push_back(key);
    }
  }
  std::vector<std::string> seen = ScanAll({"COUNT", "5"}, [&] {
    for (int i = 0; i < 30 && !doomed.empty(); ++i) {  // shrinks and rehashes
      table().Erase(doomed.back(), NowMs());
      doomed.pop_back();
    }
  });
  EXPECT_TRUE(doomed.empty());
  std::set<std::string> unique(seen.begin(), seen.end());
  for (const std::string& key : kept) EXPECT_EQ(unique.count(key), 1u) << key;
}

TEST_F(KeyCommandsTest, ScanRejectsInvalidCursors) {
  for (std::string_view cursor :
       {"abc", " 0", "0 ", "\t0", "0x10", "1.5", "-", "+", "18446744073709551616",
        "-18446744073709551616", "99999999999999999999999"}) {
    EXPECT_EQ(Run({"SCAN", cursor}), Err(kInvalidCursor)) << cursor;
  }
  // The cursor is checked before the options.
  EXPECT_EQ(Run({"SCAN", "abc", "COUNT", "x"}), Err(kInvalidCursor));
}

TEST_F(KeyCommandsTest, ScanAcceptsCursorsAsStrtoulDoes) {
  Set("a");
  std::string whole = Array({Bulk("0"), Bulks({"a"})});
  EXPECT_EQ(Run({"SCAN", ""}), whole);
  EXPECT_EQ(Run({"SCAN", "+0"}), whole);
  EXPECT_EQ(Run({"SCAN", "-0"}), whole);
  EXPECT_EQ(Run({"SCAN", "000"}), whole);
  EXPECT_EQ(Run({"SCAN", std::string_view("0\0junk", 6)}), whole);
  // Unsigned 64-bit cursors, negative ones wrapping around, are valid.
  for (std::string_view cursor : {"18446744073709551615", "-1", "-18446744073709551615", "7"}) {
    ScanPage page = ParseScanReply(Run({"SCAN", cursor}));
    EXPECT_LE(page.keys.size(), 1u) << cursor;
  }
}

TEST_F(KeyCommandsTest, ScanRejectsBadOptions) {
  EXPECT_EQ(Run({"SCAN", "0", "COUNT", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"SCAN", "0", "COUNT", "9223372036854775808"}), Err(kNotInteger));
  EXPECT_EQ(Run({"SCAN", "0", "COUNT", "0"}), Err(kSyntax));
  EXPECT_EQ(Run({"SCAN", "0", "COUNT", "-1"}), Err(kSyntax));
  EXPECT_EQ(Run({"SCAN", "0", "COUNT"}), Err(kSyntax));
  EXPECT_EQ(Run({"SCAN", "0", "MATCH"}), Err(kSyntax));
  EXPECT_EQ(Run({"SCAN", "0", "TYPE"}), Err(kSyntax));
  EXPECT_EQ(Run({"SCAN", "0", "foo", "bar"}), Err(kSyntax));
  EXPECT_EQ(Run({"SCAN", "0", "COUNT", "10", "MATCH"}), Err(kSyntax));
}

// ---------------------------------------------------------------------------------------------
// RANDOMKEY

TEST_F(KeyCommandsTest, RandomKeyOfEmptyDatabaseIsNull) {
  EXPECT_EQ(Run({"RANDOMKEY"}), Nil());
  client_.resp3 = true;
  EXPECT_EQ(Run({"RANDOMKEY"}), "_\r\n");
}

TEST_F(KeyCommandsTest, RandomKeyReturnsEachKeySometimes) {
  Set("a");
  Set("b");
  Set("c");
  std::set<std::string> seen;
  for (int i = 0; i < 300; ++i) {
    std::string reply = Run({"RANDOMKEY"});
    seen.insert(BulkPayload(reply));
  }
  EXPECT_EQ(seen, (std::set<std::string>{"a", "b", "c"}));
}

TEST_F(KeyCommandsTest, RandomKeySkipsAndDeletesExpiredKeys) {
  for (int i = 0; i < 50; ++i) Set("gone:" + std::to_string(i), "v", NowMs() + 1);
  Set("live");
  AdvanceTime(2);
  // A pick may land on the live key first (1 in 51); the expired ones met are deleted.
  for (int i = 0; i < 20 && table().expired_keys() == 0; ++i) {
    EXPECT_EQ(Run({"RANDOMKEY"}), Bulk("live"));
  }
  EXPECT_GT(table().expired_keys(), 0u);
}

TEST_F(KeyCommandsTest, RandomKeyFindsTheLiveKeyAmongManyExpired) {
  for (int i = 0; i < 5000; ++i) Set("gone:" + std::to_string(i), "v", NowMs() + 1);
  Set("live");
  AdvanceTime(2);
  EXPECT_EQ(Run({"RANDOMKEY"}), Bulk("live"));
}

TEST_F(KeyCommandsTest, RandomKeyWhenEveryKeyExpiredIsNull) {
  for (int i = 0; i < 50; ++i) Set("gone:" + std::to_string(i), "v", NowMs() + 1);
  AdvanceTime(2);
  EXPECT_EQ(Run({"RANDOMKEY"}), Nil());
  EXPECT_EQ(table().size(), 0u);
  EXPECT_EQ(table().expired_keys(), 50u);
}

// The merge of the shards' RANDOMKEY replies.
class RandomKeyMergeTest : public CommandTest {
 protected:
  std::string MergeSubReplies(std::vector<std::string> subs, bool resp3 = false) {
    std::vector<std::string_view> views(subs.begin(), subs.end());
    std::vector<std::string_view> args = {"RANDOMKEY"};
    std::string out;
    protocol::ReplyBuilder reply(&out, resp3);
    MergeContext ctx{args, views, shard_, reply};
    MergeReplies(*DefaultCommandTable().Find("randomkey"), ctx, {});
    return out;
  }
};

TEST_F(RandomKeyMergeTest, PicksAmongTheShardsThatHaveAKey) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(MergeSubReplies({Nil(), Bulk("a"), Nil(), Bulk("b")}));
  EXPECT_EQ(seen, (std::set<std::string>{Bulk("a"), Bulk("b")}));
  EXPECT_EQ(MergeSubReplies({"_\r\n", Bulk("c"), "_\r\n"}, true), Bulk("c"));
}

TEST_F(RandomKeyMergeTest, NullWhenNoShardHasAKey) {
  EXPECT_EQ(MergeSubReplies({Nil(), Nil()}), Nil());
  EXPECT_EQ(MergeSubReplies({"_\r\n", "_\r\n"}, true), "_\r\n");
  EXPECT_EQ(MergeSubReplies({}), Nil());
}

TEST_F(RandomKeyMergeTest, AnErrorWins) {
  EXPECT_EQ(MergeSubReplies({Bulk("a"), Err("ERR boom")}), Err("ERR boom"));
}

// ---------------------------------------------------------------------------------------------
// The SCAN cursor across shards (scan_cursor.h).

TEST(ScanCursorTest, ShardBitsCoverEveryShard) {
  EXPECT_EQ(ShardBits(1), 0);
  EXPECT_EQ(ShardBits(2), 1);
  EXPECT_EQ(ShardBits(3), 2);
  EXPECT_EQ(ShardBits(4), 2);
  EXPECT_EQ(ShardBits(5), 3);
  EXPECT_EQ(ShardBits(8), 3);
  EXPECT_EQ(ShardBits(9), 4);
  EXPECT_EQ(ShardBits(64), 6);
}

TEST(ScanCursorTest, OneShardCursorIsTheTableCursor) {
  for (uint64_t c : {uint64_t{0}, uint64_t{1}, uint64_t{12345}, ~uint64_t{0}}) {
    EXPECT_EQ(EncodeScanCursor(c, 0, 1), c);
    EXPECT_EQ(ScanCursorTable(c, 1), c);
    EXPECT_EQ(ScanCursorShard(c, 1), 0u);
  }
}

TEST(ScanCursorTest, EncodeDecodeRoundTrips) {
  for (uint32_t count : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 16u, 100u}) {
    for (uint32_t shard = 0; shard < count; ++shard) {
      for (uint64_t table_cursor :
           {uint64_t{0}, uint64_t{1}, uint64_t{6}, uint64_t{1023}, uint64_t{1} << 40}) {
        uint64_t cursor = EncodeScanCursor(table_cursor, shard, count);
        EXPECT_EQ(ScanCursorShard(cursor, count), shard) << count << " " << table_cursor;
        EXPECT_EQ(ScanCursorTable(cursor, count), table_cursor) << count << " " << shard;
      }
    }
  }
  // The start of every shard but the first is a non-zero cursor.
  EXPECT_EQ(EncodeScanCursor(0, 0, 4), 0u);
  EXPECT_NE(EncodeScanCursor(0, 1, 4), 0u);
}

TEST(ScanCursorTest, OutOfRangeShardIsClampedToTheLast) {
  EXPECT_EQ(ScanCursorShard(3, 3), 2u);  // low bits 11 with 3 shards
  EXPECT_EQ(ScanCursorShard(~uint64_t{0}, 5), 4u);
}

TEST(ScanCursorTest, NextCursorMovesThroughTheShardsAndEndsWithZero) {
  EXPECT_EQ(NextScanCursor(5, 1, 4), EncodeScanCursor(5, 1, 4));  // same shard, more to go
  EXPECT_EQ(NextScanCursor(0, 0, 4), EncodeScanCursor(0, 1, 4));
  EXPECT_EQ(NextScanCursor(0, 2, 4), EncodeScanCursor(0, 3, 4));
  EXPECT_EQ(NextScanCursor(0, 3, 4), 0u);  // the last shard is done: the scan is complete
  EXPECT_EQ(NextScanCursor(0, 0, 1), 0u);
  EXPECT_EQ(NextScanCursor(9, 0, 1), 9u);
  EXPECT_EQ(ScanCursorShard(NextScanCursor(0, 1, 3), 3), 2u);
  EXPECT_EQ(ScanCursorTable(NextScanCursor(0, 1, 3), 3), 0u);
}

// A SCAN walk over three shards, each call sent to the shard its cursor names, as the
// dispatcher does.
class MultiShardScanTest : public CommandTest {
 protected:
  static constexpr uint32_t kShards = 3;

  MultiShardScanTest() {
    for (uint32_t i = 0; i < kShards; ++i) {
      shards_.push_back(
          std::make_unique<ShardState>(i, kShards, DefaultCommandTable(), info_, Config{}));
      shards_.back()->clock.Freeze(kStartMs);
    }
  }

  void Set(uint32_t shard, const std::string& key) {
    shards_[shard]->dbs[0].SetString(shards_[shard]->dbs[0].FindOrInsert(key, kStartMs).entry, "v");
  }

  std::string RunOn(uint32_t shard, std::vector<std::string_view> args) {
    std::string out;
    protocol::ReplyBuilder reply(&out);
    Execute(*DefaultCommandTable().Find(args[0]), *shards_[shard], args, 0, reply, nullptr);
    return out;
  }

  // Walks a whole scan; returns the keys and counts the calls.
  std::vector<std::string> ScanAll(std::string_view count, int* calls) {
    std::vector<std::string> all;
    uint64_t cursor = 0;
    *calls = 0;
    do {
      std::string cursor_text = std::to_string(cursor);
      uint32_t shard = ScanCursorShard(cursor, kShards);
      ScanPage page = ParseScanReply(RunOn(shard, {"SCAN", cursor_text, "COUNT", count}));
      ++*calls;
      all.insert(all.end(), page.keys.begin(), page.keys.end());
      cursor = page.cursor;
    } while (cursor != 0 && *calls < 100000);
    return all;
  }

  std::vector<std::unique_ptr<ShardState>> shards_;
};

TEST_F(MultiShardScanTest, VisitsEveryShardsKeysExactlyOnce) {
  std::set<std::string> expected;
  for (int i = 0; i < 600; ++i) {
    std::string key = "key:" + std::to_string(i);
    Set(static_cast<uint32_t>(i) % kShards, key);
    expected.insert(key);
  }
  int calls = 0;
  std::vector<std::string> seen = ScanAll("7", &calls);
  EXPECT_EQ(seen.size(), 600u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
  EXPECT_GT(calls, 600 / 7 / 2);
}

TEST_F(MultiShardScanTest, EmptyShardsHandTheCursorOn) {
  Set(2, "only");
  EXPECT_EQ(RunOn(0, {"SCAN", "0"}),
            Array({Bulk(std::to_string(EncodeScanCursor(0, 1, 3))), Bulks({})}));
  int calls = 0;
  EXPECT_EQ(ScanAll("10", &calls), std::vector<std::string>{"only"});
  EXPECT_EQ(calls, 3);  // shards 0 and 1 hand the cursor on, shard 2 ends the scan
}

}  // namespace
}  // namespace ringtail::commands

namespace ringtail::commands {
namespace {

// EXISTS, TYPE and TTL look at a key without counting as an access (Redis's LOOKUP_NOTOUCH);
// TOUCH and GET do.
TEST_F(KeyCommandsTest, InspectingAKeyDoesNotTouchIt) {
  Run({"SET", "k", "v"});
  AdvanceTime(5000);
  Run({"EXISTS", "k"});
  Run({"TYPE", "k"});
  Run({"TTL", "k"});
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "k"}), Int(5));
  Run({"TOUCH", "k"});
  EXPECT_EQ(Run({"OBJECT", "IDLETIME", "k"}), Int(0));
}

}  // namespace
}  // namespace ringtail::commands
