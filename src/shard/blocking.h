// SPDX-License-Identifier: Apache-2.0
// Blocked clients (BLPOP and the other blocking commands) across shards: the messages between
// the shard of a blocked connection, its coordinator, and the shards owning the keys it waits
// on, and what each side keeps. The Shard methods that run the protocol are in blocking.cc;
// serving a command from a key is commands/blocking_commands.h. Shard thread only; signals
// cross shards inside batches (shard/batch.h), beside the requests.
//
// How it works: the coordinator sends kWatch to every shard owning one of the keys. A key shard
// queues the waiter on each of its keys, first come first served, and keeps a copy of the
// command. When a key is created as a list or sorted set (storage::Table's ready keys), or when
// the waiter at the head of a key's queue leaves, the key shard looks at that key's queue:
//
// - a waiter whose keys all live on this shard (single-shard, the common case) is served right
//   there: the elements are popped and the reply travels to the coordinator in kServed. Then the
//   next waiter, while the key still holds elements. Redis's order, exactly.
// - a waiter with keys on other shards too must not be served by two shards at once, so the key
//   shard only offers the key (kReady) to the coordinator, which claims it with kTry (one at a
//   time); the key shard then serves it (kServed) or answers kEmpty if another client was
//   faster, and the waiter keeps waiting. An offer holds the key's queue: the waiters behind
//   are offered the key once the head is served or leaves.
//
// A timeout or a disconnect cancels: the coordinator sends kUnwatch to every key shard and waits
// for every kUnwatched, so that a kServed already on its way (the ring is FIFO) is seen first:
// an element popped for a client is never dropped because its timeout passed meanwhile; the
// client then gets the element. Only when the connection itself is gone is such a reply lost,
// as with Redis when a client disconnects right after being served.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "commands/blocking_commands.h"

namespace ringtail::shard {

class Connection;

struct Signal {
  enum class Kind : uint8_t {
    // Coordinator to key shard.
    kWatch,    // queue `waiter` on this shard's keys of `args`; serve a single-shard one now if
               // one of them can
    kTry,      // serve `waiter` (its command is `args`) from `key` if it can: kServed or kEmpty
    kUnwatch,  // forget `waiter`; answered with kUnwatched
    // Key shard to coordinator.
    kServed,     // `waiter` is served; `reply` is its reply
    kEmpty,      // the kTry found nothing to serve from
    kReady,      // `key` can serve `waiter`, which is at the head of its queue
    kUnwatched,  // nothing more will come from this shard for `waiter`
  };
  Kind kind = Kind::kWatch;
  uint32_t from = 0;
  uint64_t waiter = 0;
  uint8_t db = 0;
  bool resp3 = false;
  bool single_shard = false;
  std::vector<std::string> args;  // kWatch, kTry
  std::string key;                // kTry, kReady
  std::string reply;              // kServed
};

// Coordinator side: a connection blocked in a command.
struct BlockedClient {
  uint64_t id = 0;
  Connection* connection = nullptr;
  uint32_t sub_index = 0;  // the connection's sub-reply the command's reply completes
  uint8_t db = 0;
  bool resp3 = false;
  std::vector<std::string> args;
  std::vector<uint32_t> shards;  // the shards owning its keys
  int64_t deadline_ms = 0;       // 0: none
  bool trying = false;           // a kTry is in flight
  bool cancelling = false;       // kUnwatch sent (timeout or disconnect)
  bool served = false;
  uint32_t unwatch_pending = 0;
  std::string reply;
  std::deque<std::pair<uint32_t, std::string>> offers;  // (shard, key) offered during a kTry
};

// Key-shard side: a waiter queued on some of this shard's keys.
struct Watcher {
  uint64_t waiter = 0;
  uint32_t coordinator = 0;
  uint8_t db = 0;
  bool resp3 = false;
  bool single_shard = false;
  std::vector<std::string> args;  // the command, served here when single-shard
  commands::BlockingCall call;    // parsed from `args` once (its views point into them)
  std::vector<std::string> keys;  // its keys on this shard, without repeats
};

// The waiters queued on one key, in arrival order.
struct KeyWaiters {
  std::deque<uint64_t> queue;
  bool head_offered = false;  // kReady sent to the head's coordinator, not yet answered
};

}  // namespace ringtail::shard
