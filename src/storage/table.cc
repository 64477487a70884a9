// SPDX-License-Identifier: Apache-2.0
#include "storage/table.h"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/hash/hash.h"
#include "base/check.h"

namespace ringtail::storage {
namespace {

constexpr size_t kInitialBuckets = 4;

uint64_t ReverseBits(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
  v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
  v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
  return __builtin_bswap64(v);
}

// As Redis: a key is still there during its deadline's millisecond and gone after it.
bool IsExpired(const Entry& entry, int64_t now_ms, int64_t at_ms) {
  (void)entry;
  return at_ms != 0 && at_ms < now_ms;
}

}  // namespace

Entry* Entry::Create(std::string_view key, uint64_t hash, size_t value_capacity) {
  size_t inline_capacity = std::max(value_capacity, sizeof(HeapValue));
  void* memory = std::malloc(sizeof(Entry) + key.size() + inline_capacity);
  CHECK(memory != nullptr, "out of memory");
  auto* entry = new (memory) Entry;
  entry->hash_ = hash;
  entry->key_len_ = static_cast<uint32_t>(key.size());
  entry->inline_capacity_ = static_cast<uint32_t>(inline_capacity);
  std::memcpy(reinterpret_cast<char*>(entry + 1), key.data(), key.size());
  return entry;
}

void Entry::Destroy(Entry* entry) {
  if (entry->on_heap_) std::free(entry->heap().data);
  entry->~Entry();
  std::free(entry);
}

Entry::HeapValue Entry::heap() const {
  HeapValue heap;
  std::memcpy(&heap, InlineData(), sizeof(heap));
  return heap;
}

void Entry::set_heap(HeapValue heap) { std::memcpy(InlineData(), &heap, sizeof(heap)); }

char* Entry::Reserve(size_t size, bool amortize) {
  if (!on_heap_) {
    if (size <= inline_capacity_) return InlineData();
    size_t capacity = amortize ? std::max(size, size_t{value_len_} * 2) : size;
    char* data = static_cast<char*>(std::malloc(capacity));
    CHECK(data != nullptr, "out of memory");
    std::memcpy(data, InlineData(), value_len_);
    on_heap_ = true;
    set_heap({data, capacity});
    return data;
  }
  HeapValue h = heap();
  if (size <= h.capacity) return h.data;
  size_t capacity = amortize ? std::max(size, h.capacity * 2) : size;
  char* data = static_cast<char*>(std::realloc(h.data, capacity));
  CHECK(data != nullptr, "out of memory");
  set_heap({data, capacity});
  return data;
}

void Entry::SetString(std::string_view value) {
  type_ = ValueType::kString;
  if (on_heap_ && value.size() <= inline_capacity_) {
    // Back to the inline space: the heap copy is no longer needed.
    std::free(heap().data);
    on_heap_ = false;
  }
  char* data = Reserve(value.size(), false);
  if (!value.empty()) std::memmove(data, value.data(), value.size());
  value_len_ = static_cast<uint32_t>(value.size());
}

char* Entry::ResizeString(size_t size) {
  char* data = Reserve(size, true);
  if (size > value_len_) std::memset(data + value_len_, 0, size - value_len_);
  value_len_ = static_cast<uint32_t>(size);
  return data;
}

Table::Table() = default;

Table::~Table() { Clear(); }

uint64_t Table::Hash(std::string_view key) { return absl::Hash<std::string_view>{}(key); }

Entry** Table::FindLink(std::string_view key, uint64_t hash) {
  for (int t = 0; t < 2; ++t) {
    const Buckets& b = tables_[t];
    if (b.slots == nullptr) continue;
    Entry** link = &b.slots[hash & b.mask];
    while (*link != nullptr) {
      Entry* e = *link;
      if (e->hash_ == hash && e->key() == key) return link;
      link = &e->next_;
    }
    if (!rehashing()) break;
  }
  return nullptr;
}

void Table::EraseAt(Entry** link) {
  Entry* entry = *link;
  *link = entry->next_;
  if (entry->expire_at_ms_ != 0) --expires_;
  --size_;
  Entry::Destroy(entry);
}

Entry* Table::Find(std::string_view key, int64_t now_ms) {
  if (size_ == 0) return nullptr;
  if (rehashing()) RehashStep(1);
  uint64_t hash = Hash(key);
  Entry** link = FindLink(key, hash);
  if (link == nullptr) return nullptr;
  Entry* entry = *link;
  if (IsExpired(*entry, now_ms, entry->expire_at_ms_)) {
    EraseAt(link);
    ++expired_keys_;
    return nullptr;
  }
  return entry;
}

Table::InsertResult Table::FindOrInsert(std::string_view key, int64_t now_ms,
                                        size_t value_capacity) {
  if (rehashing()) RehashStep(1);
  uint64_t hash = Hash(key);
  if (size_ != 0) {
    Entry** link = FindLink(key, hash);
    if (link != nullptr) {
      Entry* entry = *link;
      if (!IsExpired(*entry, now_ms, entry->expire_at_ms_)) return {entry, false};
      EraseAt(link);
      ++expired_keys_;
    }
  }
  MaybeGrow();
  Buckets& target = rehashing() ? tables_[1] : tables_[0];
  Entry* entry = Entry::Create(key, hash, value_capacity);
  Entry*& head = target.slots[hash & target.mask];
  entry->next_ = head;
  head = entry;
  ++size_;
  return {entry, true};
}

bool Table::Erase(std::string_view key, int64_t now_ms) {
  if (size_ == 0) return false;
  if (rehashing()) RehashStep(1);
  Entry** link = FindLink(key, Hash(key));
  if (link == nullptr) return false;
  bool live = !IsExpired(**link, now_ms, (*link)->expire_at_ms_);
  if (!live) ++expired_keys_;
  EraseAt(link);
  MaybeShrink();
  return live;
}

void Table::Erase(Entry* entry) {
  Entry** link = FindLink(entry->key(), entry->hash_);
  CHECK(link != nullptr && *link == entry, "erasing an entry that is not in the table");
  EraseAt(link);
  MaybeShrink();
}

void Table::SetExpiry(Entry* entry, int64_t at_ms) {
  if (entry->expire_at_ms_ == 0 && at_ms != 0) ++expires_;
  if (entry->expire_at_ms_ != 0 && at_ms == 0) --expires_;
  entry->expire_at_ms_ = at_ms;
}

void Table::StartRehash(size_t buckets) {
  Buckets& next = tables_[1];
  next.slots = std::make_unique<Entry*[]>(buckets);
  next.mask = buckets - 1;
  rehash_index_ = 0;
}

void Table::MaybeGrow() {
  if (tables_[0].slots == nullptr) {
    tables_[0].slots = std::make_unique<Entry*[]>(kInitialBuckets);
    tables_[0].mask = kInitialBuckets - 1;
    return;
  }
  if (rehashing()) return;
  size_t buckets = tables_[0].mask + 1;
  if (size_ >= buckets) StartRehash(buckets * 2);
}

void Table::MaybeShrink() {
  if (rehashing() || tables_[0].slots == nullptr) return;
  size_t buckets = tables_[0].mask + 1;
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
  size_t size = from.mask + 1;
  while (buckets > 0 && static_cast<size_t>(rehash_index_) < size) {
    Entry* e = from.slots[rehash_index_];
    if (e == nullptr) {
      ++rehash_index_;
      if (--empty_visits == 0) break;
      continue;
    }
    while (e != nullptr) {
      Entry* next = e->next_;
      Entry*& head = to.slots[e->hash_ & to.mask];
      e->next_ = head;
      head = e;
      e = next;
    }
    from.slots[rehash_index_] = nullptr;
    ++rehash_index_;
    --buckets;
  }
  if (static_cast<size_t>(rehash_index_) >= size) {
    tables_[0] = std::move(tables_[1]);
    tables_[1] = Buckets{};
    rehash_index_ = -1;
    return false;
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
  size_t max_steps = count * 10 + 1;
  do {
    cursor = ScanStep(cursor, [&](Entry* const* head) {
      for (const Entry* e = *head; e != nullptr; e = e->next_) {
        if (IsExpired(*e, now_ms, e->expire_at_ms_)) continue;
        fn(*e);
        ++emitted;
      }
    });
  } while (cursor != 0 && emitted < count && --max_steps > 0);
  return cursor;
}

void Table::ForEach(absl::FunctionRef<void(const Entry&)> fn, int64_t now_ms) const {
  for (const Buckets& b : tables_) {
    if (b.slots == nullptr) continue;
    for (size_t i = 0; i <= b.mask; ++i) {
      for (const Entry* e = b.slots[i]; e != nullptr; e = e->next_) {
        if (!IsExpired(*e, now_ms, e->expire_at_ms_)) fn(*e);
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
    Entry* head = b.slots[absl::Uniform<size_t>(rng, 0, b.mask + 1)];
    if (head == nullptr) continue;
    size_t len = 0;
    for (Entry* e = head; e != nullptr; e = e->next_) ++len;
    size_t pick = absl::Uniform<size_t>(rng, 0, len);
    Entry* e = head;
    while (pick-- > 0) e = e->next_;
    return e;
  }
}

void Table::Clear() {
  for (Buckets& b : tables_) {
    if (b.slots == nullptr) continue;
    for (size_t i = 0; i <= b.mask; ++i) {
      Entry* e = b.slots[i];
      while (e != nullptr) {
        Entry* next = e->next_;
        Entry::Destroy(e);
        e = next;
      }
    }
    b = Buckets{};
  }
  rehash_index_ = -1;
  size_ = 0;
  expires_ = 0;
  expire_cursor_ = 0;
}

size_t Table::ActiveExpire(int64_t now_ms, size_t max_checks) {
  if (expires_ == 0) return 0;
  size_t deleted = 0;
  size_t checked = 0;
  uint64_t cursor = expire_cursor_;
  do {
    cursor = ScanStep(cursor, [&](Entry* const* head) {
      Entry** link = const_cast<Entry**>(head);
      while (*link != nullptr) {
        Entry* e = *link;
        ++checked;
        if (IsExpired(*e, now_ms, e->expire_at_ms_)) {
          EraseAt(link);
          ++expired_keys_;
          ++deleted;
        } else {
          link = &e->next_;
        }
      }
    });
  } while (cursor != 0 && checked < max_checks && expires_ != 0);
  expire_cursor_ = cursor;
  if (deleted > 0) MaybeShrink();
  return deleted;
}

void Table::PrefetchBucket(uint64_t hash) const {
  if (size_ == 0) return;
  const Buckets& b = rehashing() ? tables_[1] : tables_[0];
  __builtin_prefetch(&b.slots[hash & b.mask]);
}

void Table::PrefetchEntry(uint64_t hash) const {
  if (size_ == 0) return;
  const Buckets& b = rehashing() ? tables_[1] : tables_[0];
  const Entry* head = b.slots[hash & b.mask];
  if (head == nullptr) return;
  // The header and key, and the line after it, where a short value sits.
  __builtin_prefetch(head);
  __builtin_prefetch(reinterpret_cast<const char*>(head) + 64);
}

}  // namespace ringtail::storage
