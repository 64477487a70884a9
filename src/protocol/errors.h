// SPDX-License-Identifier: Apache-2.0
// Error reply texts, byte for byte as Redis 7 sends them (without the leading '-' and the
// trailing CRLF, which ReplyBuilder::Error adds). Every error text the server sends lives here.
#pragma once

#include <string_view>

namespace ringtail::protocol {

inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kIncrFloatNaN = "ERR increment would produce NaN or Infinity";
inline constexpr std::string_view kDecrementOverflow = "ERR decrement would overflow";
// Followed by the lower-case command name and "' command":
// "ERR invalid expire time in 'set' command".
inline constexpr std::string_view kInvalidExpireTimePrefix = "ERR invalid expire time in '";
// Followed by the lower-case command name and "' command":
// "ERR wrong number of arguments for 'mset' command".
inline constexpr std::string_view kWrongArgCountPrefix = "ERR wrong number of arguments for '";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kOffsetOutOfRange = "ERR offset is out of range";
inline constexpr std::string_view kStringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kInvalidCursor = "ERR invalid cursor";
inline constexpr std::string_view kExpireNxIncompatible =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
inline constexpr std::string_view kExpireGtLtIncompatible =
    "ERR GT and LT options at the same time are not compatible";
// Followed by the option as sent: "ERR Unsupported option foo".
inline constexpr std::string_view kUnsupportedOptionPrefix = "ERR Unsupported option ";
inline constexpr std::string_view kMaxClients = "ERR max number of clients reached";
inline constexpr std::string_view kNoProto = "NOPROTO unsupported protocol version";
inline constexpr std::string_view kOom = "OOM command not allowed when used memory > 'maxmemory'.";
inline constexpr std::string_view kObjectFreqNotLfu =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
    "when switching between policies at runtime LRU and LFU data will take some time to adjust.";
inline constexpr std::string_view kObjectIdleTimeLfu =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";
inline constexpr std::string_view kTimeoutNotFloat = "ERR timeout is not a float or out of range";
inline constexpr std::string_view kNegativeCount = "ERR value is out of range, must be positive";
// HRANDFIELD, SRANDMEMBER, ZRANDMEMBER: a count of any int64 but the lowest, whose negation does
// not fit (Redis's wording, "must between" included).
inline constexpr std::string_view kRandCountOutOfRange =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
// HRANDFIELD WITHVALUES, ZRANDMEMBER WITHSCORES: a count beyond +-LONG_MAX/2.
inline constexpr std::string_view kValueOutOfRange = "ERR value is out of range";
inline constexpr std::string_view kAuthNoPassword =
    "ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?";
inline constexpr std::string_view kInvalidUsernamePassword =
    "WRONGPASS invalid username-password pair or user is disabled.";

// Protocol errors; the connection is closed after the reply.
inline constexpr std::string_view kProtoInvalidMultibulk = "ERR Protocol error: invalid multibulk length";
inline constexpr std::string_view kProtoInvalidBulk = "ERR Protocol error: invalid bulk length";
inline constexpr std::string_view kProtoBigMultibulk = "ERR Protocol error: too big mbulk count string";
inline constexpr std::string_view kProtoBigBulkCount = "ERR Protocol error: too big bulk count string";
inline constexpr std::string_view kProtoBigInline = "ERR Protocol error: too big inline request";
inline constexpr std::string_view kProtoUnbalancedQuotes = "ERR Protocol error: unbalanced quotes in request";
// Followed by the offending byte and "'": "ERR Protocol error: expected '$', got 'x'".
inline constexpr std::string_view kProtoExpectedDollarPrefix = "ERR Protocol error: expected '$', got '";

// Lists
inline constexpr std::string_view kIndexOutOfRange = "ERR index out of range";
inline constexpr std::string_view kLposRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list";
inline constexpr std::string_view kLposCountNegative = "ERR COUNT can't be negative";
inline constexpr std::string_view kLposMaxLenNegative = "ERR MAXLEN can't be negative";

// Hashes
inline constexpr std::string_view kHashValueNotInteger = "ERR hash value is not an integer";
inline constexpr std::string_view kHashValueNotFloat = "ERR hash value is not a float";
// HINCRBYFLOAT's increment is inf.
inline constexpr std::string_view kHashIncrNotFinite = "ERR value is NaN or Infinity";

// Sets
inline constexpr std::string_view kSetNumKeysTooMany =
    "ERR Number of keys can't be greater than number of args";
inline constexpr std::string_view kSetLimitNegative = "ERR LIMIT can't be negative";

// Sorted sets
inline constexpr std::string_view kZAddXxNx =
    "ERR XX and NX options at the same time are not compatible";
inline constexpr std::string_view kZAddGtLtNx =
    "ERR GT, LT, and/or NX options at the same time are not compatible";
inline constexpr std::string_view kZAddIncrPairs =
    "ERR INCR option supports a single increment-element pair";
inline constexpr std::string_view kZScoreNaN = "ERR resulting score is not a number (NaN)";
inline constexpr std::string_view kZRangeNotFloat = "ERR min or max is not a float";
inline constexpr std::string_view kZRangeNotLex = "ERR min or max not valid string range item";
inline constexpr std::string_view kZRangeLimitNeedsBy =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
inline constexpr std::string_view kZRangeByLexWithScores =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
inline constexpr std::string_view kZWeightNotFloat = "ERR weight value is not a float";
// Followed by the lower-case command name and "' command":
// "ERR at least 1 input key is needed for 'zunionstore' command".
inline constexpr std::string_view kZNoInputKeyPrefix = "ERR at least 1 input key is needed for '";

// Bitmaps
inline constexpr std::string_view kBitOffsetInvalid =
    "ERR bit offset is not an integer or out of range";
inline constexpr std::string_view kBitValueInvalid = "ERR bit is not an integer or out of range";
inline constexpr std::string_view kBitArgNotBinary = "ERR The bit argument must be 1 or 0.";
inline constexpr std::string_view kBitOpNotSingleKey =
    "ERR BITOP NOT must be called with a single source key.";
inline constexpr std::string_view kBitFieldInvalidType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";
inline constexpr std::string_view kBitFieldInvalidOverflow = "ERR Invalid OVERFLOW type specified";
inline constexpr std::string_view kBitFieldRoWrite =
    "ERR BITFIELD_RO only supports the GET subcommand";

// HyperLogLog
inline constexpr std::string_view kNotHll =
    "WRONGTYPE Key is not a valid HyperLogLog string value.";
inline constexpr std::string_view kHllCorrupt = "INVALIDOBJ Corrupted HLL object detected";

// SORT
inline constexpr std::string_view kSortScoreNotDouble =
    "ERR One or more scores can't be converted into double";

// Blocking commands
inline constexpr std::string_view kTimeoutNegative = "ERR timeout is negative";
inline constexpr std::string_view kNumKeysNotPositive = "ERR numkeys should be greater than 0";
inline constexpr std::string_view kCountNotPositive = "ERR count should be greater than 0";

}  // namespace ringtail::protocol
