// SPDX-License-Identifier: Apache-2.0
// Batch: the unit that crosses between shards. During one loop iteration a shard appends every
// request it has for shard B to one Batch; at the end of the iteration the batch travels to B
// through their ring, B executes the requests in order and writes all replies into the same
// batch, and the batch travels back. Batches are pooled by their origin shard and reused, so
// the steady state allocates nothing. Owned by the origin shard except while the destination
// holds it (between the two ring hops); never touched by two threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_table.h"
#include "shard/blocking.h"

namespace ringtail::shard {

class Connection;

struct Request {
  const commands::CommandSpec* spec;
  Connection* connection;  // origin side only: whose reply this is
  uint32_t sub_index;      // origin side only: which sub-reply of the connection
  uint32_t arg_begin;      // arguments are args[arg_begin, arg_begin + argc)
  uint32_t argc;
  uint8_t db;
  bool resp3;
  bool count_call;  // false for one part of a command split over shards (counted by the origin)
  uint32_t reply_begin = 0;  // written by the destination: the reply's bytes in `replies`
  uint32_t reply_len = 0;
};

struct Batch {
  uint32_t origin = 0;
  std::vector<Request> requests;
  // Views into the origin connections' input buffers, which stay unchanged until the replies
  // are back.
  std::vector<std::string_view> args;
  std::string replies;
  // Blocking-command signals for the destination (shard/blocking.h): one-way, handled after
  // the requests and cleared there, so a batch comes back without them.
  std::vector<Signal> signals;

  bool empty() const { return requests.empty() && signals.empty(); }
  void Clear() {
    requests.clear();
    args.clear();
    replies.clear();
    signals.clear();
  }
};

// What a ring carries: a batch going out (requests) or coming back (replies). The direction
// is implied: a batch whose origin is the receiving shard is coming back.
struct Message {
  Batch* batch;
};

}  // namespace ringtail::shard
