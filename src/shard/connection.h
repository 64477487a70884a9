// SPDX-License-Identifier: Apache-2.0
// Connection: one client socket owned by one shard for its whole life: its input buffer (parsed
// in place), output buffers, client state, and the ordered replies still owed by other shards.
// Shard thread only.
//
// Reply order: commands of one input batch run inline (local keys) or travel to other shards.
// Local replies are appended to `out` at once; a remote command instead records a Slot with the
// offset in `out` where its reply belongs. When the last remote sub-reply of the input batch has
// arrived, the slots are spliced into `out` in order (and multi-shard sub-replies merged). While
// replies are outstanding the connection neither receives nor parses, so the argument views that
// travelled to other shards stay valid.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands/shard_state.h"
#include "protocol/resp_parser.h"

namespace ringtail::shard {

class Connection;

// An io_uring operation in flight; its address is the SQE's user_data.
struct Operation {
  enum class Kind : uint8_t { kAccept, kWake, kRecv, kSend };
  Kind kind;
  Connection* connection = nullptr;
};

// What happens when a slot's sub-replies are all in.
enum class SlotStep : uint8_t {
  kReply,        // the (merged) sub-replies are the reply
  kMsetnxCheck,  // MSETNX across shards, phase 1: the summed EXISTS decides whether to set
  kMsetnxSet,    // phase 2: the keys were set; the reply is :1
  kScan,         // SCAN: a shard's step is done; continue on the next shard if it returned too few
  kScanDone,     // SCAN: the steps' keys are joined under the last step's cursor
  kGather,       // keys on several shards, phase 1: their values are in (commands/gather.h)
  kGatherWrite,  // phase 2: changed values are written back; the reply is gather_reply
};

// A reply owed by other shards, spliced into `out` at `out_offset`.
struct Slot {
  size_t out_offset;
  const commands::CommandSpec* spec;  // merge rule when sub_count > 1 or the route fans out
  bool merge;                         // false: the single sub-reply is copied as it is
  SlotStep step;
  uint32_t first_sub;                 // sub-replies subs[first_sub, first_sub + sub_count)
  uint32_t sub_count;
  uint32_t first_arg;  // original arguments, for merging: args[first_arg, first_arg + argc)
  uint32_t argc;
  uint32_t first_key_shard;  // key -> sub-reply index, for Merge::kKeyOrder
  uint32_t key_count;
  uint32_t scan_count;  // SCAN: the COUNT asked for, and the keys the steps have returned so far
  uint32_t scan_keys;
};

// A command parsed ahead of its execution (so that a group's keys can be prefetched together).
struct ParsedCommand {
  uint32_t arg_begin;  // arguments are parsed_args[arg_begin, arg_begin + argc)
  uint32_t argc;
  size_t end;  // input offset just past the command
};

class Connection {
 public:
  Connection(int fd, uint64_t id) : fd_(fd) { client.id = id; client.fd = fd; }

  int fd() const { return fd_; }

  // Input: bytes [in_pos, in_len) of `in` are received and not yet parsed.
  std::unique_ptr<char[]> in;
  size_t in_capacity = 0;
  size_t in_pos = 0;
  size_t in_len = 0;
  size_t in_needed = 0;  // parser hint: total bytes the pending command needs
  // Commands parsed from `in` and not yet executed: parsed[parsed_next, parsed.size()). Their
  // arguments are views into `in`, which does not move while any is left.
  std::vector<ParsedCommand> parsed;
  std::vector<std::string_view> parsed_args;
  size_t parsed_next = 0;
  bool has_parsed() const { return parsed_next < parsed.size(); }

  // Output: `out` collects replies; `sending` is the buffer handed to the kernel.
  std::string out;
  std::string sending;
  size_t sent = 0;

  commands::ClientState client;
  protocol::RespParser parser;

  // Remote replies of the current input batch.
  std::vector<Slot> slots;
  struct SubReply {
    uint32_t offset;
    uint32_t length;
  };
  std::vector<SubReply> subs;
  std::string remote_replies;
  std::vector<std::string_view> slot_args;
  std::vector<uint32_t> key_shards;
  uint32_t pending_subs = 0;
  // A multi-phase command is in progress: parse nothing more until it completes.
  bool barrier = false;
  // A gathered command (commands/gather.h): its reply, held while changed values travel back to
  // their shards, and those values (their views travel in the batches).
  std::string gather_reply;
  std::vector<std::string> gather_values;
  // The blocked command's waiter (shard/blocking.h), 0 when not blocked.
  uint64_t blocked_waiter = 0;
  // The cursor argument of a SCAN step that continues on the next shard (a view of it travels).
  std::string scan_cursor;

  Operation recv_op{Operation::Kind::kRecv, this};
  Operation send_op{Operation::Kind::kSend, this};
  bool recv_armed = false;
  bool send_armed = false;
  bool closing = false;       // no more input is read; freed when nothing is in flight
  bool in_dirty_list = false;  // queued for a send at the end of the loop iteration

 private:
  int fd_;
};

}  // namespace ringtail::shard
