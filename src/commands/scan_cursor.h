// SPDX-License-Identifier: Apache-2.0
// The SCAN cursor of a multi-shard server: the low bits name the shard being walked, the high
// bits are that shard's table cursor. With one shard the cursor is exactly the table's, as in
// Redis. A scan walks shard 0 to shard N-1 in turn, so it visits every key that exists for the
// whole scan. Pure functions; any thread.
#pragma once

#include <bit>
#include <cstdint>

namespace ringtail::commands {

// Bits the shard index takes in a cursor: ceil(log2(shard_count)).
inline int ShardBits(uint32_t shard_count) {
  return shard_count <= 1 ? 0 : std::bit_width(shard_count - 1);
}

inline uint64_t EncodeScanCursor(uint64_t table_cursor, uint32_t shard, uint32_t shard_count) {
  return (table_cursor << ShardBits(shard_count)) | shard;
}

inline uint32_t ScanCursorShard(uint64_t cursor, uint32_t shard_count) {
  uint32_t shard = static_cast<uint32_t>(cursor & ((uint64_t{1} << ShardBits(shard_count)) - 1));
  return shard < shard_count ? shard : shard_count - 1;
}

inline uint64_t ScanCursorTable(uint64_t cursor, uint32_t shard_count) {
  return cursor >> ShardBits(shard_count);
}

// The cursor to return after `shard` finished a step with table cursor `next`: the same shard if
// it has more, else the start of the next shard, else 0 (the scan is complete).
inline uint64_t NextScanCursor(uint64_t next, uint32_t shard, uint32_t shard_count) {
  if (next != 0) return EncodeScanCursor(next, shard, shard_count);
  if (shard + 1 < shard_count) return EncodeScanCursor(0, shard + 1, shard_count);
  return 0;
}

}  // namespace ringtail::commands
