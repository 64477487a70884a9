// SPDX-License-Identifier: Apache-2.0
#include "storage/table.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "base/check.h"
#include "storage/slot_array.h"

namespace ringtail::storage {
namespace {

constexpr size_t kInitialBuckets = 4;
// How much of a retired bucket array ReleaseRetired() returns to the kernel per call: unmapping
// a large array at once (its pages all touched) would pause the shard for milliseconds.
constexpr size_t kReleaseChunkBytes = size_t{256} << 10;

uint64_t ReverseBits(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
  v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
  v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
  return __builtin_bswap64(v);
}

// Links (bucket slots and `next_` fields) carry a 16-bit tag in the pointer's unused top bits:
// bit 63 says whether the entry pointed to has a successor, bits 48-62 hold 15 bits of its key's
// hash. A lookup rejects an entry whose tag differs without reading it, and stops at a rejected
// last entry, so a miss on a one-entry chain costs no load of the entry. The successor bit may
// stay set after the successor is erased (a harmless extra load); it is never clear wrongly,
// since entries are only ever linked in at the head of a chain.
constexpr uintptr_t kAddressMask = (uintptr_t{1} << 48) - 1;
constexpr uintptr_t kHasNext = uintptr_t{1} << 63;
constexpr uintptr_t kTagMask = ~kAddressMask & ~kHasNext;

Entry* Strip(Entry* link) {
  return reinterpret_cast<Entry*>(reinterpret_cast<uintptr_t>(link) & kAddressMask);
}

// The link value for `entry`, whose key hashes to `hash` and which has a successor or not.
Entry* Tagged(Entry* entry, uint64_t hash, bool has_next) {
  uintptr_t bits = reinterpret_cast<uintptr_t>(entry) | (static_cast<uintptr_t>(hash) & kTagMask);
  if (has_next) bits |= kHasNext;
  return reinterpret_cast<Entry*>(bits);
}

// `link` with its address replaced by `entry` (same tag and successor bit).
Entry* Retarget(Entry* link, Entry* entry) {
  return reinterpret_cast<Entry*>((reinterpret_cast<uintptr_t>(link) & ~kAddressMask) |
                                  reinterpret_cast<uintptr_t>(entry));
}

bool TagMatches(Entry* link, uint64_t hash) {
  return ((reinterpret_cast<uintptr_t>(link) ^ static_cast<uintptr_t>(hash)) & kTagMask) == 0;
}

bool HasNext(Entry* link) { return (reinterpret_cast<uintptr_t>(link) & kHasNext) != 0; }

bool IsExpired(const Entry& entry, int64_t now_ms) {
  int64_t at_ms = entry.expire_at_ms();
  return at_ms != 0 && at_ms < now_ms;
}

}  // namespace

Table::~Table() { Clear(); }

// absl's own string hash (the packaged abseil has its own string_view type; its std::string_view
// overload falls back to std::hash, which is slower).
uint64_t Table::Hash(std::string_view key) {
  return absl::Hash<absl::string_view>{}(absl::string_view(key.data(), key.size()));
}

Entry** Table::FindLink(std::string_view key, uint64_t hash) {
  for (int t = 0; t < 2; ++t) {
    const Buckets& b = tables_[t];
    if (b.slots == nullptr) continue;
    Entry** link = &b.slots[hash & b.mask];
    while (*link != nullptr) {
      if (!TagMatches(*link, hash)) {
        if (!HasNext(*link)) break;  // a rejected last entry: no need to read it
      } else {
        Entry* e = Strip(*link);
        if (e->key_len_ == key.size() && std::memcmp(e->KeyData(), key.data(), key.size()) == 0) {
          return link;
        }
      }
      link = &Strip(*link)->next_;
    }
    if (!rehashing()) break;
  }
  return nullptr;
}

void Table::FreeEntry(Entry* entry) {
  int64_t at_ms = entry->expire_at_ms();
  if (at_ms != 0) {
    deadlines_.erase({at_ms, entry});
    deadline_sum_ms_ -= static_cast<long double>(at_ms);
  }
  memory_bytes_ -= entry->AllocatedBytes();
  --size_;
  if (LazyFree::IsWorthLazyFree(*entry)) lazy_.Take(*entry);
  Entry::Destroy(entry);
}

void Table::EraseAt(Entry** link) {
  Entry* entry = Strip(*link);
  *link = entry->next_;
  FreeEntry(entry);
}

void Table::ExpireAt(Entry** link) {
  EraseAt(link);
  ++expired_keys_;
}

Entry* Table::Peek(std::string_view key, int64_t now_ms) {
  if (size_ == 0) return nullptr;
  if (rehashing()) RehashStep(1);
  Entry** link = FindLink(key, Hash(key));
  if (link == nullptr) return nullptr;
  if (IsExpired(*Strip(*link), now_ms)) {
    ExpireAt(link);
    return nullptr;
  }
  return Strip(*link);
}

Entry* Table::Find(std::string_view key, int64_t now_ms) {
  Entry* entry = Peek(key, now_ms);
  if (entry != nullptr) Touch(entry, now_ms);
  return entry;
}

void Table::TouchLfu(Entry* entry, int64_t now_ms) {
  // xorshift64: a fast, good enough source for the counter's coin flips.
  uint64_t x = lfu_random_state_;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  lfu_random_state_ = x;
  double random = static_cast<double>(x >> 11) * 0x1.0p-53;
  entry->set_access(LfuTouch(entry->access(), now_ms, lfu_settings_, random));
}

Table::InsertResult Table::FindOrInsert(std::string_view key, int64_t now_ms,
                                        size_t value_capacity) {
  if (rehashing()) RehashStep(1);
  uint64_t hash = Hash(key);
  if (size_ != 0) {
    Entry** link = FindLink(key, hash);
    if (link != nullptr) {
      if (!IsExpired(*Strip(*link), now_ms)) {
        Entry* found = Strip(*link);
        Touch(found, now_ms);
        return {found, false};
      }
      ExpireAt(link);
    }
  }
  MaybeGrow();
  Buckets& target = rehashing() ? tables_[1] : tables_[0];
  Entry* entry = Entry::Create(key, value_capacity, /*with_deadline=*/false);
  entry->set_access(NewAccess(now_ms));
  Entry*& head = target.slots[hash & target.mask];
  entry->next_ = head;
  head = Tagged(entry, hash, entry->next_ != nullptr);
  ++size_;
  memory_bytes_ += entry->AllocatedBytes();
  return {entry, true};
}

bool Table::Erase(std::string_view key, int64_t now_ms) {
  if (size_ == 0) return false;
  if (rehashing()) RehashStep(1);
  Entry** link = FindLink(key, Hash(key));
  if (link == nullptr) return false;
  bool live = !IsExpired(*Strip(*link), now_ms);
  if (live) {
    EraseAt(link);
  } else {
    ExpireAt(link);
  }
  MaybeShrink();
  return live;
}

void Table::Erase(Entry* entry) {
  Entry** link = FindLink(entry->key(), Hash(entry->key()));
  CHECK(link != nullptr && Strip(*link) == entry, "erasing an entry that is not in the table");
  EraseAt(link);
  MaybeShrink();
}

Entry* Table::SetExpiry(Entry* entry, int64_t at_ms) {
  int64_t old_ms = entry->expire_at_ms();
  if (old_ms == at_ms) return entry;
  if (old_ms != 0) {
    deadlines_.erase({old_ms, entry});
    deadline_sum_ms_ -= static_cast<long double>(old_ms);
  }
  if (at_ms != 0 && !entry->has_deadline_slot()) {
    // First deadline of this key: move it to an entry with room for one and relink it.
    Entry** link = FindLink(entry->key(), Hash(entry->key()));
    CHECK(link != nullptr && Strip(*link) == entry, "setting the deadline of an unknown entry");
    size_t old_bytes = entry->AllocatedBytes();
    entry = Entry::MoveWithDeadlineSlot(entry);
    *link = Retarget(*link, entry);
    memory_bytes_ += entry->AllocatedBytes() - old_bytes;
  }
  if (entry->has_deadline_slot()) entry->set_expire_at_ms(at_ms);
  if (at_ms != 0) {
    deadlines_.insert({at_ms, entry});
    deadline_sum_ms_ += static_cast<long double>(at_ms);
  }
  return entry;
}

int64_t Table::AverageTtlMs(int64_t now_ms) const {
  if (deadlines_.empty()) return 0;
  long double mean = deadline_sum_ms_ / static_cast<long double>(deadlines_.size());
  return std::max<int64_t>(0, static_cast<int64_t>(mean) - now_ms);
}

void Table::StartRehash(size_t buckets) {
  Buckets& next = tables_[1];
  if (buckets * sizeof(Entry*) < kMappedArrayBytes) {
    next.slots = AllocateSlotArray<Entry*>(buckets);
    memory_bytes_ += buckets * sizeof(Entry*);
  } else {
    // A large array is first faulted in, a slice per BackgroundStep(): inserts into a fresh one
    // would each fault in a page at a random place, pausing the shard for milliseconds per batch.
    // Until it is ready the table keeps filling its current array.
    if (prepared_.slots != nullptr && prepared_.size() != buckets) {
      FreeBuckets(prepared_);
      prepared_bytes_ = 0;
    }
    if (prepared_.slots == nullptr) {
      prepared_.slots = AllocateSlotArray<Entry*>(buckets);
      prepared_.mask = buckets - 1;
      memory_bytes_ += buckets * sizeof(Entry*);
      prepared_bytes_ = 0;
    }
    if (prepared_bytes_ < buckets * sizeof(Entry*)) return;
    next = prepared_;
    prepared_ = Buckets{};
    prepared_bytes_ = 0;
  }
  next.mask = buckets - 1;
  rehash_index_ = 0;
}

bool Table::BackgroundStep() {
  constexpr size_t kLazyFreeBudget = 2'000;  // allocations: about 0.1-0.2 ms
  if (!garbage_.empty()) {
    FreeGarbageSlice();
  } else if (!lazy_.empty()) {
    lazy_.Step(kLazyFreeBudget);
  } else if (!retired_.empty()) {
    ReleaseRetired();
  } else if (prepared_.slots != nullptr) {
    size_t total = prepared_.size() * sizeof(Entry*);
    size_t chunk = std::min(kReleaseChunkBytes, total - prepared_bytes_);
    char* start = reinterpret_cast<char*>(prepared_.slots) + prepared_bytes_;
    if (madvise(start, chunk, MADV_POPULATE_WRITE) != 0) {
      // Kernels before 5.14: touch one byte per page instead.
      for (size_t offset = 0; offset < chunk; offset += 4096) start[offset] = 0;
    }
    prepared_bytes_ += chunk;
    if (prepared_bytes_ == total && !rehashing()) StartRehash(prepared_.size());
  }
  return has_background_work();
}

void Table::ClearLazily() {
  // Detach the bucket arrays, with every entry, for BackgroundStep to free a slice at a time.
  for (Buckets& b : tables_) {
    if (b.slots != nullptr) garbage_.push_back({b, 0});
    b = Buckets{};
  }
  ReleaseSlots(prepared_.slots, prepared_.size());
  prepared_ = Buckets{};
  prepared_bytes_ = 0;
  deadlines_.clear();
  deadline_sum_ms_ = 0;
  rehash_index_ = -1;
  size_ = 0;
  memory_bytes_ = 0;
}

void Table::FreeGarbageSlice() {
  // About 0.2 ms of work: freeing an entry costs a cache miss or two.
  constexpr size_t kEntriesPerSlice = 2'000;
  constexpr size_t kPrefetchAhead = 8;
  Garbage& garbage = garbage_.front();
  size_t freed = 0;
  size_t size = garbage.buckets.size();
  while (garbage.next_bucket < size && freed < kEntriesPerSlice) {
    if (garbage.next_bucket + kPrefetchAhead < size) {
      __builtin_prefetch(Strip(garbage.buckets.slots[garbage.next_bucket + kPrefetchAhead]));
    }
    Entry* e = Strip(garbage.buckets.slots[garbage.next_bucket++]);
    while (e != nullptr) {
      Entry* next = Strip(e->next_);
      if (LazyFree::IsWorthLazyFree(*e)) lazy_.Take(*e);
      Entry::Destroy(e);
      e = next;
      ++freed;
    }
  }
  if (garbage.next_bucket == size) {
    ReleaseSlots(garbage.buckets.slots, size);
    garbage_.erase(garbage_.begin());
  }
}

void Table::FreeBuckets(Buckets& buckets) {
  memory_bytes_ -= buckets.size() * sizeof(Entry*);
  ReleaseSlots(buckets.slots, buckets.size());
  buckets = Buckets{};
}

void Table::ReleaseSlots(Entry** slots, size_t count) {
  if (slots == nullptr) return;
  size_t bytes = count * sizeof(Entry*);
  if (bytes >= kMappedArrayBytes) {
    // Unmapping a large array whose pages are touched takes milliseconds: ReleaseRetired()
    // returns it a chunk at a time.
    retired_.push_back({reinterpret_cast<char*>(slots), bytes});
  } else {
    FreeSlotArray(slots, count);
  }
}

void Table::MaybeGrow() {
  if (tables_[0].slots == nullptr) {
    tables_[0].slots = AllocateSlotArray<Entry*>(kInitialBuckets);
    tables_[0].mask = kInitialBuckets - 1;
    memory_bytes_ += kInitialBuckets * sizeof(Entry*);
    return;
  }
  if (rehashing()) return;
  size_t buckets = tables_[0].size();
  if (size_ >= buckets) StartRehash(buckets * 2);
}

void Table::MaybeShrink() {
  if (rehashing() || tables_[0].slots == nullptr) return;
  size_t buckets = tables_[0].size();
  if (buckets <= kInitialBuckets || size_ * 8 >= buckets) return;
  size_t target = kInitialBuckets;
  while (target < size_) target *= 2;
  StartRehash(target);
}

bool Table::RehashStep(size_t buckets) {
  if (!rehashing()) return false;
  Buckets& from = tables_[0];
  Buckets& to = tables_[1];
  size_t empty_visits = buckets * 10;
  size_t size = from.size();
  while (buckets > 0 && static_cast<size_t>(rehash_index_) < size) {
    // The entries of the buckets a few ahead are needed soon (their keys are hashed): start
    // those misses now, so that a long step overlaps them.
    constexpr size_t kPrefetchAhead = 8;
    if (static_cast<size_t>(rehash_index_) + kPrefetchAhead < size) {
      __builtin_prefetch(Strip(from.slots[rehash_index_ + kPrefetchAhead]));
    }
    Entry* e = Strip(from.slots[rehash_index_]);
    if (e == nullptr) {
      ++rehash_index_;
      if (--empty_visits == 0) break;
      continue;
    }
    while (e != nullptr) {
      Entry* next = Strip(e->next_);
      uint64_t hash = Hash(e->key());
      Entry*& head = to.slots[hash & to.mask];
      e->next_ = head;
      head = Tagged(e, hash, e->next_ != nullptr);
      e = next;
    }
    from.slots[rehash_index_] = nullptr;
    ++rehash_index_;
    --buckets;
  }
  if (static_cast<size_t>(rehash_index_) >= size) {
    FreeBuckets(tables_[0]);
    tables_[0] = tables_[1];
    tables_[1] = Buckets{};
    rehash_index_ = -1;
    MaybeShrink();  // keys deleted meanwhile may call for a smaller array still
    return rehashing();
  }
  return true;
}

template <typename Visit>
uint64_t Table::ScanStep(uint64_t v, Visit&& visit) const {
  if (!rehashing()) {
    const Buckets& t0 = tables_[0];
    if (t0.slots == nullptr) return 0;
    uint64_t m0 = t0.mask;
    visit(&t0.slots[v & m0]);
    v |= ~m0;
    v = ReverseBits(v);
    ++v;
    return ReverseBits(v);
  }
  const Buckets* t0 = &tables_[0];
  const Buckets* t1 = &tables_[1];
  if (t0->mask > t1->mask) std::swap(t0, t1);
  uint64_t m0 = t0->mask;
  uint64_t m1 = t1->mask;
  visit(&t0->slots[v & m0]);
  do {
    visit(&t1->slots[v & m1]);
    v |= ~m1;
    v = ReverseBits(v);
    ++v;
    v = ReverseBits(v);
  } while (v & (m0 ^ m1));
  return v;
}

uint64_t Table::Scan(uint64_t cursor, size_t count, absl::FunctionRef<void(const Entry&)> fn,
                     int64_t now_ms) const {
  if (size_ == 0) return 0;
  size_t emitted = 0;
  // Bound the buckets one call visits (empty ones included), as Redis does.
  size_t max_steps = count > (SIZE_MAX - 1) / 10 ? SIZE_MAX : count * 10 + 1;
  do {
    cursor = ScanStep(cursor, [&](Entry* const* head) {
      for (const Entry* e = Strip(*head); e != nullptr; e = Strip(e->next_)) {
        if (IsExpired(*e, now_ms)) continue;
        fn(*e);
        ++emitted;
      }
    });
  } while (cursor != 0 && emitted < count && --max_steps > 0);
  return cursor;
}

void Table::ForEach(absl::FunctionRef<void(const Entry&)> fn, int64_t now_ms) const {
  for (const Buckets& b : tables_) {
    for (size_t i = 0; i < b.size(); ++i) {
      for (const Entry* e = Strip(b.slots[i]); e != nullptr; e = Strip(e->next_)) {
        if (!IsExpired(*e, now_ms)) fn(*e);
      }
    }
  }
}

Entry* Table::RandomEntry(absl::BitGen& rng) {
  if (size_ == 0) return nullptr;
  if (rehashing()) RehashStep(1);
  // Pick non-empty buckets at random, then an element of the chain at random.
  for (;;) {
    const Buckets& b = (rehashing() && absl::Bernoulli(rng, 0.5)) ? tables_[1] : tables_[0];
    if (b.slots == nullptr) continue;
    Entry* head = Strip(b.slots[absl::Uniform<size_t>(rng, 0, b.size())]);
    if (head == nullptr) continue;
    size_t len = 0;
    for (Entry* e = head; e != nullptr; e = Strip(e->next_)) ++len;
    size_t pick = absl::Uniform<size_t>(rng, 0, len);
    Entry* e = head;
    while (pick-- > 0) e = Strip(e->next_);
    return e;
  }
}

Entry* Table::EarliestDeadline() const {
  return deadlines_.empty() ? nullptr : deadlines_.begin()->second;
}

Entry* Table::RandomExpiringEntry(absl::BitGen& rng) {
  if (deadlines_.empty()) return nullptr;
  if (deadlines_.size() * 4 >= size_) {
    // At least a quarter of the keys have a deadline: a few uniform draws almost surely hit one.
    for (int attempt = 0; attempt < 16; ++attempt) {
      Entry* entry = RandomEntry(rng);
      if (entry->has_expiry()) return entry;
    }
  }
  int64_t earliest = deadlines_.begin()->first;
  int64_t latest = deadlines_.rbegin()->first;
  int64_t at_ms = absl::Uniform<int64_t>(absl::IntervalClosed, rng, earliest, latest);
  // Never end(): (latest, nullptr) sorts before every record due at `latest`.
  return deadlines_.lower_bound({at_ms, nullptr})->second;
}

bool Table::ExpireIfDue(Entry* entry, int64_t now_ms) {
  if (!IsExpired(*entry, now_ms)) return false;
  Entry** link = FindLink(entry->key(), Hash(entry->key()));
  CHECK(link != nullptr && Strip(*link) == entry, "expiring an entry that is not in the table");
  ExpireAt(link);
  MaybeShrink();
  return true;
}

void Table::Clear() {
  ClearLazily();
  while (!garbage_.empty()) FreeGarbageSlice();
  while (lazy_.Step(SIZE_MAX)) {
  }
  for (const Retired& array : retired_) munmap(array.memory, array.bytes);
  retired_.clear();
}

size_t Table::ActiveExpire(int64_t now_ms, size_t max_deletes) {
  size_t deleted = 0;
  while (deleted < max_deletes && !deadlines_.empty()) {
    auto first = deadlines_.begin();
    auto [at_ms, entry] = *first;
    if (at_ms >= now_ms) break;
    Entry** link = FindLink(entry->key(), Hash(entry->key()));
    CHECK(link != nullptr && Strip(*link) == entry, "deadline index out of step with the table");
    // Drop the index record through the iterator at hand (cheaper than a search by value).
    deadlines_.erase(first);
    deadline_sum_ms_ -= static_cast<long double>(at_ms);
    entry->set_expire_at_ms(0);
    ExpireAt(link);
    ++deleted;
  }
  if (deleted > 0) MaybeShrink();
  return deleted;
}

void Table::ReleaseRetired() {
  if (retired_.empty()) return;  // NOLINT: see BackgroundStep
  Retired& array = retired_.front();
  size_t chunk = std::min(kReleaseChunkBytes, array.bytes);
  munmap(array.memory, chunk);
  array.memory += chunk;
  array.bytes -= chunk;
  if (array.bytes == 0) retired_.erase(retired_.begin());
}

void Table::PrefetchBucket(uint64_t hash) const {
  if (size_ == 0) return;
  const Buckets& b = rehashing() ? tables_[1] : tables_[0];
  __builtin_prefetch(&b.slots[hash & b.mask]);
}

void Table::PrefetchEntry(uint64_t hash) const {
  if (size_ == 0) return;
  const Buckets& b = rehashing() ? tables_[1] : tables_[0];
  const Entry* head = Strip(b.slots[hash & b.mask]);
  if (head == nullptr) return;
  // The header and key, and the line after it, where a short value sits.
  __builtin_prefetch(head);
  __builtin_prefetch(reinterpret_cast<const char*>(head) + 64);
}

void Table::PrefetchChain(uint64_t hash) const {
  if (size_ == 0) return;
  const Buckets& b = rehashing() ? tables_[1] : tables_[0];
  Entry* link = b.slots[hash & b.mask];
  if (link == nullptr || TagMatches(link, hash) || !HasNext(link)) return;
  Entry* second = Strip(link)->next_;
  if (second == nullptr || !TagMatches(second, hash)) return;
  __builtin_prefetch(Strip(second));
  __builtin_prefetch(reinterpret_cast<const char*>(Strip(second)) + 64);
}

}  // namespace ringtail::storage
