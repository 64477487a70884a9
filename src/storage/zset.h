// SPDX-License-Identifier: Apache-2.0
// ZSet: TODO(ringtail): the zset value type (#4).
#pragma once

#include <cstddef>
#include <string_view>

#include "storage/entry.h"

namespace ringtail::storage {

class ZSet {
 public:
  static constexpr ValueType kType = ValueType::kZSet;

  size_t size() const { return 0; }
  // Bytes this object occupies (the allocator's sizes), kept as it changes: O(1).
  size_t AllocatedBytes() const { return 0; }
  // Redis's OBJECT ENCODING name of the current encoding.
  std::string_view EncodingName() const { return ""; }
};

}  // namespace ringtail::storage
