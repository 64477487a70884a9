// SPDX-License-Identifier: Apache-2.0
// Hash: the value of a Redis hash key, a map from field to value (both byte strings). Used by
// the hash commands (commands/hash_commands.cc) on the shard thread that owns the key.
//
// How it works: two encodings, as in Redis.
//   "listpack"   one malloc'd block of (field, value) entries in insertion order, each string
//                a LEB128 length then its bytes (1 byte of length up to 127 bytes). Lookups walk
//                it; it is used while there are at most hash-max-listpack-entries fields and
//                no field or value is longer than hash-max-listpack-value bytes.
//   "hashtable"  every (field, value) pair in a malloc'd block of its own (two LEB128 lengths,
//                the field, the value), found through an open-addressing table of 8-byte slots
//                with Robin Hood linear probing. A slot holds the pair's address (48 bits), the
//                distance of the slot from the pair's home slot (8 bits; 255 means "255 or more,
//                ask the hash") and 8 bits of the field's hash, which reject most non-matching
//                slots without touching the pair. The home slot is the top bits of the field's
//                hash, so a table is ordered by hash: Robin Hood keeps the pairs of one home slot
//                together, after those of earlier homes. The table grows at 7/8 full (to twice
//                the slots) and shrinks below 1/8 full.
// Like Redis, a hash never converts back to a listpack when it shrinks.
//
// Memory, per field of a large hash: the pair block (2 + field + value bytes, rounded up to
// the allocator's size class: 32 bytes for 17 to 32 with mimalloc) plus 8 / load-factor bytes
// of slot (9 to 18). Redis's dict spends a dictEntry, two sds strings and 8 to 16 bytes of
// bucket pointer. Measured with 1M fields "field:123456" and 1- to 6-digit values: 48.8 bytes
// per field here, 64.4 in Redis 7.0 (used_memory; RSS 49.3 and 73.8).
//
// Resizing is incremental, as in Redis's dict: a new slot array is allocated and the pairs of
// the old one move over a few per change of the hash (MigrateStep), so no HSET pauses for the
// whole table. Meanwhile lookups look in both arrays; the old one is never inserted into, and a
// pair removed from it (or moved out) leaves a tombstone, so its probe sequences stay intact.
// Only changes move pairs (reads are const and keep AllocatedBytes() still), so a hash left
// alone in the middle of a resize keeps both arrays until its next change.
//
// Scan cursor: the position of a scan is a fraction of the hash space (a prefix of the hash),
// sent to the client with its bits reversed, so cursors look like Redis's (0, 2, 1, 3, ...).
// One scan step covers the hash range of one slot of the smaller array: it visits every home
// slot of both arrays (during a resize) whose range overlaps it and returns the range's end.
// Since pairs with a given hash are always found from the same hash range, whichever array
// holds them, every pair present for the whole scan is returned at least once, however the
// table grows or shrinks between calls; pairs may be returned twice after a shrink.
//
// Invariants: size() is the number of fields; AllocatedBytes() is sizeof(Hash) plus the usable
// sizes of the listpack block, or of the table header, slot arrays and pair blocks.
// Thread-safety: none; one shard thread owns each hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/random/random.h"
#include "storage/encoding_limits.h"
#include "storage/entry.h"

namespace ringtail::storage {

class Hash {
 public:
  static constexpr ValueType kType = ValueType::kHash;
  // A listpack larger than this converts whatever the limits say (Redis's
  // LISTPACK_MAX_SAFETY_SIZE).
  static constexpr size_t kListpackSafeBytes = size_t{1} << 30;

  // Receives one field and its value; the views are valid until the hash changes.
  using PairFn = absl::FunctionRef<void(std::string_view field, std::string_view value)>;

  Hash() = default;
  ~Hash();
  Hash(const Hash&) = delete;
  Hash& operator=(const Hash&) = delete;

  size_t size() const { return size_; }
  // Bytes this object occupies (the allocator's sizes), kept as it changes: O(1).
  size_t AllocatedBytes() const { return allocated_bytes_; }
  // Redis's OBJECT ENCODING name of the current encoding: "listpack" or "hashtable".
  std::string_view EncodingName() const { return is_table_ ? "hashtable" : "listpack"; }
  bool is_listpack() const { return !is_table_; }

  // The value of `field`, or nullopt if there is none. Valid until the hash changes.
  std::optional<std::string_view> Get(std::string_view field) const;
  bool Contains(std::string_view field) const { return Get(field).has_value(); }

  // Before adding strings whose longest is `longest_bytes` and whose lengths sum to
  // `total_bytes`: converts a listpack to a hashtable if one of them is longer than
  // hash-max-listpack-value or the listpack would pass kListpackSafeBytes (Redis's
  // hashTypeTryConversion, which HSET, HMSET and HSETNX run over all their arguments).
  void PrepareToAdd(size_t longest_bytes, size_t total_bytes, const EncodingLimits& limits);

  // Sets `field` to `value`; returns true if the field is new. A listpack converts first if
  // the field or the value is longer than hash-max-listpack-value (or it would pass
  // kListpackSafeBytes), and afterwards if it holds more than hash-max-listpack-entries
  // fields. `field` and `value` must not point into this hash.
  bool Set(std::string_view field, std::string_view value, const EncodingLimits& limits);

  // Removes `field`; returns whether it was there.
  bool Erase(std::string_view field);

  // Calls `fn` for every field (a listpack in insertion order). `fn` must not change the hash.
  void ForEach(PairFn fn) const;

  // Calls `fn` for the fields of some hash ranges starting at `cursor` (at least `count` of
  // them when that many remain, looking at no more than about 10 * count ranges) and returns
  // the next cursor, 0 when the scan is complete. A listpack returns all its fields and 0,
  // whatever the cursor. `fn` must not change the hash. See "Scan cursor" above.
  uint64_t Scan(uint64_t cursor, size_t count, PairFn fn) const;

  // Calls `fn` `count` times with a field chosen uniformly at random (with repetition).
  // REQUIRES: size() > 0.
  void RandomPairs(size_t count, absl::BitGen& rng, PairFn fn) const;
  // Calls `fn` for `count` distinct fields chosen uniformly at random, in no particular order.
  // REQUIRES: count <= size().
  void RandomDistinctPairs(size_t count, absl::BitGen& rng, PairFn fn) const;

  // The hash of a field that places it in a table (seeded per process). For tests.
  static uint64_t FieldHash(std::string_view field);
  // Slots of the table's slot arrays (both while resizing), 0 for a listpack. For tests.
  size_t slot_count() const;
  // Whether a table resize is in progress. For tests.
  bool is_resizing() const;
  // AllocatedBytes() recounted from scratch, walking every block: O(size()). For tests.
  size_t CountAllocatedBytes() const;

  // Lazy freeing (storage/lazy_free.h), for a collection whose key is gone: frees the member
  // allocations a slice at a time, from `cursor` (0 at first; this call advances it), charging
  // one unit of `budget` per allocation freed (and one per 32 empty slots passed), and returns
  // true once they are all freed and what is left is freed by the destructor in a few steps.
  // After the first call the object may only be released further or destroyed.
  bool ReleaseSome(size_t& cursor, size_t& budget);

 private:
  class Table;

  Table* table() const { return reinterpret_cast<Table*>(data_); }
  // The listpack's first byte and length.
  std::string_view listpack() const { return {data_, listpack_bytes_}; }
  // Offset of the entry of `field` in the listpack, or nullopt.
  std::optional<size_t> ListpackFind(std::string_view field) const;
  // Replaces `old_bytes` bytes at `offset` with `new_bytes` bytes (moving the tail) and
  // returns the start of the new bytes, resizing the block as needed.
  char* ListpackSplice(size_t offset, size_t old_bytes, size_t new_bytes);
  bool ListpackSet(std::string_view field, std::string_view value);
  void ConvertToTable();
  // Byte offsets of every listpack entry, in order.
  std::vector<size_t> ListpackOffsets() const;

  char* data_ = nullptr;  // the listpack block, or the Table (is_table_)
  size_t size_ = 0;
  size_t allocated_bytes_ = sizeof(Hash);
  uint32_t listpack_bytes_ = 0;
  bool is_table_ = false;
};

}  // namespace ringtail::storage
