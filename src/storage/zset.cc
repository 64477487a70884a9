// SPDX-License-Identifier: Apache-2.0
// ZSet's two encodings (see zset.h): the flat entry buffer and the full encoding, an
// order-statistic B+ tree over member nodes plus an open-addressing hash set of the same nodes.
#include "storage/zset.h"

#include <malloc.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "base/check.h"
#include "storage/slot_array.h"
#include "base/strings.h"

namespace ringtail::storage {
namespace {

constexpr size_t kNotFound = static_cast<size_t>(-1);

void* Allocate(size_t size) {
  void* memory = std::malloc(size);
  CHECK(memory != nullptr, "out of memory");
  return memory;
}

uint64_t HashOf(std::string_view member) { return base::StringHash{}(member); }

// ---------------------------------------------------------------------------------------------
// Varints: member lengths in flat entries and member nodes. The forward form is LEB128 (low
// 7 bits first, high bit = more follow). The backward form holds the same groups mirrored, so
// that it reads from its last byte towards the front.

size_t VarintSize(size_t n) {
  size_t bytes = 1;
  while (n >= 0x80) {
    n >>= 7;
    ++bytes;
  }
  return bytes;
}

char* PutVarint(char* p, size_t n) {
  while (n >= 0x80) {
    *p++ = static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  *p++ = static_cast<char>(n);
  return p;
}

// Reads a forward varint at `p`; stores its size in bytes in `*bytes`.
size_t GetVarint(const char* p, size_t* bytes) {
  size_t n = 0;
  int shift = 0;
  size_t i = 0;
  while (true) {
    auto b = static_cast<uint8_t>(p[i++]);
    n |= static_cast<size_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
  }
  *bytes = i;
  return n;
}

// Writes the backward form of `n` into the VarintSize(n) bytes that end at `end`.
void PutBackVarint(char* end, size_t n) {
  char* p = end - 1;
  while (n >= 0x80) {
    *p-- = static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  *p = static_cast<char>(n);
}

// Reads the backward varint whose last byte is end[-1].
size_t GetBackVarint(const char* end) {
  size_t n = 0;
  int shift = 0;
  const char* p = end - 1;
  while (true) {
    auto b = static_cast<uint8_t>(*p--);
    n |= static_cast<size_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Flat entries: [length, forward varint][score, 8 bytes][member][length, backward varint].

size_t FlatEntrySize(size_t member_size) { return 2 * VarintSize(member_size) + 8 + member_size; }

struct FlatEntry {
  std::string_view member;
  double score;
  size_t size;  // bytes of the whole entry
};

FlatEntry DecodeFlat(const char* p) {
  size_t len_bytes = 0;
  size_t len = GetVarint(p, &len_bytes);
  double score;
  std::memcpy(&score, p + len_bytes, sizeof(score));
  return {std::string_view(p + len_bytes + 8, len), score, 2 * len_bytes + 8 + len};
}

// The start of the entry that ends at `end`.
const char* FlatPrevious(const char* end) { return end - FlatEntrySize(GetBackVarint(end)); }

void EncodeFlat(char* p, std::string_view member, double score) {
  p = PutVarint(p, member.size());
  std::memcpy(p, &score, sizeof(score));
  p += sizeof(score);
  std::memcpy(p, member.data(), member.size());
  p += member.size();
  PutBackVarint(p + VarintSize(member.size()), member.size());
}

// Whether (score_a, member_a) orders before (score_b, member_b).
bool Before(double score_a, std::string_view member_a, double score_b, std::string_view member_b) {
  return score_a < score_b || (score_a == score_b && member_a < member_b);
}

// ---------------------------------------------------------------------------------------------
// Member nodes of the full encoding: the score, then the member's length (forward varint) and
// bytes, in one allocation.

struct MemberNode {
  double score;

  std::string_view name() const {
    const char* p = reinterpret_cast<const char*>(this + 1);
    size_t len_bytes = 0;
    size_t len = GetVarint(p, &len_bytes);
    return {p + len_bytes, len};
  }
};

MemberNode* NewNode(std::string_view name, double score) {
  void* memory = Allocate(sizeof(MemberNode) + VarintSize(name.size()) + name.size());
  auto* node = new (memory) MemberNode{score};
  char* p = PutVarint(reinterpret_cast<char*>(node + 1), name.size());
  std::memcpy(p, name.data(), name.size());
  return node;
}

// An element of the tree: the node's score (a copy, so that searches rarely touch the node)
// and the node.
struct TreeItem {
  double score;
  MemberNode* node;
};

bool Less(const TreeItem& a, const TreeItem& b) {
  if (a.score != b.score) return a.score < b.score;
  if (a.node == b.node) return false;
  return a.node->name() < b.node->name();
}

// ---------------------------------------------------------------------------------------------
// NodeSet: an open-addressing hash set of member nodes, found by name.
//
// How it works: linear probing over a power-of-two array of 8-byte slots. A slot holds a node
// pointer (x86-64 and AArch64 user addresses fit in 48 bits) with the top 16 bits of the name's
// hash above it, so that a probe compares names only when those bits match. An element's home
// slot is given by the top bits of its hash, so that the slots of a table twice as large split
// each home range in two: that keeps a ZSCAN cursor (a position in hash order) valid across
// resizes. Removal shifts later elements of the cluster back (no tombstones). The array holds
// at most 80% elements; it doubles past that and halves below 1/8.
//
// Resizing is incremental, as Redis's rehashing: the new array takes new elements at once,
// while the elements of the old one move over a few slots per insert or removal (a lookup
// checks both). They move a whole cluster (a run of occupied slots) at a time, starting after
// an empty slot, so that the old array's remaining clusters stay intact for lookups. Finding an
// element's home in the new array reads its name (to hash it) unless the array has at most
// 2^16 slots, when the tag bits suffice: that is the cost that must not land on one command.

class NodeSet {
 public:
  NodeSet() = default;
  ~NodeSet() { Clear(); }
  NodeSet(const NodeSet&) = delete;
  NodeSet& operator=(const NodeSet&) = delete;

  size_t bytes() const { return table_.bytes() + old_.bytes(); }

  MemberNode* Find(std::string_view name, uint64_t hash) const {
    if (MemberNode* node = table_.Find(name, hash)) return node;
    return old_.Find(name, hash);
  }

  // REQUIRES: no node with that name is in the set.
  void Insert(MemberNode* node, uint64_t hash) {
    MigrateStep(kMigrateSlots);
    if ((count_ + 1) * 5 > table_.capacity() * 4) {
      Resize(std::max<size_t>(kMinCapacity, table_.capacity() * 2));
    }
    table_.Place(MakeSlot(node, hash), table_.Home(hash));
    ++count_;
  }

  // REQUIRES: `node` is in the set and `hash` is its name's hash.
  void Erase(const MemberNode* node, uint64_t hash) {
    if (!table_.Erase(node, hash)) {
      bool erased = old_.Erase(node, hash);
      CHECK(erased, "erasing a node that is not in the set");
    }
    --count_;
    MigrateStep(kMigrateSlots);
    if (!migrating() && table_.capacity() > kMinCapacity && count_ * 8 < table_.capacity()) {
      Resize(table_.capacity() / 2);
    }
  }

  void Clear() {
    table_.Free();
    old_.Free();
    table_ = Table{};
    old_ = Table{};
    old_left_ = 0;
    count_ = 0;
  }

  // Clear() a part at a time, for lazy freeing once the nodes are gone: frees a chunk of the slot
  // arrays per call (FreeSlotArraySome; `released` counts the bytes of both so far, 0 at first)
  // and returns true when both are freed and the set is empty.
  bool ReleaseArraysSome(size_t& released) {
    size_t first = table_.capacity() * sizeof(uintptr_t);
    size_t second = old_.capacity() * sizeof(uintptr_t);
    if (released < first) {
      FreeSlotArraySome(table_.slots, table_.capacity(), released);
      return false;
    }
    if (released < first + second) {
      size_t part = released - first;
      FreeSlotArraySome(old_.slots, old_.capacity(), part);
      released = first + part;
      return false;
    }
    table_ = Table{};
    old_ = Table{};
    old_left_ = 0;
    count_ = 0;
    return true;
  }

  // Makes room for `n` elements without growing. REQUIRES: the set is empty.
  void Reserve(size_t n) {
    size_t capacity = kMinCapacity;
    while (n * 5 > capacity * 4) capacity *= 2;
    if (capacity > table_.capacity()) Resize(capacity);
  }

  // See ZSet::Scan. The cursor is the hash value where the next home range starts. While the
  // elements are spread over two arrays, a step covers whole home ranges of the coarser one and
  // takes the elements of that hash range from both.
  uint64_t Scan(uint64_t cursor, size_t count,
                absl::FunctionRef<void(const MemberNode*)> fn) const {
    if (table_.slots == nullptr) return 0;
    const Table& coarse =
        old_.capacity() != 0 && old_.capacity() < table_.capacity() ? old_ : table_;
    size_t bucket = coarse.Home(cursor);
    size_t emitted = 0;
    size_t visited = 0;
    const size_t max_visits = count * 10;
    do {
      uint64_t start = static_cast<uint64_t>(bucket) << coarse.shift;
      emitted += table_.EmitRange(start, coarse.shift, fn);
      if (old_.slots != nullptr) emitted += old_.EmitRange(start, coarse.shift, fn);
      ++bucket;
      ++visited;
      if (bucket == coarse.capacity()) return 0;
    } while (emitted < count && visited < max_visits);
    return static_cast<uint64_t>(bucket) << coarse.shift;
  }

 private:
  static constexpr int kTagShift = 48;
  static constexpr uintptr_t kPointerMask = (uintptr_t{1} << kTagShift) - 1;
  static constexpr size_t kMinCapacity = 8;
  // Old slots visited per insert or removal while resizing (then on to the end of a cluster).
  static constexpr size_t kMigrateSlots = 8;
  // An array this small is moved over at once.
  static constexpr size_t kMigrateAtOnce = 1024;

  static MemberNode* NodeOf(uintptr_t slot) {
    return reinterpret_cast<MemberNode*>(slot & kPointerMask);
  }
  static uintptr_t MakeSlot(MemberNode* node, uint64_t hash) {
    auto address = reinterpret_cast<uintptr_t>(node);
    CHECK((address >> kTagShift) == 0, "node address above 48 bits");
    return address | ((hash >> kTagShift) << kTagShift);
  }

  // One slot array.
  struct Table {
    uintptr_t* slots = nullptr;
    size_t mask = 0;
    int shift = 64;  // 64 - log2(capacity)

    static Table Allocate(size_t capacity) {
      Table table;
      table.slots = AllocateSlotArray<uintptr_t>(capacity);
      table.mask = capacity - 1;
      table.shift = 64 - std::countr_zero(capacity);
      return table;
    }
    size_t capacity() const { return slots == nullptr ? 0 : mask + 1; }
    void Free() { FreeSlotArray(slots, capacity()); }
    size_t bytes() const { return slots == nullptr ? 0 : SlotArrayBytes(slots, capacity()); }
    size_t Home(uint64_t hash) const { return static_cast<size_t>(hash >> shift); }
    // The home of a stored element: from its tag when the array has at most 2^16 slots, else
    // from its name's hash.
    size_t HomeOfSlot(uintptr_t slot) const {
      if (shift >= kTagShift) return Home(static_cast<uint64_t>(slot >> kTagShift) << kTagShift);
      return Home(HashOf(NodeOf(slot)->name()));
    }

    MemberNode* Find(std::string_view name, uint64_t hash) const {
      if (slots == nullptr) return nullptr;
      uint64_t tag = hash >> kTagShift;
      for (size_t i = Home(hash);; i = (i + 1) & mask) {
        uintptr_t slot = slots[i];
        if (slot == 0) return nullptr;
        if ((slot >> kTagShift) == tag && NodeOf(slot)->name() == name) return NodeOf(slot);
      }
    }

    void Place(uintptr_t slot, size_t home) {
      size_t i = home;
      while (slots[i] != 0) i = (i + 1) & mask;
      slots[i] = slot;
    }

    // Removes `node` if this array holds it; returns whether it did.
    bool Erase(const MemberNode* node, uint64_t hash) {
      if (slots == nullptr) return false;
      size_t hole = Home(hash);
      while (NodeOf(slots[hole]) != node) {
        if (slots[hole] == 0) return false;
        hole = (hole + 1) & mask;
      }
      slots[hole] = 0;
      // Backward shift: move each later element of the cluster into the hole if the hole lies
      // between its home and its slot.
      for (size_t j = (hole + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
        size_t home = HomeOfSlot(slots[j]);
        if (((j - home) & mask) >= ((j - hole) & mask)) {
          slots[hole] = slots[j];
          slots[j] = 0;
          hole = j;
        }
      }
      return true;
    }

    // Calls `fn` for the elements whose hash lies in [start, start + 2^range_shift), a range
    // that covers whole home ranges of this array; returns how many.
    size_t EmitRange(uint64_t start, int range_shift,
                     absl::FunctionRef<void(const MemberNode*)> fn) const {
      size_t first = Home(start);
      size_t buckets = size_t{1} << (range_shift - shift);
      size_t emitted = 0;
      for (size_t bucket = first; bucket < first + buckets; ++bucket) {
        for (size_t i = bucket; slots[i] != 0; i = (i + 1) & mask) {
          if (HomeOfSlot(slots[i]) != bucket) continue;
          fn(NodeOf(slots[i]));
          ++emitted;
        }
      }
      return emitted;
    }
  };

  bool migrating() const { return old_.slots != nullptr; }

  // Replaces the array with one of `capacity` slots, into which the elements then move.
  void Resize(size_t capacity) {
    MigrateStep(SIZE_MAX);  // finish a resize still under way
    old_ = table_;
    table_ = Table::Allocate(capacity);
    if (old_.slots == nullptr) return;
    // Start after an empty slot, at the start of a cluster, and go round once.
    size_t empty = 0;
    while (old_.slots[empty] != 0) ++empty;
    old_next_ = (empty + 1) & old_.mask;
    old_left_ = old_.capacity();
    if (old_.capacity() <= kMigrateAtOnce) MigrateStep(SIZE_MAX);
  }

  // Moves elements of the old array over, visiting at least `budget` slots and then stopping
  // before the next empty one (or at the end).
  void MigrateStep(size_t budget) {
    if (!migrating()) return;
    size_t visited = 0;
    while (old_left_ > 0) {
      uintptr_t slot = old_.slots[old_next_];
      if (slot == 0 && visited >= budget) return;
      if (slot != 0) {
        table_.Place(slot, table_.HomeOfSlot(slot));
        old_.slots[old_next_] = 0;
      }
      old_next_ = (old_next_ + 1) & old_.mask;
      --old_left_;
      ++visited;
    }
    old_.Free();
    old_ = Table{};
  }

  Table table_;          // takes new elements
  Table old_;            // while resizing: the previous array, being emptied into table_
  size_t old_next_ = 0;  // the next slot of old_ to move
  size_t old_left_ = 0;  // slots of old_ not yet visited
  size_t count_ = 0;     // elements in both arrays
};

// ---------------------------------------------------------------------------------------------
// ScoreTree: an order-statistic B+ tree of items in (score, member) order.
//
// Invariants: leaves hold the items, sorted, and are linked both ways; an inner node holds, per
// child, the child's smallest item (its key), the number of items under it (its size) and the
// child. All leaves are at the same depth. An insert into a full node splits it evenly, except
// that an append to the last leaf or a prepend to the first starts a new leaf, so that ascending
// or descending inserts leave full leaves behind. A node left with under a third of its capacity
// by an erase merges with a neighbour when both fit in one node, else takes items from it until
// they hold half each.
//
// Rank, select and bound counts walk one path from the root, adding up the sizes of the
// children to the left: O(log n).

constexpr uint32_t kLeafCapacity = 30;   // 24 + 30 * 16 = 504 bytes: the 512-byte size class
constexpr uint32_t kInnerCapacity = 15;  // 8 + 15 * 32 = 488 bytes
constexpr uint32_t kLeafMin = kLeafCapacity / 3;
constexpr uint32_t kInnerMin = kInnerCapacity / 3;

struct TreeNode {
  uint32_t count;  // items of a leaf, children of an inner node
  bool leaf;
};

struct Leaf : TreeNode {
  Leaf* prev;
  Leaf* next;
  TreeItem items[kLeafCapacity];
};

struct Inner : TreeNode {
  TreeItem keys[kInnerCapacity];
  uint64_t sizes[kInnerCapacity];
  TreeNode* children[kInnerCapacity];
};

Leaf* AsLeaf(TreeNode* node) { return static_cast<Leaf*>(node); }
const Leaf* AsLeaf(const TreeNode* node) { return static_cast<const Leaf*>(node); }
Inner* AsInner(TreeNode* node) { return static_cast<Inner*>(node); }
const Inner* AsInner(const TreeNode* node) { return static_cast<const Inner*>(node); }

// The smallest item under a non-empty node.
TreeItem MinOf(const TreeNode* node) {
  return node->leaf ? AsLeaf(node)->items[0] : AsInner(node)->keys[0];
}

// The number of items under a node.
uint64_t SizeOf(const TreeNode* node) {
  if (node->leaf) return node->count;
  const Inner* inner = AsInner(node);
  uint64_t size = 0;
  for (uint32_t i = 0; i < inner->count; ++i) size += inner->sizes[i];
  return size;
}

// The child of `inner` whose range holds `item`: the last one whose key is not above it (the
// first if none).
uint32_t ChildFor(const Inner* inner, const TreeItem& item) {
  uint32_t i = 1;
  while (i < inner->count && !Less(item, inner->keys[i])) ++i;
  return i - 1;
}

// The first position in `leaf` whose item is not below `item`.
uint32_t LowerBound(const Leaf* leaf, const TreeItem& item) {
  const TreeItem* end = leaf->items + leaf->count;
  return static_cast<uint32_t>(std::lower_bound(leaf->items, end, item, Less) - leaf->items);
}

class ScoreTree {
 public:
  // A position in the tree: an item of a leaf.
  struct Cursor {
    const Leaf* leaf;
    uint32_t index;
    const TreeItem& item() const { return leaf->items[index]; }
    void Next() {
      if (++index == leaf->count) {
        leaf = leaf->next;
        index = 0;
      }
    }
    void Prev() {
      if (index == 0) {
        leaf = leaf->prev;
        index = leaf == nullptr ? 0 : leaf->count - 1;
      } else {
        --index;
      }
    }
  };

  ScoreTree() = default;
  ~ScoreTree() { FreeSubtree(root_); }
  ScoreTree(const ScoreTree&) = delete;
  ScoreTree& operator=(const ScoreTree&) = delete;

  size_t size() const { return size_; }
  size_t bytes() const { return bytes_; }
  const Leaf* first_leaf() const { return first_; }

  // REQUIRES: no item with this node is in the tree.
  void Insert(const TreeItem& item) {
    if (root_ == nullptr) {
      Leaf* leaf = NewLeaf();
      first_ = leaf;
      root_ = leaf;
    }
    TreeNode* right = InsertInto(root_, item);
    if (right != nullptr) {
      Inner* root = NewInner();
      root->count = 2;
      root->children[0] = root_;
      root->children[1] = right;
      root->sizes[1] = SizeOf(right);
      root->sizes[0] = size_ + 1 - root->sizes[1];
      root->keys[0] = MinOf(root_);
      root->keys[1] = MinOf(right);
      root_ = root;
    }
    ++size_;
  }

  // REQUIRES: `item` (its score and node) is in the tree.
  void Erase(const TreeItem& item) {
    EraseFrom(root_, item);
    --size_;
    if (root_->leaf) {
      if (root_->count == 0) {
        FreeNode(root_);
        root_ = nullptr;
        first_ = nullptr;
      }
      return;
    }
    while (!root_->leaf && root_->count == 1) {
      TreeNode* child = AsInner(root_)->children[0];
      FreeNode(root_);
      root_ = child;
    }
  }

  // Frees every node (not the member nodes).
  void Clear() {
    FreeSubtree(root_);
    root_ = nullptr;
    first_ = nullptr;
    size_ = 0;
  }

  // Lazy freeing, in two steps: leaves are freed from the first on, in order, by FreeLeaf (after
  // their items' member nodes), then ReleaseInnerNodes frees the inner nodes without reading
  // the leaves, by their depth, which LeafDepth tells before any leaf is freed. Between the
  // two the tree may only be released further.
  int LeafDepth() const {
    int depth = 0;
    for (const TreeNode* node = root_; node != nullptr && !node->leaf; ++depth) {
      node = AsInner(node)->children[0];
    }
    return depth;
  }
  void FreeLeaf(Leaf* leaf) { FreeNode(leaf); }
  // The inner nodes are freed depth first through `stack` (empty at first), one unit of
  // `budget` each; returns true once they all are and the tree is empty.
  struct ReleaseFrame {
    Inner* node;
    uint32_t next_child;
    int depth;  // levels above the leaves
  };
  bool ReleaseInnerNodes(int leaf_depth, std::vector<ReleaseFrame>& stack, size_t& budget) {
    if (root_ != nullptr && leaf_depth > 0) {
      stack.push_back({AsInner(root_), 0, leaf_depth});
      root_ = nullptr;
    }
    while (!stack.empty() && budget > 0) {
      ReleaseFrame& frame = stack.back();
      if (frame.depth > 1 && frame.next_child < frame.node->count) {
        TreeNode* child = frame.node->children[frame.next_child++];
        stack.push_back({AsInner(child), 0, frame.depth - 1});
        continue;
      }
      FreeNode(frame.node);  // its children are freed (leaves: before this phase)
      stack.pop_back();
      --budget;
    }
    if (!stack.empty()) return false;
    root_ = nullptr;
    first_ = nullptr;
    size_ = 0;
    return true;
  }

  // The number of items for which `below` is true. REQUIRES: `below` is true for a prefix of
  // the items in order and false for the rest.
  template <typename Below>
  size_t CountWhile(Below below) const {
    if (root_ == nullptr) return 0;
    size_t count = 0;
    const TreeNode* node = root_;
    while (!node->leaf) {
      const Inner* inner = AsInner(node);
      if (!below(inner->keys[0])) return count;
      uint32_t i = 1;
      while (i < inner->count && below(inner->keys[i])) {
        count += inner->sizes[i - 1];
        ++i;
      }
      node = inner->children[i - 1];
    }
    const Leaf* leaf = AsLeaf(node);
    uint32_t lo = 0;
    uint32_t hi = leaf->count;
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      if (below(leaf->items[mid])) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return count + lo;
  }

  // REQUIRES: rank < size().
  Cursor Select(size_t rank) const {
    const TreeNode* node = root_;
    while (!node->leaf) {
      const Inner* inner = AsInner(node);
      uint32_t i = 0;
      while (rank >= inner->sizes[i]) rank -= inner->sizes[i++];
      node = inner->children[i];
    }
    return {AsLeaf(node), static_cast<uint32_t>(rank)};
  }

 private:
  Leaf* NewLeaf() {
    auto* leaf = new (Allocate(sizeof(Leaf))) Leaf{};
    leaf->leaf = true;
    bytes_ += malloc_usable_size(leaf);
    return leaf;
  }
  Inner* NewInner() {
    auto* inner = new (Allocate(sizeof(Inner))) Inner{};
    inner->leaf = false;
    bytes_ += malloc_usable_size(inner);
    return inner;
  }
  void FreeNode(TreeNode* node) {
    bytes_ -= malloc_usable_size(node);
    std::free(node);
  }
  // Frees the inner nodes of the subtree at `node`, `depth` levels above its leaves (0: `node`
  // is a leaf, not read).
  void FreeSubtree(TreeNode* node) {
    if (node == nullptr) return;
    if (!node->leaf) {
      Inner* inner = AsInner(node);
      for (uint32_t i = 0; i < inner->count; ++i) FreeSubtree(inner->children[i]);
    }
    FreeNode(node);
  }

  // Inserts `item` under `node`. Returns the new right sibling if `node` split, else nullptr;
  // the caller then fixes its entry for `node` and adds one for the sibling.
  TreeNode* InsertInto(TreeNode* node, const TreeItem& item) {
    if (node->leaf) return InsertIntoLeaf(AsLeaf(node), item);
    Inner* inner = AsInner(node);
    uint32_t i = ChildFor(inner, item);
    TreeNode* child = inner->children[i];
    TreeNode* right = InsertInto(child, item);
    inner->sizes[i] += 1;
    inner->keys[i] = MinOf(child);
    if (right == nullptr) return nullptr;
    uint64_t right_size = SizeOf(right);
    inner->sizes[i] -= right_size;
    return InsertChild(inner, i + 1, MinOf(right), right_size, right);
  }

  TreeNode* InsertIntoLeaf(Leaf* leaf, const TreeItem& item) {
    uint32_t pos = LowerBound(leaf, item);
    if (leaf->count < kLeafCapacity) {
      std::memmove(leaf->items + pos + 1, leaf->items + pos,
                   (leaf->count - pos) * sizeof(TreeItem));
      leaf->items[pos] = item;
      ++leaf->count;
      return nullptr;
    }
    // Split: lay the kLeafCapacity + 1 items out in order, then share them out.
    TreeItem all[kLeafCapacity + 1];
    std::memcpy(all, leaf->items, pos * sizeof(TreeItem));
    all[pos] = item;
    std::memcpy(all + pos + 1, leaf->items + pos, (kLeafCapacity - pos) * sizeof(TreeItem));
    uint32_t total = kLeafCapacity + 1;
    uint32_t left_count = total / 2;
    if (pos == kLeafCapacity && leaf->next == nullptr) left_count = kLeafCapacity;  // appending
    if (pos == 0 && leaf->prev == nullptr) left_count = 1;                          // prepending
    Leaf* right = NewLeaf();
    std::memcpy(leaf->items, all, left_count * sizeof(TreeItem));
    leaf->count = left_count;
    std::memcpy(right->items, all + left_count, (total - left_count) * sizeof(TreeItem));
    right->count = total - left_count;
    right->prev = leaf;
    right->next = leaf->next;
    if (leaf->next != nullptr) leaf->next->prev = right;
    leaf->next = right;
    return right;
  }

  // Inserts the entry (key, size, child) at `pos` of `inner`, splitting it if full. Returns the
  // new right sibling if it split, else nullptr.
  TreeNode* InsertChild(Inner* inner, uint32_t pos, const TreeItem& key, uint64_t size,
                        TreeNode* child) {
    if (inner->count < kInnerCapacity) {
      uint32_t tail = inner->count - pos;
      std::memmove(inner->keys + pos + 1, inner->keys + pos, tail * sizeof(TreeItem));
      std::memmove(inner->sizes + pos + 1, inner->sizes + pos, tail * sizeof(uint64_t));
      std::memmove(inner->children + pos + 1, inner->children + pos, tail * sizeof(TreeNode*));
      inner->keys[pos] = key;
      inner->sizes[pos] = size;
      inner->children[pos] = child;
      ++inner->count;
      return nullptr;
    }
    constexpr uint32_t kTotal = kInnerCapacity + 1;
    TreeItem keys[kTotal];
    uint64_t sizes[kTotal];
    TreeNode* children[kTotal];
    for (uint32_t from = 0, to = 0; to < kTotal; ++to) {
      if (to == pos) {
        keys[to] = key;
        sizes[to] = size;
        children[to] = child;
      } else {
        keys[to] = inner->keys[from];
        sizes[to] = inner->sizes[from];
        children[to] = inner->children[from];
        ++from;
      }
    }
    uint32_t left_count = kTotal / 2;
    Inner* right = NewInner();
    std::memcpy(inner->keys, keys, left_count * sizeof(TreeItem));
    std::memcpy(inner->sizes, sizes, left_count * sizeof(uint64_t));
    std::memcpy(inner->children, children, left_count * sizeof(TreeNode*));
    inner->count = left_count;
    uint32_t right_count = kTotal - left_count;
    std::memcpy(right->keys, keys + left_count, right_count * sizeof(TreeItem));
    std::memcpy(right->sizes, sizes + left_count, right_count * sizeof(uint64_t));
    std::memcpy(right->children, children + left_count, right_count * sizeof(TreeNode*));
    right->count = right_count;
    return right;
  }

  // Erases `item` from under `node`; the caller then fixes its entry for `node` and its fill.
  void EraseFrom(TreeNode* node, const TreeItem& item) {
    if (node->leaf) {
      Leaf* leaf = AsLeaf(node);
      uint32_t pos = LowerBound(leaf, item);
      CHECK(pos < leaf->count && leaf->items[pos].node == item.node, "erasing an absent item");
      std::memmove(leaf->items + pos, leaf->items + pos + 1,
                   (leaf->count - pos - 1) * sizeof(TreeItem));
      --leaf->count;
      return;
    }
    Inner* inner = AsInner(node);
    uint32_t i = ChildFor(inner, item);
    TreeNode* child = inner->children[i];
    EraseFrom(child, item);
    inner->sizes[i] -= 1;
    if (child->count > 0) inner->keys[i] = MinOf(child);
    if (child->count < (child->leaf ? kLeafMin : kInnerMin)) Rebalance(inner, i);
  }

  // Child i of `inner` is under its minimum fill: merges it with a neighbour, or evens the two
  // out if they do not fit in one node.
  void Rebalance(Inner* inner, uint32_t i) {
    if (inner->count < 2) return;  // the root's only child; Erase collapses the root
    uint32_t l = i > 0 ? i - 1 : 0;
    uint32_t r = l + 1;
    TreeNode* a = inner->children[l];
    TreeNode* b = inner->children[r];
    uint32_t capacity = a->leaf ? kLeafCapacity : kInnerCapacity;
    if (a->count + b->count <= capacity) {
      if (a->leaf) {
        MergeLeaves(AsLeaf(a), AsLeaf(b));
      } else {
        MergeInners(AsInner(a), AsInner(b));
      }
      inner->sizes[l] += inner->sizes[r];
      uint32_t tail = inner->count - r - 1;
      std::memmove(inner->keys + r, inner->keys + r + 1, tail * sizeof(TreeItem));
      std::memmove(inner->sizes + r, inner->sizes + r + 1, tail * sizeof(uint64_t));
      std::memmove(inner->children + r, inner->children + r + 1, tail * sizeof(TreeNode*));
      --inner->count;
      inner->keys[l] = MinOf(a);
      return;
    }
    if (a->leaf) {
      EvenLeaves(AsLeaf(a), AsLeaf(b));
      inner->sizes[l] = a->count;
      inner->sizes[r] = b->count;
    } else {
      EvenInners(AsInner(a), AsInner(b));
      inner->sizes[l] = SizeOf(a);
      inner->sizes[r] = SizeOf(b);
    }
    inner->keys[l] = MinOf(a);
    inner->keys[r] = MinOf(b);
  }

  // Moves all of `b` (the next leaf) into `a` and frees `b`.
  void MergeLeaves(Leaf* a, Leaf* b) {
    std::memcpy(a->items + a->count, b->items, b->count * sizeof(TreeItem));
    a->count += b->count;
    a->next = b->next;
    if (b->next != nullptr) b->next->prev = a;
    FreeNode(b);
  }

  void MergeInners(Inner* a, Inner* b) {
    std::memcpy(a->keys + a->count, b->keys, b->count * sizeof(TreeItem));
    std::memcpy(a->sizes + a->count, b->sizes, b->count * sizeof(uint64_t));
    std::memcpy(a->children + a->count, b->children, b->count * sizeof(TreeNode*));
    a->count += b->count;
    FreeNode(b);
  }

  // Moves items between neighbours `a` and `b` until they hold half each.
  static void EvenLeaves(Leaf* a, Leaf* b) {
    uint32_t total = a->count + b->count;
    uint32_t target = total / 2;
    if (a->count < target) {
      uint32_t n = target - a->count;
      std::memcpy(a->items + a->count, b->items, n * sizeof(TreeItem));
      std::memmove(b->items, b->items + n, (b->count - n) * sizeof(TreeItem));
    } else {
      uint32_t n = a->count - target;
      std::memmove(b->items + n, b->items, b->count * sizeof(TreeItem));
      std::memcpy(b->items, a->items + target, n * sizeof(TreeItem));
    }
    a->count = target;
    b->count = total - target;
  }

  static void EvenInners(Inner* a, Inner* b) {
    uint32_t total = a->count + b->count;
    uint32_t target = total / 2;
    if (a->count < target) {
      uint32_t n = target - a->count;
      uint32_t rest = b->count - n;
      std::memcpy(a->keys + a->count, b->keys, n * sizeof(TreeItem));
      std::memcpy(a->sizes + a->count, b->sizes, n * sizeof(uint64_t));
      std::memcpy(a->children + a->count, b->children, n * sizeof(TreeNode*));
      std::memmove(b->keys, b->keys + n, rest * sizeof(TreeItem));
      std::memmove(b->sizes, b->sizes + n, rest * sizeof(uint64_t));
      std::memmove(b->children, b->children + n, rest * sizeof(TreeNode*));
    } else {
      uint32_t n = a->count - target;
      std::memmove(b->keys + n, b->keys, b->count * sizeof(TreeItem));
      std::memmove(b->sizes + n, b->sizes, b->count * sizeof(uint64_t));
      std::memmove(b->children + n, b->children, b->count * sizeof(TreeNode*));
      std::memcpy(b->keys, a->keys + target, n * sizeof(TreeItem));
      std::memcpy(b->sizes, a->sizes + target, n * sizeof(uint64_t));
      std::memcpy(b->children, a->children + target, n * sizeof(TreeNode*));
    }
    a->count = target;
    b->count = total - target;
  }

  TreeNode* root_ = nullptr;
  Leaf* first_ = nullptr;
  size_t size_ = 0;
  size_t bytes_ = 0;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// The full encoding

struct ZSet::Full {
  ScoreTree tree;
  NodeSet index;
  size_t node_bytes = 0;

  Full() = default;
  ~Full() { FreeNodes(); }
  Full(const Full&) = delete;
  Full& operator=(const Full&) = delete;

  size_t bytes() const { return sizeof(Full) + tree.bytes() + index.bytes() + node_bytes; }

  MemberNode* Find(std::string_view member) const { return index.Find(member, HashOf(member)); }

  void Add(std::string_view member, uint64_t hash, double score) {
    MemberNode* node = NewNode(member, score);
    node_bytes += malloc_usable_size(node);
    index.Insert(node, hash);
    tree.Insert({score, node});
  }

  void Erase(MemberNode* node) {
    tree.Erase({node->score, node});
    index.Erase(node, HashOf(node->name()));
    node_bytes -= malloc_usable_size(node);
    std::free(node);
  }

  void FreeNodes() {
    for (const Leaf* leaf = tree.first_leaf(); leaf != nullptr; leaf = leaf->next) {
      for (uint32_t i = 0; i < leaf->count; ++i) std::free(leaf->items[i].node);
    }
    node_bytes = 0;
  }

  // ZSet::ReleaseSome, in three phases: the leaves with their member nodes, from the first on
  // (the cursor is the next one to free, 0 before the first call), then the inner nodes (about
  // one per 15 leaves), then the member index's slot arrays a chunk at a time.
  bool ReleaseSome(size_t& cursor, size_t& budget) {
    if (!leaves_released) {
      if (cursor == 0) {
        leaf_depth = tree.LeafDepth();
        cursor = reinterpret_cast<uintptr_t>(tree.first_leaf());
      }
      auto* leaf = reinterpret_cast<Leaf*>(cursor);
      while (leaf != nullptr && budget > 0) {
        Leaf* next = leaf->next;
        for (uint32_t i = 0; i < leaf->count; ++i) std::free(leaf->items[i].node);
        budget -= std::min<size_t>(budget, leaf->count + 1);
        tree.FreeLeaf(leaf);
        leaf = next;
      }
      cursor = reinterpret_cast<uintptr_t>(leaf);
      if (leaf != nullptr) return false;
      node_bytes = 0;
      leaves_released = true;
      cursor = 0;  // from here: bytes of the index's arrays freed
    }
    if (!tree.ReleaseInnerNodes(leaf_depth, release_stack, budget)) return false;
    constexpr size_t kChunkCost = 1'000;  // unmapping 256 KB costs about as much as 1,000 frees
    while (budget > 0) {
      if (index.ReleaseArraysSome(cursor)) return true;
      budget -= std::min(budget, kChunkCost);
    }
    return false;
  }
  // While releasing (ReleaseSome).
  int leaf_depth = 0;
  bool leaves_released = false;
  std::vector<ScoreTree::ReleaseFrame> release_stack;
};

ZSet::ZSet() = default;

bool ZSet::ReleaseSome(size_t& cursor, size_t& budget) {
  return full_ == nullptr || full_->ReleaseSome(cursor, budget);
}

ZSet::~ZSet() { std::free(flat_); }

size_t ZSet::AllocatedBytes() const {
  size_t bytes = sizeof(ZSet);
  if (flat_ != nullptr) bytes += malloc_usable_size(flat_);
  if (full_ != nullptr) bytes += full_->bytes();
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Flat-encoding helpers

// The offset of `member`'s entry (kNotFound if absent), with its score and rank.
size_t ZSet::FlatFind(std::string_view member, double* score, size_t* rank) const {
  size_t index = 0;
  for (size_t offset = 0; offset < flat_used_; ++index) {
    FlatEntry entry = DecodeFlat(flat_ + offset);
    if (entry.member == member) {
      if (score != nullptr) *score = entry.score;
      if (rank != nullptr) *rank = index;
      return offset;
    }
    offset += entry.size;
  }
  return kNotFound;
}

// Inserts an entry in order. REQUIRES: `member` is absent.
void ZSet::FlatInsert(std::string_view member, double score) {
  if (score == 0) score = 0.0;  // -0 becomes 0, as in a listpack
  size_t offset = 0;
  while (offset < flat_used_) {
    FlatEntry entry = DecodeFlat(flat_ + offset);
    if (Before(score, member, entry.score, entry.member)) break;
    offset += entry.size;
  }
  size_t size = FlatEntrySize(member.size());
  char* grown = static_cast<char*>(std::realloc(flat_, flat_used_ + size));
  CHECK(grown != nullptr, "out of memory");
  flat_ = grown;
  std::memmove(flat_ + offset + size, flat_ + offset, flat_used_ - offset);
  EncodeFlat(flat_ + offset, member, score);
  flat_used_ += size;
}

void ZSet::FlatErase(size_t offset) {
  size_t size = DecodeFlat(flat_ + offset).size;
  std::memmove(flat_ + offset, flat_ + offset + size, flat_used_ - offset - size);
  flat_used_ -= size;
  if (flat_used_ == 0) {
    std::free(flat_);
    flat_ = nullptr;
    return;
  }
  char* shrunk = static_cast<char*>(std::realloc(flat_, flat_used_));
  if (shrunk != nullptr) flat_ = shrunk;
}

void ZSet::ConvertToFull() {
  full_ = std::make_unique<Full>();
  full_->index.Reserve(size_ + 1);
  for (size_t offset = 0; offset < flat_used_;) {
    FlatEntry entry = DecodeFlat(flat_ + offset);
    full_->Add(entry.member, HashOf(entry.member), entry.score);
    offset += entry.size;
  }
  std::free(flat_);
  flat_ = nullptr;
  flat_used_ = 0;
}

// ---------------------------------------------------------------------------------------------
// Public operations

std::optional<double> ZSet::Score(std::string_view member) const {
  if (full_ == nullptr) {
    double score = 0;
    if (FlatFind(member, &score, nullptr) == kNotFound) return std::nullopt;
    return score;
  }
  const MemberNode* node = full_->Find(member);
  if (node == nullptr) return std::nullopt;
  return node->score;
}

ZSet::SetResult ZSet::Set(std::string_view member, double score, const EncodingLimits& limits) {
  if (full_ == nullptr) {
    double old = 0;
    size_t offset = FlatFind(member, &old, nullptr);
    if (offset != kNotFound) {
      if (old == score) return SetResult::kUnchanged;
      FlatErase(offset);
      FlatInsert(member, score);
      return SetResult::kUpdated;
    }
    if (static_cast<int64_t>(size_ + 1) <= limits.zset_max_listpack_entries &&
        static_cast<int64_t>(member.size()) <= limits.zset_max_listpack_value) {
      FlatInsert(member, score);
      ++size_;
      return SetResult::kAdded;
    }
    ConvertToFull();
  }
  uint64_t hash = HashOf(member);
  MemberNode* node = full_->index.Find(member, hash);
  if (node != nullptr) {
    if (node->score == score) return SetResult::kUnchanged;
    full_->tree.Erase({node->score, node});
    node->score = score;
    full_->tree.Insert({score, node});
    return SetResult::kUpdated;
  }
  full_->Add(member, hash, score);
  ++size_;
  return SetResult::kAdded;
}

bool ZSet::Remove(std::string_view member) {
  if (full_ == nullptr) {
    size_t offset = FlatFind(member, nullptr, nullptr);
    if (offset == kNotFound) return false;
    FlatErase(offset);
    --size_;
    return true;
  }
  MemberNode* node = full_->Find(member);
  if (node == nullptr) return false;
  full_->Erase(node);
  --size_;
  return true;
}

std::optional<ZSet::RankAndScore> ZSet::Rank(std::string_view member) const {
  if (full_ == nullptr) {
    RankAndScore result{0, 0};
    if (FlatFind(member, &result.score, &result.rank) == kNotFound) return std::nullopt;
    return result;
  }
  MemberNode* node = full_->Find(member);
  if (node == nullptr) return std::nullopt;
  TreeItem target{node->score, node};
  size_t rank = full_->tree.CountWhile([&](const TreeItem& item) { return Less(item, target); });
  return RankAndScore{rank, node->score};
}

namespace {

// The number of flat entries in `flat[0, used)` for which `below(member, score)` holds, for a
// `below` true for a prefix of the entries.
template <typename Below>
size_t FlatCountWhile(const char* flat, size_t used, Below below) {
  size_t count = 0;
  for (size_t offset = 0; offset < used; ++count) {
    FlatEntry entry = DecodeFlat(flat + offset);
    if (!below(entry.member, entry.score)) break;
    offset += entry.size;
  }
  return count;
}

// The number of members ordered before `limit` by score: below it, or at or below it if
// `or_equal`.
size_t CountByScore(const char* flat, size_t used, const ScoreTree* tree, double limit,
                    bool or_equal) {
  auto below = [=](double score) { return or_equal ? score <= limit : score < limit; };
  if (tree == nullptr) {
    return FlatCountWhile(flat, used, [&](std::string_view, double score) { return below(score); });
  }
  return tree->CountWhile([&](const TreeItem& item) { return below(item.score); });
}

size_t CountByMember(const char* flat, size_t used, const ScoreTree* tree, std::string_view limit,
                     bool or_equal) {
  auto below = [=](std::string_view member) { return or_equal ? member <= limit : member < limit; };
  if (tree == nullptr) {
    return FlatCountWhile(flat, used,
                          [&](std::string_view member, double) { return below(member); });
  }
  return tree->CountWhile([&](const TreeItem& item) { return below(item.node->name()); });
}

}  // namespace

size_t ZSet::CountBelow(const ScoreBound& min) const {
  return CountByScore(flat_, flat_used_, full_ ? &full_->tree : nullptr, min.value, min.exclusive);
}

size_t ZSet::CountThrough(const ScoreBound& max) const {
  return CountByScore(flat_, flat_used_, full_ ? &full_->tree : nullptr, max.value, !max.exclusive);
}

size_t ZSet::CountByLex(const LexBound& bound, bool count_equal) const {
  switch (bound.kind) {
    case LexBound::Kind::kMinusInf:
      return 0;
    case LexBound::Kind::kPlusInf:
      return size_;
    case LexBound::Kind::kInclusive:
    case LexBound::Kind::kExclusive:
      break;
  }
  return CountByMember(flat_, flat_used_, full_ ? &full_->tree : nullptr, bound.value,
                       count_equal);
}

size_t ZSet::CountBelow(const LexBound& min) const {
  return CountByLex(min, min.kind == LexBound::Kind::kExclusive);
}

size_t ZSet::CountThrough(const LexBound& max) const {
  return CountByLex(max, max.kind == LexBound::Kind::kInclusive);
}

ZSet::Item ZSet::At(size_t rank) const {
  DCHECK(rank < size_);
  if (full_ == nullptr) {
    const char* p = flat_;
    for (size_t i = 0; i < rank; ++i) p += DecodeFlat(p).size;
    FlatEntry entry = DecodeFlat(p);
    return {entry.member, entry.score};
  }
  const TreeItem& item = full_->tree.Select(rank).item();
  return {item.node->name(), item.score};
}

void ZSet::ForRange(size_t first, size_t last, bool reverse,
                    absl::FunctionRef<void(std::string_view, double)> fn) const {
  DCHECK(first <= last && last <= size_);
  if (first == last) return;
  size_t n = last - first;
  if (full_ == nullptr) {
    if (!reverse) {
      const char* p = flat_;
      for (size_t i = 0; i < first; ++i) p += DecodeFlat(p).size;
      for (size_t i = 0; i < n; ++i) {
        FlatEntry entry = DecodeFlat(p);
        fn(entry.member, entry.score);
        p += entry.size;
      }
    } else {
      const char* end = flat_ + flat_used_;
      for (size_t i = last; i < size_; ++i) end = FlatPrevious(end);
      for (size_t i = 0; i < n; ++i) {
        const char* start = FlatPrevious(end);
        FlatEntry entry = DecodeFlat(start);
        fn(entry.member, entry.score);
        end = start;
      }
    }
    return;
  }
  ScoreTree::Cursor cursor = full_->tree.Select(reverse ? last - 1 : first);
  for (size_t i = 0; i < n; ++i) {
    const TreeItem& item = cursor.item();
    fn(item.node->name(), item.score);
    if (i + 1 == n) break;
    if (reverse) {
      cursor.Prev();
    } else {
      cursor.Next();
    }
  }
}

void ZSet::RemoveRange(size_t first, size_t last) {
  DCHECK(first <= last && last <= size_);
  if (first == last) return;
  size_t n = last - first;
  if (full_ == nullptr) {
    const char* p = flat_;
    for (size_t i = 0; i < first; ++i) p += DecodeFlat(p).size;
    const char* q = p;
    for (size_t i = 0; i < n; ++i) q += DecodeFlat(q).size;
    size_t start = static_cast<size_t>(p - flat_);
    size_t removed = static_cast<size_t>(q - p);
    std::memmove(flat_ + start, flat_ + start + removed, flat_used_ - start - removed);
    flat_used_ -= removed;
    size_ -= n;
    if (flat_used_ == 0) {
      std::free(flat_);
      flat_ = nullptr;
    } else if (char* shrunk = static_cast<char*>(std::realloc(flat_, flat_used_))) {
      flat_ = shrunk;
    }
    return;
  }
  if (n == size_) {
    // Everything: free it all at once rather than one erase at a time.
    full_->FreeNodes();
    full_->tree.Clear();
    full_->index.Clear();
    size_ = 0;
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    MemberNode* node = full_->tree.Select(first).item().node;
    full_->Erase(node);
  }
  size_ -= n;
}

uint64_t ZSet::Scan(uint64_t cursor, size_t count,
                    absl::FunctionRef<void(std::string_view, double)> fn) const {
  if (full_ == nullptr) {
    ForEach(fn);
    return 0;
  }
  return full_->index.Scan(cursor, count,
                           [&](const MemberNode* node) { fn(node->name(), node->score); });
}

}  // namespace ringtail::storage
