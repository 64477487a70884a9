// SPDX-License-Identifier: Apache-2.0
// Tests of the HyperLogLog representation (src/storage/hyperloglog.cc). The expected bytes,
// checksums and estimates were captured from redis-server 7.0.15 adding the same elements
// ("elem:0", "elem:1", ... one at a time, which is what one PFADD of them all does).
#include "storage/hyperloglog.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ringtail::storage {
namespace {

constexpr size_t kDefaultSparseMax = 3000;

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// 64-bit FNV-1a, to compare 12 KB dense values with a checksum taken from Redis's bytes.
uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// An HLL after adding "<prefix>0" .. "<prefix>n-1", with the cache marked stale as PFADD does.
std::string AddElements(size_t n, size_t sparse_max = kDefaultSparseMax,
                        std::string_view prefix = "elem:") {
  std::string value(kHllEmpty);
  for (size_t i = 0; i < n; ++i) {
    std::string element = std::string(prefix) + std::to_string(i);
    EXPECT_NE(HllAdd(&value, element, sparse_max), HllUpdate::kCorrupt);
  }
  HllInvalidateCache(value.data());
  return value;
}

TEST(HyperLogLogTest, EmptyIsOneXZeroOverAllRegisters) {
  EXPECT_EQ(kHllEmpty, FromHex("48594c4c0100000000000000000000007fff"));
  EXPECT_TRUE(IsHll(kHllEmpty));
  EXPECT_FALSE(IsDenseHll(kHllEmpty));
  EXPECT_EQ(HllCachedCount(kHllEmpty), 0u);
  EXPECT_EQ(HllCount(kHllEmpty), 0u);
}

TEST(HyperLogLogTest, ValidityChecksAsRedis) {
  EXPECT_FALSE(IsHll(""));
  EXPECT_FALSE(IsHll("HYLL"));  // shorter than a header
  EXPECT_FALSE(IsHll(std::string("HYLX\x01", 5) + std::string(11, '\0')));
  EXPECT_FALSE(IsHll(std::string("HYLL\x02", 5) + std::string(11, '\0')));  // unknown encoding
  EXPECT_TRUE(IsHll(std::string("HYLL\x01", 5) + std::string(11, '\0')));   // sparse: any size
  std::string dense(kHllDenseBytes, '\0');
  dense.replace(0, 4, "HYLL");
  EXPECT_TRUE(IsHll(dense));
  EXPECT_TRUE(IsDenseHll(dense));
  dense.push_back('\0');
  EXPECT_FALSE(IsHll(dense));  // a dense HLL has exactly its size
}

TEST(HyperLogLogTest, MurmurHash64AReferenceValues) {
  // Appleby's reference implementation with seed 0 hashes the empty input to 0.
  EXPECT_EQ(MurmurHash64A("", 0), 0u);
  // "a" lands in register 12711 with a run of 1 zero bit (value 2), as Redis stores it.
  HllRegisterUpdate a = HllHashElement("a");
  EXPECT_EQ(a.index, 12711u);
  EXPECT_EQ(a.value, 2);
  // Every tail length (1..7 bytes past whole words) goes through its own path.
  for (size_t len = 0; len < 20; ++len) {
    std::string s(len, 'x');
    EXPECT_NE(MurmurHash64A(s, kHllHashSeed), MurmurHash64A(s + "y", kHllHashSeed)) << len;
  }
}

TEST(HyperLogLogTest, SparseBytesMatchRedis) {
  std::string one(kHllEmpty);
  ASSERT_EQ(HllAdd(&one, "a", kDefaultSparseMax), HllUpdate::kChanged);
  EXPECT_EQ(HllAdd(&one, "a", kDefaultSparseMax), HllUpdate::kUnchanged);
  HllInvalidateCache(one.data());
  EXPECT_EQ(one, FromHex("48594c4c01000000000000000000008071a6844e57"));

  EXPECT_EQ(AddElements(10), FromHex("48594c4c01000000000000000000008044bc8408844edc84477d8c4522"
                                     "884e228045658040a58c470c80420e804266"));
  EXPECT_EQ(
      AddElements(100),
      FromHex("48594c4c01000000000000000000008044768440448408844042801580420a8c405584415c8040d1"
              "843c843a8440728040708c41b484198c40b48042e088405080405884099440fb800980413b842884"
              "41ac84409c8040af88410480437a8c2f802080409c8c008c4104844160804110803c80338017841a"
              "800d880a8c188441158008882e80328040a7a0405f8440578011803b8840f380405c8011842e8440"
              "648c40df800a80416b80413780417380406e8038844075841e80407a804047901b84419d8040af84"
              "40de8442bd8040598440ba800e8040958c4043800a8840ea80028040a884408d8018843190404980"
              "419f844186804060802084404d80088440d3882c8840c2803d803288409f8040d0908040be"));
}

TEST(HyperLogLogTest, PromotesToDenseAtTheSizeLimit) {
  std::string value = AddElements(1000);
  EXPECT_FALSE(IsDenseHll(value));
  EXPECT_EQ(value.size(), 1913u);  // as Redis: still sparse under the default 3000 bytes
  std::string dense = AddElements(2000);
  ASSERT_TRUE(IsDenseHll(dense));
  ASSERT_EQ(dense.size(), kHllDenseBytes);
  EXPECT_EQ(Fnv1a(dense), 0x2e90772b80d2afdcULL);
  EXPECT_EQ(Fnv1a(AddElements(10000)), 0x3f345ca9cab0497aULL);
  // A small limit promotes early (Redis with hll-sparse-max-bytes 300).
  std::string early = AddElements(200, 300);
  ASSERT_TRUE(IsDenseHll(early));
  EXPECT_EQ(Fnv1a(early), 0x3b5c773d867f4efbULL);
}

TEST(HyperLogLogTest, ValueAbove32PromotesToDense) {
  std::string value(kHllEmpty);
  EXPECT_EQ(HllRaiseRegister(&value, 5, 32, kDefaultSparseMax), HllUpdate::kChanged);
  EXPECT_FALSE(IsDenseHll(value));
  EXPECT_EQ(HllRaiseRegister(&value, 7, 33, kDefaultSparseMax), HllUpdate::kChanged);
  ASSERT_TRUE(IsDenseHll(value));
  std::array<uint8_t, kHllRegisters> max{};
  ASSERT_TRUE(HllMergeInto(value, max.data()));
  EXPECT_EQ(max[5], 32);
  EXPECT_EQ(max[7], 33);
  EXPECT_EQ(HllRaiseRegister(&value, 7, 33, kDefaultSparseMax), HllUpdate::kUnchanged);
  EXPECT_EQ(HllRaiseRegister(&value, 16383, 51, kDefaultSparseMax), HllUpdate::kChanged);
  max = {};
  ASSERT_TRUE(HllMergeInto(value, max.data()));
  EXPECT_EQ(max[16383], 51);  // the last register, in the last 6 bits of the dense array
  EXPECT_EQ(max[16382], 0);
}

TEST(HyperLogLogTest, EstimatesMatchRedis) {
  struct Case {
    size_t n;
    uint64_t redis_estimate;
  };
  const Case cases[] = {{1, 1},       {10, 10},     {100, 100},    {200, 200},     {500, 505},
                        {1000, 1005}, {2000, 1994}, {10000, 9922}, {100000, 99904}};
  for (const Case& c : cases) {
    std::string value = AddElements(c.n);
    EXPECT_EQ(HllCount(value), c.redis_estimate) << c.n;
    std::array<uint8_t, kHllRegisters> max{};
    ASSERT_TRUE(HllMergeInto(value, max.data()));
    EXPECT_EQ(HllEstimate(max.data()), c.redis_estimate) << c.n;
  }
}

TEST(HyperLogLogTest, CachedCardinality) {
  std::string value(kHllEmpty);
  EXPECT_EQ(HllCachedCount(value), 0u);
  HllInvalidateCache(value.data());
  EXPECT_EQ(HllCachedCount(value), std::nullopt);
  HllSetCachedCount(value.data(), 0x0102030405060708ULL);
  EXPECT_EQ(value.substr(8, 8), "\x08\x07\x06\x05\x04\x03\x02\x01");  // little-endian
  EXPECT_EQ(HllCachedCount(value), 0x0102030405060708ULL);
}

TEST(HyperLogLogTest, ToDenseKeepsHeaderAndRegisters) {
  std::string sparse = AddElements(100);
  HllSetCachedCount(sparse.data(), 100);
  sparse[5] = 'u';  // an unused header byte is copied too
  std::string dense = sparse;
  ASSERT_TRUE(HllToDense(&dense));
  ASSERT_TRUE(IsDenseHll(dense));
  EXPECT_EQ(dense.size(), kHllDenseBytes);
  EXPECT_EQ(dense[5], 'u');
  EXPECT_EQ(HllCachedCount(dense), 100u);
  std::array<uint8_t, kHllRegisters> a{};
  std::array<uint8_t, kHllRegisters> b{};
  ASSERT_TRUE(HllMergeInto(sparse, a.data()));
  ASSERT_TRUE(HllMergeInto(dense, b.data()));
  EXPECT_EQ(a, b);
  EXPECT_EQ(HllCount(dense), HllCount(sparse));
}

TEST(HyperLogLogTest, CorruptSparseIsReported) {
  // Runs covering fewer registers than 16384: one XZERO of 16383.
  std::string short_runs = std::string(kHllEmpty.substr(0, 16)) + "\x7f\xfe";
  ASSERT_TRUE(IsHll(short_runs));
  std::array<uint8_t, kHllRegisters> max{};
  EXPECT_EQ(HllCount(short_runs), std::nullopt);
  EXPECT_FALSE(HllMergeInto(short_runs, max.data()));
  std::string copy = short_runs;
  EXPECT_FALSE(HllToDense(&copy));
  EXPECT_EQ(copy, short_runs);
  EXPECT_EQ(HllRaiseRegister(&copy, 16383, 3, kDefaultSparseMax), HllUpdate::kCorrupt);
  // A register covered by the runs can still be set, as in Redis.
  EXPECT_EQ(HllRaiseRegister(&copy, 0, 3, kDefaultSparseMax), HllUpdate::kChanged);
  // Too many registers: an extra ZERO after the full XZERO.
  std::string long_runs = std::string(kHllEmpty) + '\0';
  EXPECT_EQ(HllCount(long_runs), std::nullopt);
  EXPECT_FALSE(HllMergeInto(long_runs, max.data()));
  // A value above 32 in a corrupt sparse HLL cannot be promoted.
  EXPECT_EQ(HllRaiseRegister(&short_runs, 1, 40, kDefaultSparseMax), HllUpdate::kCorrupt);
}

TEST(HyperLogLogTest, MergeTakesTheMaximumPerRegister) {
  std::string a = AddElements(100);
  std::string b = AddElements(300, kDefaultSparseMax, "other:");
  std::array<uint8_t, kHllRegisters> max{};
  ASSERT_TRUE(HllMergeInto(a, max.data()));
  ASSERT_TRUE(HllMergeInto(b, max.data()));
  EXPECT_EQ(HllEstimate(max.data()), 398u);  // Redis's PFCOUNT of both
}

}  // namespace
}  // namespace ringtail::storage
