// SPDX-License-Identifier: Apache-2.0
#include "commands/command_context.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "protocol/reply_reader.h"

namespace ringtail::commands {

std::optional<int64_t> ParseInt(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    i = 1;
    if (text.size() == 1) return std::nullopt;
  }
  // Redis's string2ll: no leading zeros, and "-0" is not a number.
  if (text[i] == '0' && (text.size() > i + 1 || negative)) return std::nullopt;
  uint64_t v = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t next = v * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != v) return std::nullopt;
    v = next;
  }
  if (negative) {
    if (v > (uint64_t{1} << 63)) return std::nullopt;
    return static_cast<int64_t>(0 - v);
  }
  if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<double> ParseDouble(std::string_view text) {
  if (text.empty() || text.size() > 5000) return std::nullopt;
  if (std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || errno == ERANGE || std::isnan(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<long double> ParseLongDouble(std::string_view text) {
  if (text.empty() || text.size() >= kLongDoubleChars) return std::nullopt;
  if (std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  char buf[kLongDoubleChars];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  char* end = nullptr;
  errno = 0;
  long double value = std::strtold(buf, &end);
  if (end != buf + text.size() || std::isnan(value)) return std::nullopt;
  if (errno == ERANGE && (std::isinf(value) || value == 0)) return std::nullopt;
  return value;
}

size_t FormatLongDouble(long double value, char* buf) {
  int written = std::snprintf(buf, kLongDoubleChars, "%.17Lf", value);
  size_t len = static_cast<size_t>(written);
  if (std::memchr(buf, '.', len) != nullptr) {
    while (buf[len - 1] == '0') --len;
    if (buf[len - 1] == '.') --len;
  }
  if (len == 2 && buf[0] == '-' && buf[1] == '0') {
    buf[0] = '0';
    len = 1;
  }
  return len;
}

std::optional<int64_t> CommandContext::IntArg(size_t i) {
  std::optional<int64_t> v = ParseInt(args_[i]);
  if (!v) reply_.Error(protocol::kNotInteger);
  return v;
}

std::optional<double> CommandContext::DoubleArg(size_t i) {
  std::optional<double> v = ParseDouble(args_[i]);
  if (!v) reply_.Error(protocol::kNotFloat);
  return v;
}

void MergeReplies(const CommandSpec& spec, MergeContext& ctx,
                  absl::Span<const uint32_t> key_shards) {
  protocol::ReplyBuilder& reply = ctx.reply;
  // An error from any shard is the reply (the first one, in shard order).
  if (spec.merge != Merge::kCustom) {
    for (std::string_view sub : ctx.sub_replies) {
      if (protocol::IsErrorReply(sub)) return reply.Raw(sub);
    }
  }
  switch (spec.merge) {
    case Merge::kNone:
      if (!ctx.sub_replies.empty()) reply.Raw(ctx.sub_replies[0]);
      return;
    case Merge::kSumInts: {
      int64_t sum = 0;
      for (std::string_view sub : ctx.sub_replies) sum += protocol::ReplyInt(sub).value_or(0);
      return reply.Int(sum);
    }
    case Merge::kAllOk:
      return reply.Ok();
    case Merge::kKeyOrder: {
      std::vector<protocol::ElementReader> readers;
      readers.reserve(ctx.sub_replies.size());
      for (std::string_view sub : ctx.sub_replies) readers.emplace_back(sub);
      reply.Array(key_shards.size());
      for (uint32_t shard : key_shards) reply.Raw(readers[shard].Next().value_or("$-1\r\n"));
      return;
    }
    case Merge::kConcat: {
      int64_t total = 0;
      for (std::string_view sub : ctx.sub_replies) {
        total += std::max<int64_t>(0, protocol::ElementReader(sub).count());
      }
      reply.Array(static_cast<size_t>(total));
      for (std::string_view sub : ctx.sub_replies) {
        protocol::ElementReader reader(sub);
        while (auto element = reader.Next()) reply.Raw(*element);
      }
      return;
    }
    case Merge::kCustom:
      return spec.merge_fn(ctx);
  }
}

}  // namespace ringtail::commands
