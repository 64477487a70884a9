// SPDX-License-Identifier: Apache-2.0
#include "storage/bitops.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

namespace ringtail::storage {
namespace {

static_assert(std::endian::native == std::endian::little, "word loads assume a little-endian CPU");

uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

void StoreWord(char* p, uint64_t word) { std::memcpy(p, &word, sizeof(word)); }

// Set bits in `words` 8-byte words from `p`. Compiled twice, with and without the popcnt
// instruction; the loader picks the variant the CPU supports (an ifunc), since the build does
// not assume any -march. Four accumulators keep several popcounts in flight.
__attribute__((target_clones("popcnt", "default"))) uint64_t CountWordBits(const char* p,
                                                                           size_t words) {
  uint64_t counts[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= words; i += 4) {
    counts[0] += static_cast<uint64_t>(__builtin_popcountll(LoadWord(p + 8 * i)));
    counts[1] += static_cast<uint64_t>(__builtin_popcountll(LoadWord(p + 8 * i + 8)));
    counts[2] += static_cast<uint64_t>(__builtin_popcountll(LoadWord(p + 8 * i + 16)));
    counts[3] += static_cast<uint64_t>(__builtin_popcountll(LoadWord(p + 8 * i + 24)));
  }
  for (; i < words; ++i) {
    counts[0] += static_cast<uint64_t>(__builtin_popcountll(LoadWord(p + 8 * i)));
  }
  return counts[0] + counts[1] + counts[2] + counts[3];
}

unsigned CountByteBits(uint8_t byte) { return static_cast<unsigned>(std::popcount(byte)); }

uint8_t ByteAt(std::string_view bytes, uint64_t index) {
  return index < bytes.size() ? static_cast<uint8_t>(bytes[index]) : 0;
}

}  // namespace

uint64_t CountSetBits(std::string_view bytes) {
  size_t words = bytes.size() / 8;
  uint64_t count = CountWordBits(bytes.data(), words);
  for (size_t i = words * 8; i < bytes.size(); ++i) {
    count += CountByteBits(static_cast<uint8_t>(bytes[i]));
  }
  return count;
}

uint64_t CountSetBits(std::string_view bytes, uint64_t first_bit, uint64_t last_bit) {
  uint64_t first_byte = first_bit / 8;
  uint64_t last_byte = last_bit / 8;
  uint64_t count = CountSetBits(bytes.substr(first_byte, last_byte - first_byte + 1));
  // Take back the bits of the edge bytes that lie outside the range.
  auto first = static_cast<uint8_t>(bytes[first_byte]);
  auto last = static_cast<uint8_t>(bytes[last_byte]);
  count -= CountByteBits(static_cast<uint8_t>(first & ~(0xFFu >> (first_bit % 8))));
  count -= CountByteBits(static_cast<uint8_t>(last & (0xFFu >> (last_bit % 8 + 1))));
  return count;
}

std::optional<uint64_t> FindBit(std::string_view bytes, bool bit, uint64_t first_bit,
                                uint64_t last_bit) {
  // Search for a set bit in the bytes XORed with `flip`, so one loop finds either value.
  const uint8_t flip = bit ? 0x00 : 0xFF;
  const uint64_t flip_word = bit ? 0 : ~uint64_t{0};
  const uint64_t first_byte = first_bit / 8;
  const uint64_t last_byte = last_bit / 8;
  auto hit = [&](uint64_t index, uint8_t candidates) -> std::optional<uint64_t> {
    if (candidates == 0) return std::nullopt;
    return index * 8 + static_cast<uint64_t>(std::countl_zero(candidates));
  };
  const auto first_mask = static_cast<uint8_t>(0xFFu >> (first_bit % 8));
  const auto last_mask = static_cast<uint8_t>(0xFFu << (7 - last_bit % 8));
  if (first_byte == last_byte) {
    return hit(first_byte,
               static_cast<uint8_t>((ByteAt(bytes, first_byte) ^ flip) & first_mask & last_mask));
  }
  if (auto pos =
          hit(first_byte, static_cast<uint8_t>((ByteAt(bytes, first_byte) ^ flip) & first_mask))) {
    return pos;
  }
  uint64_t i = first_byte + 1;
  // Whole words first: a word with no candidate bit is skipped at once.
  while (i + 8 <= last_byte) {
    uint64_t word = LoadWord(bytes.data() + i) ^ flip_word;
    if (word != 0) break;
    i += 8;
  }
  for (; i < last_byte; ++i) {
    if (auto pos = hit(i, static_cast<uint8_t>(ByteAt(bytes, i) ^ flip))) return pos;
  }
  return hit(last_byte, static_cast<uint8_t>((ByteAt(bytes, last_byte) ^ flip) & last_mask));
}

void ApplyBitOperation(BitOperation op, absl::Span<const std::string_view> inputs, char* out,
                       size_t size) {
  // The first input (zero-padded) is the starting value; each further one is folded in over its
  // own length, and AND clears what lies past a shorter input's end.
  std::string_view first = inputs[0];
  size_t copied = std::min(first.size(), size);
  if (copied > 0) std::memcpy(out, first.data(), copied);
  std::memset(out + copied, 0, size - copied);
  if (op == BitOperation::kNot) {
    size_t i = 0;
    for (; i + 8 <= size; i += 8) StoreWord(out + i, ~LoadWord(out + i));
    for (; i < size; ++i) out[i] = static_cast<char>(~out[i]);
    return;
  }
  for (size_t k = 1; k < inputs.size(); ++k) {
    std::string_view in = inputs[k];
    size_t n = std::min(in.size(), size);
    size_t i = 0;
    switch (op) {
      case BitOperation::kAnd:
        for (; i + 8 <= n; i += 8) StoreWord(out + i, LoadWord(out + i) & LoadWord(in.data() + i));
        for (; i < n; ++i) out[i] = static_cast<char>(out[i] & in[i]);
        std::memset(out + n, 0, size - n);
        break;
      case BitOperation::kOr:
        for (; i + 8 <= n; i += 8) StoreWord(out + i, LoadWord(out + i) | LoadWord(in.data() + i));
        for (; i < n; ++i) out[i] = static_cast<char>(out[i] | in[i]);
        break;
      case BitOperation::kXor:
        for (; i + 8 <= n; i += 8) StoreWord(out + i, LoadWord(out + i) ^ LoadWord(in.data() + i));
        for (; i < n; ++i) out[i] = static_cast<char>(out[i] ^ in[i]);
        break;
      case BitOperation::kNot:
        break;
    }
  }
}

uint64_t GetBitField(std::string_view bytes, uint64_t offset, unsigned bits) {
  // Byte by byte: each step takes the bits of one byte the field covers.
  uint64_t value = 0;
  uint64_t pos = offset;
  unsigned remaining = bits;
  while (remaining > 0) {
    unsigned in_byte = static_cast<unsigned>(pos % 8);
    unsigned take = std::min(8 - in_byte, remaining);
    unsigned shift = 8 - in_byte - take;
    uint64_t chunk = (ByteAt(bytes, pos / 8) >> shift) & ((1u << take) - 1);
    value = (value << take) | chunk;
    remaining -= take;
    pos += take;
  }
  return value;
}

void SetBitField(char* bytes, uint64_t offset, unsigned bits, uint64_t value) {
  uint64_t pos = offset;
  unsigned remaining = bits;
  while (remaining > 0) {
    unsigned in_byte = static_cast<unsigned>(pos % 8);
    unsigned take = std::min(8 - in_byte, remaining);
    unsigned shift = 8 - in_byte - take;
    auto chunk = static_cast<unsigned>((value >> (remaining - take)) & ((1u << take) - 1));
    unsigned mask = ((1u << take) - 1) << shift;
    auto& byte = reinterpret_cast<uint8_t&>(bytes[pos / 8]);
    byte = static_cast<uint8_t>((byte & ~mask) | (chunk << shift));
    remaining -= take;
    pos += take;
  }
}

int64_t SignExtend(uint64_t raw, unsigned bits) {
  if (bits >= 64) return static_cast<int64_t>(raw);
  uint64_t sign = uint64_t{1} << (bits - 1);
  uint64_t low = raw & ((uint64_t{1} << bits) - 1);
  // (low ^ sign) - sign: subtracts 2^bits when the sign bit is set, in unsigned arithmetic.
  return static_cast<int64_t>((low ^ sign) - sign);
}

namespace {

// GCC's 128-bit integers hold every exact sum of two 64-bit operands.
__extension__ using Int128 = __int128;

}  // namespace

std::optional<int64_t> SignedFieldResult(int64_t value, int64_t increment, unsigned bits,
                                         BitFieldOverflow overflow) {
  const Int128 max = (Int128{1} << (bits - 1)) - 1;
  const Int128 min = -max - 1;
  const Int128 sum = Int128{value} + Int128{increment};
  if (sum >= min && sum <= max) return static_cast<int64_t>(sum);
  switch (overflow) {
    case BitFieldOverflow::kWrap:
      return SignExtend(static_cast<uint64_t>(sum), bits);
    case BitFieldOverflow::kSat:
      return static_cast<int64_t>(sum > max ? max : min);
    case BitFieldOverflow::kFail:
      break;
  }
  return std::nullopt;
}

std::optional<uint64_t> UnsignedFieldResult(uint64_t value, int64_t increment, unsigned bits,
                                            BitFieldOverflow overflow) {
  const uint64_t max = (uint64_t{1} << bits) - 1;
  const Int128 sum = Int128{value} + Int128{increment};
  if (sum >= 0 && sum <= Int128{max}) return static_cast<uint64_t>(sum);
  switch (overflow) {
    case BitFieldOverflow::kWrap:
      return static_cast<uint64_t>(sum) & max;
    case BitFieldOverflow::kSat:
      return sum > 0 ? max : 0;
    case BitFieldOverflow::kFail:
      break;
  }
  return std::nullopt;
}

}  // namespace ringtail::storage
