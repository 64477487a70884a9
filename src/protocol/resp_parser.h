// SPDX-License-Identifier: Apache-2.0
// RespParser splits a connection's input into commands: RESP multibulk requests
// ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") and inline commands ("GET k\r\n", telnet style).
// It is incremental (a command split across reads is parsed when it is complete) and zero-copy:
// arguments are views into the caller's buffer. Limits and error texts are Redis's. One parser
// per connection, used on the connection's shard thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ringtail::protocol {

struct ParseLimits {
  // proto-max-bulk-len: the longest bulk argument accepted.
  int64_t max_bulk_len = 512LL * 1024 * 1024;
  // The longest inline command line or length line without its CRLF.
  size_t max_inline_len = 64 * 1024;
};

enum class ParseStatus : uint8_t {
  kCommand,     // a whole command was parsed; `args` holds it (empty for "*0" or a blank line)
  kIncomplete,  // more bytes are needed; nothing was consumed
  kError,       // a protocol error; `error` holds Redis's text; the connection must be closed
};

struct ParseResult {
  ParseStatus status;
  // Bytes of the buffer the command occupied (kCommand only).
  size_t consumed = 0;
  // For kIncomplete: the total size of the command when known (a large bulk is being received),
  // else 0. Lets the caller size its buffer once for big values.
  size_t needed = 0;
  // For kError: the error text (a static string or the parser's own storage).
  std::string_view error;
};

class RespParser {
 public:
  explicit RespParser(ParseLimits limits = {}) : limits_(limits) {}

  // Parses one command at the start of `data[0, size)`. On kCommand, `*args` is replaced by the
  // arguments: views into `data` valid as long as those bytes are (inline commands with quotes
  // are unescaped in place, which is why `data` is mutable).
  ParseResult Parse(char* data, size_t size, std::vector<std::string_view>* args);

  void set_limits(ParseLimits limits) { limits_ = limits; }

 private:
  ParseResult ParseMultibulk(char* data, size_t size, std::vector<std::string_view>* args);
  ParseResult ParseInline(char* data, size_t size, std::vector<std::string_view>* args);

  ParseLimits limits_;
  char error_buf_[64];
};

}  // namespace ringtail::protocol
