// SPDX-License-Identifier: Apache-2.0
// Tests of the Redis Cluster key slot: the CRC16 check value and the hash-tag rules, with the
// examples of the Redis Cluster specification.
#include "cluster/key_slot.h"

#include <gtest/gtest.h>

#include <string>

namespace ringtail::cluster {
namespace {

TEST(KeySlotTest, Crc16CheckValue) {
  // CRC16-CCITT (XMODEM) of "123456789", as given by the Redis Cluster specification.
  EXPECT_EQ(Crc16("123456789"), 0x31C3);
  EXPECT_EQ(Crc16(""), 0);
}

TEST(KeySlotTest, Crc16UsesAllBytes) {
  // Bytes above 0x7f and NUL count as themselves (no sign extension, no C-string cut).
  EXPECT_NE(Crc16(std::string("a\0b", 3)), Crc16("a"));
  EXPECT_NE(Crc16("\xff"), Crc16("\x7f"));
  EXPECT_EQ(Crc16("\xff"), 0x1EF0);
}

TEST(KeySlotTest, KnownSlots) {
  EXPECT_EQ(KeySlot("foo"), 12182u);
  EXPECT_EQ(KeySlot("bar"), 5061u);
  EXPECT_EQ(KeySlot("123456789"), 0x31C3u & (kSlotCount - 1));
  EXPECT_EQ(KeySlot(""), 0u);
}

TEST(KeySlotTest, SlotIsInRange) {
  for (int i = 0; i < 10000; ++i) {
    EXPECT_LT(KeySlot("key:" + std::to_string(i)), kSlotCount);
  }
}

TEST(KeySlotTest, HashTagPutsKeysInOneSlot) {
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("{user1000}.followers"));
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
  EXPECT_EQ(KeySlot("a{foo}b"), KeySlot("foo"));
  EXPECT_EQ(KeySlot("{foo}"), KeySlot("foo"));
}

TEST(KeySlotTest, EmptyTagHashesWholeKey) {
  // The first '{' is followed directly by '}': no tag, the whole key is hashed.
  EXPECT_EQ(KeySlot("foo{}{bar}"), Crc16("foo{}{bar}") % kSlotCount);
  EXPECT_NE(KeySlot("foo{}{bar}"), KeySlot("bar"));
  EXPECT_EQ(KeySlot("{}"), Crc16("{}") % kSlotCount);
}

TEST(KeySlotTest, TagIsBetweenFirstOpenAndNextClose) {
  // The tag runs from the first '{' to the first '}' after it.
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), Crc16("{bar") % kSlotCount);
  EXPECT_EQ(KeySlot("foo{bar}{zap}"), KeySlot("bar"));
}

TEST(KeySlotTest, UnclosedBraceHashesWholeKey) {
  EXPECT_EQ(KeySlot("foo{bar"), Crc16("foo{bar") % kSlotCount);
  EXPECT_EQ(KeySlot("foo}bar{"), Crc16("foo}bar{") % kSlotCount);
  // A '}' before the first '{' does not close it.
  EXPECT_EQ(KeySlot("}x{bar}"), KeySlot("bar"));
}

}  // namespace
}  // namespace ringtail::cluster
