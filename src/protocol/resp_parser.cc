// SPDX-License-Identifier: Apache-2.0
#include "protocol/resp_parser.h"

#include <cstring>

#include "protocol/errors.h"

namespace ringtail::protocol {
namespace {

// Parses a signed decimal the way Redis's string2ll does: no leading '+', no leading zeros
// (except "0"), no spaces, fits in int64. Returns false otherwise.
bool ParseLength(const char* p, size_t len, int64_t* out) {
  if (len == 0 || len > 20) return false;
  bool negative = false;
  size_t i = 0;
  if (p[0] == '-') {
    negative = true;
    i = 1;
    if (len == 1) return false;
  }
  if (p[i] == '0' && (len > i + 1 || negative)) return false;
  uint64_t v = 0;
  for (; i < len; ++i) {
    if (p[i] < '0' || p[i] > '9') return false;
    uint64_t next = v * 10 + static_cast<uint64_t>(p[i] - '0');
    if (next / 10 != v) return false;
    v = next;
  }
  if (negative) {
    if (v > uint64_t{1} << 63) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

ParseResult Error(std::string_view text) { return {ParseStatus::kError, 0, 0, text}; }
ParseResult Incomplete(size_t needed = 0) { return {ParseStatus::kIncomplete, 0, needed, {}}; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// isspace(): what separates arguments and may follow a closing quote.
bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'; }
// What ends an unquoted argument (Redis's sdssplitargs: not \v or \f).
bool EndsArgument(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0'; }

// Splits one inline line into arguments like Redis's sdssplitargs: whitespace separated,
// "double quotes" with \n \r \t \b \a \\ \" \xHH escapes, 'single quotes' with \' only. A closing
// quote must be followed by whitespace or the end. Unescapes in place. Returns false on
// unbalanced quotes.
bool SplitInline(char* p, char* end, std::vector<std::string_view>* args) {
  while (true) {
    while (p < end && IsSpace(*p)) ++p;
    if (p == end) return true;
    char* out_start = p;
    char* out = p;
    bool in_double = false, in_single = false, done = false;
    while (!done) {
      if (in_double) {
        if (p == end) return false;
        if (p[0] == '\\' && p + 3 < end && p[1] == 'x' && HexValue(p[2]) >= 0 &&
            HexValue(p[3]) >= 0) {
          *out++ = static_cast<char>(HexValue(p[2]) * 16 + HexValue(p[3]));
          p += 4;
        } else if (p[0] == '\\' && p + 1 < end) {
          char c;
          switch (p[1]) {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'a': c = '\a'; break;
            default: c = p[1]; break;
          }
          *out++ = c;
          p += 2;
        } else if (p[0] == '"') {
          if (p + 1 < end && !IsSpace(p[1])) return false;
          done = true;
          ++p;
        } else {
          *out++ = *p++;
        }
      } else if (in_single) {
        if (p == end) return false;
        if (p[0] == '\\' && p + 1 < end && p[1] == '\'') {
          *out++ = '\'';
          p += 2;
        } else if (p[0] == '\'') {
          if (p + 1 < end && !IsSpace(p[1])) return false;
          done = true;
          ++p;
        } else {
          *out++ = *p++;
        }
      } else {
        if (p == end || EndsArgument(*p)) {
          done = true;
        } else if (*p == '"') {
          in_double = true;
          ++p;
        } else if (*p == '\'') {
          in_single = true;
          ++p;
        } else {
          *out++ = *p++;
        }
      }
    }
    args->emplace_back(out_start, static_cast<size_t>(out - out_start));
  }
}

}  // namespace

ParseResult RespParser::Parse(char* data, size_t size, std::vector<std::string_view>* args) {
  args->clear();
  if (size == 0) return Incomplete();
  if (data[0] == '*') return ParseMultibulk(data, size, args);
  return ParseInline(data, size, args);
}

ParseResult RespParser::ParseInline(char* data, size_t size, std::vector<std::string_view>* args) {
  char* newline = static_cast<char*>(std::memchr(data, '\n', size));
  if (newline == nullptr) {
    if (size > limits_.max_inline_len) return Error(kProtoBigInline);
    return Incomplete();
  }
  char* line_end = newline;
  if (line_end > data && line_end[-1] == '\r') --line_end;
  if (!SplitInline(data, line_end, args)) {
    args->clear();
    return Error(kProtoUnbalancedQuotes);
  }
  return {ParseStatus::kCommand, static_cast<size_t>(newline + 1 - data), 0, {}};
}

ParseResult RespParser::ParseMultibulk(char* data, size_t size,
                                       std::vector<std::string_view>* args) {
  const char* end = data + size;
  const char* cr = static_cast<const char*>(std::memchr(data, '\r', size));
  if (cr == nullptr) {
    if (size > limits_.max_inline_len) return Error(kProtoBigMultibulk);
    return Incomplete();
  }
  if (cr + 1 >= end) return Incomplete();  // the '\n' has not arrived
  int64_t count;
  if (!ParseLength(data + 1, static_cast<size_t>(cr - data - 1), &count) || count > INT32_MAX) {
    return Error(kProtoInvalidMultibulk);
  }
  const char* p = cr + 2;
  if (count <= 0) return {ParseStatus::kCommand, static_cast<size_t>(p - data), 0, {}};
  for (int64_t i = 0; i < count; ++i) {
    if (p >= end) return Incomplete();
    size_t left = static_cast<size_t>(end - p);
    const char* line_cr = static_cast<const char*>(std::memchr(p, '\r', left));
    if (line_cr == nullptr) {
      if (left > limits_.max_inline_len) return Error(kProtoBigBulkCount);
      return Incomplete();
    }
    if (*p != '$') {
      size_t n = kProtoExpectedDollarPrefix.size();
      std::memcpy(error_buf_, kProtoExpectedDollarPrefix.data(), n);
      error_buf_[n] = *p;
      error_buf_[n + 1] = '\'';
      return Error(std::string_view(error_buf_, n + 2));
    }
    if (line_cr + 1 >= end) return Incomplete();
    int64_t len;
    if (!ParseLength(p + 1, static_cast<size_t>(line_cr - p - 1), &len) || len < 0 ||
        len > limits_.max_bulk_len) {
      return Error(kProtoInvalidBulk);
    }
    const char* payload = line_cr + 2;
    size_t available = static_cast<size_t>(end - payload);
    if (available < static_cast<size_t>(len) + 2) {
      return Incomplete(static_cast<size_t>(payload - data) + static_cast<size_t>(len) + 2);
    }
    args->emplace_back(payload, static_cast<size_t>(len));
    p = payload + len + 2;  // Redis skips the two bytes after the payload without checking them
  }
  return {ParseStatus::kCommand, static_cast<size_t>(p - data), 0, {}};
}

}  // namespace ringtail::protocol
