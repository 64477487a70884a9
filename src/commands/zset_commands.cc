// SPDX-License-Identifier: Apache-2.0
// The sorted-set command family: ZADD, ZINCRBY, ZREM, ZSCORE, ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT,
// the ZRANGE family (ZRANGE, ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
// ZRANGEBYLEX, ZREVRANGEBYLEX), ZRANK/ZREVRANK, ZPOPMIN/ZPOPMAX, ZMPOP, ZRANDMEMBER, the
// ZREMRANGEBY* commands, ZUNION/ZINTER/ZDIFF and their STORE forms, ZINTERCARD and ZSCAN, with
// Redis 7's replies and error texts (ZRANK/ZREVRANK also take 7.2's WITHSCORE), on
// storage::ZSet. Registered by RegisterZSetCommands; BZPOPMIN, BZPOPMAX and BZMPOP live in
// blocking_commands.cc and pop with PopMembers (zset_commands.h). Each handler runs on the shard
// thread that owns its keys; the multi-key commands see all their keys on this shard.
//
// Replies with scores: a score is a double (ReplyBuilder::Double: a bulk string in RESP2). A
// WITHSCORES reply is a flat array member, score, ... in RESP2 and an array of [member, score]
// pairs in RESP3, as Redis 7 sends them (not a map: the order matters). ZSCAN sends scores as
// bulk strings in both protocols, as Redis does.
//
// Keyspace statistics: as in Redis, the commands that only read count a hit or a miss; the ones
// that modify do not.
#include "commands/zset_commands.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/random/random.h"
#include "base/strings.h"
#include "commands/command_table.h"
#include "commands/registry.h"
#include "commands/scan_args.h"
#include "protocol/errors.h"
#include "protocol/reply_builder.h"
#include "storage/set.h"
#include "storage/zset.h"

namespace ringtail::commands {
namespace {

using protocol::kCountNotPositive;
using protocol::kInvalidCursor;
using protocol::kNegativeCount;
using protocol::kNotFloat;
using protocol::kNotInteger;
using protocol::kNumKeysNotPositive;
using protocol::kRandCountOutOfRange;
using protocol::kSetLimitNegative;
using protocol::kSyntax;
using protocol::kWrongArgCountPrefix;
using protocol::kWrongType;
using protocol::kZAddGtLtNx;
using protocol::kZAddIncrPairs;
using protocol::kZAddXxNx;
using protocol::kZNoInputKeyPrefix;
using protocol::kValueOutOfRange;
using protocol::kZRangeByLexWithScores;
using protocol::kZRangeLimitNeedsBy;
using protocol::kZRangeNotFloat;
using protocol::kZRangeNotLex;
using protocol::kZScoreNaN;
using protocol::kZWeightNotFloat;
using storage::Entry;
using storage::LexBound;
using storage::ScoreBound;
using storage::ValueType;
using storage::ZSet;

using Members = std::vector<std::pair<std::string, double>>;

// ---------------------------------------------------------------------------------------------
// Lookups, storing, replies

// Replies "<prefix><command>' command", the shape of Redis's errors that name the command.
void ReplyCommandError(CommandContext& ctx, std::string_view prefix, std::string_view command) {
  std::string text(prefix);
  text.append(command).append("' command");
  ctx.reply().Error(text);
}

// Looks `key` up, as a read (counted as a keyspace hit or miss, Redis's lookupKeyRead) or as a
// write. Sets *entry (nullptr when absent) and returns true, or replies WRONGTYPE and returns
// false when the key holds another type.
bool LookupZSet(CommandContext& ctx, std::string_view key, bool is_read, Entry** entry) {
  *entry = ctx.table().Find(key, ctx.now_ms());
  if (is_read) ctx.CountLookup(*entry != nullptr);
  if (*entry != nullptr && (*entry)->type() != ValueType::kZSet) {
    ctx.reply().Error(kWrongType);
    return false;
  }
  return true;
}

// Makes `zset` the value of `key`, replacing any value of any type and dropping its deadline
// (Redis's setKey), or deletes `key` when `zset` is empty.
void StoreZSet(CommandContext& ctx, std::string_view key, std::unique_ptr<ZSet> zset) {
  if (zset->size() == 0) {
    ctx.table().Erase(key, ctx.now_ms());
    return;
  }
  Entry* entry = ctx.table().FindOrInsert(key, ctx.now_ms()).entry;
  ctx.table().SetObject(entry, std::move(zset));
  if (entry->has_expiry()) entry = ctx.table().SetExpiry(entry, 0);
}

// The array header for `n` members, with their scores or not: member, score, ... in RESP2;
// [member, score] pairs in RESP3.
void ReplyMembersHeader(protocol::ReplyBuilder& reply, size_t n, bool withscores) {
  reply.Array(withscores && !reply.resp3() ? n * 2 : n);
}

void ReplyMember(protocol::ReplyBuilder& reply, std::string_view member, double score,
                 bool withscores) {
  if (withscores && reply.resp3()) reply.Array(2);
  reply.Bulk(member);
  if (withscores) reply.Double(score);
}

// ---------------------------------------------------------------------------------------------
// Argument parsing

// A score, increment or weight, as Redis's getDoubleFromObject reads one: strtod must consume
// all of it, without leading space; nan and overflow are refused (an underflow to a subnormal
// is accepted; "inf" and hexadecimal are numbers).
std::optional<double> ParseScore(std::string_view text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || std::isnan(value)) return std::nullopt;
  if (errno == ERANGE && (std::isinf(value) || value == 0)) return std::nullopt;
  return value;
}

// One end of a score range, as Redis's zslParseRange reads it: a leading "(" makes it
// exclusive, and strtod must stop at the end of the rest (or at a NUL byte in it) and not read
// nan. As in Redis, leading spaces are skipped and an empty number is 0.
std::optional<ScoreBound> ParseScoreBound(std::string_view text) {
  ScoreBound bound;
  if (!text.empty() && text[0] == '(') {
    bound.exclusive = true;
    text.remove_prefix(1);
  }
  std::string copy(text);
  char* end = nullptr;
  bound.value = std::strtod(copy.c_str(), &end);
  if (*end != '\0' || std::isnan(bound.value)) return std::nullopt;
  return bound;
}

// One end of a member range (zslParseLexRangeItem): "[member", "(member", or "-" / "+" alone.
std::optional<LexBound> ParseLexBound(std::string_view text) {
  if (text.empty()) return std::nullopt;
  switch (text[0]) {
    case '-':
      if (text.size() != 1) return std::nullopt;
      return LexBound{LexBound::Kind::kMinusInf, {}};
    case '+':
      if (text.size() != 1) return std::nullopt;
      return LexBound{LexBound::Kind::kPlusInf, {}};
    case '[':
      return LexBound{LexBound::Kind::kInclusive, text.substr(1)};
    case '(':
      return LexBound{LexBound::Kind::kExclusive, text.substr(1)};
    default:
      return std::nullopt;
  }
}

// ---------------------------------------------------------------------------------------------
// ZADD, ZINCRBY

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], and ZINCRBY key
// increment member, which is ZADD key INCR increment member (so its increment may even be read
// as an option, as in Redis). Every argument is checked before the key is touched.
void AddMembers(CommandContext& ctx, bool incr) {
  bool nx = false;
  bool xx = false;
  bool gt = false;
  bool lt = false;
  bool ch = false;
  size_t first = 2;
  for (; first < ctx.argc(); ++first) {
    std::string_view option = ctx.arg(first);
    if (base::EqualsIgnoreCase(option, "nx")) {
      nx = true;
    } else if (base::EqualsIgnoreCase(option, "xx")) {
      xx = true;
    } else if (base::EqualsIgnoreCase(option, "ch")) {
      ch = true;
    } else if (base::EqualsIgnoreCase(option, "incr")) {
      incr = true;
    } else if (base::EqualsIgnoreCase(option, "gt")) {
      gt = true;
    } else if (base::EqualsIgnoreCase(option, "lt")) {
      lt = true;
    } else {
      break;
    }
  }
  size_t pairs = ctx.argc() - first;
  if (pairs == 0 || pairs % 2 != 0) return ctx.reply().Error(kSyntax);
  pairs /= 2;
  if (nx && xx) return ctx.reply().Error(kZAddXxNx);
  if ((gt && nx) || (lt && nx) || (gt && lt)) return ctx.reply().Error(kZAddGtLtNx);
  if (incr && pairs > 1) return ctx.reply().Error(kZAddIncrPairs);
  for (size_t i = 0; i < pairs; ++i) {
    if (!ParseScore(ctx.arg(first + 2 * i))) return ctx.reply().Error(kNotFloat);
  }

  std::string_view key = ctx.arg(1);
  Entry* entry = nullptr;
  if (xx) {
    if (!LookupZSet(ctx, key, false, &entry)) return;
    if (entry == nullptr) return incr ? ctx.reply().Null() : ctx.reply().Int(0);
  } else {
    auto [found, inserted] = ctx.table().FindOrInsert(key, ctx.now_ms());
    entry = found;
    if (inserted) {
      ctx.table().SetObject(entry, std::make_unique<ZSet>());
    } else if (entry->type() != ValueType::kZSet) {
      return ctx.reply().Error(kWrongType);
    }
  }

  ZSet* zset = entry->zset();
  const storage::EncodingLimits& limits = ctx.shard().limits;
  size_t before = entry->AllocatedBytes();
  int64_t added = 0;
  int64_t updated = 0;
  int64_t processed = 0;
  double last_score = 0;
  bool nan = false;
  for (size_t i = 0; i < pairs; ++i) {
    double score = *ParseScore(ctx.arg(first + 2 * i));
    std::string_view member = ctx.arg(first + 2 * i + 1);
    std::optional<double> current = zset->Score(member);
    if (current) {
      if (nx) continue;
      if (incr) {
        score += *current;
        if (std::isnan(score)) {
          nan = true;
          break;
        }
      }
      if ((lt && score >= *current) || (gt && score <= *current)) continue;
      if (score != *current) {
        zset->Set(member, score, limits);
        ++updated;
      }
    } else {
      if (xx) continue;
      zset->Set(member, score, limits);
      ++added;
    }
    ++processed;
    last_score = score;
  }
  ctx.table().NoteResized(entry, before);
  // An INCR that would give nan needs an existing member, so the key is not left empty.
  if (nan) return ctx.reply().Error(kZScoreNaN);
  if (incr) return processed > 0 ? ctx.reply().Double(last_score) : ctx.reply().Null();
  ctx.reply().Int(ch ? added + updated : added);
}

void ZAdd(CommandContext& ctx) { AddMembers(ctx, false); }
void ZIncrBy(CommandContext& ctx) { AddMembers(ctx, true); }

// ---------------------------------------------------------------------------------------------
// Single-member reads and ZREM

void ZRem(CommandContext& ctx) {
  Entry* entry = nullptr;
  if (!LookupZSet(ctx, ctx.arg(1), false, &entry)) return;
  if (entry == nullptr) return ctx.reply().Int(0);
  ZSet* zset = entry->zset();
  size_t before = entry->AllocatedBytes();
  int64_t removed = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (zset->Remove(ctx.arg(i))) ++removed;
    if (zset->size() == 0) break;
  }
  ctx.table().NoteResized(entry, before);
  if (zset->size() == 0) ctx.table().Erase(entry);
  ctx.reply().Int(removed);
}

void ZCard(CommandContext& ctx) {
  Entry* entry = nullptr;
  if (!LookupZSet(ctx, ctx.arg(1), true, &entry)) return;
  ctx.reply().Int(entry == nullptr ? 0 : static_cast<int64_t>(entry->zset()->size()));
}

void ZScore(CommandContext& ctx) {
  Entry* entry = nullptr;
  if (!LookupZSet(ctx, ctx.arg(1), true, &entry)) return;
  std::optional<double> score;
  if (entry != nullptr) score = entry->zset()->Score(ctx.arg(2));
  if (!score) return ctx.reply().Null();
  ctx.reply().Double(*score);
}

void ZMScore(CommandContext& ctx) {
  Entry* entry = nullptr;
  if (!LookupZSet(ctx, ctx.arg(1), true, &entry)) return;
  ctx.reply().Array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::optional<double> score;
    if (entry != nullptr) score = entry->zset()->Score(ctx.arg(i));
    if (score) {
      ctx.reply().Double(*score);
    } else {
      ctx.reply().Null();
    }
  }
}

// ZRANK / ZREVRANK key member [WITHSCORE] (WITHSCORE as in Redis 7.2: the reply is then
// [rank, score], or a null array when there is no such member).
void RankOf(CommandContext& ctx, bool reverse) {
  if (ctx.argc() > 4) {
    return ReplyCommandError(ctx, kWrongArgCountPrefix, reverse ? "zrevrank" : "zrank");
  }
  bool withscore = false;
  if (ctx.argc() == 4) {
    if (!base::EqualsIgnoreCase(ctx.arg(3), "withscore")) return ctx.reply().Error(kSyntax);
    withscore = true;
  }
  Entry* entry = nullptr;
  if (!LookupZSet(ctx, ctx.arg(1), true, &entry)) return;
  std::optional<ZSet::RankAndScore> found;
  if (entry != nullptr) found = entry->zset()->Rank(ctx.arg(2));
  if (!found) return withscore ? ctx.reply().NullArray() : ctx.reply().Null();
  size_t rank = reverse ? entry->zset()->size() - 1 - found->rank : found->rank;
  if (!withscore) return ctx.reply().Int(static_cast<int64_t>(rank));
  ctx.reply().Array(2);
  ctx.reply().Int(static_cast<int64_t>(rank));
  ctx.reply().Double(found->score);
}

void ZRank(CommandContext& ctx) { RankOf(ctx, false); }
void ZRevRank(CommandContext& ctx) { RankOf(ctx, true); }

// ---------------------------------------------------------------------------------------------
// Ranges: the ZRANGE family, ZCOUNT, ZLEXCOUNT and ZREMRANGEBY*

enum class RangeBy : uint8_t { kAuto, kRank, kScore, kLex };
enum class Direction : uint8_t { kAuto, kForward, kReverse };

// A parsed range request.
struct RangeQuery {
  RangeBy by = RangeBy::kRank;
  bool reverse = false;
  bool withscores = false;
  int64_t offset = 0;
  int64_t limit = -1;  // LIMIT's count; negative: no limit
  int64_t start = 0;   // by rank
  int64_t end = 0;
  ScoreBound score_min;  // by score
  ScoreBound score_max;
  LexBound lex_min;  // by member
  LexBound lex_max;
};

// Parses the two bounds at `min_index` and `max_index` for `query->by`. On error replies and
// returns false.
bool ParseBounds(CommandContext& ctx, size_t min_index, size_t max_index, RangeQuery* query) {
  switch (query->by) {
    case RangeBy::kAuto:
    case RangeBy::kRank: {
      std::optional<int64_t> start = ctx.IntArg(min_index);
      if (!start) return false;
      std::optional<int64_t> end = ctx.IntArg(max_index);
      if (!end) return false;
      query->start = *start;
      query->end = *end;
      return true;
    }
    case RangeBy::kScore: {
      std::optional<ScoreBound> min = ParseScoreBound(ctx.arg(min_index));
      std::optional<ScoreBound> max = ParseScoreBound(ctx.arg(max_index));
      if (!min || !max) {
        ctx.reply().Error(kZRangeNotFloat);
        return false;
      }
      query->score_min = *min;
      query->score_max = *max;
      return true;
    }
    case RangeBy::kLex: {
      std::optional<LexBound> min = ParseLexBound(ctx.arg(min_index));
      std::optional<LexBound> max = ParseLexBound(ctx.arg(max_index));
      if (!min || !max) {
        ctx.reply().Error(kZRangeNotLex);
        return false;
      }
      query->lex_min = *min;
      query->lex_max = *max;
      return true;
    }
  }
  return false;
}

// Parses a range request as Redis's zrangeGenericCommand does: the source key is argument
// `key_index`, its two bounds follow, then the options. `by` and `direction` are preset by the
// command (ZRANGEBYSCORE, ZREVRANGE, ...), or kAuto for ZRANGE and ZRANGESTORE, which take
// BYSCORE/BYLEX and REV once each. WITHSCORES is not an option of the STORE form. The options
// are checked first, then their combination, then the bounds. On error replies and returns
// false.
bool ParseRangeQuery(CommandContext& ctx, size_t key_index, bool store, RangeBy by,
                     Direction direction, RangeQuery* query) {
  for (size_t i = key_index + 3; i < ctx.argc(); ++i) {
    std::string_view option = ctx.arg(i);
    size_t left = ctx.argc() - i - 1;
    if (!store && base::EqualsIgnoreCase(option, "withscores")) {
      query->withscores = true;
    } else if (left >= 2 && base::EqualsIgnoreCase(option, "limit")) {
      std::optional<int64_t> offset = ctx.IntArg(i + 1);
      if (!offset) return false;
      std::optional<int64_t> limit = ctx.IntArg(i + 2);
      if (!limit) return false;
      query->offset = *offset;
      query->limit = *limit;
      i += 2;
    } else if (direction == Direction::kAuto && base::EqualsIgnoreCase(option, "rev")) {
      direction = Direction::kReverse;
    } else if (by == RangeBy::kAuto && base::EqualsIgnoreCase(option, "bylex")) {
      by = RangeBy::kLex;
    } else if (by == RangeBy::kAuto && base::EqualsIgnoreCase(option, "byscore")) {
      by = RangeBy::kScore;
    } else {
      ctx.reply().Error(kSyntax);
      return false;
    }
  }
  if (by == RangeBy::kAuto) by = RangeBy::kRank;
  query->by = by;
  query->reverse = direction == Direction::kReverse;
  // As in Redis, "LIMIT x -1" counts as no LIMIT here.
  if (query->limit != -1 && by == RangeBy::kRank) {
    ctx.reply().Error(kZRangeLimitNeedsBy);
    return false;
  }
  if (query->withscores && by == RangeBy::kLex) {
    ctx.reply().Error(kZRangeByLexWithScores);
    return false;
  }
  size_t min_index = key_index + 1;
  size_t max_index = key_index + 2;
  if (query->reverse && by != RangeBy::kRank) std::swap(min_index, max_index);  // max min
  return ParseBounds(ctx, min_index, max_index, query);
}

// The members a range request selects: ranks [first, last), sent in descending order if
// `reverse`.
struct Window {
  size_t first = 0;
  size_t last = 0;
  bool reverse = false;
  size_t size() const { return last - first; }
};

// The ranks [first, last) of the members between the bounds of a score or member range.
std::pair<size_t, size_t> BoundRanks(const ZSet& zset, const RangeQuery& query) {
  if (query.by == RangeBy::kScore) {
    return {zset.CountBelow(query.score_min), zset.CountThrough(query.score_max)};
  }
  return {zset.CountBelow(query.lex_min), zset.CountThrough(query.lex_max)};
}

Window RangeWindow(const ZSet& zset, const RangeQuery& query) {
  Window window;
  window.reverse = query.reverse;
  const auto length = static_cast<int64_t>(zset.size());
  if (query.by == RangeBy::kRank) {
    // Redis's index rules: negative indexes count from the end; out-of-range ends are clamped.
    int64_t start = query.start < 0 ? query.start + length : query.start;
    int64_t end = query.end < 0 ? query.end + length : query.end;
    if (start < 0) start = 0;
    if (start > end || start >= length) return window;
    if (end >= length) end = length - 1;
    if (query.reverse) {
      window.first = static_cast<size_t>(length - 1 - end);
      window.last = static_cast<size_t>(length - start);
    } else {
      window.first = static_cast<size_t>(start);
      window.last = static_cast<size_t>(end + 1);
    }
    return window;
  }
  auto [low, high] = BoundRanks(zset, query);
  // A negative offset selects nothing, as in Redis (which skips forever).
  if (high <= low || query.offset < 0) return window;
  auto offset = static_cast<uint64_t>(query.offset);
  uint64_t available = high - low;
  if (offset >= available) return window;
  uint64_t n = available - offset;
  if (query.limit >= 0) n = std::min(n, static_cast<uint64_t>(query.limit));
  if (query.reverse) {
    window.last = static_cast<size_t>(high - offset);
    window.first = static_cast<size_t>(window.last - n);
  } else {
    window.first = static_cast<size_t>(low + offset);
    window.last = static_cast<size_t>(window.first + n);
  }
  return window;
}

void ReplyWindow(CommandContext& ctx, const ZSet& zset, const Window& window, bool withscores) {
  protocol::ReplyBuilder& reply = ctx.reply();
  ReplyMembersHeader(reply, window.size(), withscores);
  zset.ForRange(window.first, window.last, window.reverse,
                [&](std::string_view member, double score) {
                  ReplyMember(reply, member, score, withscores);
                });
}

// ZRANGE and its older forms: the range request, then the members.
void RangeCommand(CommandContext& ctx, RangeBy by, Direction direction) {
  RangeQuery query;
  if (!ParseRangeQuery(ctx, 1, false, by, direction, &query)) return;
  Entry* entry = nullptr;
  if (!LookupZSet(ctx, ctx.arg(1), true, &entry)) return;
  if (entry == nullptr) return ctx.reply().Array(0);
  const ZSet& zset = *entry->zset();
  ReplyWindow(ctx, zset, RangeWindow(zset, query), query.withscores);
}

void ZRange(CommandContext& ctx) { RangeCommand(ctx, RangeBy::kAuto, Direction::kAuto); }
void ZRevRange(CommandContext& ctx) { RangeCommand(ctx, RangeBy::kRank, Direction::kReverse); }
void ZRangeByScore(CommandContext& ctx) { RangeCommand(ctx, RangeBy::kScore, Direction::kForward); }
void ZRevRangeByScore(CommandContext& ctx) {
  RangeCommand(ctx, RangeBy::kScore, Direction::kReverse);
}
void ZRangeByLex(CommandContext& ctx) { RangeCommand(ctx, RangeBy::kLex, Direction::kForward); }
void ZRevRangeByLex(CommandContext& ctx) { RangeCommand(ctx, RangeBy::kLex, Direction::kReverse); }

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]: stores the range
// (replacing dst, or deleting it when the range is empty) and replies with its size.
void ZRangeStore(CommandContext& ctx) {
  RangeQuery query;
  if (!ParseRangeQuery(ctx, 2, true, RangeBy::kAuto, Direction::kAuto, &query)) return;
  Entry* source = nullptr;
  if (!LookupZSet(ctx, ctx.arg(2), true, &source)) return;
  auto result = std::make_unique<ZSet>();
  if (source != nullptr) {
    const ZSet& zset = *source->zset();
    Window window = RangeWindow(zset, query);
    const storage::EncodingLimits& limits = ctx.shard().limits;
    zset.ForRange(
        window.first, window.last, window.reverse,
        [&](std::string_view member, double score) { result->Set(member, score, limits); });
  }
  auto stored = static_cast<int64_t>(result->size());
  StoreZSet(ctx, ctx.arg(1), std::move(result));
  ctx.reply().Int(stored);
}

// ZCOUNT key min max / ZLEXCOUNT key min max.
void CountCommand(CommandContext& ctx, RangeBy by) {
  RangeQuery query;
  query.by = by;
  if (!ParseBounds(ctx, 2, 3, &query)) return;
  Entry* entry = nullptr;
  if (!LookupZSet(ctx, ctx.arg(1), true, &entry)) return;
  if (entry == nullptr) return ctx.reply().Int(0);
  auto [low, high] = BoundRanks(*entry->zset(), query);
  ctx.reply().Int(high > low ? static_cast<int64_t>(high - low) : 0);
}

void ZCount(CommandContext& ctx) { CountCommand(ctx, RangeBy::kScore); }
void ZLexCount(CommandContext& ctx) { CountCommand(ctx, RangeBy::kLex); }

// ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX key min max.
void RemoveRangeCommand(CommandContext& ctx, RangeBy by) {
  RangeQuery query;
  query.by = by;
  if (!ParseBounds(ctx, 2, 3, &query)) return;
  Entry* entry = nullptr;
  if (!LookupZSet(ctx, ctx.arg(1), false, &entry)) return;
  if (entry == nullptr) return ctx.reply().Int(0);
  ZSet* zset = entry->zset();
  Window window = RangeWindow(*zset, query);
  size_t before = entry->AllocatedBytes();
  zset->RemoveRange(window.first, window.last);
  ctx.table().NoteResized(entry, before);
  if (zset->size() == 0) ctx.table().Erase(entry);
  ctx.reply().Int(static_cast<int64_t>(window.size()));
}

void ZRemRangeByRank(CommandContext& ctx) { RemoveRangeCommand(ctx, RangeBy::kRank); }
void ZRemRangeByScore(CommandContext& ctx) { RemoveRangeCommand(ctx, RangeBy::kScore); }
void ZRemRangeByLex(CommandContext& ctx) { RemoveRangeCommand(ctx, RangeBy::kLex); }

// ---------------------------------------------------------------------------------------------
// Pops

// ZPOPMIN / ZPOPMAX key [count]. Without a count the reply is [member, score]; with one, in
// RESP3, an array of [member, score] pairs (RESP2: flat).
void PopCommand(CommandContext& ctx, bool min) {
  if (ctx.argc() > 3) return ctx.reply().Error(kSyntax);
  bool has_count = ctx.argc() == 3;
  int64_t count = 1;
  if (has_count) {
    std::optional<int64_t> n = ParseInt(ctx.arg(2));
    if (!n || *n < 0) return ctx.reply().Error(kNegativeCount);
    count = *n;
  }
  Members popped;
  if (PopMembers(ctx, ctx.arg(1), min, static_cast<size_t>(count), &popped) ==
      ZSetOpResult::kWrongType) {
    return ctx.reply().Error(kWrongType);
  }
  protocol::ReplyBuilder& reply = ctx.reply();
  bool pairs = has_count && reply.resp3();
  reply.Array(pairs ? popped.size() : popped.size() * 2);
  for (const auto& [member, score] : popped) {
    if (pairs) reply.Array(2);
    reply.Bulk(member);
    reply.Double(score);
  }
}

void ZPopMin(CommandContext& ctx) { PopCommand(ctx, true); }
void ZPopMax(CommandContext& ctx) { PopCommand(ctx, false); }

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first non-empty sorted set
// and replies [key, [[member, score], ...]], or a null array if every key is empty.
void ZMPop(CommandContext& ctx) {
  std::optional<int64_t> numkeys = ParseInt(ctx.arg(1));
  if (!numkeys || *numkeys < 1) return ctx.reply().Error(kNumKeysNotPositive);
  if (*numkeys >= static_cast<int64_t>(ctx.argc()) - 2) return ctx.reply().Error(kSyntax);
  size_t where = 2 + static_cast<size_t>(*numkeys);
  bool min = true;
  if (base::EqualsIgnoreCase(ctx.arg(where), "min")) {
    min = true;
  } else if (base::EqualsIgnoreCase(ctx.arg(where), "max")) {
    min = false;
  } else {
    return ctx.reply().Error(kSyntax);
  }
  int64_t count = -1;
  for (size_t i = where + 1; i < ctx.argc(); ++i) {
    if (count == -1 && i + 1 < ctx.argc() && base::EqualsIgnoreCase(ctx.arg(i), "count")) {
      std::optional<int64_t> n = ParseInt(ctx.arg(++i));
      if (!n || *n < 1) return ctx.reply().Error(kCountNotPositive);
      count = *n;
    } else {
      return ctx.reply().Error(kSyntax);
    }
  }
  if (count == -1) count = 1;
  Members popped;
  for (size_t i = 2; i < where; ++i) {
    std::string_view key = ctx.arg(i);
    ZSetOpResult result = PopMembers(ctx, key, min, static_cast<size_t>(count), &popped);
    if (result == ZSetOpResult::kNoZSet) continue;
    if (result == ZSetOpResult::kWrongType) return ctx.reply().Error(kWrongType);
    protocol::ReplyBuilder& reply = ctx.reply();
    reply.Array(2);
    reply.Bulk(key);
    reply.Array(popped.size());
    for (const auto& [member, score] : popped) {
      reply.Array(2);
      reply.Bulk(member);
      reply.Double(score);
    }
    return;
  }
  ctx.reply().NullArray();
}

// ---------------------------------------------------------------------------------------------
// ZRANDMEMBER key [count [WITHSCORES]]

void ZRandMember(CommandContext& ctx) {
  Entry* entry = nullptr;
  absl::BitGen& rng = ctx.shard().rng;
  if (ctx.argc() == 2) {
    if (!LookupZSet(ctx, ctx.arg(1), true, &entry)) return;
    if (entry == nullptr) return ctx.reply().Null();
    const ZSet& zset = *entry->zset();
    return ctx.reply().Bulk(zset.At(absl::Uniform<size_t>(rng, 0, zset.size())).member);
  }
  std::optional<int64_t> count = ctx.IntArg(2);
  if (!count) return;
  if (*count == std::numeric_limits<int64_t>::min()) {
    return ctx.reply().Error(kRandCountOutOfRange);
  }
  if (ctx.argc() > 4 || (ctx.argc() == 4 && !base::EqualsIgnoreCase(ctx.arg(3), "withscores"))) {
    return ctx.reply().Error(kSyntax);
  }
  bool withscores = ctx.argc() == 4;
  constexpr int64_t kHalfRange = std::numeric_limits<int64_t>::max() / 2;
  if (withscores && (*count < -kHalfRange || *count > kHalfRange)) {
    return ctx.reply().Error(kValueOutOfRange);
  }
  if (!LookupZSet(ctx, ctx.arg(1), true, &entry)) return;
  if (entry == nullptr || *count == 0) return ctx.reply().Array(0);
  const ZSet& zset = *entry->zset();
  const size_t size = zset.size();
  protocol::ReplyBuilder& reply = ctx.reply();

  // The members of a flat set, read once: picking by rank there is a walk.
  std::vector<ZSet::Item> flat;
  if (zset.is_flat()) {
    flat.reserve(size);
    zset.ForEach([&](std::string_view member, double score) { flat.push_back({member, score}); });
  }
  auto reply_rank = [&](size_t rank) {
    ZSet::Item item = zset.is_flat() ? flat[rank] : zset.At(rank);
    ReplyMember(reply, item.member, item.score, withscores);
  };

  if (*count < 0 || *count == 1) {
    // With repetitions: |count| independent picks.
    auto n = static_cast<uint64_t>(*count < 0 ? -*count : *count);
    ReplyMembersHeader(reply, n, withscores);
    for (uint64_t i = 0; i < n; ++i) reply_rank(absl::Uniform<size_t>(rng, 0, size));
    return;
  }
  auto n = static_cast<size_t>(*count);
  if (n >= size) {
    // Every member, in order.
    ReplyWindow(ctx, zset, Window{0, size, false}, withscores);
    return;
  }
  ReplyMembersHeader(reply, n, withscores);
  if (n * 3 > size) {
    // Many of them: the first n of a partial shuffle of all ranks.
    std::vector<size_t> ranks(size);
    for (size_t i = 0; i < size; ++i) ranks[i] = i;
    for (size_t i = 0; i < n; ++i) {
      std::swap(ranks[i], ranks[absl::Uniform<size_t>(rng, i, size)]);
      reply_rank(ranks[i]);
    }
    return;
  }
  // Few of them: draw ranks until n distinct ones came up.
  absl::flat_hash_set<size_t> picked;
  picked.reserve(n);
  while (picked.size() < n) {
    size_t rank = absl::Uniform<size_t>(rng, 0, size);
    if (picked.insert(rank).second) reply_rank(rank);
  }
}

// ---------------------------------------------------------------------------------------------
// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD

enum class SetOp : uint8_t { kUnion, kInter, kDiff };
enum class Aggregate : uint8_t { kSum, kMin, kMax };

// An input of a set operation: a sorted set, a set (whose members all score 1), or nothing (an
// absent key, an empty input).
struct Source {
  const ZSet* zset = nullptr;
  const storage::Set* set = nullptr;
  double weight = 1;

  size_t size() const {
    if (zset != nullptr) return zset->size();
    return set != nullptr ? set->size() : 0;
  }
  std::optional<double> Find(std::string_view member) const {
    if (zset != nullptr) return zset->Score(member);
    if (set != nullptr && set->Contains(member)) return 1.0;
    return std::nullopt;
  }
  void ForEach(absl::FunctionRef<void(std::string_view, double)> fn) const {
    if (zset != nullptr) return zset->ForEach(fn);
    if (set != nullptr) set->ForEach([&](std::string_view member) { fn(member, 1.0); });
  }
};

// Folds `value` into `*target` as Redis's zunionInterAggregate: a sum that is nan (inf + -inf)
// counts as 0.
void Fold(double* target, double value, Aggregate how) {
  switch (how) {
    case Aggregate::kSum:
      *target += value;
      if (std::isnan(*target)) *target = 0;
      return;
    case Aggregate::kMin:
      *target = value < *target ? value : *target;
      return;
    case Aggregate::kMax:
      *target = value > *target ? value : *target;
      return;
  }
}

struct SetOpRequest {
  SetOp op = SetOp::kUnion;
  std::string_view command;  // for the "at least 1 input key" error
  size_t numkeys_index = 1;  // the position of numkeys
  bool store = false;        // the STORE form: the destination is argument 1
  bool cardinality = false;  // ZINTERCARD
};

// Runs a set operation as Redis's zunionInterDiffGenericCommand: numkeys, then the keys' types
// (WRONGTYPE before any option is read), then the options (WEIGHTS and AGGREGATE but for ZDIFF,
// WITHSCORES but for the STORE forms, LIMIT for ZINTERCARD only). The inputs are taken smallest
// first for ZUNION and ZINTER, as in Redis, so sums add up in the same order. The result is
// ordered by (score, member).
void SetOperation(CommandContext& ctx, const SetOpRequest& request) {
  std::optional<int64_t> numkeys = ctx.IntArg(request.numkeys_index);
  if (!numkeys) return;
  if (*numkeys < 1) return ReplyCommandError(ctx, kZNoInputKeyPrefix, request.command);
  if (*numkeys > static_cast<int64_t>(ctx.argc() - request.numkeys_index - 1)) {
    return ctx.reply().Error(kSyntax);
  }
  const auto n = static_cast<size_t>(*numkeys);
  std::vector<Source> sources(n);
  size_t arg = request.numkeys_index + 1;
  for (size_t i = 0; i < n; ++i, ++arg) {
    const Entry* entry = ctx.table().Find(ctx.arg(arg), ctx.now_ms());
    if (!request.store) ctx.CountLookup(entry != nullptr);
    if (entry == nullptr) continue;
    if (entry->type() == ValueType::kZSet) {
      sources[i].zset = entry->zset();
    } else if (entry->type() == ValueType::kSet) {
      sources[i].set = entry->set();
    } else {
      return ctx.reply().Error(kWrongType);
    }
  }

  Aggregate aggregate = Aggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;  // ZINTERCARD: 0 for none
  const bool weighted = request.op != SetOp::kDiff && !request.cardinality;
  while (arg < ctx.argc()) {
    size_t remaining = ctx.argc() - arg;
    std::string_view option = ctx.arg(arg);
    if (weighted && remaining >= n + 1 && base::EqualsIgnoreCase(option, "weights")) {
      ++arg;
      for (size_t i = 0; i < n; ++i, ++arg) {
        std::optional<double> weight = ParseScore(ctx.arg(arg));
        if (!weight) return ctx.reply().Error(kZWeightNotFloat);
        sources[i].weight = *weight;
      }
    } else if (weighted && remaining >= 2 && base::EqualsIgnoreCase(option, "aggregate")) {
      std::string_view how = ctx.arg(arg + 1);
      if (base::EqualsIgnoreCase(how, "sum")) {
        aggregate = Aggregate::kSum;
      } else if (base::EqualsIgnoreCase(how, "min")) {
        aggregate = Aggregate::kMin;
      } else if (base::EqualsIgnoreCase(how, "max")) {
        aggregate = Aggregate::kMax;
      } else {
        return ctx.reply().Error(kSyntax);
      }
      arg += 2;
    } else if (!request.store && !request.cardinality &&
               base::EqualsIgnoreCase(option, "withscores")) {
      withscores = true;
      ++arg;
    } else if (request.cardinality && remaining >= 2 && base::EqualsIgnoreCase(option, "limit")) {
      std::optional<int64_t> value = ParseInt(ctx.arg(arg + 1));
      if (!value || *value < 0) return ctx.reply().Error(kSetLimitNegative);
      limit = *value;
      arg += 2;
    } else {
      return ctx.reply().Error(kSyntax);
    }
  }

  if (request.op != SetOp::kDiff) {
    std::stable_sort(sources.begin(), sources.end(),
                     [](const Source& a, const Source& b) { return a.size() < b.size(); });
  }
  Members result;
  int64_t cardinality = 0;
  switch (request.op) {
    case SetOp::kInter: {
      if (sources[0].size() == 0) break;
      bool done = false;
      sources[0].ForEach([&](std::string_view member, double score) {
        if (done) return;
        double total = sources[0].weight * score;
        if (std::isnan(total)) total = 0;
        for (size_t i = 1; i < n; ++i) {
          std::optional<double> other = sources[i].Find(member);
          if (!other) return;
          Fold(&total, *other * sources[i].weight, aggregate);
        }
        if (request.cardinality) {
          ++cardinality;
          done = limit > 0 && cardinality >= limit;
        } else {
          result.emplace_back(std::string(member), total);
        }
      });
      break;
    }
    case SetOp::kUnion: {
      absl::flat_hash_map<std::string, double, base::StringHash, base::StringEq> scores;
      scores.reserve(sources.back().size());
      for (const Source& source : sources) {
        source.ForEach([&](std::string_view member, double score) {
          double value = source.weight * score;
          if (std::isnan(value)) value = 0;
          auto it = scores.find(member);
          if (it == scores.end()) {
            scores.emplace(std::string(member), value);
          } else {
            Fold(&it->second, value, aggregate);
          }
        });
      }
      result.reserve(scores.size());
      for (auto& [member, score] : scores) result.emplace_back(member, score);
      break;
    }
    case SetOp::kDiff: {
      sources[0].ForEach([&](std::string_view member, double score) {
        for (size_t i = 1; i < n; ++i) {
          if (sources[i].Find(member)) return;
        }
        result.emplace_back(std::string(member), score);
      });
      break;
    }
  }
  if (request.cardinality) return ctx.reply().Int(cardinality);

  std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) {
    return a.second < b.second || (a.second == b.second && a.first < b.first);
  });
  if (request.store) {
    auto zset = std::make_unique<ZSet>();
    const storage::EncodingLimits& limits = ctx.shard().limits;
    for (const auto& [member, score] : result) zset->Set(member, score, limits);
    auto stored = static_cast<int64_t>(zset->size());
    StoreZSet(ctx, ctx.arg(1), std::move(zset));
    return ctx.reply().Int(stored);
  }
  ReplyMembersHeader(ctx.reply(), result.size(), withscores);
  for (const auto& [member, score] : result) ReplyMember(ctx.reply(), member, score, withscores);
}

void ZUnion(CommandContext& ctx) { SetOperation(ctx, {.op = SetOp::kUnion, .command = "zunion"}); }
void ZInter(CommandContext& ctx) { SetOperation(ctx, {.op = SetOp::kInter, .command = "zinter"}); }
void ZDiff(CommandContext& ctx) { SetOperation(ctx, {.op = SetOp::kDiff, .command = "zdiff"}); }
void ZUnionStore(CommandContext& ctx) {
  SetOperation(ctx,
               {.op = SetOp::kUnion, .command = "zunionstore", .numkeys_index = 2, .store = true});
}
void ZInterStore(CommandContext& ctx) {
  SetOperation(ctx,
               {.op = SetOp::kInter, .command = "zinterstore", .numkeys_index = 2, .store = true});
}
void ZDiffStore(CommandContext& ctx) {
  SetOperation(ctx,
               {.op = SetOp::kDiff, .command = "zdiffstore", .numkeys_index = 2, .store = true});
}
void ZInterCard(CommandContext& ctx) {
  SetOperation(ctx, {.op = SetOp::kInter, .command = "zintercard", .cardinality = true});
}

// ---------------------------------------------------------------------------------------------
// ZSCAN key cursor [MATCH pattern] [COUNT count]

void ZScan(CommandContext& ctx) {
  std::optional<uint64_t> cursor = ParseScanCursor(ctx.arg(2));
  if (!cursor) return ctx.reply().Error(kInvalidCursor);
  Entry* entry = nullptr;
  if (!LookupZSet(ctx, ctx.arg(1), true, &entry)) return;
  protocol::ReplyBuilder& reply = ctx.reply();
  if (entry == nullptr) {
    // Redis replies before reading the options.
    reply.Array(2);
    reply.Bulk("0");
    return reply.Array(0);
  }
  std::optional<ScanOptions> options = ParseScanOptions(ctx, 3, false);
  if (!options) return;
  std::vector<ZSet::Item> found;
  uint64_t next = entry->zset()->Scan(*cursor, options->count,
                                      [&](std::string_view member, double score) {
                                        if (!options->Matches(member)) {
                                          return;
                                        }
                                        found.push_back({member, score});
                                      });
  char digits[24];
  char* end = std::to_chars(digits, digits + sizeof(digits), next).ptr;
  reply.Array(2);
  reply.Bulk(std::string_view(digits, static_cast<size_t>(end - digits)));
  reply.Array(found.size() * 2);
  char score_text[32];
  for (const ZSet::Item& item : found) {
    reply.Bulk(item.member);
    reply.Bulk(std::string_view(score_text, protocol::FormatDouble(item.score, score_text)));
  }
}

// ---------------------------------------------------------------------------------------------
// Key positions of the commands whose keys follow a numkeys argument

void NumKeysKeys(absl::Span<const std::string_view> args, std::vector<uint32_t>* out) {
  NumKeysPositions(args, 1, out);
}

// The STORE forms: the destination, then the numkeys keys.
void StoreKeys(absl::Span<const std::string_view> args, std::vector<uint32_t>* out) {
  if (args.size() > 1) out->push_back(1);
  NumKeysPositions(args, 2, out);
}

}  // namespace

ZSetOpResult PopMembers(CommandContext& ctx, std::string_view key, bool min, size_t count,
                        std::vector<std::pair<std::string, double>>* out) {
  Entry* entry = ctx.table().Find(key, ctx.now_ms());
  if (entry == nullptr) return ZSetOpResult::kNoZSet;
  if (entry->type() != ValueType::kZSet) return ZSetOpResult::kWrongType;
  ZSet* zset = entry->zset();
  size_t n = std::min(count, zset->size());
  if (n == 0) return ZSetOpResult::kDone;
  size_t first = min ? 0 : zset->size() - n;
  size_t last = first + n;
  out->reserve(out->size() + n);
  zset->ForRange(first, last, !min, [&](std::string_view member, double score) {
    out->emplace_back(std::string(member), score);
  });
  size_t before = entry->AllocatedBytes();
  zset->RemoveRange(first, last);
  ctx.table().NoteResized(entry, before);
  if (zset->size() == 0) ctx.table().Erase(entry);
  return ZSetOpResult::kDone;
}

void RegisterZSetCommands(CommandTable& table) {
  constexpr std::string_view kGroup = "sorted-set";
  table.Add({.name = "zadd",
             .arity = -4,
             .flags = kWrite | kDenyOom | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZAdd,
             .group = kGroup,
             .summary = "Add one or more members to a sorted set, or update its score if it "
                        "already exists",
             .since = "1.2.0"});
  table.Add({.name = "zincrby",
             .arity = 4,
             .flags = kWrite | kDenyOom | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZIncrBy,
             .group = kGroup,
             .summary = "Increment the score of a member in a sorted set",
             .since = "1.2.0"});
  table.Add({.name = "zrem",
             .arity = -3,
             .flags = kWrite | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRem,
             .group = kGroup,
             .summary = "Remove one or more members from a sorted set",
             .since = "1.2.0"});
  table.Add({.name = "zcard",
             .arity = 2,
             .flags = kRead | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZCard,
             .group = kGroup,
             .summary = "Get the number of members in a sorted set",
             .since = "1.2.0"});
  table.Add({.name = "zscore",
             .arity = 3,
             .flags = kRead | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZScore,
             .group = kGroup,
             .summary = "Get the score associated with the given member in a sorted set",
             .since = "1.2.0"});
  table.Add({.name = "zmscore",
             .arity = -3,
             .flags = kRead | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZMScore,
             .group = kGroup,
             .summary = "Get the score associated with the given members in a sorted set",
             .since = "6.2.0"});
  table.Add({.name = "zrank",
             .arity = -3,
             .flags = kRead | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRank,
             .group = kGroup,
             .summary = "Determine the index of a member in a sorted set",
             .since = "2.0.0"});
  table.Add({.name = "zrevrank",
             .arity = -3,
             .flags = kRead | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRevRank,
             .group = kGroup,
             .summary = "Determine the index of a member in a sorted set, with scores ordered "
                        "from high to low",
             .since = "2.0.0"});
  table.Add({.name = "zcount",
             .arity = 4,
             .flags = kRead | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZCount,
             .group = kGroup,
             .summary = "Count the members in a sorted set with scores within the given values",
             .since = "2.0.0"});
  table.Add({.name = "zlexcount",
             .arity = 4,
             .flags = kRead | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZLexCount,
             .group = kGroup,
             .summary = "Count the number of members in a sorted set between a given "
                        "lexicographical range",
             .since = "2.8.9"});
  table.Add({.name = "zrange",
             .arity = -4,
             .flags = kRead,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRange,
             .group = kGroup,
             .summary = "Return a range of members in a sorted set",
             .since = "1.2.0"});
  table.Add({.name = "zrangestore",
             .arity = -5,
             .flags = kWrite | kDenyOom,
             .first_key = 1,
             .last_key = 2,
             .step = 1,
             .handler = ZRangeStore,
             .group = kGroup,
             .summary = "Store a range of members from sorted set into another key",
             .since = "6.2.0"});
  table.Add({.name = "zrevrange",
             .arity = -4,
             .flags = kRead,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRevRange,
             .group = kGroup,
             .summary = "Return a range of members in a sorted set, by index, with scores "
                        "ordered from high to low",
             .since = "1.2.0"});
  table.Add({.name = "zrangebyscore",
             .arity = -4,
             .flags = kRead,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRangeByScore,
             .group = kGroup,
             .summary = "Return a range of members in a sorted set, by score",
             .since = "1.0.5"});
  table.Add({.name = "zrevrangebyscore",
             .arity = -4,
             .flags = kRead,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRevRangeByScore,
             .group = kGroup,
             .summary = "Return a range of members in a sorted set, by score, with scores "
                        "ordered from high to low",
             .since = "2.2.0"});
  table.Add({.name = "zrangebylex",
             .arity = -4,
             .flags = kRead,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRangeByLex,
             .group = kGroup,
             .summary = "Return a range of members in a sorted set, by lexicographical range",
             .since = "2.8.9"});
  table.Add({.name = "zrevrangebylex",
             .arity = -4,
             .flags = kRead,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRevRangeByLex,
             .group = kGroup,
             .summary = "Return a range of members in a sorted set, by lexicographical range, "
                        "ordered from higher to lower strings",
             .since = "2.8.9"});
  table.Add({.name = "zremrangebyrank",
             .arity = 4,
             .flags = kWrite,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRemRangeByRank,
             .group = kGroup,
             .summary = "Remove all members in a sorted set within the given indexes",
             .since = "2.0.0"});
  table.Add({.name = "zremrangebyscore",
             .arity = 4,
             .flags = kWrite,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRemRangeByScore,
             .group = kGroup,
             .summary = "Remove all members in a sorted set within the given scores",
             .since = "1.2.0"});
  table.Add({.name = "zremrangebylex",
             .arity = 4,
             .flags = kWrite,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRemRangeByLex,
             .group = kGroup,
             .summary = "Remove all members in a sorted set between the given lexicographical "
                        "range",
             .since = "2.8.9"});
  table.Add({.name = "zpopmin",
             .arity = -2,
             .flags = kWrite | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZPopMin,
             .group = kGroup,
             .summary = "Remove and return members with the lowest scores in a sorted set",
             .since = "5.0.0"});
  table.Add({.name = "zpopmax",
             .arity = -2,
             .flags = kWrite | kFast,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZPopMax,
             .group = kGroup,
             .summary = "Remove and return members with the highest scores in a sorted set",
             .since = "5.0.0"});
  table.Add({.name = "zmpop",
             .arity = -4,
             .flags = kWrite,
             .handler = ZMPop,
             .keys_fn = NumKeysKeys,
             .group = kGroup,
             .summary = "Remove and return members with scores in a sorted set",
             .since = "7.0.0"});
  table.Add({.name = "zrandmember",
             .arity = -2,
             .flags = kRead,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZRandMember,
             .group = kGroup,
             .summary = "Get one or multiple random elements from a sorted set",
             .since = "6.2.0"});
  table.Add({.name = "zunion",
             .arity = -3,
             .flags = kRead,
             .handler = ZUnion,
             .keys_fn = NumKeysKeys,
             .group = kGroup,
             .summary = "Add multiple sorted sets",
             .since = "6.2.0"});
  table.Add({.name = "zinter",
             .arity = -3,
             .flags = kRead,
             .handler = ZInter,
             .keys_fn = NumKeysKeys,
             .group = kGroup,
             .summary = "Intersect multiple sorted sets",
             .since = "6.2.0"});
  table.Add({.name = "zdiff",
             .arity = -3,
             .flags = kRead,
             .handler = ZDiff,
             .keys_fn = NumKeysKeys,
             .group = kGroup,
             .summary = "Subtract multiple sorted sets",
             .since = "6.2.0"});
  table.Add({.name = "zintercard",
             .arity = -3,
             .flags = kRead,
             .handler = ZInterCard,
             .keys_fn = NumKeysKeys,
             .group = kGroup,
             .summary = "Intersect multiple sorted sets and return the cardinality of the "
                        "result",
             .since = "7.0.0"});
  table.Add({.name = "zunionstore",
             .arity = -4,
             .flags = kWrite | kDenyOom,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZUnionStore,
             .keys_fn = StoreKeys,
             .group = kGroup,
             .summary = "Add multiple sorted sets and store the resulting sorted set in a new "
                        "key",
             .since = "2.0.0"});
  table.Add({.name = "zinterstore",
             .arity = -4,
             .flags = kWrite | kDenyOom,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZInterStore,
             .keys_fn = StoreKeys,
             .group = kGroup,
             .summary = "Intersect multiple sorted sets and store the resulting sorted set in a "
                        "new key",
             .since = "2.0.0"});
  table.Add({.name = "zdiffstore",
             .arity = -4,
             .flags = kWrite | kDenyOom,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZDiffStore,
             .keys_fn = StoreKeys,
             .group = kGroup,
             .summary = "Subtract multiple sorted sets and store the resulting sorted set in a "
                        "new key",
             .since = "6.2.0"});
  table.Add({.name = "zscan",
             .arity = -3,
             .flags = kRead,
             .first_key = 1,
             .last_key = 1,
             .step = 1,
             .handler = ZScan,
             .group = kGroup,
             .summary = "Incrementally iterate sorted sets elements and associated scores",
             .since = "2.8.0"});
}

}  // namespace ringtail::commands
