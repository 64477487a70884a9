// SPDX-License-Identifier: Apache-2.0
// Multi-key commands whose keys live on several shards (SINTER, SMOVE, ZUNIONSTORE, BITOP,
// PFMERGE, LMOVE, ...), run by gathering: the coordinating shard asks every owner for the values
// of its keys (__dumpkeys), recreates them in a scratch keyspace of its own, runs the command
// there with every key local, and writes each key whose value changed back to its owner
// (__restorekey). The shard (shard/shard.cc) drives the hops; this file holds the two internal
// commands and the value conversions. Shard thread only.
//
// The internal commands are not in the command table, so no client can send them.
//
// Not atomic: another client's write to one of the keys between the gathering and the write-back
// is overwritten by the write-back, and readers can see the write-back land on one shard before
// another. Making these commands atomic is the multi-shard transaction work of DESIGN section 6.
#pragma once

#include <string>
#include <string_view>

#include "commands/command_table.h"
#include "commands/shard_state.h"

namespace ringtail::commands {

// __dumpkeys key [key ...]: an array with, per key, nil if absent, else
// [type, deadline_ms (0: none), payload], the payload as the type's read command replies in RESP2
// (GET, LRANGE 0 -1, SMEMBERS, ZRANGE 0 -1 WITHSCORES, HGETALL).
const CommandSpec& DumpKeysSpec();
// __restorekey key element: replaces `key` with the value an element of a __dumpkeys reply
// describes (deletes it for nil). Replies +OK.
const CommandSpec& RestoreKeySpec();

// The __dumpkeys element of `key` in database `db` of `shard`.
std::string DumpKey(ShardState& shard, uint8_t db, std::string_view key);

// Replaces `key` in database `db` of `shard` with the value `element` (a __dumpkeys element)
// describes; deletes it for nil.
void RestoreKey(ShardState& shard, uint8_t db, std::string_view key, std::string_view element);

}  // namespace ringtail::commands
