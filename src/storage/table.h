// SPDX-License-Identifier: Apache-2.0
// Table: one logical database of one shard, mapping keys to values with optional deadlines.
// Commands reach the keyspace only through this interface, so the layout behind it can change
// without touching them. Single-threaded: only the owning shard's thread calls it.
//
// How it works: a chained hash table with power-of-two bucket arrays and incremental rehashing
// (as Redis's dict): when it grows, a second array is allocated and buckets move over a few at
// a time on each operation and from the shard's timer, so no insert pauses for a whole rehash.
// SCAN uses a reverse-binary cursor over bucket indexes, which visits every key present for the
// whole scan exactly once or more even when the table grows or shrinks between calls.
//
// Expiry: the deadline lives in the entry (0 = none). Find() deletes an entry whose deadline has
// passed, so an expired key is never visible; ActiveExpire() reclaims the rest in bounded steps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/random/random.h"

namespace ringtail::storage {

enum class ValueType : uint8_t { kString = 0 };

// A key and its value, in one allocation: a fixed header, the key's bytes, then the value's
// bytes when they fit the space reserved at creation (else that space holds a pointer to the
// value on the heap). An entry never moves, so pointers stay valid until the entry is erased or
// the table cleared.
class Entry {
 public:
  std::string_view key() const { return {KeyData(), key_len_}; }
  ValueType type() const { return type_; }
  bool IsString() const { return type_ == ValueType::kString; }

  // The string value. REQUIRES: IsString(). Valid until the value changes.
  std::string_view str() const { return {ValueData(), value_len_}; }
  // Replaces the value with a string.
  void SetString(std::string_view value);
  // Resizes the string value to `size` bytes, keeping its first bytes and zero-filling any
  // growth (growth is amortized, for APPEND). Returns the value's bytes, valid until the next
  // change. REQUIRES: IsString().
  char* ResizeString(size_t size);

  // Unix time in ms after which the key is gone, or 0 if it has no deadline.
  int64_t expire_at_ms() const { return expire_at_ms_; }
  bool has_expiry() const { return expire_at_ms_ != 0; }

 private:
  friend class Table;
  struct HeapValue {
    char* data;
    size_t capacity;
  };
  // Allocates an entry for `key` with room for `value_capacity` value bytes inline.
  static Entry* Create(std::string_view key, uint64_t hash, size_t value_capacity);
  static void Destroy(Entry* entry);

  const char* KeyData() const { return reinterpret_cast<const char*>(this + 1); }
  char* InlineData() { return reinterpret_cast<char*>(this + 1) + key_len_; }
  const char* InlineData() const { return reinterpret_cast<const char*>(this + 1) + key_len_; }
  HeapValue heap() const;
  void set_heap(HeapValue heap);
  const char* ValueData() const { return on_heap_ ? heap().data : InlineData(); }
  char* ValueData() { return on_heap_ ? heap().data : InlineData(); }
  // Makes room for `size` value bytes, keeping the current ones; `amortize` over-allocates.
  char* Reserve(size_t size, bool amortize);

  Entry* next_ = nullptr;
  uint64_t hash_ = 0;
  int64_t expire_at_ms_ = 0;
  uint32_t key_len_ = 0;
  uint32_t value_len_ = 0;
  uint32_t inline_capacity_ = 0;  // bytes reserved after the key (at least sizeof(HeapValue))
  ValueType type_ = ValueType::kString;
  bool on_heap_ = false;
};

class Table {
 public:
  Table();
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

  // Sets (at_ms > 0) or clears (at_ms == 0) the deadline of `entry`.
  void SetExpiry(Entry* entry, int64_t at_ms);

  size_t size() const { return size_; }
  size_t expires_count() const { return expires_; }
  uint64_t expired_keys() const { return expired_keys_; }

  // Calls `fn` for the entries of some buckets starting at `cursor` (at least `count` entries
  // when that many remain) and returns the next cursor, 0 when the scan is complete. Expired
  // entries are skipped. `fn` must not modify the table.
  uint64_t Scan(uint64_t cursor, size_t count, absl::FunctionRef<void(const Entry&)> fn,
                int64_t now_ms) const;

  // Calls `fn` for every live entry. `fn` must not modify the table.
  void ForEach(absl::FunctionRef<void(const Entry&)> fn, int64_t now_ms) const;

  // A uniformly chosen bucket's entry, or nullptr when empty. May return an expired entry.
  Entry* RandomEntry(absl::BitGen& rng);

  // Removes every entry.
  void Clear();

  // Checks up to `max_checks` entries with a deadline, starting where the last call stopped,
  // deleting the expired ones. Returns the number deleted.
  size_t ActiveExpire(int64_t now_ms, size_t max_checks);

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
  struct Buckets {
    std::unique_ptr<Entry*[]> slots;
    size_t mask = 0;  // size - 1; size is a power of two (0 buckets: slots == nullptr)
    size_t used = 0;
  };

  static uint64_t Hash(std::string_view key);
  // The link (bucket head or a `next_` field) that points at the entry for `key`, or nullptr.
  Entry** FindLink(std::string_view key, uint64_t hash);
  // Unlinks the entry `*link` points to and frees it.
  void EraseAt(Entry** link);
  void StartRehash(size_t buckets);
  void MaybeGrow();
  void MaybeShrink();
  // Visits the buckets a scan step at `cursor` covers, calling `visit(Entry** head)` for each,
  // and returns the next cursor.
  template <typename Visit>
  uint64_t ScanStep(uint64_t cursor, Visit&& visit) const;
  bool rehashing() const { return rehash_index_ >= 0; }

  Buckets tables_[2];
  int64_t rehash_index_ = -1;  // next bucket of tables_[0] to move, -1 when not rehashing
  size_t size_ = 0;
  size_t expires_ = 0;
  uint64_t expired_keys_ = 0;
  uint64_t expire_cursor_ = 0;
};

}  // namespace ringtail::storage
