// SPDX-License-Identifier: Apache-2.0
#include "storage/list.h"

#include <malloc.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "base/check.h"

namespace ringtail::storage {
namespace {

// A node that holds more than one element stays within this many bytes even under a count
// limit (Redis's SIZE_SAFETY_LIMIT), and the count limit is capped as Redis caps its fill.
constexpr size_t kSafetyLimitBytes = 8192;
constexpr int64_t kMaxFill = (1 << 15) - 1;
constexpr int64_t kMinFill = -5;
// Header codes (see list.h).
constexpr uint8_t kTinyInt = 0x80;
constexpr uint8_t kStr11 = 0x40;
constexpr uint8_t kStr32 = 0x48;
constexpr uint8_t kInt24 = 0x4A;
constexpr uint8_t kInt32 = 0x4B;
constexpr uint8_t kInt64 = 0x4C;
constexpr uint8_t kInt12 = 0x50;
constexpr uint8_t kInt21 = 0x60;
// The largest entry a node's 32-bit byte count can hold.
constexpr size_t kMaxEntryBytes = std::numeric_limits<uint32_t>::max();

void* Allocate(size_t size) {
  void* memory = std::malloc(size);
  CHECK(memory != nullptr, "out of memory");
  return memory;
}

size_t UsableSize(const void* memory) {
  return memory == nullptr ? 0 : malloc_usable_size(const_cast<void*>(memory));
}

uint8_t Byte(const char* p) { return static_cast<uint8_t>(*p); }

// Little-endian loads and stores of the low `n` bytes.
uint64_t LoadLe(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(Byte(p + i)) << (8 * i);
  return v;
}
void StoreLe(char* p, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Sign-extends the low `bits` bits of `v`.
int64_t SignExtend(uint64_t v, int bits) {
  uint64_t sign = uint64_t{1} << (bits - 1);
  v &= (sign << 1) - 1;
  return static_cast<int64_t>(v ^ sign) - static_cast<int64_t>(sign);
}

// Redis's string2ll: an optional '-', digits without leading zeros ("0" alone), not "-0", in
// int64 range, at most 20 characters.
bool ParseCanonicalInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  size_t digits = s[0] == '-' ? 1 : 0;
  if (digits == s.size() || s[digits] < '0' || s[digits] > '9') return false;
  if (s[digits] == '0' && (s.size() > 1)) return false;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return false;
  *out = v;
  return true;
}

// Bytes of the back-length of an entry whose header and payload take `len` bytes.
size_t BacklenSize(size_t len) {
  if (len < (size_t{1} << 6)) return 1;
  if (len < (size_t{1} << 13)) return 2;
  if (len < (size_t{1} << 20)) return 3;
  if (len < (size_t{1} << 27)) return 4;
  return 5;
}

void WriteBacklen(char* p, size_t len) {
  size_t n = BacklenSize(len);
  if (n == 1) {
    p[0] = static_cast<char>(len);
    return;
  }
  p[n - 1] = static_cast<char>(0x40 | (len & 0x3F));
  size_t rest = len >> 6;
  for (size_t i = n - 1; i-- > 0;) {
    auto b = static_cast<uint8_t>(rest & 0x7F);
    rest >>= 7;
    if (i > 0) b |= 0x80;
    p[i] = static_cast<char>(b);
  }
}

// Bytes of the whole entry that starts at `p`.
size_t EntrySize(const char* p) {
  uint8_t h = Byte(p);
  if ((h & kTinyInt) != 0) return 1;
  size_t len = 0;
  if (h < kStr11) {
    len = 1 + h;
  } else if (h < kStr32) {
    len = 2 + ((static_cast<size_t>(h & 0x07) << 8) | Byte(p + 1));
  } else if (h == kStr32) {
    len = 5 + LoadLe(p + 1, 4);
  } else if (h == kInt24) {
    len = 4;
  } else if (h == kInt32) {
    len = 5;
  } else if (h == kInt64) {
    len = 9;
  } else if (h >= kInt21) {
    len = 3;
  } else {
    DCHECK(h >= kInt12, "corrupt list entry header");
    len = 2;
  }
  return len + BacklenSize(len);
}

// Bytes of the whole entry that ends just before `end`.
size_t EntrySizeBefore(const char* end) {
  uint8_t b = Byte(end - 1);
  if ((b & kTinyInt) != 0) return 1;
  if ((b & 0x40) == 0) return size_t{b} + 1;
  size_t len = b & 0x3F;
  size_t n = 1;
  int shift = 6;
  const char* q = end - 2;
  while (true) {
    uint8_t c = Byte(q);
    len |= static_cast<size_t>(c & 0x7F) << shift;
    shift += 7;
    ++n;
    if ((c & 0x80) == 0) break;
    --q;
  }
  return len + n;
}

ListElement Decode(const char* p) {
  uint8_t h = Byte(p);
  ListElement e;
  if ((h & kTinyInt) != 0) {
    e.is_int = true;
    e.num = h & 0x7F;
  } else if (h < kStr11) {
    e.str = std::string_view(p + 1, h);
  } else if (h < kStr32) {
    e.str = std::string_view(p + 2, (static_cast<size_t>(h & 0x07) << 8) | Byte(p + 1));
  } else if (h == kStr32) {
    e.str = std::string_view(p + 5, LoadLe(p + 1, 4));
  } else {
    e.is_int = true;
    if (h == kInt24) {
      e.num = SignExtend(LoadLe(p + 1, 3), 24);
    } else if (h == kInt32) {
      e.num = SignExtend(LoadLe(p + 1, 4), 32);
    } else if (h == kInt64) {
      e.num = static_cast<int64_t>(LoadLe(p + 1, 8));
    } else if (h >= kInt21) {
      e.num = SignExtend((static_cast<uint64_t>(h & 0x1F) << 16) | LoadLe(p + 1, 2), 21);
    } else {
      e.num = SignExtend((static_cast<uint64_t>(h & 0x0F) << 8) | Byte(p + 1), 12);
    }
  }
  return e;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Elements

std::string_view ListElement::Text(char* buf) const {
  if (!is_int) return str;
  char* end = std::to_chars(buf, buf + kIntChars, num).ptr;
  return {buf, static_cast<size_t>(end - buf)};
}

void ListElement::AppendTo(std::string* out) const {
  char buf[kIntChars];
  out->append(Text(buf));
}

ListNeedle::ListNeedle(std::string_view text) : text_(text) {
  is_int_ = ParseCanonicalInt(text, &num_);
}

// An element encoded as an entry, ready to be copied into a node.
class List::Encoded {
 public:
  explicit Encoded(std::string_view value) {
    int64_t v = 0;
    if (ParseCanonicalInt(value, &v)) {
      EncodeInt(v);
    } else {
      CHECK(value.size() <= kMaxEntryBytes - 16, "list element too large");
      payload_ = value;
      if (value.size() < 64) {
        head_[0] = static_cast<char>(value.size());
        head_len_ = 1;
      } else if (value.size() < 2048) {
        head_[0] = static_cast<char>(kStr11 | (value.size() >> 8));
        head_[1] = static_cast<char>(value.size() & 0xFF);
        head_len_ = 2;
      } else {
        head_[0] = static_cast<char>(kStr32);
        StoreLe(head_ + 1, value.size(), 4);
        head_len_ = 5;
      }
    }
    if (!(head_len_ == 1 && (Byte(head_) & kTinyInt) != 0)) {
      size_t len = head_len_ + payload_.size();
      tail_len_ = static_cast<uint8_t>(BacklenSize(len));
      WriteBacklen(tail_, len);
    }
  }

  size_t size() const { return head_len_ + payload_.size() + tail_len_; }

  void WriteTo(char* p) const {
    std::memcpy(p, head_, head_len_);
    if (!payload_.empty()) std::memcpy(p + head_len_, payload_.data(), payload_.size());
    std::memcpy(p + head_len_ + payload_.size(), tail_, tail_len_);
  }

 private:
  void EncodeInt(int64_t v) {
    auto u = static_cast<uint64_t>(v);
    if (v >= 0 && v < 128) {
      head_[0] = static_cast<char>(kTinyInt | v);
      head_len_ = 1;
    } else if (v >= -2048 && v < 2048) {
      head_[0] = static_cast<char>(kInt12 | ((u >> 8) & 0x0F));
      head_[1] = static_cast<char>(u & 0xFF);
      head_len_ = 2;
    } else if (v >= -(int64_t{1} << 20) && v < (int64_t{1} << 20)) {
      head_[0] = static_cast<char>(kInt21 | ((u >> 16) & 0x1F));
      StoreLe(head_ + 1, u, 2);
      head_len_ = 3;
    } else if (v >= -(int64_t{1} << 23) && v < (int64_t{1} << 23)) {
      head_[0] = static_cast<char>(kInt24);
      StoreLe(head_ + 1, u, 3);
      head_len_ = 4;
    } else if (v >= std::numeric_limits<int32_t>::min() &&
               v <= std::numeric_limits<int32_t>::max()) {
      head_[0] = static_cast<char>(kInt32);
      StoreLe(head_ + 1, u, 4);
      head_len_ = 5;
    } else {
      head_[0] = static_cast<char>(kInt64);
      StoreLe(head_ + 1, u, 8);
      head_len_ = 9;
    }
  }

  char head_[9] = {};
  uint8_t head_len_ = 0;
  std::string_view payload_;
  char tail_[5] = {};
  uint8_t tail_len_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Nodes and the ring of node descriptors

List::~List() {
  for (size_t i = 0; i < node_count_; ++i) std::free(NodeAt(i).data);
  if (ring_ != &inline_node_) std::free(ring_);
}

List::Limit List::LimitOf(const EncodingLimits& limits) {
  int64_t fill = std::clamp(limits.list_max_listpack_size, kMinFill, kMaxFill);
  if (fill >= 0) return {kSafetyLimitBytes, fill == 0 ? 1 : static_cast<size_t>(fill)};
  return {size_t{4096} << (-fill - 1), std::numeric_limits<size_t>::max()};
}

bool List::Fits(const Node& node, size_t entry_bytes, const Limit& limit) const {
  return node.count < limit.max_count && node.bytes + entry_bytes <= limit.max_bytes;
}

void List::GrowRing() {
  size_t capacity = size_t{ring_mask_} + 1;
  size_t new_capacity = std::max<size_t>(capacity * 2, 4);
  auto* ring = static_cast<Node*>(Allocate(new_capacity * sizeof(Node)));
  for (size_t i = 0; i < node_count_; ++i) ring[i] = NodeAt(i);
  if (ring_ != &inline_node_) {
    allocated_bytes_ -= UsableSize(ring_);
    std::free(ring_);
  }
  allocated_bytes_ += UsableSize(ring);
  ring_ = ring;
  ring_mask_ = static_cast<uint32_t>(new_capacity - 1);
  ring_head_ = 0;
}

List::Node& List::InsertNode(size_t i) {
  if (node_count_ == ring_mask_ + 1) GrowRing();
  if (i < node_count_ / 2) {
    // Move nodes 0..i-1 one slot toward the front.
    ring_head_ = (ring_head_ - 1) & ring_mask_;
    for (size_t k = 0; k < i; ++k) NodeAt(k) = NodeAt(k + 1);
  } else {
    for (size_t k = node_count_; k > i; --k) NodeAt(k) = NodeAt(k - 1);
  }
  ++node_count_;
  NodeAt(i) = Node{};
  return NodeAt(i);
}

void List::RemoveNode(size_t i) {
  Node& node = NodeAt(i);
  allocated_bytes_ -= UsableSize(node.data);
  std::free(node.data);
  if (i < node_count_ / 2) {
    for (size_t k = i; k > 0; --k) NodeAt(k) = NodeAt(k - 1);
    ring_head_ = (ring_head_ + 1) & ring_mask_;
  } else {
    for (size_t k = i; k + 1 < node_count_; ++k) NodeAt(k) = NodeAt(k + 1);
  }
  --node_count_;
}

List::Location List::Locate(size_t index) const {
  DCHECK(index < size_, "list index out of range");
  size_t i = 0;
  size_t first = 0;  // index of node i's first element
  if (index < size_ / 2) {
    while (index >= first + NodeAt(i).count) first += NodeAt(i++).count;
  } else {
    i = node_count_ - 1;
    first = size_ - NodeAt(i).count;
    while (index < first) first -= NodeAt(--i).count;
  }
  const Node& node = NodeAt(i);
  size_t rank = index - first;
  size_t offset = 0;
  if (rank <= node.count / 2) {
    for (size_t r = 0; r < rank; ++r) offset += EntrySize(node.data + offset);
  } else {
    offset = node.bytes;
    for (size_t r = node.count; r > rank; --r) offset -= EntrySizeBefore(node.data + offset);
  }
  return {i, offset, rank};
}

char* List::OpenGap(Node& node, size_t offset, size_t n) {
  size_t bytes = size_t{node.bytes} + n;
  CHECK(bytes <= kMaxEntryBytes, "list node too large");
  size_t usable = UsableSize(node.data);
  if (bytes > usable) {
    node.data = static_cast<char*>(std::realloc(node.data, bytes));
    CHECK(node.data != nullptr, "out of memory");
    allocated_bytes_ += UsableSize(node.data) - usable;
  }
  std::memmove(node.data + offset + n, node.data + offset, node.bytes - offset);
  node.bytes = static_cast<uint32_t>(bytes);
  return node.data + offset;
}

void List::CloseGap(Node& node, size_t offset, size_t n) {
  std::memmove(node.data + offset, node.data + offset + n, node.bytes - offset - n);
  node.bytes -= static_cast<uint32_t>(n);
  size_t usable = UsableSize(node.data);
  // Give memory back once more than half the block is unused (the allocator moves the block
  // only then anyway), so that popping from a node costs amortized O(1) copying.
  if (node.bytes > 0 && usable > 2 * size_t{node.bytes} && usable > 64) {
    char* smaller = static_cast<char*>(std::realloc(node.data, node.bytes));
    if (smaller != nullptr) {
      node.data = smaller;
      allocated_bytes_ = allocated_bytes_ - usable + UsableSize(smaller);
    }
  }
}

void List::PutEntry(Node& node, size_t offset, const Encoded& entry) {
  entry.WriteTo(OpenGap(node, offset, entry.size()));
  ++node.count;
}

void List::NewNodeWith(size_t i, const Encoded& entry) {
  Node& node = InsertNode(i);
  node.data = static_cast<char*>(Allocate(entry.size()));
  allocated_bytes_ += UsableSize(node.data);
  entry.WriteTo(node.data);
  node.bytes = static_cast<uint32_t>(entry.size());
  node.count = 1;
}

void List::SplitNode(size_t i, size_t offset, size_t rank) {
  InsertNode(i + 1);  // may move the ring: take references afterwards
  Node& left = NodeAt(i);
  Node& right = NodeAt(i + 1);
  size_t moved = left.bytes - offset;
  right.data = static_cast<char*>(Allocate(moved));
  allocated_bytes_ += UsableSize(right.data);
  std::memcpy(right.data, left.data + offset, moved);
  right.bytes = static_cast<uint32_t>(moved);
  right.count = static_cast<uint32_t>(left.count - rank);
  left.count = static_cast<uint32_t>(rank);
  CloseGap(left, offset, moved);
}

bool List::MergeWithPrevious(size_t i, const Limit& limit) {
  if (i == 0) return false;
  Node& before = NodeAt(i - 1);
  Node& node = NodeAt(i);
  if (size_t{before.count} + node.count > limit.max_count ||
      size_t{before.bytes} + node.bytes > limit.max_bytes) {
    return false;
  }
  std::memcpy(OpenGap(before, before.bytes, node.bytes), node.data, node.bytes);
  before.count += node.count;
  RemoveNode(i);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Operations

void List::PushEncoded(End end, const Encoded& entry, const Limit& limit) {
  ++size_;
  if (node_count_ == 0) {
    // A new list starts as a listpack unless its first element alone exceeds one.
    if (entry.size() > limit.max_bytes) is_quicklist_ = true;
    return NewNodeWith(0, entry);
  }
  size_t i = end == End::kHead ? 0 : node_count_ - 1;
  Node& node = NodeAt(i);
  if (Fits(node, entry.size(), limit)) {
    return PutEntry(node, end == End::kHead ? 0 : node.bytes, entry);
  }
  is_quicklist_ = true;
  NewNodeWith(end == End::kHead ? 0 : node_count_, entry);
}

void List::Push(End end, std::string_view value, const EncodingLimits& limits) {
  PushEncoded(end, Encoded(value), LimitOf(limits));
}

ListElement List::Peek(End end) const {
  if (end == End::kHead) return Decode(NodeAt(0).data);
  const Node& node = NodeAt(node_count_ - 1);
  const char* stop = node.data + node.bytes;
  return Decode(stop - EntrySizeBefore(stop));
}

void List::Pop(End end) {
  --size_;
  size_t i = end == End::kHead ? 0 : node_count_ - 1;
  Node& node = NodeAt(i);
  if (node.count == 1) return RemoveNode(i);
  --node.count;
  if (end == End::kHead) return CloseGap(node, 0, EntrySize(node.data));
  size_t n = EntrySizeBefore(node.data + node.bytes);
  CloseGap(node, node.bytes - n, n);
}

ListElement List::At(size_t index) const {
  Location at = Locate(index);
  return Decode(NodeAt(at.node).data + at.offset);
}

void List::Set(size_t index, std::string_view value, const EncodingLimits& limits) {
  Encoded entry(value);
  Limit limit = LimitOf(limits);
  Location at = Locate(index);
  Node& node = NodeAt(at.node);
  size_t old_size = EntrySize(node.data + at.offset);
  bool fits = node.bytes - old_size + entry.size() <= limit.max_bytes;
  if (!fits) is_quicklist_ = true;
  if (fits || node.count == 1) {
    if (entry.size() > old_size) {
      OpenGap(node, at.offset + old_size, entry.size() - old_size);
    } else if (entry.size() < old_size) {
      CloseGap(node, at.offset + entry.size(), old_size - entry.size());
    }
    entry.WriteTo(node.data + at.offset);
    return;
  }
  Erase(index, 1);
  InsertEncoded(index, entry, limit);
}

void List::Insert(size_t index, std::string_view value, const EncodingLimits& limits) {
  InsertEncoded(index, Encoded(value), LimitOf(limits));
}

void List::InsertEncoded(size_t index, const Encoded& entry, const Limit& limit) {
  if (index == 0) return PushEncoded(End::kHead, entry, limit);
  if (index == size_) return PushEncoded(End::kTail, entry, limit);
  Location at = Locate(index);
  ++size_;
  Node& node = NodeAt(at.node);
  if (Fits(node, entry.size(), limit)) return PutEntry(node, at.offset, entry);
  is_quicklist_ = true;
  if (at.rank == 0) {
    // Between two nodes: the end of the previous one, else a node of its own.
    Node& before = NodeAt(at.node - 1);
    if (Fits(before, entry.size(), limit)) return PutEntry(before, before.bytes, entry);
    return NewNodeWith(at.node, entry);
  }
  SplitNode(at.node, at.offset, at.rank);
  Node& left = NodeAt(at.node);
  if (Fits(left, entry.size(), limit)) return PutEntry(left, left.bytes, entry);
  Node& right = NodeAt(at.node + 1);
  if (Fits(right, entry.size(), limit)) return PutEntry(right, 0, entry);
  NewNodeWith(at.node + 1, entry);
}

void List::Erase(size_t start, size_t count) {
  if (count == 0) return;
  DCHECK(start + count <= size_, "list erase out of range");
  Location at = Locate(start);
  size_t i = at.node;
  size_t offset = at.offset;
  size_t rank = at.rank;
  size_t left = count;
  size_ -= count;
  while (left > 0) {
    Node& node = NodeAt(i);
    if (rank == 0 && left >= node.count) {
      left -= node.count;
      RemoveNode(i);
      continue;
    }
    size_t k = std::min(left, node.count - rank);
    size_t stop = node.bytes;
    if (rank + k < node.count) {
      stop = offset;
      for (size_t j = 0; j < k; ++j) stop += EntrySize(node.data + stop);
    }
    node.count -= static_cast<uint32_t>(k);
    CloseGap(node, offset, stop - offset);
    left -= k;
    ++i;
    offset = 0;
    rank = 0;
  }
}

size_t List::RemoveMatches(const ListNeedle& needle, size_t start, size_t limit,
                           const EncodingLimits& limits) {
  if (start >= size_) return 0;
  Limit node_limit = LimitOf(limits);
  Location at = Locate(start);
  size_t i = at.node;
  size_t from = at.offset;
  size_t removed = 0;
  while (i < node_count_ && (limit == 0 || removed < limit)) {
    Node& node = NodeAt(i);
    // Compact the node in one pass: `write` trails `read` by the bytes removed so far.
    size_t read = from;
    size_t write = from;
    size_t removed_here = 0;
    while (read < node.bytes) {
      size_t n = EntrySize(node.data + read);
      if ((limit == 0 || removed + removed_here < limit) &&
          needle.Matches(Decode(node.data + read))) {
        ++removed_here;
      } else {
        if (write != read) std::memmove(node.data + write, node.data + read, n);
        write += n;
      }
      read += n;
    }
    from = 0;
    removed += removed_here;
    if (removed_here == 0) {
      ++i;
      continue;
    }
    node.count -= static_cast<uint32_t>(removed_here);
    if (node.count == 0) {
      RemoveNode(i);
      continue;
    }
    // The removed bytes are now at the end of the node.
    CloseGap(node, write, node.bytes - write);
    if (!MergeWithPrevious(i, node_limit)) ++i;
  }
  size_ -= removed;
  return removed;
}

// ---------------------------------------------------------------------------------------------
// Iterator

List::Iterator::Iterator(const List& list, size_t index, bool forward)
    : list_(&list), forward_(forward) {
  if (index >= list.size()) return;
  Location at = list.Locate(index);
  node_ = at.node;
  offset_ = at.offset;
  index_ = index;
  remaining_ = forward ? list.size() - index : index + 1;
}

ListElement List::Iterator::Get() const { return Decode(list_->NodeAt(node_).data + offset_); }

void List::Iterator::Next() {
  if (--remaining_ == 0) return;
  const Node* node = &list_->NodeAt(node_);
  if (forward_) {
    ++index_;
    offset_ += EntrySize(node->data + offset_);
    if (offset_ == node->bytes) {
      ++node_;
      offset_ = 0;
    }
    return;
  }
  --index_;
  if (offset_ == 0) {
    node = &list_->NodeAt(--node_);
    offset_ = node->bytes;
  }
  offset_ -= EntrySizeBefore(node->data + offset_);
}

}  // namespace ringtail::storage
