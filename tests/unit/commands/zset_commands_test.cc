// SPDX-License-Identifier: Apache-2.0
// Tests of the sorted-set command family (src/commands/zset_commands.cc) on one in-process
// shard. Expected replies and error texts were checked against redis-server 7.0.
#include "commands/zset_commands.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands/command_context.h"
#include "commands/command_test.h"
#include "protocol/errors.h"
#include "storage/zset.h"

namespace ringtail::commands {
namespace {

using protocol::kNotFloat;
using protocol::kNotInteger;
using protocol::kSyntax;
using protocol::kWrongType;

class ZSetCommandsTest : public CommandTest {
 protected:
  static std::string WrongArgs(std::string_view command) {
    return Err("ERR wrong number of arguments for '" + std::string(command) + "' command");
  }
  // The RESP3 double "<text>".
  static std::string Dbl(std::string_view text) { return "," + std::string(text) + "\r\n"; }
  // A RESP3 [member, score] pair.
  static std::string Pair(std::string_view member, std::string_view score) {
    return Array({Bulk(member), Dbl(score)});
  }
  uint64_t hits() const { return shard_.stats.keyspace_hits; }
  uint64_t misses() const { return shard_.stats.keyspace_misses; }
  // The table's running byte count must equal what its entries report.
  void ExpectMemoryConsistent() {
    size_t sum = 0;
    shard_.dbs[0].ForEach([&](const storage::Entry& e) { sum += e.AllocatedBytes(); }, NowMs());
    EXPECT_EQ(shard_.dbs[0].memory_bytes() - shard_.dbs[0].bucket_count() * sizeof(void*), sum);
  }
};

TEST_F(ZSetCommandsTest, AddAndScore) {
  EXPECT_EQ(Run({"ZADD", "z", "1", "a", "2.5", "b", "3", "c"}), Int(3));
  EXPECT_EQ(Run({"ZADD", "z", "1", "a", "4", "b"}), Int(0));
  EXPECT_EQ(Run({"ZSCORE", "z", "b"}), Bulk("4"));
  EXPECT_EQ(Run({"ZSCORE", "z", "nope"}), Nil());
  EXPECT_EQ(Run({"ZSCORE", "nokey", "a"}), Nil());
  EXPECT_EQ(Run({"ZCARD", "z"}), Int(3));
  EXPECT_EQ(Run({"ZCARD", "nokey"}), Int(0));
  EXPECT_EQ(Run({"ZMSCORE", "z", "a", "nope", "c"}), Array({Bulk("1"), Nil(), Bulk("3")}));
  EXPECT_EQ(Run({"ZMSCORE", "nokey", "a", "b"}), Array({Nil(), Nil()}));
  EXPECT_EQ(Run({"TYPE", "z"}), Simple("zset"));
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "z"}), Bulk("listpack"));
  EXPECT_EQ(Run({"ZADD", "z", "0.1", "d"}), Int(1));
  EXPECT_EQ(Run({"ZSCORE", "z", "d"}), Bulk("0.10000000000000001"));
  ExpectMemoryConsistent();
}

TEST_F(ZSetCommandsTest, AddOptions) {
  Run({"ZADD", "z", "5", "b", "6", "c"});
  EXPECT_EQ(Run({"ZADD", "z", "GT", "CH", "4", "b", "7", "c", "1", "d"}), Int(2));
  EXPECT_EQ(Run({"ZADD", "z", "LT", "CH", "4", "b", "7", "c", "1", "d"}), Int(1));
  EXPECT_EQ(Run({"ZADD", "z", "XX", "GT", "INCR", "1", "b"}), Bulk("5"));
  EXPECT_EQ(Run({"ZADD", "z", "LT", "INCR", "1", "b"}), Nil());
  EXPECT_EQ(Run({"ZADD", "z", "NX", "10", "b", "10", "e"}), Int(1));
  EXPECT_EQ(Run({"ZSCORE", "z", "b"}), Bulk("5"));
  EXPECT_EQ(Run({"ZADD", "z", "NX", "INCR", "1", "b"}), Nil());
  EXPECT_EQ(Run({"ZADD", "z", "XX", "CH", "1", "nope"}), Int(0));
  EXPECT_EQ(Run({"ZADD", "z", "CH", "3", "a", "3", "a"}), Int(1));
  EXPECT_EQ(Run({"ZADD", "z", "1", "x", "1", "x", "2", "x"}), Int(1));
  EXPECT_EQ(Run({"ZSCORE", "z", "x"}), Bulk("2"));
  EXPECT_EQ(Run({"ZADD", "z", "nx", "nx", "1", "y"}), Int(1));
  // XX on a missing key creates nothing.
  EXPECT_EQ(Run({"ZADD", "nokey", "XX", "1", "a"}), Int(0));
  EXPECT_EQ(Run({"ZADD", "nokey", "XX", "INCR", "1", "a"}), Nil());
  EXPECT_EQ(Run({"EXISTS", "nokey"}), Int(0));
}

TEST_F(ZSetCommandsTest, AddErrors) {
  Run({"SET", "s", "x"});
  EXPECT_EQ(Run({"ZADD", "z", "NX", "XX", "1", "a"}),
            Err("ERR XX and NX options at the same time are not compatible"));
  EXPECT_EQ(Run({"ZADD", "z", "GT", "LT", "1", "a"}),
            Err("ERR GT, LT, and/or NX options at the same time are not compatible"));
  EXPECT_EQ(Run({"ZADD", "z", "GT", "NX", "1", "a"}),
            Err("ERR GT, LT, and/or NX options at the same time are not compatible"));
  EXPECT_EQ(Run({"ZADD", "z", "INCR", "1", "a", "2", "b"}),
            Err("ERR INCR option supports a single increment-element pair"));
  EXPECT_EQ(Run({"ZADD", "z", "1", "a", "2"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZADD", "z", "NX", "XX"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZADD", "z", "1"}), WrongArgs("zadd"));
  EXPECT_EQ(Run({"ZADD", "z", "nan", "a"}), Err(kNotFloat));
  EXPECT_EQ(Run({"ZADD", "z", "1", "a", "x", "b"}), Err(kNotFloat));
  EXPECT_EQ(Run({"ZADD", "z", " 1", "a"}), Err(kNotFloat));
  EXPECT_EQ(Run({"ZADD", "z", "1e400", "a"}), Err(kNotFloat));
  EXPECT_EQ(Run({"EXISTS", "z"}), Int(0));  // nothing created on an error
  EXPECT_EQ(Run({"ZADD", "s", "1", "a"}), Err(kWrongType));
  EXPECT_EQ(Run({"ZADD", "z", "0x10", "hex", "inf", "i", "-inf", "j"}), Int(3));
  EXPECT_EQ(Run({"ZSCORE", "z", "hex"}), Bulk("16"));
  EXPECT_EQ(Run({"ZADD", "z", "INCR", "-inf", "i"}),
            Err("ERR resulting score is not a number (NaN)"));
  EXPECT_EQ(Run({"ZSCORE", "z", "i"}), Bulk("inf"));
}

TEST_F(ZSetCommandsTest, IncrBy) {
  EXPECT_EQ(Run({"ZINCRBY", "z", "2", "a"}), Bulk("2"));
  EXPECT_EQ(Run({"ZINCRBY", "z", "-0.5", "a"}), Bulk("1.5"));
  EXPECT_EQ(Run({"ZINCRBY", "z", "abc", "a"}), Err(kNotFloat));
  EXPECT_EQ(Run({"ZINCRBY", "z", "nx", "a"}), Err(kSyntax));  // read as ZADD's NX option
  EXPECT_EQ(Run({"ZINCRBY", "z", "inf", "a"}), Bulk("inf"));
  EXPECT_EQ(Run({"ZINCRBY", "z", "-inf", "a"}), Err("ERR resulting score is not a number (NaN)"));
  Run({"SET", "s", "x"});
  EXPECT_EQ(Run({"ZINCRBY", "s", "1", "a"}), Err(kWrongType));
}

TEST_F(ZSetCommandsTest, NegativeZeroFollowsTheEncoding) {
  EXPECT_EQ(Run({"ZADD", "z", "-0", "a"}), Int(1));
  EXPECT_EQ(Run({"ZSCORE", "z", "a"}), Bulk("0"));  // a listpack stores 0
  shard_.limits.zset_max_listpack_entries = 0;
  EXPECT_EQ(Run({"ZADD", "big", "-0", "a"}), Int(1));
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "big"}), Bulk("skiplist"));
  EXPECT_EQ(Run({"ZSCORE", "big", "a"}), Bulk("-0"));
}

TEST_F(ZSetCommandsTest, EncodingConversion) {
  shard_.limits.zset_max_listpack_entries = 3;
  shard_.limits.zset_max_listpack_value = 5;
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "z"}), Bulk("listpack"));
  Run({"ZADD", "z", "4", "d"});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "z"}), Bulk("skiplist"));
  Run({"ZREM", "z", "a", "b", "c"});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "z"}), Bulk("skiplist"));
  Run({"ZADD", "long", "1", "abcdef"});
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "long"}), Bulk("skiplist"));
  // A stored result takes the encoding its size calls for.
  EXPECT_EQ(Run({"ZRANGESTORE", "dst", "z", "0", "-1"}), Int(1));
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "dst"}), Bulk("listpack"));
  ExpectMemoryConsistent();
}

TEST_F(ZSetCommandsTest, RemAndCount) {
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  EXPECT_EQ(Run({"ZREM", "z", "a", "nope", "a"}), Int(1));
  EXPECT_EQ(Run({"ZCOUNT", "z", "-inf", "+inf"}), Int(2));
  EXPECT_EQ(Run({"ZCOUNT", "z", "(2", "3"}), Int(1));
  EXPECT_EQ(Run({"ZCOUNT", "z", "3", "2"}), Int(0));
  EXPECT_EQ(Run({"ZCOUNT", "z", "a", "2"}), Err("ERR min or max is not a float"));
  EXPECT_EQ(Run({"ZCOUNT", "nokey", "a", "2"}), Err("ERR min or max is not a float"));
  EXPECT_EQ(Run({"ZREM", "z", "b", "c"}), Int(2));
  EXPECT_EQ(Run({"EXISTS", "z"}), Int(0));
  EXPECT_EQ(Run({"ZREM", "z", "a"}), Int(0));
}

TEST_F(ZSetCommandsTest, LexCount) {
  Run({"ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d"});
  EXPECT_EQ(Run({"ZLEXCOUNT", "z", "-", "+"}), Int(4));
  EXPECT_EQ(Run({"ZLEXCOUNT", "z", "[b", "(d"}), Int(2));
  EXPECT_EQ(Run({"ZLEXCOUNT", "z", "+", "-"}), Int(0));
  EXPECT_EQ(Run({"ZLEXCOUNT", "z", "b", "+"}), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(Run({"ZLEXCOUNT", "z", "[a", "+x"}), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(Run({"ZLEXCOUNT", "nokey", "-", "+"}), Int(0));
}

TEST_F(ZSetCommandsTest, RangeByRank) {
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"});
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "-1"}), Bulks({"a", "b", "c", "d"}));
  EXPECT_EQ(Run({"ZRANGE", "z", "1", "2", "WITHSCORES"}), Bulks({"b", "2", "c", "3"}));
  EXPECT_EQ(Run({"ZRANGE", "z", "-2", "100"}), Bulks({"c", "d"}));
  EXPECT_EQ(Run({"ZRANGE", "z", "3", "1"}), Bulks({}));
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "-1", "REV"}), Bulks({"d", "c", "b", "a"}));
  EXPECT_EQ(Run({"ZREVRANGE", "z", "0", "1", "WITHSCORES"}), Bulks({"d", "4", "c", "3"}));
  EXPECT_EQ(Run({"ZREVRANGE", "z", "-1", "-1"}), Bulks({"a"}));
  EXPECT_EQ(Run({"ZRANGE", "nokey", "0", "-1"}), Bulks({}));
  EXPECT_EQ(Run({"ZRANGE", "z", "a", "1"}), Err(kNotInteger));
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "1", "LIMIT", "0", "1"}),
            Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
                "or BYLEX"));
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "1", "LIMIT", "0", "-1"}), Bulks({"a", "b"}));
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "1", "REV", "REV"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZREVRANGE", "z", "0", "1", "REV"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "1", "FOO"}), Err(kSyntax));
}

TEST_F(ZSetCommandsTest, RangeByScore) {
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "(1", "3"}), Bulks({"b", "c"}));
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "1", "2"}), Bulks({"b", "c"}));
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2"}), Bulks({}));
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "3", "-5"}), Bulks({"d", "e"}));
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "2", "3", "WITHSCORES"}), Bulks({"b", "2", "c", "3"}));
  EXPECT_EQ(Run({"ZREVRANGEBYSCORE", "z", "4", "(2"}), Bulks({"d", "c"}));
  EXPECT_EQ(Run({"ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", "1", "2"}), Bulks({"d", "c"}));
  EXPECT_EQ(Run({"ZRANGE", "z", "(1", "3", "BYSCORE"}), Bulks({"b", "c"}));
  EXPECT_EQ(Run({"ZRANGE", "z", "3", "(1", "BYSCORE", "REV"}), Bulks({"c", "b"}));
  EXPECT_EQ(Run({"ZRANGE", "z", "5", "1", "BYSCORE", "REV", "LIMIT", "1", "1"}), Bulks({"d"}));
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "", "("}), Bulks({}));  // both read as 0, as in Redis
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", " 4", "inf"}), Bulks({"d", "e"}));
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "a", "b"}), Err("ERR min or max is not a float"));
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "a", "b", "FOO"}), Err(kSyntax));  // options first
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "0", "1", "REV"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "1"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "x", "1"}), Err(kNotInteger));
}

TEST_F(ZSetCommandsTest, RangeByLex) {
  Run({"ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"});
  EXPECT_EQ(Run({"ZRANGEBYLEX", "z", "[b", "(d"}), Bulks({"b", "c"}));
  EXPECT_EQ(Run({"ZRANGEBYLEX", "z", "-", "+", "LIMIT", "1", "2"}), Bulks({"b", "c"}));
  EXPECT_EQ(Run({"ZREVRANGEBYLEX", "z", "[c", "-"}), Bulks({"c", "b", "a"}));
  EXPECT_EQ(Run({"ZREVRANGEBYLEX", "z", "+", "-", "LIMIT", "0", "2"}), Bulks({"e", "d"}));
  EXPECT_EQ(Run({"ZRANGE", "z", "(a", "[c", "BYLEX"}), Bulks({"b", "c"}));
  EXPECT_EQ(Run({"ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"}),
            Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
  EXPECT_EQ(Run({"ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"}),
            Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
  EXPECT_EQ(Run({"ZRANGEBYLEX", "z", "a", "+"}), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX"}), Err(kSyntax));
}

TEST_F(ZSetCommandsTest, RangeRepliesInResp3) {
  Run({"ZADD", "z", "1", "a", "2.5", "b"});
  client_.resp3 = true;
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "-1", "WITHSCORES"}),
            Array({Pair("a", "1"), Pair("b", "2.5")}));
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "-1"}), Bulks({"a", "b"}));
  EXPECT_EQ(Run({"ZSCORE", "z", "b"}), Dbl("2.5"));
  EXPECT_EQ(Run({"ZSCORE", "z", "x"}), "_\r\n");
  EXPECT_EQ(Run({"ZMSCORE", "z", "a", "x"}), Array({Dbl("1"), "_\r\n"}));
  EXPECT_EQ(Run({"ZINCRBY", "z", "1", "a"}), Dbl("2"));
  EXPECT_EQ(Run({"ZUNION", "1", "z", "WITHSCORES"}), Array({Pair("a", "2"), Pair("b", "2.5")}));
}

TEST_F(ZSetCommandsTest, RankWithScore) {
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  EXPECT_EQ(Run({"ZRANK", "z", "b"}), Int(1));
  EXPECT_EQ(Run({"ZREVRANK", "z", "a"}), Int(2));
  EXPECT_EQ(Run({"ZRANK", "z", "x"}), Nil());
  EXPECT_EQ(Run({"ZRANK", "nokey", "x"}), Nil());
  EXPECT_EQ(Run({"ZRANK", "z", "c", "WITHSCORE"}), Array({Int(2), Bulk("3")}));
  EXPECT_EQ(Run({"ZREVRANK", "z", "c", "withscore"}), Array({Int(0), Bulk("3")}));
  EXPECT_EQ(Run({"ZRANK", "z", "x", "WITHSCORE"}), NilArray());
  EXPECT_EQ(Run({"ZRANK", "nokey", "x", "WITHSCORE"}), NilArray());
  EXPECT_EQ(Run({"ZRANK", "z", "c", "FOO"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZRANK", "z", "c", "WITHSCORE", "x"}), WrongArgs("zrank"));
  client_.resp3 = true;
  EXPECT_EQ(Run({"ZRANK", "z", "c", "WITHSCORE"}), Array({Int(2), Dbl("3")}));
  EXPECT_EQ(Run({"ZRANK", "z", "x", "WITHSCORE"}), "_\r\n");
}

TEST_F(ZSetCommandsTest, RangeStore) {
  Run({"ZADD", "src", "1", "a", "2", "b", "3", "c"});
  Run({"SET", "dst", "old"});
  Run({"EXPIRE", "dst", "100"});
  EXPECT_EQ(Run({"ZRANGESTORE", "dst", "src", "0", "1"}), Int(2));
  EXPECT_EQ(Run({"TTL", "dst"}), Int(-1));
  EXPECT_EQ(Run({"ZRANGE", "dst", "0", "-1", "WITHSCORES"}), Bulks({"a", "1", "b", "2"}));
  EXPECT_EQ(Run({"ZRANGESTORE", "dst", "src", "(1", "+inf", "BYSCORE", "LIMIT", "1", "5"}), Int(1));
  EXPECT_EQ(Run({"ZRANGE", "dst", "0", "-1"}), Bulks({"c"}));
  EXPECT_EQ(Run({"ZRANGESTORE", "dst", "src", "[c", "-", "BYLEX", "REV"}), Int(3));
  EXPECT_EQ(Run({"ZRANGESTORE", "dst", "src", "0", "-1", "WITHSCORES"}), Err(kSyntax));
  // An empty range deletes the destination, as does a missing source.
  EXPECT_EQ(Run({"ZRANGESTORE", "dst", "src", "5", "10"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "dst"}), Int(0));
  Run({"ZADD", "dst", "1", "x"});
  EXPECT_EQ(Run({"ZRANGESTORE", "dst", "nokey", "0", "-1"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "dst"}), Int(0));
  // The source may be the destination.
  EXPECT_EQ(Run({"ZRANGESTORE", "src", "src", "1", "-1"}), Int(2));
  EXPECT_EQ(Run({"ZRANGE", "src", "0", "-1"}), Bulks({"b", "c"}));
  Run({"SET", "s", "x"});
  EXPECT_EQ(Run({"ZRANGESTORE", "dst", "s", "0", "-1"}), Err(kWrongType));
  ExpectMemoryConsistent();
}

TEST_F(ZSetCommandsTest, RemoveRanges) {
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  EXPECT_EQ(Run({"ZREMRANGEBYRANK", "z", "0", "0"}), Int(1));
  EXPECT_EQ(Run({"ZREMRANGEBYRANK", "z", "5", "10"}), Int(0));
  EXPECT_EQ(Run({"ZREMRANGEBYSCORE", "z", "(2", "3"}), Int(1));
  EXPECT_EQ(Run({"ZRANGE", "z", "0", "-1"}), Bulks({"b", "d", "e"}));
  EXPECT_EQ(Run({"ZREMRANGEBYSCORE", "z", "x", "3"}), Err("ERR min or max is not a float"));
  EXPECT_EQ(Run({"ZREMRANGEBYRANK", "z", "x", "3"}), Err(kNotInteger));
  Run({"ZADD", "lex", "0", "a", "0", "b", "0", "c"});
  EXPECT_EQ(Run({"ZREMRANGEBYLEX", "lex", "[a", "(c"}), Int(2));
  EXPECT_EQ(Run({"ZREMRANGEBYLEX", "lex", "a", "c"}),
            Err("ERR min or max not valid string range item"));
  EXPECT_EQ(Run({"ZREMRANGEBYRANK", "z", "0", "-1"}), Int(3));
  EXPECT_EQ(Run({"EXISTS", "z"}), Int(0));
  EXPECT_EQ(Run({"ZREMRANGEBYRANK", "z", "0", "-1"}), Int(0));
  ExpectMemoryConsistent();
}

TEST_F(ZSetCommandsTest, PopMinMax) {
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"});
  EXPECT_EQ(Run({"ZPOPMIN", "z"}), Bulks({"a", "1"}));
  EXPECT_EQ(Run({"ZPOPMAX", "z", "2"}), Bulks({"d", "4", "c", "3"}));
  EXPECT_EQ(Run({"ZPOPMIN", "z", "0"}), Bulks({}));
  EXPECT_EQ(Run({"ZPOPMIN", "z", "-1"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(Run({"ZPOPMIN", "z", "x"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(Run({"ZPOPMIN", "z", "1", "2"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZPOPMIN", "z", "10"}), Bulks({"b", "2"}));
  EXPECT_EQ(Run({"EXISTS", "z"}), Int(0));
  EXPECT_EQ(Run({"ZPOPMIN", "z"}), Bulks({}));
  Run({"SET", "s", "x"});
  EXPECT_EQ(Run({"ZPOPMIN", "s", "0"}), Err(kWrongType));
  Run({"ZADD", "z", "1", "a", "2", "b"});
  client_.resp3 = true;
  EXPECT_EQ(Run({"ZPOPMIN", "z"}), Array({Bulk("a"), Dbl("1")}));
  EXPECT_EQ(Run({"ZPOPMAX", "z", "1"}), Array({Pair("b", "2")}));
}

TEST_F(ZSetCommandsTest, MPop) {
  Run({"ZADD", "{t}b", "1", "a", "2", "b", "3", "c"});
  EXPECT_EQ(Run({"ZMPOP", "2", "{t}a", "{t}b", "MIN"}),
            Array({Bulk("{t}b"), Array({Bulks({"a", "1"})})}));
  EXPECT_EQ(Run({"ZMPOP", "1", "{t}b", "MAX", "COUNT", "5"}),
            Array({Bulk("{t}b"), Array({Bulks({"c", "3"}), Bulks({"b", "2"})})}));
  EXPECT_EQ(Run({"EXISTS", "{t}b"}), Int(0));
  EXPECT_EQ(Run({"ZMPOP", "1", "{t}b", "MIN"}), NilArray());
  EXPECT_EQ(Run({"ZMPOP", "0", "z", "MIN"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(Run({"ZMPOP", "x", "z", "MIN"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(Run({"ZMPOP", "2", "z", "MIN"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZMPOP", "1", "z", "FOO"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZMPOP", "1", "z", "MIN", "COUNT", "0"}),
            Err("ERR count should be greater than 0"));
  EXPECT_EQ(Run({"ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1"}), Err(kSyntax));
  Run({"SET", "{t}s", "x"});
  EXPECT_EQ(Run({"ZMPOP", "2", "{t}none", "{t}s", "MIN"}), Err(kWrongType));
}

TEST_F(ZSetCommandsTest, PopMembersHelper) {
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  std::string out;
  protocol::ReplyBuilder reply(&out);
  CommandContext ctx(shard_, {}, 0, reply, &client_);
  std::vector<std::pair<std::string, double>> popped;
  EXPECT_EQ(PopMembers(ctx, "z", false, 2, &popped), ZSetOpResult::kDone);
  EXPECT_EQ(popped, (std::vector<std::pair<std::string, double>>{{"c", 3}, {"b", 2}}));
  EXPECT_EQ(PopMembers(ctx, "z", true, 0, &popped), ZSetOpResult::kDone);
  EXPECT_EQ(popped.size(), 2u);
  EXPECT_EQ(PopMembers(ctx, "z", true, 5, &popped), ZSetOpResult::kDone);
  EXPECT_EQ(popped.back(), (std::pair<std::string, double>{"a", 1}));
  EXPECT_EQ(PopMembers(ctx, "z", true, 1, &popped), ZSetOpResult::kNoZSet);
  Run({"SET", "s", "x"});
  EXPECT_EQ(PopMembers(ctx, "s", true, 1, &popped), ZSetOpResult::kWrongType);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(Run({"EXISTS", "z"}), Int(0));
}

TEST_F(ZSetCommandsTest, RandMember) {
  Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  std::string one = Run({"ZRANDMEMBER", "z"});
  EXPECT_TRUE(one == Bulk("a") || one == Bulk("b") || one == Bulk("c")) << one;
  EXPECT_EQ(Run({"ZRANDMEMBER", "nokey"}), Nil());
  EXPECT_EQ(Run({"ZRANDMEMBER", "nokey", "3"}), Bulks({}));
  EXPECT_EQ(Run({"ZRANDMEMBER", "z", "0"}), Bulks({}));
  EXPECT_EQ(Run({"ZRANDMEMBER", "z", "5", "WITHSCORES"}), Bulks({"a", "1", "b", "2", "c", "3"}));
  std::string repeated = Run({"ZRANDMEMBER", "z", "-10"});
  EXPECT_EQ(repeated.substr(0, 5), "*10\r\n");
  std::string two = Run({"ZRANDMEMBER", "z", "2"});
  EXPECT_EQ(two.substr(0, 4), "*2\r\n");
  EXPECT_EQ(Run({"ZRANDMEMBER", "z", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"ZRANDMEMBER", "z", "-9223372036854775808"}),
            Err("ERR value is out of range, value must between -9223372036854775807 and "
                "9223372036854775807"));
  EXPECT_EQ(Run({"ZRANDMEMBER", "z", "9223372036854775807", "WITHSCORES"}),
            Err("ERR value is out of range"));
  EXPECT_EQ(Run({"ZRANDMEMBER", "z", "1", "FOO"}), Err(kSyntax));
  client_.resp3 = true;
  std::string pairs = Run({"ZRANDMEMBER", "z", "-2", "WITHSCORES"});
  EXPECT_EQ(pairs.substr(0, 8), "*2\r\n*2\r\n");
}

TEST_F(ZSetCommandsTest, RandMemberDistinctFromLargeSet) {
  shard_.limits.zset_max_listpack_entries = 0;
  for (int i = 0; i < 100; ++i) Run({"ZADD", "z", std::to_string(i), "m" + std::to_string(i)});
  for (std::string_view count : {"10", "60"}) {
    std::string reply = Run({"ZRANDMEMBER", "z", count});
    std::vector<std::string> members;
    size_t pos = reply.find("\r\n") + 2;
    while (pos < reply.size()) {
      size_t len_end = reply.find("\r\n", pos);
      size_t len = std::stoul(reply.substr(pos + 1, len_end - pos - 1));
      members.push_back(reply.substr(len_end + 2, len));
      pos = len_end + 2 + len + 2;
    }
    std::sort(members.begin(), members.end());
    EXPECT_EQ(members.size(), std::stoul(std::string(count)));
    EXPECT_EQ(std::unique(members.begin(), members.end()), members.end());
  }
}

TEST_F(ZSetCommandsTest, UnionInterDiff) {
  Run({"ZADD", "{k}a", "1", "x", "2", "y", "3", "z"});
  Run({"ZADD", "{k}b", "10", "y", "20", "z", "30", "w"});
  EXPECT_EQ(Run({"ZUNION", "2", "{k}a", "{k}b", "WITHSCORES"}),
            Bulks({"x", "1", "y", "12", "z", "23", "w", "30"}));
  EXPECT_EQ(Run({"ZINTER", "2", "{k}a", "{k}b", "WEIGHTS", "2", "1", "WITHSCORES"}),
            Bulks({"y", "14", "z", "26"}));
  EXPECT_EQ(Run({"ZINTER", "2", "{k}a", "{k}b", "AGGREGATE", "MAX", "WITHSCORES"}),
            Bulks({"y", "10", "z", "20"}));
  EXPECT_EQ(Run({"ZUNION", "2", "{k}a", "{k}b", "AGGREGATE", "min", "WITHSCORES"}),
            Bulks({"x", "1", "y", "2", "z", "3", "w", "30"}));
  EXPECT_EQ(Run({"ZDIFF", "2", "{k}a", "{k}b", "WITHSCORES"}), Bulks({"x", "1"}));
  EXPECT_EQ(Run({"ZDIFF", "2", "{k}b", "{k}a"}), Bulks({"w"}));
  EXPECT_EQ(Run({"ZINTER", "2", "{k}a", "{k}none"}), Bulks({}));
  EXPECT_EQ(Run({"ZUNION", "2", "{k}none", "{k}a"}), Bulks({"x", "y", "z"}));
  EXPECT_EQ(Run({"ZINTERCARD", "2", "{k}a", "{k}b"}), Int(2));
  EXPECT_EQ(Run({"ZINTERCARD", "2", "{k}a", "{k}b", "LIMIT", "1"}), Int(1));
  EXPECT_EQ(Run({"ZINTERCARD", "2", "{k}a", "{k}b", "LIMIT", "0"}), Int(2));
  // inf * 0 and inf + -inf count as 0.
  Run({"ZADD", "{k}inf", "inf", "x", "-inf", "y"});
  EXPECT_EQ(Run({"ZUNION", "2", "{k}inf", "{k}a", "WEIGHTS", "0", "1", "WITHSCORES"}),
            Bulks({"x", "1", "y", "2", "z", "3"}));
  EXPECT_EQ(Run({"ZUNION", "2", "{k}inf", "{k}inf", "WEIGHTS", "1", "-1", "WITHSCORES"}),
            Bulks({"x", "0", "y", "0"}));
}

TEST_F(ZSetCommandsTest, SetOperationErrors) {
  Run({"ZADD", "{k}a", "1", "x"});
  Run({"SET", "{k}s", "x"});
  EXPECT_EQ(Run({"ZUNION", "0", "{k}a"}),
            Err("ERR at least 1 input key is needed for 'zunion' command"));
  EXPECT_EQ(Run({"ZUNIONSTORE", "{k}d", "0", "{k}a"}),
            Err("ERR at least 1 input key is needed for 'zunionstore' command"));
  EXPECT_EQ(Run({"ZINTERCARD", "0", "{k}a"}),
            Err("ERR at least 1 input key is needed for 'zintercard' command"));
  EXPECT_EQ(Run({"ZUNION", "x", "{k}a"}), Err(kNotInteger));
  EXPECT_EQ(Run({"ZUNION", "2", "{k}a"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZUNION", "1", "{k}a", "WEIGHTS", "x"}), Err("ERR weight value is not a float"));
  EXPECT_EQ(Run({"ZUNION", "1", "{k}a", "WEIGHTS"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZUNION", "1", "{k}a", "AGGREGATE", "avg"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZUNION", "1", "{k}s", "WEIGHTS", "x"}), Err(kWrongType));  // types first
  EXPECT_EQ(Run({"ZDIFF", "1", "{k}a", "WEIGHTS", "1"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZUNIONSTORE", "{k}d", "1", "{k}a", "WITHSCORES"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZINTERCARD", "1", "{k}a", "LIMIT", "-1"}), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(Run({"ZINTERCARD", "1", "{k}a", "LIMIT", "x"}), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(Run({"ZINTERCARD", "1", "{k}a", "WITHSCORES"}), Err(kSyntax));
}

TEST_F(ZSetCommandsTest, StoreForms) {
  Run({"ZADD", "{k}a", "1", "x", "2", "y"});
  Run({"ZADD", "{k}b", "3", "y", "4", "z"});
  Run({"SET", "{k}d", "old"});
  EXPECT_EQ(Run({"ZUNIONSTORE", "{k}d", "2", "{k}a", "{k}b"}), Int(3));
  EXPECT_EQ(Run({"ZRANGE", "{k}d", "0", "-1", "WITHSCORES"}),
            Bulks({"x", "1", "z", "4", "y", "5"}));
  EXPECT_EQ(Run({"ZINTERSTORE", "{k}d", "2", "{k}a", "{k}b", "WEIGHTS", "1", "0"}), Int(1));
  EXPECT_EQ(Run({"ZRANGE", "{k}d", "0", "-1", "WITHSCORES"}), Bulks({"y", "2"}));
  EXPECT_EQ(Run({"ZDIFFSTORE", "{k}d", "2", "{k}a", "{k}b"}), Int(1));
  EXPECT_EQ(Run({"ZRANGE", "{k}d", "0", "-1", "WITHSCORES"}), Bulks({"x", "1"}));
  EXPECT_EQ(Run({"ZINTERSTORE", "{k}d", "2", "{k}a", "{k}none"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "{k}d"}), Int(0));
  // The destination may be an input.
  EXPECT_EQ(Run({"ZUNIONSTORE", "{k}a", "2", "{k}a", "{k}b"}), Int(3));
  EXPECT_EQ(Run({"ZCARD", "{k}a"}), Int(3));
  ExpectMemoryConsistent();
}

TEST_F(ZSetCommandsTest, Scan) {
  Run({"ZADD", "z", "1", "a", "2.5", "b", "3", "c"});
  EXPECT_EQ(Run({"ZSCAN", "z", "0"}), Array({Bulk("0"), Bulks({"a", "1", "b", "2.5", "c", "3"})}));
  EXPECT_EQ(Run({"ZSCAN", "z", "0", "MATCH", "b*"}), Array({Bulk("0"), Bulks({"b", "2.5"})}));
  EXPECT_EQ(Run({"ZSCAN", "z", "0", "COUNT", "0"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZSCAN", "z", "0", "FOO"}), Err(kSyntax));
  EXPECT_EQ(Run({"ZSCAN", "z", "x"}), Err("ERR invalid cursor"));
  EXPECT_EQ(Run({"ZSCAN", "nokey", "x"}), Err("ERR invalid cursor"));
  EXPECT_EQ(Run({"ZSCAN", "nokey", "0", "COUNT", "0"}), Array({Bulk("0"), Bulks({})}));
  client_.resp3 = true;  // scores stay bulk strings
  EXPECT_EQ(Run({"ZSCAN", "z", "0", "MATCH", "a"}), Array({Bulk("0"), Bulks({"a", "1"})}));
}

TEST_F(ZSetCommandsTest, ScanLargeSetReturnsEveryMember) {
  shard_.limits.zset_max_listpack_entries = 0;
  for (int i = 0; i < 300; ++i) Run({"ZADD", "z", "1", "m" + std::to_string(i)});
  size_t seen = 0;
  std::string cursor = "0";
  int calls = 0;
  do {
    std::string reply = Run({"ZSCAN", "z", cursor, "COUNT", "20"});
    // *2 $<n> <cursor> *<2k> ...
    size_t first = reply.find("\r\n", 4) + 2;
    size_t cursor_end = reply.find("\r\n", first);
    cursor = reply.substr(first, cursor_end - first);
    size_t count_end = reply.find("\r\n", cursor_end + 3);
    seen += std::stoul(reply.substr(cursor_end + 3, count_end - cursor_end - 3)) / 2;
    ++calls;
  } while (cursor != "0");
  EXPECT_EQ(seen, 300u);
  EXPECT_GT(calls, 5);
}

TEST_F(ZSetCommandsTest, WrongType) {
  Run({"SET", "s", "x"});
  for (std::vector<std::string_view> args : std::vector<std::vector<std::string_view>>{
           {"ZSCORE", "s", "a"},
           {"ZMSCORE", "s", "a"},
           {"ZCARD", "s"},
           {"ZREM", "s", "a"},
           {"ZRANK", "s", "a"},
           {"ZCOUNT", "s", "0", "1"},
           {"ZLEXCOUNT", "s", "-", "+"},
           {"ZRANGE", "s", "0", "1"},
           {"ZRANGEBYSCORE", "s", "0", "1"},
           {"ZRANGEBYLEX", "s", "-", "+"},
           {"ZREMRANGEBYRANK", "s", "0", "1"},
           {"ZREMRANGEBYSCORE", "s", "0", "1"},
           {"ZREMRANGEBYLEX", "s", "-", "+"},
           {"ZPOPMAX", "s"},
           {"ZRANDMEMBER", "s"},
           {"ZRANDMEMBER", "s", "2"},
           {"ZSCAN", "s", "0"},
           {"ZINTERCARD", "1", "s"},
           {"ZINCRBY", "s", "1", "a"},
       }) {
    EXPECT_EQ(Run(args), Err(kWrongType)) << args[0];
  }
  EXPECT_EQ(Run({"GET", "s"}), Bulk("x"));
}

TEST_F(ZSetCommandsTest, KeyspaceStats) {
  Run({"ZADD", "z", "1", "a"});
  uint64_t h = hits();
  uint64_t m = misses();
  Run({"ZSCORE", "z", "a"});
  Run({"ZRANGE", "nokey", "0", "-1"});
  EXPECT_EQ(hits(), h + 1);
  EXPECT_EQ(misses(), m + 1);
  Run({"ZADD", "z", "2", "b"});
  Run({"ZREM", "nokey", "a"});
  EXPECT_EQ(hits(), h + 1);
  EXPECT_EQ(misses(), m + 1);
}

TEST_F(ZSetCommandsTest, LargeSetMatchesSmallSet) {
  // The same commands on a listpack and on a skiplist give the same replies. (Not member ranges:
  // with unequal scores their result is unspecified, in Redis too.)
  std::vector<std::vector<std::string>> setup;
  for (int i = 0; i < 50; ++i) {
    setup.push_back({"ZADD", "", std::to_string(i % 7), "m" + std::to_string(i)});
  }
  std::vector<std::vector<std::string_view>> queries = {
      {"ZRANGE", "", "0", "-1", "WITHSCORES"},
      {"ZRANGE", "", "5", "20", "REV"},
      {"ZRANGE", "", "(2", "5", "BYSCORE", "LIMIT", "3", "10"},
      {"ZRANGE", "", "5", "(2", "BYSCORE", "REV", "LIMIT", "3", "10"},
      {"ZCOUNT", "", "1", "(4"},
      {"ZRANK", "", "m17"},
      {"ZREVRANK", "", "m17", "WITHSCORE"},
      {"ZSCORE", "", "m33"},
      {"ZREMRANGEBYSCORE", "", "3", "3"},
      {"ZREMRANGEBYRANK", "", "10", "15"},
      {"ZPOPMIN", "", "3"},
      {"ZPOPMAX", "", "2"},
      {"ZRANGE", "", "0", "-1", "WITHSCORES"},
  };
  for (const char* key : {"small", "big"}) {
    shard_.limits.zset_max_listpack_entries = std::string_view(key) == "big" ? 0 : 128;
    for (auto args : setup) {
      args[1] = key;
      Run(std::vector<std::string_view>(args.begin(), args.end()));
    }
  }
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "small"}), Bulk("listpack"));
  EXPECT_EQ(Run({"OBJECT", "ENCODING", "big"}), Bulk("skiplist"));
  for (auto args : queries) {
    args[1] = "small";
    std::string small = Run(args);
    args[1] = "big";
    EXPECT_EQ(Run(args), small) << args[0];
  }
  ExpectMemoryConsistent();
}

}  // namespace
}  // namespace ringtail::commands
