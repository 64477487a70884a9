// SPDX-License-Identifier: Apache-2.0
// The Redis Cluster key slot: CRC16 (XMODEM) of the key, or of its {hash tag}, modulo 16384.
// Every key's owning shard derives from its slot. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace ringtail::cluster {

inline constexpr uint32_t kSlotCount = 16384;

// CRC16-CCITT (XMODEM), as in the Redis Cluster specification.
uint16_t Crc16(std::string_view bytes);

// The slot of `key`: if the key contains "{...}" with a non-empty tag, only the tag is hashed.
uint32_t KeySlot(std::string_view key);

}  // namespace ringtail::cluster
