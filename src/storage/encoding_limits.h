// SPDX-License-Identifier: Apache-2.0
// EncodingLimits: when a small collection leaves its flat encoding for the full structure, as
// Redis's redis.conf options of the same names say. A shard keeps one copy, derived from its
// config (commands/shard_state.h), and passes it to the collection operations that may convert.
#pragma once

#include <cstdint>

namespace ringtail::storage {

struct EncodingLimits {
  // list-max-listpack-size: positive, the most entries per list node; negative (-1..-5), the
  // most bytes per node: 4, 8, 16, 32 or 64 KB.
  int64_t list_max_listpack_size = -2;
  int64_t hash_max_listpack_entries = 128;
  int64_t hash_max_listpack_value = 64;  // bytes of a field or value
  int64_t set_max_intset_entries = 512;
  int64_t set_max_listpack_entries = 128;
  int64_t set_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
};

}  // namespace ringtail::storage
