// SPDX-License-Identifier: Apache-2.0
// Tests of the bit helpers (src/storage/bitops.cc): each fast routine is compared with a
// bit-by-bit reference on random strings of many lengths and alignments, plus Redis's BITFIELD
// overflow rules on the edge values.
#include "storage/bitops.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ringtail::storage {
namespace {

bool BitAt(std::string_view bytes, uint64_t pos) {
  if (pos / 8 >= bytes.size()) return false;
  return ((static_cast<uint8_t>(bytes[pos / 8]) >> (7 - pos % 8)) & 1) != 0;
}

std::string RandomBytes(std::mt19937_64& rng, size_t size) {
  std::string out(size, '\0');
  // Mix dense, sparse, all-zero and all-one bytes so that searches find hits everywhere.
  const unsigned style = static_cast<unsigned>(rng() % 4);
  for (char& c : out) {
    uint8_t b = static_cast<uint8_t>(rng());
    if (style == 1) b = (rng() % 16 == 0) ? b : 0x00;
    if (style == 2) b = (rng() % 16 == 0) ? b : 0xFF;
    c = static_cast<char>(b);
  }
  return out;
}

TEST(BitOpsTest, CountSetBitsWholeString) {
  EXPECT_EQ(CountSetBits(""), 0u);
  EXPECT_EQ(CountSetBits("foobar"), 26u);  // Redis's documented BITCOUNT example
  EXPECT_EQ(CountSetBits(std::string(1000, '\xff')), 8000u);
  std::mt19937_64 rng(1);
  for (size_t size = 0; size < 200; ++size) {
    std::string bytes = RandomBytes(rng, size);
    uint64_t expected = 0;
    for (uint64_t i = 0; i < size * 8; ++i) expected += BitAt(bytes, i) ? 1 : 0;
    // Also from an unaligned start, to cover word loads at any address.
    std::string shifted = "x" + bytes;
    EXPECT_EQ(CountSetBits(bytes), expected) << size;
    EXPECT_EQ(CountSetBits(std::string_view(shifted).substr(1)), expected) << size;
  }
}

TEST(BitOpsTest, CountSetBitsInRange) {
  EXPECT_EQ(CountSetBits("foobar", 8, 15), 6u);   // byte 1 ('o')
  EXPECT_EQ(CountSetBits("foobar", 5, 30), 17u);  // BITCOUNT mykey 5 30 BIT in Redis's docs
  std::mt19937_64 rng(2);
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = RandomBytes(rng, 1 + rng() % 40);
    uint64_t bits = bytes.size() * 8;
    uint64_t first = rng() % bits;
    uint64_t last = first + rng() % (bits - first);
    uint64_t expected = 0;
    for (uint64_t i = first; i <= last; ++i) expected += BitAt(bytes, i) ? 1 : 0;
    ASSERT_EQ(CountSetBits(bytes, first, last), expected) << first << ".." << last;
  }
}

TEST(BitOpsTest, FindBitMatchesReference) {
  EXPECT_EQ(FindBit(std::string_view("\xff\xf0\x00", 3), false, 0, 23), 12u);  // Redis's docs
  EXPECT_EQ(FindBit(std::string_view("\x00\xff\xf0", 3), true, 0, 23), 8u);
  EXPECT_EQ(FindBit(std::string(3, '\0'), true, 0, 23), std::nullopt);
  EXPECT_EQ(FindBit("\xff", false, 0, 7), std::nullopt);
  EXPECT_EQ(FindBit("\xff\x7f", false, 0, 7), std::nullopt);  // the 0 lies past the range
  std::mt19937_64 rng(3);
  for (int round = 0; round < 20000; ++round) {
    std::string bytes = RandomBytes(rng, 1 + rng() % 70);
    uint64_t bits = bytes.size() * 8;
    uint64_t first = rng() % bits;
    uint64_t last = first + rng() % (bits - first);
    bool bit = rng() % 2 == 1;
    std::optional<uint64_t> expected;
    for (uint64_t i = first; i <= last; ++i) {
      if (BitAt(bytes, i) == bit) {
        expected = i;
        break;
      }
    }
    ASSERT_EQ(FindBit(bytes, bit, first, last), expected)
        << "bit " << bit << " in " << first << ".." << last << " of " << bytes.size();
  }
}

std::string ReferenceBitOp(BitOperation op, const std::vector<std::string>& inputs, size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    auto byte = [&](size_t k) -> uint8_t {
      return i < inputs[k].size() ? static_cast<uint8_t>(inputs[k][i]) : 0;
    };
    uint8_t v = byte(0);
    if (op == BitOperation::kNot) v = static_cast<uint8_t>(~v);
    for (size_t k = 1; k < inputs.size(); ++k) {
      if (op == BitOperation::kAnd) v &= byte(k);
      if (op == BitOperation::kOr) v |= byte(k);
      if (op == BitOperation::kXor) v ^= byte(k);
    }
    out[i] = static_cast<char>(v);
  }
  return out;
}

TEST(BitOpsTest, ApplyBitOperationZeroPadsShorterInputs) {
  std::vector<std::string_view> inputs = {"\xff\xff\xff", "\x0f"};
  std::string out(3, '?');
  ApplyBitOperation(BitOperation::kAnd, inputs, out.data(), out.size());
  EXPECT_EQ(out, std::string("\x0f\x00\x00", 3));
  ApplyBitOperation(BitOperation::kOr, inputs, out.data(), out.size());
  EXPECT_EQ(out, "\xff\xff\xff");
  ApplyBitOperation(BitOperation::kXor, inputs, out.data(), out.size());
  EXPECT_EQ(out, "\xf0\xff\xff");
  std::vector<std::string_view> one = {"\x0f\xf0"};
  std::string not_out(2, '?');
  ApplyBitOperation(BitOperation::kNot, one, not_out.data(), not_out.size());
  EXPECT_EQ(not_out, "\xf0\x0f");
}

TEST(BitOpsTest, ApplyBitOperationMatchesReference) {
  std::mt19937_64 rng(4);
  const BitOperation ops[] = {BitOperation::kAnd, BitOperation::kOr, BitOperation::kXor,
                              BitOperation::kNot};
  for (int round = 0; round < 2000; ++round) {
    BitOperation op = ops[rng() % 4];
    size_t count = op == BitOperation::kNot ? 1 : 1 + rng() % 4;
    std::vector<std::string> inputs;
    size_t size = 0;
    for (size_t k = 0; k < count; ++k) {
      inputs.push_back(RandomBytes(rng, rng() % 50));
      size = std::max(size, inputs.back().size());
    }
    std::vector<std::string_view> views(inputs.begin(), inputs.end());
    std::string out(size, '?');
    ApplyBitOperation(op, views, out.data(), size);
    ASSERT_EQ(out, ReferenceBitOp(op, inputs, size)) << round;
  }
}

TEST(BitOpsTest, BitFieldsReadAndWriteMostSignificantBitFirst) {
  std::string bytes(4, '\0');
  SetBitField(bytes.data(), 0, 8, 0xAB);
  EXPECT_EQ(bytes[0], '\xAB');
  SetBitField(bytes.data(), 12, 8, 0xCD);  // straddles bytes 1 and 2
  EXPECT_EQ(bytes, std::string("\xAB\x0C\xD0\x00", 4));
  EXPECT_EQ(GetBitField(bytes, 12, 8), 0xCDu);
  EXPECT_EQ(GetBitField(bytes, 0, 4), 0xAu);
  // Past the end reads zeros.
  EXPECT_EQ(GetBitField(bytes, 28, 8), 0u);
  EXPECT_EQ(GetBitField(bytes, 1000, 64), 0u);
  EXPECT_EQ(GetBitField("\xff", 4, 8), 0xF0u);
  // Only the low `bits` bits are written.
  SetBitField(bytes.data(), 0, 4, 0xFF3);
  EXPECT_EQ(bytes[0], '\x3B');
}

TEST(BitOpsTest, BitFieldsMatchReference) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 5000; ++round) {
    std::string bytes = RandomBytes(rng, 10 + rng() % 10);
    unsigned bits = 1 + static_cast<unsigned>(rng() % 64);
    uint64_t offset = rng() % (bytes.size() * 8 - bits + 1);
    uint64_t expected = 0;
    for (unsigned i = 0; i < bits; ++i) expected = (expected << 1) | (BitAt(bytes, offset + i));
    ASSERT_EQ(GetBitField(bytes, offset, bits), expected);
    uint64_t value = rng();
    std::string written = bytes;
    SetBitField(written.data(), offset, bits, value);
    for (uint64_t i = 0; i < written.size() * 8; ++i) {
      bool want = BitAt(bytes, i);
      if (i >= offset && i < offset + bits) want = ((value >> (bits - 1 - (i - offset))) & 1) != 0;
      ASSERT_EQ(BitAt(written, i), want) << "bit " << i << " field " << offset << "/" << bits;
    }
  }
}

TEST(BitOpsTest, SignExtend) {
  EXPECT_EQ(SignExtend(0xFF, 8), -1);
  EXPECT_EQ(SignExtend(0x7F, 8), 127);
  EXPECT_EQ(SignExtend(0x80, 8), -128);
  EXPECT_EQ(SignExtend(1, 1), -1);
  EXPECT_EQ(SignExtend(0, 1), 0);
  EXPECT_EQ(SignExtend(~uint64_t{0}, 64), -1);
  EXPECT_EQ(SignExtend(uint64_t{1} << 63, 64), std::numeric_limits<int64_t>::min());
}

TEST(BitOpsTest, SignedOverflowRules) {
  constexpr auto kWrap = BitFieldOverflow::kWrap;
  constexpr auto kSat = BitFieldOverflow::kSat;
  constexpr auto kFail = BitFieldOverflow::kFail;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(SignedFieldResult(100, 27, 8, kFail), 127);
  EXPECT_EQ(SignedFieldResult(100, 28, 8, kWrap), -128);
  EXPECT_EQ(SignedFieldResult(100, 28, 8, kSat), 127);
  EXPECT_EQ(SignedFieldResult(100, 28, 8, kFail), std::nullopt);
  EXPECT_EQ(SignedFieldResult(-100, -29, 8, kWrap), 127);
  EXPECT_EQ(SignedFieldResult(-100, -29, 8, kSat), -128);
  EXPECT_EQ(SignedFieldResult(200, 0, 8, kWrap), -56);  // SET i8 200
  EXPECT_EQ(SignedFieldResult(200, 0, 8, kSat), 127);
  EXPECT_EQ(SignedFieldResult(kMax, 1, 64, kWrap), kMin);
  EXPECT_EQ(SignedFieldResult(kMax, 1, 64, kSat), kMax);
  EXPECT_EQ(SignedFieldResult(kMin, -1, 64, kSat), kMin);
  EXPECT_EQ(SignedFieldResult(kMin, kMax, 64, kFail), -1);
  EXPECT_EQ(SignedFieldResult(kMin, -1, 64, kFail), std::nullopt);
  EXPECT_EQ(SignedFieldResult(0, 1, 1, kWrap), -1);  // i1 holds -1 and 0
  EXPECT_EQ(SignedFieldResult(-1, -1, 1, kSat), -1);
}

TEST(BitOpsTest, UnsignedOverflowRules) {
  constexpr auto kWrap = BitFieldOverflow::kWrap;
  constexpr auto kSat = BitFieldOverflow::kSat;
  constexpr auto kFail = BitFieldOverflow::kFail;
  EXPECT_EQ(UnsignedFieldResult(250, 5, 8, kFail), 255u);
  EXPECT_EQ(UnsignedFieldResult(250, 10, 8, kWrap), 4u);
  EXPECT_EQ(UnsignedFieldResult(250, 10, 8, kSat), 255u);
  EXPECT_EQ(UnsignedFieldResult(250, 10, 8, kFail), std::nullopt);
  EXPECT_EQ(UnsignedFieldResult(5, -10, 8, kWrap), 251u);
  EXPECT_EQ(UnsignedFieldResult(5, -10, 8, kSat), 0u);
  EXPECT_EQ(UnsignedFieldResult(5, -10, 8, kFail), std::nullopt);
  EXPECT_EQ(UnsignedFieldResult(300, 0, 8, kWrap), 44u);  // SET u8 300
  // SET u8 -1 reads -1 as 2^64 - 1: too large, so SAT stores the maximum, WRAP the low bits.
  EXPECT_EQ(UnsignedFieldResult(static_cast<uint64_t>(-1), 0, 8, kSat), 255u);
  EXPECT_EQ(UnsignedFieldResult(static_cast<uint64_t>(-1), 0, 8, kWrap), 255u);
  EXPECT_EQ(UnsignedFieldResult(static_cast<uint64_t>(-1), 0, 8, kFail), std::nullopt);
  const uint64_t max63 = (uint64_t{1} << 63) - 1;
  EXPECT_EQ(UnsignedFieldResult(max63, 1, 63, kWrap), 0u);
  EXPECT_EQ(UnsignedFieldResult(max63, std::numeric_limits<int64_t>::max(), 63, kSat), max63);
  EXPECT_EQ(UnsignedFieldResult(0, std::numeric_limits<int64_t>::min(), 63, kSat), 0u);
}

}  // namespace
}  // namespace ringtail::storage
