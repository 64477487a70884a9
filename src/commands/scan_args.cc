// SPDX-License-Identifier: Apache-2.0
#include "commands/scan_args.h"

#include <algorithm>
#include <charconv>

#include "protocol/errors.h"

namespace ringtail::commands {

std::optional<uint64_t> ParseScanCursor(std::string_view text) {
  text = text.substr(0, text.find('\0'));
  if (text.empty()) return 0;
  size_t i = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    i = 1;
  }
  if (i == text.size()) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return negative ? 0 - value : value;
}

std::optional<ScanOptions> ParseScanOptions(CommandContext& ctx, size_t first, bool allow_type) {
  constexpr int64_t kMaxCount = int64_t{1} << 40;
  ScanOptions options;
  for (size_t i = first; i < ctx.argc(); i += 2) {
    std::string_view option = ctx.arg(i);
    bool has_value = i + 1 < ctx.argc();
    if (has_value && base::EqualsIgnoreCase(option, "count")) {
      std::optional<int64_t> n = ctx.IntArg(i + 1);
      if (!n) return std::nullopt;
      if (*n < 1) {
        ctx.reply().Error(protocol::kSyntax);
        return std::nullopt;
      }
      options.count = static_cast<size_t>(std::min(*n, kMaxCount));
    } else if (has_value && base::EqualsIgnoreCase(option, "match")) {
      options.pattern = ctx.arg(i + 1);
    } else if (has_value && allow_type && base::EqualsIgnoreCase(option, "type")) {
      options.type = ctx.arg(i + 1);
    } else {
      ctx.reply().Error(protocol::kSyntax);
      return std::nullopt;
    }
  }
  return options;
}

}  // namespace ringtail::commands
