// SPDX-License-Identifier: Apache-2.0
// Table: one logical database of one shard, mapping keys to values with optional deadlines.
// Commands reach the keyspace only through this interface, so the layout behind it can change
// without touching them. Single-threaded: only the owning shard's thread calls it.
//
// How it works: a chained hash table of Entry objects (storage/entry.h) with power-of-two bucket
// arrays and incremental rehashing: when it grows (or shrinks), a second bucket array is
// allocated (zeroed lazily by the kernel, so allocating it costs no time) and buckets move over
// a few per operation and a bounded number per timer tick, so no insert pauses for a whole
// rehash. SCAN uses a reverse-binary cursor over bucket indexes, which visits every key present
// for the whole scan even when the table grows or shrinks between calls.
//
// Expiry: a key's deadline lives in its entry (only entries with a deadline carry one). An
// ordered index of (deadline, entry) lets ActiveExpire() reclaim expired keys earliest first, in
// bounded slices, however many expire at once. Find() deletes an entry whose deadline has
// passed, so an expired key is never visible. As in Redis, a key is still there during the
// millisecond of its deadline and gone after it.
//
// Memory: the table counts the bytes of its entries, values and bucket arrays as it goes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "absl/container/btree_set.h"
#include "absl/functional/function_ref.h"
#include "absl/random/random.h"
#include "storage/entry.h"

namespace ringtail::storage {

class Table {
 public:
  Table() = default;
  ~Table();
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  // Returns the live entry for `key`, or nullptr if absent or expired (an expired entry is
  // deleted here and counted in expired_keys()).
  Entry* Find(std::string_view key, int64_t now_ms);

  struct InsertResult {
    Entry* entry;
    bool inserted;  // true: a new entry holding an empty string and no deadline
  };
  // Returns the live entry for `key`, inserting an empty string entry if there is none, with
  // room for `value_capacity` bytes of value inline (pass the size about to be stored).
  InsertResult FindOrInsert(std::string_view key, int64_t now_ms, size_t value_capacity = 0);

  // Removes the live entry for `key`; returns whether there was one.
  bool Erase(std::string_view key, int64_t now_ms);
  // Removes `entry`, which this table returned and which is still in it.
  void Erase(Entry* entry);

  // Sets (at_ms > 0) or clears (at_ms == 0) the deadline of `entry`. Returns the entry's address,
  // which changes when a key gets its first deadline: use the result, not `entry`, afterwards.
  [[nodiscard]] Entry* SetExpiry(Entry* entry, int64_t at_ms);

  // Value changes go through the table, which keeps its memory count (see Entry::SetString and
  // Entry::ResizeString for the semantics).
  void SetString(Entry* entry, std::string_view value) {
    size_t before = entry->AllocatedBytes();
    entry->SetString(value);
    memory_bytes_ += entry->AllocatedBytes() - before;
  }
  char* ResizeString(Entry* entry, size_t size) {
    size_t before = entry->AllocatedBytes();
    char* data = entry->ResizeString(size);
    memory_bytes_ += entry->AllocatedBytes() - before;
    return data;
  }

  size_t size() const { return size_; }
  size_t expires_count() const { return deadlines_.size(); }
  uint64_t expired_keys() const { return expired_keys_; }
  // Bytes of entries, values and bucket arrays.
  size_t memory_bytes() const { return memory_bytes_; }
  // Mean remaining time to live of keys with a deadline, estimated from a sample (0 if none).
  int64_t AverageTtlMs(int64_t now_ms) const;

  // Calls `fn` for the entries of some buckets starting at `cursor` (at least `count` entries
  // when that many remain) and returns the next cursor, 0 when the scan is complete. Expired
  // entries are skipped. `fn` must not modify the table.
  uint64_t Scan(uint64_t cursor, size_t count, absl::FunctionRef<void(const Entry&)> fn,
                int64_t now_ms) const;

  // Calls `fn` for every live entry. `fn` must not modify the table.
  void ForEach(absl::FunctionRef<void(const Entry&)> fn, int64_t now_ms) const;

  // A uniformly chosen bucket's entry, or nullptr when empty. May return an expired entry.
  Entry* RandomEntry(absl::BitGen& rng);

  // The entry with the earliest deadline, or nullptr if no key has one.
  Entry* EarliestDeadline() const;

  // Removes every entry.
  void Clear();

  // Deletes up to `max_deletes` keys whose deadline has passed, earliest first. Returns the
  // number deleted.
  size_t ActiveExpire(int64_t now_ms, size_t max_deletes);

  // Moves up to `buckets` buckets of an ongoing rehash. Returns whether one is still ongoing.
  bool RehashStep(size_t buckets);

  // Prefetching for a batch of lookups (a pipeline): call PrefetchBucket for every key, then
  // PrefetchEntry for every key, then look them up. The cache misses of the whole batch then
  // overlap instead of being paid one after another. Hints only: always safe to call.
  static uint64_t HashOf(std::string_view key) { return Hash(key); }
  void PrefetchBucket(uint64_t hash) const;
  // Reads the bucket (prefetched before) and prefetches its first entry.
  void PrefetchEntry(uint64_t hash) const;

 private:
  // A bucket array allocated with calloc: a large one comes straight from the kernel as zero
  // pages, so allocating it takes no time, and pages are touched as buckets fill.
  struct Buckets {
    Entry** slots = nullptr;
    size_t mask = 0;  // size - 1; size is a power of two (slots == nullptr: no array)
    size_t size() const { return slots == nullptr ? 0 : mask + 1; }
  };

  static uint64_t Hash(std::string_view key);
  // The link (bucket head or a `next_` field) that points at the entry for `key`, or nullptr.
  Entry** FindLink(std::string_view key, uint64_t hash);
  // Unlinks the entry `*link` points to and frees it.
  void EraseAt(Entry** link);
  // Frees an entry that is already unlinked, with its deadline index record.
  void FreeEntry(Entry* entry);
  // Deletes the expired entry at `*link`, counting it.
  void ExpireAt(Entry** link);
  void StartRehash(size_t buckets);
  void FreeBuckets(Buckets& buckets);
  void MaybeGrow();
  void MaybeShrink();
  // Visits the buckets a scan step at `cursor` covers, calling `visit(Entry** head)` for each,
  // and returns the next cursor.
  template <typename Visit>
  uint64_t ScanStep(uint64_t cursor, Visit&& visit) const;

  Buckets tables_[2];
  int64_t rehash_index_ = -1;  // next bucket of tables_[0] to move, -1 when not rehashing
  bool rehashing() const { return rehash_index_ >= 0; }
  size_t size_ = 0;
  uint64_t expired_keys_ = 0;
  size_t memory_bytes_ = 0;
  absl::btree_set<std::pair<int64_t, Entry*>> deadlines_;
};

}  // namespace ringtail::storage
