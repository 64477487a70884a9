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

// Hashes

// Sets

// Sorted sets

// Bitmaps

// HyperLogLog

// SORT

// Blocking commands

}  // namespace ringtail::protocol
