// SPDX-License-Identifier: Apache-2.0
#include "storage/hyperloglog.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace ringtail::storage {
namespace {

constexpr size_t kEncodingByte = 4;
constexpr size_t kCardinalityByte = 8;
constexpr uint8_t kDense = 0;
constexpr uint8_t kSparse = 1;
constexpr uint8_t kStaleBit = 0x80;  // in the last byte of the cached cardinality
constexpr unsigned kIndexBits = 14;
constexpr unsigned kRegisterBits = 6;
constexpr uint8_t kRegisterMask = (1u << kRegisterBits) - 1;

// Sparse opcode limits.
constexpr size_t kZeroMaxRun = 64;
constexpr uint8_t kValMaxValue = 32;
constexpr size_t kValMaxRun = 4;
// How many opcodes the merge of adjacent VALs looks at after an update.
constexpr int kMergeScanOpcodes = 5;

uint8_t* Registers(char* value) { return reinterpret_cast<uint8_t*>(value + kHllHeaderBytes); }
const uint8_t* Registers(const char* value) {
  return reinterpret_cast<const uint8_t*>(value + kHllHeaderBytes);
}

// ---------------------------------------------------------------------------------------------
// Dense registers: register i is the 6 bits from bit 6i, least significant bit first, so it
// spans bytes 6i/8 and, when it starts past bit 2 of that byte, the next one.

uint8_t DenseGet(const uint8_t* registers, size_t index) {
  size_t bit = index * kRegisterBits;
  size_t byte = bit / 8;
  unsigned shift = bit % 8;
  unsigned v = registers[byte] >> shift;
  if (shift > 8 - kRegisterBits) v |= static_cast<unsigned>(registers[byte + 1]) << (8 - shift);
  return static_cast<uint8_t>(v & kRegisterMask);
}

void DenseStore(uint8_t* registers, size_t index, uint8_t count) {
  size_t bit = index * kRegisterBits;
  size_t byte = bit / 8;
  unsigned shift = bit % 8;
  registers[byte] =
      static_cast<uint8_t>((registers[byte] & ~(kRegisterMask << shift)) | (count << shift));
  if (shift > 8 - kRegisterBits) {
    unsigned high = 8 - shift;
    registers[byte + 1] =
        static_cast<uint8_t>((registers[byte + 1] & ~(kRegisterMask >> high)) | (count >> high));
  }
}

// Raises register `index` to `count`; returns whether it rose.
bool DenseRaise(uint8_t* registers, size_t index, uint8_t count) {
  if (DenseGet(registers, index) >= count) return false;
  DenseStore(registers, index, count);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Sparse opcodes

enum class OpKind : uint8_t { kZero, kXZero, kVal };

struct Opcode {
  OpKind kind;
  size_t run;     // registers covered
  uint8_t value;  // the registers' value (0 for ZERO and XZERO)
  size_t bytes;   // 1, or 2 for XZERO
};

// Decodes the opcode at `pos` (< value.size()). The second byte of an XZERO cut off by the end
// of the string (only in a corrupt value) reads as 0, as Redis reads its string's terminating
// NUL. (Redis differs once it has split such an opcode: the byte its splice wrote over that NUL
// is read instead, and it has no place in a plain string value.)
Opcode DecodeAt(std::string_view value, size_t pos) {
  auto b = static_cast<uint8_t>(value[pos]);
  if ((b & 0x80) != 0) {
    return {OpKind::kVal, static_cast<size_t>(b & 0x3) + 1,
            static_cast<uint8_t>(((b >> 2) & 0x1f) + 1), 1};
  }
  if ((b & 0x40) == 0) return {OpKind::kZero, static_cast<size_t>(b & 0x3f) + 1, 0, 1};
  uint8_t low = pos + 1 < value.size() ? static_cast<uint8_t>(value[pos + 1]) : 0;
  return {OpKind::kXZero, ((static_cast<size_t>(b & 0x3f) << 8) | low) + 1, 0, 2};
}

char ValOpcode(uint8_t value, size_t run) {
  return static_cast<char>(0x80 | ((value - 1) << 2) | (run - 1));
}

// Appends the opcode(s) for `run` (1..16384) zero registers: ZERO up to 64, else XZERO.
size_t PutZeros(char* out, size_t run) {
  if (run <= kZeroMaxRun) {
    out[0] = static_cast<char>(run - 1);
    return 1;
  }
  out[0] = static_cast<char>(0x40 | ((run - 1) >> 8));
  out[1] = static_cast<char>((run - 1) & 0xff);
  return 2;
}

// Calls fn(first_register, run, value) for each opcode of a sparse HLL. Returns false, stopping
// before the run that would pass the last register, unless the runs cover exactly 16384
// registers.
template <typename Fn>
bool ForEachRun(std::string_view value, Fn&& fn) {
  size_t next = 0;
  for (size_t pos = kHllHeaderBytes; pos < value.size();) {
    Opcode op = DecodeAt(value, pos);
    if (next + op.run > kHllRegisters) return false;
    fn(next, op.run, op.value);
    next += op.run;
    pos += op.bytes;
  }
  return next == kHllRegisters;
}

// Merges adjacent VAL opcodes of equal value whose runs fit one VAL, looking at up to
// kMergeScanOpcodes opcodes from `pos` (Redis's step after every sparse update).
void MergeAdjacentVals(std::string* value, size_t pos) {
  int budget = kMergeScanOpcodes;
  while (pos < value->size() && budget-- > 0) {
    Opcode op = DecodeAt(*value, pos);
    if (op.kind != OpKind::kVal) {
      pos += op.bytes;
      continue;
    }
    if (pos + 1 < value->size()) {
      Opcode right = DecodeAt(*value, pos + 1);
      if (right.kind == OpKind::kVal && right.value == op.value &&
          op.run + right.run <= kValMaxRun) {
        (*value)[pos + 1] = ValOpcode(op.value, op.run + right.run);
        value->erase(pos, 1);
        continue;  // the merged VAL may merge again with the one after it
      }
    }
    ++pos;
  }
}

HllUpdate PromoteAndRaise(std::string* value, size_t index, uint8_t count) {
  if (!HllToDense(value)) return HllUpdate::kCorrupt;
  DenseRaise(Registers(value->data()), index, count);
  return HllUpdate::kChanged;
}

HllUpdate SparseRaise(std::string* value, size_t index, uint8_t count, size_t sparse_max_bytes) {
  if (count > kValMaxValue) return PromoteAndRaise(value, index, count);

  // Find the opcode covering the register, and the one before it.
  size_t pos = kHllHeaderBytes;
  size_t prev = kHllHeaderBytes;  // the start when the covering opcode is the first
  size_t first = 0;               // the first register the opcode at `pos` covers
  Opcode op{};
  while (true) {
    if (pos >= value->size()) return HllUpdate::kCorrupt;
    op = DecodeAt(*value, pos);
    if (index < first + op.run) break;
    prev = pos;
    pos += op.bytes;
    first += op.run;
  }

  if (op.kind == OpKind::kVal && op.value >= count) return HllUpdate::kUnchanged;
  if (op.run == 1 && op.kind != OpKind::kXZero) {
    // A VAL or ZERO of this register alone: rewrite it in place.
    (*value)[pos] = ValOpcode(count, 1);
    MergeAdjacentVals(value, prev);
    return HllUpdate::kChanged;
  }

  // Split the opcode around the register: [before] VAL(count, 1) [after].
  char seq[5];
  size_t n = 0;
  const size_t before = index - first;
  const size_t after = first + op.run - 1 - index;
  if (op.kind == OpKind::kVal) {
    if (before > 0) seq[n++] = ValOpcode(op.value, before);
    seq[n++] = ValOpcode(count, 1);
    if (after > 0) seq[n++] = ValOpcode(op.value, after);
  } else {
    if (before > 0) n += PutZeros(seq + n, before);
    seq[n++] = ValOpcode(count, 1);
    if (after > 0) n += PutZeros(seq + n, after);
  }
  const size_t old_size = value->size();
  if (n > op.bytes && old_size + (n - op.bytes) > sparse_max_bytes) {
    return PromoteAndRaise(value, index, count);
  }
  // An XZERO cut off by the end of the string has only its first byte here; the result then
  // loses its last byte, as Redis's in-place splice does.
  value->replace(pos, std::min(op.bytes, old_size - pos), seq, n);
  value->resize(old_size + n - op.bytes);
  MergeAdjacentVals(value, prev);
  return HllUpdate::kChanged;
}

// ---------------------------------------------------------------------------------------------
// Estimation

// sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1), summed until it stops changing.
double Sigma(double x) {
  if (x == 1.0) return INFINITY;
  double y = 1.0;
  double z = x;
  double previous;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous != z);
  return z;
}

// tau(x) = (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k) / 3, summed until it stops changing.
double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  double previous;
  do {
    x = std::sqrt(x);
    previous = z;
    y *= 0.5;
    double gap = 1.0 - x;
    z -= gap * gap * y;
  } while (previous != z);
  return z / 3.0;
}

// The estimate from a histogram of register values (histogram[v] = registers holding v).
uint64_t EstimateFromHistogram(const uint32_t* histogram) {
  constexpr double kAlphaInf = 0.721347520444481703680;  // 1 / (2 ln 2)
  constexpr unsigned kQ = 64 - kIndexBits;               // hash bits above the index
  const double m = kHllRegisters;
  double z = m * Tau((m - histogram[kQ + 1]) / m);
  for (unsigned k = kQ; k >= 1; --k) {
    z += histogram[k];
    z *= 0.5;
  }
  z += m * Sigma(histogram[0] / m);
  return static_cast<uint64_t>(std::llround(kAlphaInf * m * m / z));
}

// The histogram has a slot for every 6-bit value, so no register value can fall outside it.
using Histogram = uint32_t[64];

void DenseHistogram(const uint8_t* registers, Histogram histogram) {
  // Every 3 bytes hold exactly 4 registers.
  for (size_t i = 0; i < kHllRegisters * kRegisterBits / 8; i += 3) {
    unsigned b0 = registers[i];
    unsigned b1 = registers[i + 1];
    unsigned b2 = registers[i + 2];
    ++histogram[b0 & kRegisterMask];
    ++histogram[((b0 >> 6) | (b1 << 2)) & kRegisterMask];
    ++histogram[((b1 >> 4) | (b2 << 4)) & kRegisterMask];
    ++histogram[b2 >> 2];
  }
}

uint64_t ReadLittleEndian64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

}  // namespace

bool IsHll(std::string_view value) {
  if (value.size() < kHllHeaderBytes || value.substr(0, 4) != "HYLL") return false;
  auto encoding = static_cast<uint8_t>(value[kEncodingByte]);
  if (encoding > kSparse) return false;
  return encoding != kDense || value.size() == kHllDenseBytes;
}

bool IsDenseHll(std::string_view value) {
  return static_cast<uint8_t>(value[kEncodingByte]) == kDense;
}

uint64_t MurmurHash64A(std::string_view data, uint64_t seed) {
  constexpr uint64_t kMul = 0xc6a4a7935bd1e995ULL;
  constexpr int kShift = 47;
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  const size_t len = data.size();
  uint64_t h = seed ^ (len * kMul);
  const size_t blocks = len / 8;
  for (size_t i = 0; i < blocks; ++i) {
    uint64_t k = 0;
    for (int b = 7; b >= 0; --b) k = (k << 8) | p[i * 8 + static_cast<size_t>(b)];
    k *= kMul;
    k ^= k >> kShift;
    k *= kMul;
    h ^= k;
    h *= kMul;
  }
  const uint8_t* tail = p + blocks * 8;
  const size_t rest = len % 8;
  if (rest > 0) {
    for (size_t b = rest; b-- > 0;) h ^= static_cast<uint64_t>(tail[b]) << (8 * b);
    h *= kMul;
  }
  h ^= h >> kShift;
  h *= kMul;
  h ^= h >> kShift;
  return h;
}

HllRegisterUpdate HllHashElement(std::string_view element) {
  uint64_t hash = MurmurHash64A(element, kHllHashSeed);
  auto index = static_cast<uint32_t>(hash & (kHllRegisters - 1));
  // The remaining 50 bits, with a sentinel bit above them so the count stops at 51.
  uint64_t rest = (hash >> kIndexBits) | (uint64_t{1} << (64 - kIndexBits));
  auto value = static_cast<uint8_t>(std::countr_zero(rest) + 1);
  return {index, value};
}

HllUpdate HllAdd(std::string* value, std::string_view element, size_t sparse_max_bytes) {
  HllRegisterUpdate update = HllHashElement(element);
  return HllRaiseRegister(value, update.index, update.value, sparse_max_bytes);
}

bool HllDenseAdd(char* value, std::string_view element) {
  HllRegisterUpdate update = HllHashElement(element);
  return DenseRaise(Registers(value), update.index, update.value);
}

HllUpdate HllRaiseRegister(std::string* value, size_t index, uint8_t count,
                           size_t sparse_max_bytes) {
  if (IsDenseHll(*value)) {
    bool raised = DenseRaise(Registers(value->data()), index, count);
    return raised ? HllUpdate::kChanged : HllUpdate::kUnchanged;
  }
  return SparseRaise(value, index, count, sparse_max_bytes);
}

bool HllToDense(std::string* value) {
  if (IsDenseHll(*value)) return true;
  std::string dense(kHllDenseBytes, '\0');
  std::memcpy(dense.data(), value->data(), kHllHeaderBytes);
  dense[kEncodingByte] = static_cast<char>(kDense);
  uint8_t* registers = Registers(dense.data());
  bool valid = ForEachRun(*value, [&](size_t first, size_t run, uint8_t v) {
    if (v == 0) return;
    for (size_t i = first; i < first + run; ++i) DenseStore(registers, i, v);
  });
  if (!valid) return false;
  *value = std::move(dense);
  return true;
}

bool HllMergeInto(std::string_view value, uint8_t* max) {
  if (IsDenseHll(value)) {
    const uint8_t* registers = Registers(value.data());
    for (size_t i = 0; i < kHllRegisters; ++i) {
      uint8_t v = DenseGet(registers, i);
      if (v > max[i]) max[i] = v;
    }
    return true;
  }
  return ForEachRun(value, [&](size_t first, size_t run, uint8_t v) {
    for (size_t i = first; i < first + run; ++i) {
      if (v > max[i]) max[i] = v;
    }
  });
}

uint64_t HllEstimate(const uint8_t* registers) {
  Histogram histogram = {};
  for (size_t i = 0; i < kHllRegisters; ++i) ++histogram[registers[i] & 63];
  return EstimateFromHistogram(histogram);
}

std::optional<uint64_t> HllCount(std::string_view value) {
  Histogram histogram = {};
  if (IsDenseHll(value)) {
    DenseHistogram(Registers(value.data()), histogram);
  } else {
    bool valid = ForEachRun(
        value, [&](size_t, size_t run, uint8_t v) { histogram[v] += static_cast<uint32_t>(run); });
    if (!valid) return std::nullopt;
  }
  return EstimateFromHistogram(histogram);
}

std::optional<uint64_t> HllCachedCount(std::string_view value) {
  if ((static_cast<uint8_t>(value[kCardinalityByte + 7]) & kStaleBit) != 0) return std::nullopt;
  return ReadLittleEndian64(value.data() + kCardinalityByte);
}

void HllSetCachedCount(char* value, uint64_t count) {
  for (size_t i = 0; i < 8; ++i) {
    value[kCardinalityByte + i] = static_cast<char>((count >> (8 * i)) & 0xff);
  }
}

void HllInvalidateCache(char* value) {
  value[kCardinalityByte + 7] = static_cast<char>(value[kCardinalityByte + 7] | kStaleBit);
}

}  // namespace ringtail::storage
