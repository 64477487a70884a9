// SPDX-License-Identifier: Apache-2.0
// ReplyBuilder encodes replies in RESP2 or RESP3 straight into a caller-owned byte string (a
// connection's output buffer or a cross-shard reply batch). It never allocates beyond growing
// that string, whose capacity is reused. Used by command handlers on the thread that owns the
// target string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ringtail::protocol {

class ReplyBuilder {
 public:
  // `out` must outlive the builder; replies are appended to it.
  explicit ReplyBuilder(std::string* out, bool resp3 = false) : out_(out), resp3_(resp3) {}

  bool resp3() const { return resp3_; }
  void set_resp3(bool resp3) { resp3_ = resp3; }
  std::string* buffer() { return out_; }
  void set_buffer(std::string* out) { out_ = out; }

  // "+OK".
  void Ok() { out_->append("+OK\r\n"); }
  // "+<text>"; `text` must not contain CR or LF.
  void Simple(std::string_view text);
  // "-<text>": `text` is a full error such as kWrongType ("ERR ..." or "WRONGTYPE ...").
  // CR and LF inside `text` are replaced by spaces, as Redis does.
  void Error(std::string_view text);
  // ":<n>".
  void Int(int64_t n);
  // "$<len>\r\n<bytes>".
  void Bulk(std::string_view bytes);
  // Null bulk: "$-1" (RESP2) or "_" (RESP3).
  void Null();
  // Null array: "*-1" (RESP2) or "_" (RESP3).
  void NullArray();
  // Headers of aggregates; the caller then writes exactly that many elements (pairs for Map).
  void Array(size_t n);
  // A map of n key/value pairs: "%n" (RESP3) or "*2n" (RESP2).
  void Map(size_t n);
  // A set: "~n" (RESP3) or "*n" (RESP2).
  void Set(size_t n);
  // A double: ",<d>" (RESP3) or a bulk string (RESP2), formatted as Redis does (%.17g, "inf").
  void Double(double d);
  // A boolean: "#t"/"#f" (RESP3) or ":1"/":0" (RESP2).
  void Bool(bool b);
  // A verbatim string ("=<len>\r\ntxt:<text>" in RESP3, a bulk string in RESP2).
  void Verbatim(std::string_view text);
  // Appends already-encoded RESP bytes as they are.
  void Raw(std::string_view bytes) { out_->append(bytes); }

 private:
  void Header(char prefix, int64_t n);

  std::string* out_;
  bool resp3_;
};

// Formats `d` as Redis 7 formats doubles in replies (%.17g, with "inf"/"-inf"/"nan").
// Returns the number of bytes written to `buf`, which must hold 32 bytes.
size_t FormatDouble(double d, char* buf);

// Appends the decimal form of `n` to `out`.
void AppendInt(std::string* out, int64_t n);

}  // namespace ringtail::protocol
