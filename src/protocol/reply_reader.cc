// SPDX-License-Identifier: Apache-2.0
#include "protocol/reply_reader.h"

#include <charconv>

#include "base/check.h"

namespace ringtail::protocol {
namespace {

// Splits the first line: returns the number after the type byte and sets *line_len to the line's
// length including CRLF.
int64_t HeaderNumber(std::string_view bytes, size_t* line_len) {
  size_t cr = bytes.find('\r');
  CHECK(cr != std::string_view::npos, "reply without CRLF");
  *line_len = cr + 2;
  int64_t n = 0;
  std::from_chars(bytes.data() + 1, bytes.data() + cr, n);
  return n;
}

}  // namespace

size_t ReplyLength(std::string_view bytes) {
  CHECK(!bytes.empty());
  size_t line_len;
  switch (bytes[0]) {
    case '$':
    case '=':
    case '!': {
      int64_t n = HeaderNumber(bytes, &line_len);
      return n < 0 ? line_len : line_len + static_cast<size_t>(n) + 2;
    }
    case '*':
    case '~':
    case '>':
    case '%': {
      int64_t n = HeaderNumber(bytes, &line_len);
      if (bytes[0] == '%') n *= 2;
      size_t total = line_len;
      for (int64_t i = 0; i < n; ++i) total += ReplyLength(bytes.substr(total));
      return total;
    }
    default:  // + - : _ , # ( single-line replies
      HeaderNumber(bytes, &line_len);
      return line_len;
  }
}

std::optional<int64_t> ReplyInt(std::string_view reply) {
  if (reply.empty() || reply[0] != ':') return std::nullopt;
  size_t line_len;
  return HeaderNumber(reply, &line_len);
}

ElementReader::ElementReader(std::string_view reply) {
  size_t line_len;
  count_ = HeaderNumber(reply, &line_len);
  if (reply[0] == '%') count_ *= 2;
  if (reply[0] == '_') count_ = -1;
  rest_ = reply.substr(line_len);
}

std::optional<std::string_view> ElementReader::Next() {
  if (read_ >= count_) return std::nullopt;
  ++read_;
  size_t len = ReplyLength(rest_);
  std::string_view element = rest_.substr(0, len);
  rest_.remove_prefix(len);
  return element;
}

}  // namespace ringtail::protocol
