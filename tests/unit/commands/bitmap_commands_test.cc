// SPDX-License-Identifier: Apache-2.0
// Tests of the bitmap command family (src/commands/bitmap_commands.cc) on one in-process shard.
// Expected replies, error texts and the order in which errors win were checked against
// redis-server 7.0.15.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_test.h"
#include "protocol/errors.h"

namespace ringtail::commands {
namespace {

using protocol::kBitArgNotBinary;
using protocol::kBitFieldInvalidOverflow;
using protocol::kBitFieldInvalidType;
using protocol::kBitFieldRoWrite;
using protocol::kBitOffsetInvalid;
using protocol::kBitOpNotSingleKey;
using protocol::kBitValueInvalid;
using protocol::kNotInteger;
using protocol::kSyntax;
using protocol::kWrongType;

class BitmapCommandsTest : public CommandTest {
 protected:
  // The key's deadline in Unix ms (0 for none), or -1 if the key is absent.
  int64_t DeadlineMs(std::string_view key) {
    const storage::Entry* entry = shard_.dbs[0].Peek(key, NowMs());
    return entry == nullptr ? -1 : entry->expire_at_ms();
  }
  // Makes `key` a list (another type).
  void MakeList(std::string_view key) { ASSERT_EQ(Run({"RPUSH", key, "x"}), Int(1)); }
  // An array reply of integers and nulls (nullopt).
  static std::string Ints(std::initializer_list<std::optional<int64_t>> items) {
    std::string out = "*" + std::to_string(items.size()) + "\r\n";
    for (const auto& item : items) out += item ? Int(*item) : Nil();
    return out;
  }
  uint64_t hits() const { return shard_.stats.keyspace_hits; }
  uint64_t misses() const { return shard_.stats.keyspace_misses; }
};

TEST_F(BitmapCommandsTest, RowsMatchRedisCommandInfo) {
  ExpectSpecRows({
      {"setbit", 4, kWrite | kDenyOom, 1, 1, 1},
      {"getbit", 3, kRead | kFast, 1, 1, 1},
      {"bitcount", -2, kRead, 1, 1, 1},
      {"bitpos", -3, kRead, 1, 1, 1},
      {"bitop", -4, kWrite | kDenyOom, 2, -1, 1},
      {"bitfield", -2, kWrite | kDenyOom, 1, 1, 1},
      {"bitfield_ro", -2, kRead | kFast, 1, 1, 1},
  }, "bitmap");
}

// ---------------------------------------------------------------------------------------------
// SETBIT / GETBIT

TEST_F(BitmapCommandsTest, SetBitGrowsTheStringAndRepliesTheOldBit) {
  EXPECT_EQ(Run({"SETBIT", "k", "7", "1"}), Int(0));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("\x01"));
  EXPECT_EQ(Run({"SETBIT", "k", "7", "1"}), Int(1));
  EXPECT_EQ(Run({"SETBIT", "k", "7", "0"}), Int(1));
  EXPECT_EQ(Run({"SETBIT", "k", "17", "1"}), Int(0));
  EXPECT_EQ(Run({"GET", "k"}), Bulk(std::string("\x00\x00\x40", 3)));
  EXPECT_EQ(Run({"SETBIT", "k", "0", "0"}), Int(0));  // clearing does not shrink
  EXPECT_EQ(Run({"STRLEN", "k"}), Int(3));
  EXPECT_EQ(Run({"SETBIT", "new", "100", "0"}), Int(0));  // a clear bit still creates the key
  EXPECT_EQ(Run({"STRLEN", "new"}), Int(13));
}

TEST_F(BitmapCommandsTest, GetBitReadsPastTheEndAsZero) {
  EXPECT_EQ(Run({"GETBIT", "missing", "0"}), Int(0));
  ASSERT_EQ(Run({"SET", "k", "`"}), Ok());  // 0110 0000
  EXPECT_EQ(Run({"GETBIT", "k", "0"}), Int(0));
  EXPECT_EQ(Run({"GETBIT", "k", "1"}), Int(1));
  EXPECT_EQ(Run({"GETBIT", "k", "2"}), Int(1));
  EXPECT_EQ(Run({"GETBIT", "k", "3"}), Int(0));
  EXPECT_EQ(Run({"GETBIT", "k", "4294967295"}), Int(0));
  ASSERT_EQ(Run({"SET", "n", "12"}), Ok());      // an integer-looking value is its digits
  EXPECT_EQ(Run({"GETBIT", "n", "2"}), Int(1));  // '1' is 0x31
  EXPECT_EQ(Run({"GETBIT", "n", "7"}), Int(1));
  EXPECT_EQ(Run({"GETBIT", "n", "6"}), Int(0));
}

TEST_F(BitmapCommandsTest, SetBitKeepsTheDeadline) {
  ASSERT_EQ(Run({"SET", "k", "a", "PX", "5000"}), Ok());
  EXPECT_EQ(Run({"SETBIT", "k", "100", "1"}), Int(0));
  EXPECT_EQ(DeadlineMs("k"), NowMs() + 5000);
}

TEST_F(BitmapCommandsTest, BitOffsetAndValueErrors) {
  for (std::string_view offset :
       {"-1", "x", "1.5", "", " 1", "+1", "01", "#1", "4294967296", "9223372036854775808"}) {
    EXPECT_EQ(Run({"SETBIT", "k", offset, "1"}), Err(kBitOffsetInvalid)) << offset;
    EXPECT_EQ(Run({"GETBIT", "k", offset}), Err(kBitOffsetInvalid)) << offset;
  }
  for (std::string_view value : {"2", "-1", "x", "", "01"}) {
    EXPECT_EQ(Run({"SETBIT", "k", "0", value}), Err(kBitValueInvalid)) << value;
  }
  // The offset is checked first, then the value, then the key's type.
  EXPECT_EQ(Run({"SETBIT", "k", "x", "x"}), Err(kBitOffsetInvalid));
  MakeList("l");
  EXPECT_EQ(Run({"SETBIT", "l", "x", "1"}), Err(kBitOffsetInvalid));
  EXPECT_EQ(Run({"SETBIT", "l", "0", "5"}), Err(kBitValueInvalid));
  EXPECT_EQ(Run({"SETBIT", "l", "0", "1"}), Err(kWrongType));
  EXPECT_EQ(Run({"GETBIT", "l", "0"}), Err(kWrongType));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
}

TEST_F(BitmapCommandsTest, BitOffsetLimitFollowsProtoMaxBulkLen) {
  shard_.config.proto_max_bulk_len = 1024 * 1024;
  EXPECT_EQ(Run({"SETBIT", "k", "8388608", "1"}), Err(kBitOffsetInvalid));
  EXPECT_EQ(Run({"GETBIT", "k", "8388608"}), Err(kBitOffsetInvalid));
  EXPECT_EQ(Run({"SETBIT", "k", "8388607", "1"}), Int(0));
  EXPECT_EQ(Run({"STRLEN", "k"}), Int(1024 * 1024));
}

// ---------------------------------------------------------------------------------------------
// BITCOUNT

TEST_F(BitmapCommandsTest, BitCountRanges) {
  ASSERT_EQ(Run({"SET", "k", "foobar"}), Ok());
  EXPECT_EQ(Run({"BITCOUNT", "k"}), Int(26));
  EXPECT_EQ(Run({"BITCOUNT", "k", "0", "0"}), Int(4));
  EXPECT_EQ(Run({"BITCOUNT", "k", "1", "1"}), Int(6));
  EXPECT_EQ(Run({"BITCOUNT", "k", "1", "1", "BYTE"}), Int(6));
  EXPECT_EQ(Run({"BITCOUNT", "k", "5", "30", "BIT"}), Int(17));
  EXPECT_EQ(Run({"BITCOUNT", "k", "5", "30", "bit"}), Int(17));
  EXPECT_EQ(Run({"BITCOUNT", "k", "0", "-1"}), Int(26));
  EXPECT_EQ(Run({"BITCOUNT", "k", "-2", "-1"}), Int(7));  // "ar"
  EXPECT_EQ(Run({"BITCOUNT", "k", "-100", "100"}), Int(26));
  EXPECT_EQ(Run({"BITCOUNT", "k", "3", "1"}), Int(0));
  EXPECT_EQ(Run({"BITCOUNT", "k", "6", "100"}), Int(0));
  EXPECT_EQ(Run({"BITCOUNT", "k", "-1", "-1", "BIT"}), Int(0));  // 'r' ends in a 0 bit
  EXPECT_EQ(Run({"BITCOUNT", "k", "-2", "-1", "BIT"}), Int(1));
  // Out-of-order negative indexes count nothing, even when clamping would make them meet.
  EXPECT_EQ(Run({"BITCOUNT", "k", "-100", "-200"}), Int(0));
  EXPECT_EQ(Run({"BITCOUNT", "k", "-1", "-200"}), Int(0));
  EXPECT_EQ(Run({"BITCOUNT", "k", "-200", "-100"}), Int(4));  // both clamp to byte 0
  ASSERT_EQ(Run({"SET", "empty", ""}), Ok());
  EXPECT_EQ(Run({"BITCOUNT", "empty"}), Int(0));
  EXPECT_EQ(Run({"BITCOUNT", "empty", "0", "-1"}), Int(0));
}

TEST_F(BitmapCommandsTest, BitCountCountsWholeWords) {
  std::string value(1000, '\xff');
  value[999] = '\x01';
  ASSERT_EQ(Run({"SET", "k", value}), Ok());
  EXPECT_EQ(Run({"BITCOUNT", "k"}), Int(999 * 8 + 1));
  EXPECT_EQ(Run({"BITCOUNT", "k", "3", "998"}), Int(996 * 8));
  EXPECT_EQ(Run({"BITCOUNT", "k", "3", "7996", "BIT"}), Int(7989));
}

TEST_F(BitmapCommandsTest, BitCountErrors) {
  // A missing key replies 0 before the arguments are parsed (Redis 7.0).
  EXPECT_EQ(Run({"BITCOUNT", "missing", "0", "x"}), Int(0));
  EXPECT_EQ(Run({"BITCOUNT", "missing", "1"}), Int(0));
  ASSERT_EQ(Run({"SET", "k", "foobar"}), Ok());
  EXPECT_EQ(Run({"BITCOUNT", "k", "1"}), Err(kSyntax));
  EXPECT_EQ(Run({"BITCOUNT", "k", "0", "1", "BIT", "x"}), Err(kSyntax));
  EXPECT_EQ(Run({"BITCOUNT", "k", "x", "1"}), Err(kNotInteger));
  EXPECT_EQ(Run({"BITCOUNT", "k", "0", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"BITCOUNT", "k", "0", "1", "bits"}), Err(kSyntax));
  // The out-of-order check comes before the unit is looked at.
  EXPECT_EQ(Run({"BITCOUNT", "k", "-1", "-2", "bits"}), Int(0));
  EXPECT_EQ(Run({"BITCOUNT", "k", "-2", "-1", "bits"}), Err(kSyntax));
  MakeList("l");
  EXPECT_EQ(Run({"BITCOUNT", "l"}), Err(kWrongType));
  EXPECT_EQ(Run({"BITCOUNT", "l", "x"}), Err(kWrongType));
}

// ---------------------------------------------------------------------------------------------
// BITPOS

TEST_F(BitmapCommandsTest, BitPosFindsSetAndClearBits) {
  ASSERT_EQ(Run({"SET", "k", std::string_view("\xff\xf0\x00", 3)}), Ok());
  EXPECT_EQ(Run({"BITPOS", "k", "0"}), Int(12));
  EXPECT_EQ(Run({"BITPOS", "k", "1"}), Int(0));
  ASSERT_EQ(Run({"SET", "k", std::string_view("\x00\xff\xf0", 3)}), Ok());
  EXPECT_EQ(Run({"BITPOS", "k", "1", "0"}), Int(8));
  EXPECT_EQ(Run({"BITPOS", "k", "1", "2"}), Int(16));
  EXPECT_EQ(Run({"BITPOS", "k", "1", "2", "-1", "BYTE"}), Int(16));
  EXPECT_EQ(Run({"BITPOS", "k", "1", "7", "15", "BIT"}), Int(8));
  EXPECT_EQ(Run({"BITPOS", "k", "1", "7", "-3", "bit"}), Int(8));
  EXPECT_EQ(Run({"BITPOS", "k", "0", "8", "15", "BIT"}), Int(-1));
  EXPECT_EQ(Run({"BITPOS", "k", "1", "-1"}), Int(16));
  EXPECT_EQ(Run({"BITPOS", "k", "1", "3"}), Int(-1));  // empty range
  ASSERT_EQ(Run({"SET", "z", std::string(3, '\0')}), Ok());
  EXPECT_EQ(Run({"BITPOS", "z", "1"}), Int(-1));
  EXPECT_EQ(Run({"BITPOS", "z", "1", "0", "-1", "BIT"}), Int(-1));
}

TEST_F(BitmapCommandsTest, BitPosClearBitPastTheEndOnlyWithoutAnExplicitEnd) {
  ASSERT_EQ(Run({"SET", "k", std::string_view("\xff\xff\xff", 3)}), Ok());
  EXPECT_EQ(Run({"BITPOS", "k", "0"}), Int(24));
  EXPECT_EQ(Run({"BITPOS", "k", "0", "1"}), Int(24));
  EXPECT_EQ(Run({"BITPOS", "k", "0", "9", "BIT"}), Err(kNotInteger));  // "BIT" is the end here
  EXPECT_EQ(Run({"BITPOS", "k", "0", "1", "-1"}), Int(-1));
  EXPECT_EQ(Run({"BITPOS", "k", "0", "9", "-1", "BIT"}), Int(-1));
  ASSERT_EQ(Run({"SET", "e", ""}), Ok());
  EXPECT_EQ(Run({"BITPOS", "e", "0"}), Int(-1));
  EXPECT_EQ(Run({"BITPOS", "e", "1"}), Int(-1));
  EXPECT_EQ(Run({"BITPOS", "missing", "0"}), Int(0));
  EXPECT_EQ(Run({"BITPOS", "missing", "1"}), Int(-1));
}

TEST_F(BitmapCommandsTest, BitPosErrors) {
  EXPECT_EQ(Run({"BITPOS", "k", "2"}), Err(kBitArgNotBinary));
  EXPECT_EQ(Run({"BITPOS", "k", "-1"}), Err(kBitArgNotBinary));
  EXPECT_EQ(Run({"BITPOS", "k", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"BITPOS", "missing", "0", "x"}), Int(0));  // looked up before the range
  ASSERT_EQ(Run({"SET", "k", "foobar"}), Ok());
  EXPECT_EQ(Run({"BITPOS", "k", "1", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"BITPOS", "k", "1", "0", "x"}), Err(kNotInteger));
  // The unit is checked before the end.
  EXPECT_EQ(Run({"BITPOS", "k", "1", "0", "x", "foo"}), Err(kSyntax));
  EXPECT_EQ(Run({"BITPOS", "k", "1", "0", "x", "BIT"}), Err(kNotInteger));
  EXPECT_EQ(Run({"BITPOS", "k", "1", "0", "1", "BIT", "x"}), Err(kSyntax));
  MakeList("l");
  EXPECT_EQ(Run({"BITPOS", "l", "1"}), Err(kWrongType));
  EXPECT_EQ(Run({"BITPOS", "l", "2"}), Err(kBitArgNotBinary));
}

// ---------------------------------------------------------------------------------------------
// BITOP

TEST_F(BitmapCommandsTest, BitOpResultHasTheLongestInputsLength) {
  ASSERT_EQ(Run({"SET", "a", std::string_view("\xff\x0f\xf0", 3)}), Ok());
  ASSERT_EQ(Run({"SET", "b", std::string_view("\x0f", 1)}), Ok());
  EXPECT_EQ(Run({"BITOP", "AND", "d", "a", "b"}), Int(3));
  EXPECT_EQ(Run({"GET", "d"}), Bulk(std::string("\x0f\x00\x00", 3)));
  EXPECT_EQ(Run({"BITOP", "or", "d", "a", "b", "missing"}), Int(3));
  EXPECT_EQ(Run({"GET", "d"}), Bulk("\xff\x0f\xf0"));
  EXPECT_EQ(Run({"BITOP", "Xor", "d", "a", "b"}), Int(3));
  EXPECT_EQ(Run({"GET", "d"}), Bulk("\xf0\x0f\xf0"));
  EXPECT_EQ(Run({"BITOP", "NOT", "d", "a"}), Int(3));
  EXPECT_EQ(Run({"GET", "d"}), Bulk(std::string("\x00\xf0\x0f", 3)));
  EXPECT_EQ(Run({"BITOP", "AND", "d", "a", "missing"}), Int(3));  // missing = zero bytes
  EXPECT_EQ(Run({"GET", "d"}), Bulk(std::string(3, '\0')));
}

TEST_F(BitmapCommandsTest, BitOpDestinationMayBeAnInput) {
  ASSERT_EQ(Run({"SET", "a", "ab"}), Ok());
  EXPECT_EQ(Run({"BITOP", "NOT", "a", "a"}), Int(2));
  EXPECT_EQ(Run({"GET", "a"}), Bulk("\x9e\x9d"));
  EXPECT_EQ(Run({"BITOP", "XOR", "a", "a", "a"}), Int(2));
  EXPECT_EQ(Run({"GET", "a"}), Bulk(std::string(2, '\0')));
}

TEST_F(BitmapCommandsTest, BitOpReplacesTheDestinationAndItsDeadline) {
  ASSERT_EQ(Run({"SET", "a", "x"}), Ok());
  MakeList("d");
  EXPECT_EQ(Run({"BITOP", "OR", "d", "a"}), Int(1));
  EXPECT_EQ(Run({"GET", "d"}), Bulk("x"));
  ASSERT_EQ(Run({"SET", "d", "old", "EX", "100"}), Ok());
  EXPECT_EQ(Run({"BITOP", "OR", "d", "a"}), Int(1));
  EXPECT_EQ(DeadlineMs("d"), 0);
}

TEST_F(BitmapCommandsTest, BitOpEmptyResultDeletesTheDestination) {
  ASSERT_EQ(Run({"SET", "d", "old"}), Ok());
  EXPECT_EQ(Run({"BITOP", "AND", "d", "missing1", "missing2"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "d"}), Int(0));
  ASSERT_EQ(Run({"SET", "e", ""}), Ok());
  MakeList("l");
  EXPECT_EQ(Run({"BITOP", "NOT", "l", "e"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "l"}), Int(0));
}

TEST_F(BitmapCommandsTest, BitOpErrors) {
  ASSERT_EQ(Run({"SET", "a", "x"}), Ok());
  EXPECT_EQ(Run({"BITOP", "NAND", "d", "a"}), Err(kSyntax));
  EXPECT_EQ(Run({"BITOP", "NOT", "d", "a", "a"}), Err(kBitOpNotSingleKey));
  MakeList("l");
  EXPECT_EQ(Run({"BITOP", "AND", "d", "a", "l"}), Err(kWrongType));
  EXPECT_EQ(Run({"BITOP", "NOT", "d", "l"}), Err(kWrongType));
  EXPECT_EQ(Run({"EXISTS", "d"}), Int(0));
  EXPECT_EQ(Run({"BITOP", "AND", "d"}), Err("ERR wrong number of arguments for 'bitop' command"));
}

// ---------------------------------------------------------------------------------------------
// BITFIELD

TEST_F(BitmapCommandsTest, BitFieldGetSetIncrBy) {
  EXPECT_EQ(Run({"BITFIELD", "k", "SET", "u8", "0", "255", "GET", "u8", "0", "GET", "i8", "0"}),
            Ints({0, 255, -1}));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("\xff"));
  EXPECT_EQ(Run({"BITFIELD", "k", "INCRBY", "u2", "100", "1", "GET", "u4", "98"}), Ints({1, 1}));
  EXPECT_EQ(Run({"STRLEN", "k"}), Int(13));
  EXPECT_EQ(Run({"BITFIELD", "k", "GET", "u4", "1000"}), Ints({0}));  // past the end
  EXPECT_EQ(Run({"BITFIELD", "k"}), "*0\r\n");
  EXPECT_EQ(Run({"BITFIELD", "missing", "GET", "i64", "0"}), Ints({0}));
  EXPECT_EQ(Run({"EXISTS", "missing"}), Int(0));
}

TEST_F(BitmapCommandsTest, BitFieldHashOffsetsCountFields) {
  EXPECT_EQ(Run({"BITFIELD", "k", "SET", "i8", "#1", "100", "SET", "u4", "#0", "15"}),
            Ints({0, 0}));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("\xf0\x64"));
  EXPECT_EQ(Run({"BITFIELD", "k", "GET", "i8", "#1", "GET", "u8", "8"}), Ints({100, 100}));
  // #N * bits wraps modulo 2^64 as Redis's C arithmetic does: 2^61 + 1 fields of 8 bits.
  EXPECT_EQ(Run({"BITFIELD", "k", "GET", "u8", "#2305843009213693953"}), Ints({100}));
}

TEST_F(BitmapCommandsTest, BitFieldOverflowModes) {
  EXPECT_EQ(Run({"BITFIELD", "k", "SET", "u8", "0", "300"}), Ints({0}));
  EXPECT_EQ(Run({"BITFIELD", "k", "GET", "u8", "0"}), Ints({44}));
  EXPECT_EQ(Run({"BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", "0", "-1", "GET", "u8", "0"}),
            Ints({44, 255}));
  EXPECT_EQ(Run({"BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1", "INCRBY", "u8", "0",
                 "-255", "INCRBY", "u8", "0", "-1"}),
            Ints({std::nullopt, 0, std::nullopt}));
  EXPECT_EQ(Run({"BITFIELD", "k", "INCRBY", "u8", "0", "-1", "OVERFLOW", "sat", "INCRBY", "u8", "0",
                 "10", "OVERFLOW", "wrap", "INCRBY", "u8", "0", "1"}),
            Ints({255, 255, 0}));
  EXPECT_EQ(Run({"BITFIELD", "s",        "OVERFLOW", "SAT", "SET", "i8", "0",   "200", "GET", "i8",
                 "0",        "OVERFLOW", "WRAP",     "SET", "i8",  "0",  "200", "GET", "i8",  "0"}),
            Ints({0, 127, 127, -56}));
  EXPECT_EQ(Run({"BITFIELD", "w", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0",
                 "1", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1"}),
            Ints({0, INT64_MIN, INT64_MIN}));
  EXPECT_EQ(Run({"BITFIELD", "u", "SET", "u63", "0", "9223372036854775807", "GET", "u63", "0"}),
            Ints({0, INT64_MAX}));
  // A failed write still creates and sizes the key, as in Redis.
  EXPECT_EQ(Run({"BITFIELD", "f", "OVERFLOW", "FAIL", "SET", "u8", "8", "256"}),
            Ints({std::nullopt}));
  EXPECT_EQ(Run({"GET", "f"}), Bulk(std::string(2, '\0')));
}

TEST_F(BitmapCommandsTest, BitFieldErrors) {
  for (std::string_view type : {"I8", "u64", "i65", "u0", "i0", "x8", "i", "u08", "i+8", ""}) {
    EXPECT_EQ(Run({"BITFIELD", "k", "GET", type, "0"}), Err(kBitFieldInvalidType)) << type;
  }
  for (std::string_view offset : {"-1", "#-1", "#", "x", "# 1", "#x", "4294967296"}) {
    EXPECT_EQ(Run({"BITFIELD", "k", "GET", "u8", offset}), Err(kBitOffsetInvalid)) << offset;
  }
  EXPECT_EQ(Run({"BITFIELD", "k", "GET", "u8", "4294967295"}), Ints({0}));
  EXPECT_EQ(Run({"BITFIELD", "k", "GET"}), Err(kSyntax));
  EXPECT_EQ(Run({"BITFIELD", "k", "GET", "u8"}), Err(kSyntax));
  EXPECT_EQ(Run({"BITFIELD", "k", "SET", "u8", "0"}), Err(kSyntax));
  EXPECT_EQ(Run({"BITFIELD", "k", "FOO"}), Err(kSyntax));
  EXPECT_EQ(Run({"BITFIELD", "k", "OVERFLOW"}), Err(kSyntax));
  EXPECT_EQ(Run({"BITFIELD", "k", "OVERFLOW", "FOO"}), Err(kBitFieldInvalidOverflow));
  EXPECT_EQ(Run({"BITFIELD", "k", "SET", "u8", "0", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"BITFIELD", "k", "INCRBY", "u8", "0", "1.5"}), Err(kNotInteger));
  // Every subcommand is parsed before any runs: nothing was written.
  EXPECT_EQ(Run({"BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u64", "0"}),
            Err(kBitFieldInvalidType));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(Run({"BITFIELD", "k", "OVERFLOW", "SAT"}), "*0\r\n");
  MakeList("l");
  EXPECT_EQ(Run({"BITFIELD", "l"}), Err(kWrongType));
  EXPECT_EQ(Run({"BITFIELD", "l", "GET", "u8", "0"}), Err(kWrongType));
  EXPECT_EQ(Run({"BITFIELD", "l", "SET", "u8", "0", "1"}), Err(kWrongType));
  EXPECT_EQ(Run({"BITFIELD", "l", "GET", "u8", "x"}), Err(kBitOffsetInvalid));
}

TEST_F(BitmapCommandsTest, BitFieldRoOnlyGets) {
  ASSERT_EQ(Run({"SET", "k", "\x80"}), Ok());
  EXPECT_EQ(Run({"BITFIELD_RO", "k", "GET", "i8", "0", "GET", "u1", "0"}), Ints({-128, 1}));
  EXPECT_EQ(Run({"BITFIELD_RO", "k", "SET", "u8", "0", "1"}), Err(kBitFieldRoWrite));
  EXPECT_EQ(Run({"BITFIELD_RO", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1"}),
            Err(kBitFieldRoWrite));
  // Parse errors come first.
  EXPECT_EQ(Run({"BITFIELD_RO", "k", "SET", "u8", "0", "1", "GET", "x", "0"}),
            Err(kBitFieldInvalidType));
  MakeList("l");
  EXPECT_EQ(Run({"BITFIELD_RO", "l", "GET", "u8", "0"}), Err(kWrongType));
  EXPECT_EQ(Run({"BITFIELD_RO", "l", "SET", "u8", "0", "1"}), Err(kBitFieldRoWrite));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("\x80"));
}

TEST_F(BitmapCommandsTest, BitFieldNullsInResp3) {
  client_.resp3 = true;
  EXPECT_EQ(Run({"BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "4"}), "*1\r\n_\r\n");
}

TEST_F(BitmapCommandsTest, ReadsCountKeyspaceHitsAndMisses) {
  ASSERT_EQ(Run({"SET", "k", "a"}), Ok());
  uint64_t h = hits();
  uint64_t m = misses();
  Run({"GETBIT", "k", "0"});
  Run({"BITCOUNT", "missing"});
  Run({"BITPOS", "k", "1"});
  Run({"BITOP", "OR", "d", "k", "missing"});
  Run({"BITFIELD", "k", "GET", "u8", "0"});
  EXPECT_EQ(hits() - h, 4u);
  EXPECT_EQ(misses() - m, 2u);
  // Writes do not count.
  Run({"SETBIT", "k", "1", "1"});
  Run({"BITFIELD", "k", "SET", "u8", "0", "1"});
  EXPECT_EQ(hits() - h, 4u);
  EXPECT_EQ(misses() - m, 2u);
}

}  // namespace
}  // namespace ringtail::commands
