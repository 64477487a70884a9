// SPDX-License-Identifier: Apache-2.0
// The arguments the SCAN family shares (SCAN, HSCAN, SSCAN, ZSCAN): the cursor, read as Redis
// reads it, and the MATCH and COUNT options (and TYPE, for SCAN). Shard thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/strings.h"
#include "commands/command_context.h"

namespace ringtail::commands {

// Parses a scan cursor as Redis does (strtoul on a C string): an optional sign, then decimal
// digits; a negative number wraps around; the empty string is 0; leading space, junk after the
// digits and values past 2^64-1 are invalid (nullopt). Text after a NUL byte is ignored.
std::optional<uint64_t> ParseScanCursor(std::string_view text);

struct ScanOptions {
  // COUNT, capped far above any collection's size: the meaning ("everything") is kept and the
  // walkers' step arithmetic cannot overflow.
  size_t count = 10;
  std::string_view pattern;  // MATCH; empty (or "*"): everything matches
  std::optional<std::string_view> type;  // TYPE (SCAN only)

  bool Matches(std::string_view name) const {
    return pattern.empty() || pattern == "*" || base::GlobMatch(pattern, name);
  }
};

// Reads [MATCH pattern] [COUNT count] (and [TYPE type] if `allow_type`) from argument `first`
// on. On a malformed option, replies with Redis's error (syntax error, or not an integer) and
// returns nullopt.
std::optional<ScanOptions> ParseScanOptions(CommandContext& ctx, size_t first, bool allow_type);

}  // namespace ringtail::commands
