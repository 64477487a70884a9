// SPDX-License-Identifier: Apache-2.0
// Reads replies that ReplyBuilder wrote: used where a command's sub-replies from several shards
// are merged (MGET in key order, DEL summed, KEYS concatenated). Input is trusted (our own
// encoding), so malformed input is a bug, not an error reply. Any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ringtail::protocol {

// Returns the length in bytes of the one complete reply at the start of `bytes`.
size_t ReplyLength(std::string_view bytes);

// If `reply` is an integer reply (":n"), returns n.
std::optional<int64_t> ReplyInt(std::string_view reply);

// True if `reply` is an error reply ("-...").
inline bool IsErrorReply(std::string_view reply) { return !reply.empty() && reply[0] == '-'; }

// Iterates over the elements of an aggregate reply (array, set or push; maps count pairs twice).
class ElementReader {
 public:
  // `reply` must be an aggregate; `count()` is its element count (-1 for a null array).
  explicit ElementReader(std::string_view reply);
  int64_t count() const { return count_; }
  // Returns the next element's full encoding, or nullopt past the last.
  std::optional<std::string_view> Next();

 private:
  std::string_view rest_;
  int64_t count_ = 0;
  int64_t read_ = 0;
};

}  // namespace ringtail::protocol
