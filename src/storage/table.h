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
//
// Access tracking (for eviction, storage/eviction.h): every lookup by Find() or FindOrInsert()
// records the access in the entry's 16-bit access field, as Redis's lookupKey does: an LRU clock,
// or an LFU counter when the table is set to track LFU (set_access_tracking, from the shard's
// maxmemory-policy). Tracking lives here rather than in the command handlers because every
// command reaches its keys through these two calls: one place, and on the GET/SET path it costs
// a predictable branch and a 2-byte store into the entry header the lookup has just read (the
// LFU counter's arithmetic runs only under an LFU policy). Redis tracks LRU even without
// maxmemory, so OBJECT IDLETIME works under any policy; so do we. Peek() looks up without
// recording an access (OBJECT, MEMORY USAGE, eviction itself).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/functional/function_ref.h"
#include "absl/random/random.h"
#include "storage/entry.h"
#include "storage/eviction.h"
#include "storage/lazy_free.h"

namespace ringtail::storage {

class Table {
 public:
  Table() = default;
  ~Table();
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  // Returns the live entry for `key`, or nullptr if absent or expired (an expired entry is
  // deleted here and counted in expired_keys()). A hit records an access (Touch).
  Entry* Find(std::string_view key, int64_t now_ms);
  // Find() without recording an access.
  Entry* Peek(std::string_view key, int64_t now_ms);

  struct InsertResult {
    Entry* entry;
    bool inserted;  // true: a new entry holding an empty string and no deadline
  };
  // Returns the live entry for `key`, inserting an empty string entry if there is none, with
  // room for `value_capacity` bytes of value inline (pass the size about to be stored). An
  // existing entry records an access (Touch); a new one starts as accessed now (LRU) or with
  // the initial LFU counter.
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
    if (LazyFree::IsWorthLazyFree(*entry)) lazy_.Take(*entry);
    entry->SetString(value);
    memory_bytes_ += entry->AllocatedBytes() - before;
  }
  char* ResizeString(Entry* entry, size_t size) {
    size_t before = entry->AllocatedBytes();
    char* data = entry->ResizeString(size);
    memory_bytes_ += entry->AllocatedBytes() - before;
    return data;
  }

  // Replaces the value of `entry` (of any type) with the collection `object` (a List, Set, ZSet
  // or Hash, with its T::kType), which the entry then owns; returns it. A new list or sorted set
  // is noted as a ready key while WatchReadyKeys is on.
  template <typename T>
  T* SetObject(Entry* entry, std::unique_ptr<T> object) {
    size_t before = entry->AllocatedBytes();
    if (LazyFree::IsWorthLazyFree(*entry)) lazy_.Take(*entry);
    T* raw = object.release();
    entry->SetObject(T::kType, raw);
    memory_bytes_ += entry->AllocatedBytes() - before;
    if (watch_ready_keys_ && (T::kType == ValueType::kList || T::kType == ValueType::kZSet)) {
      ready_keys_.emplace_back(entry->key());
    }
    return raw;
  }

  // Records that the value of `entry` changed size in place (a collection object after an
  // insert or removal): `bytes_before` is entry->AllocatedBytes() from before the change. Call
  // it before anything else is done with the entry (and before erasing an emptied collection).
  void NoteResized(const Entry* entry, size_t bytes_before) {
    memory_bytes_ += entry->AllocatedBytes() - bytes_before;
  }

  // Ready keys, for blocking commands (BLPOP and the like): while watching, every key that
  // becomes a list or a sorted set through SetObject is appended to a list that TakeReadyKeys
  // hands over (and empties). A key is only ever waited on while it is not a non-empty list or
  // sorted set, so its creation is the one event that can serve a waiter.
  void WatchReadyKeys(bool on) { watch_ready_keys_ = on; }
  bool has_ready_keys() const { return !ready_keys_.empty(); }
  std::vector<std::string> TakeReadyKeys() { return std::exchange(ready_keys_, {}); }

  size_t size() const { return size_; }
  size_t expires_count() const { return deadlines_.size(); }
  uint64_t expired_keys() const { return expired_keys_; }
  // Bytes of entries, values and bucket arrays.
  size_t memory_bytes() const { return memory_bytes_; }
  // Mean remaining time to live of keys with a deadline (0 if none), from a running sum of the
  // deadlines: O(1).
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

  // A randomly chosen entry with a deadline, or nullptr if no key has one. May return an
  // expired entry. Uniform when many keys have deadlines (rejection sampling of RandomEntry);
  // when few do, it draws a time between the earliest and the latest deadline and takes the
  // first entry due at or after it, which favours keys after gaps between deadlines.
  Entry* RandomExpiringEntry(absl::BitGen& rng);

  // Deletes `entry` (this table's) if its deadline has passed, counting it in expired_keys().
  // Returns whether it did; `entry` is then gone.
  bool ExpireIfDue(Entry* entry, int64_t now_ms);

  // How lookups record accesses: an LFU counter with `lfu` (and these settings), else an LRU
  // clock (the default). Existing entries keep their field, which is reinterpreted: after a
  // switch between LRU and LFU policies the values take some time to become meaningful, as in
  // Redis.
  void set_access_tracking(bool lfu, const LfuSettings& settings) {
    lfu_ = lfu;
    lfu_settings_ = settings;
  }
  bool tracks_lfu() const { return lfu_; }
  const LfuSettings& lfu_settings() const { return lfu_settings_; }

  // Records an access to `entry` at `now_ms` (what a Find() hit does).
  void Touch(Entry* entry, int64_t now_ms) {
    if (!lfu_) {
      entry->set_access(LruClock(now_ms));
      return;
    }
    TouchLfu(entry, now_ms);
  }

  // Slots of the bucket arrays (both while rehashing), for per-key memory estimates.
  size_t bucket_count() const { return tables_[0].size() + tables_[1].size(); }

  // Removes every entry, freeing them before returning.
  void Clear();
  // Removes every entry at once, as far as any lookup can tell, and leaves the freeing to
  // BackgroundStep, a slice at a time: FLUSHDB and FLUSHALL of millions of keys do not pause
  // the shard.
  void ClearLazily();

  // Deletes up to `max_deletes` keys whose deadline has passed, earliest first. Returns the
  // number deleted.
  size_t ActiveExpire(int64_t now_ms, size_t max_deletes);

  // Moves up to `buckets` buckets of an ongoing rehash. Returns whether one is still ongoing.
  bool RehashStep(size_t buckets);

  // Background work, a slice of about 0.1-0.3 ms per call, so that no single call pauses the
  // shard: freeing the entries of a lazily cleared table (2,000 per call), freeing the large
  // collection values of removed keys (storage/lazy_free.h, 2,000 allocations), faulting in the pages
  // of the next large bucket array before a rehash starts using it, and returning the pages of
  // an old one to the kernel (256 KB per call each). The shard calls it every loop iteration
  // while has_background_work(). Returns whether more remains.
  bool BackgroundStep();
  bool has_background_work() const {
    return !garbage_.empty() || !lazy_.empty() || !retired_.empty() || prepared_.slots != nullptr;
  }
  // Collection values of removed keys still being freed (LazyFree).
  size_t lazyfree_pending_objects() const { return lazy_.pending(); }
  // Only the release part of BackgroundStep.
  void ReleaseRetired();
  bool has_retired() const { return !retired_.empty(); }

  // Prefetching for a batch of lookups (a pipeline): call PrefetchBucket for every key, then
  // PrefetchEntry for every key, then PrefetchChain for every key, then look them up. The cache
  // misses of the whole batch then overlap instead of being paid one after another. Hints only:
  // always safe to call.
  static uint64_t HashOf(std::string_view key) { return Hash(key); }
  void PrefetchBucket(uint64_t hash) const;
  // Reads the bucket (prefetched before) and prefetches its first entry.
  void PrefetchEntry(uint64_t hash) const;
  // Reads the bucket and its first entry (both prefetched before) and, when that entry is not
  // the key's (its hash tag differs), prefetches the second entry of the chain if its tag
  // matches. At a load factor near 1 the key is not first in its chain in about 4 lookups out of
  // 10: without this, each of those pays a miss of its own.
  void PrefetchChain(uint64_t hash) const;

 private:
  // A bucket array: a large one is mapped straight from the kernel as zero pages, so allocating
  // it takes no time, and pages are touched as buckets fill.
  struct Buckets {
    Entry** slots = nullptr;
    size_t mask = 0;  // size - 1; size is a power of two (slots == nullptr: no array)
    size_t size() const { return slots == nullptr ? 0 : mask + 1; }
  };

  static uint64_t Hash(std::string_view key);
  void TouchLfu(Entry* entry, int64_t now_ms);
  // The access field of an entry created at `now_ms`.
  uint16_t NewAccess(int64_t now_ms) const {
    return lfu_ ? LfuAccess(kLfuInitialCounter, LfuMinutes(now_ms)) : LruClock(now_ms);
  }
  // The link (bucket head or a `next_` field) that points at the entry for `key`, or nullptr.
  Entry** FindLink(std::string_view key, uint64_t hash);
  // Unlinks the entry `*link` points to and frees it.
  void EraseAt(Entry** link);
  // Frees an entry that is already unlinked, with its deadline index record.
  void FreeEntry(Entry* entry);
  // Deletes the expired entry at `*link`, counting it.
  void ExpireAt(Entry** link);
  void StartRehash(size_t buckets);
  // Frees a bucket array, counted in memory_bytes(), with ReleaseSlots.
  void FreeBuckets(Buckets& buckets);
  // Frees a bucket array: a large one is retired, for ReleaseRetired() to unmap in chunks.
  void ReleaseSlots(Entry** slots, size_t count);
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
  long double deadline_sum_ms_ = 0;  // sum of the deadlines in deadlines_
  struct Retired {
    char* memory;  // the part not yet unmapped
    size_t bytes;
  };
  std::vector<Retired> retired_;
  struct Garbage {
    Buckets buckets;  // a detached bucket array, with its entries
    size_t next_bucket;
  };
  std::vector<Garbage> garbage_;  // from ClearLazily, freed by BackgroundStep
  LazyFree lazy_;                 // large collection values of removed keys
  void FreeGarbageSlice();
  Buckets prepared_;           // the next large array, being faulted in before a rehash
  size_t prepared_bytes_ = 0;  // how much of it is faulted in
  bool lfu_ = false;
  bool watch_ready_keys_ = false;
  std::vector<std::string> ready_keys_;
  LfuSettings lfu_settings_;
  uint64_t lfu_random_state_ = 0x9E3779B97F4A7C15ULL;  // xorshift64 state for LFU increments
};

}  // namespace ringtail::storage
