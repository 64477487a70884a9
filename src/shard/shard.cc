// SPDX-License-Identifier: Apache-2.0
#include "shard/shard.h"

#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "base/check.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/strings.h"
#include "cluster/key_slot.h"
#include "commands/executor.h"
#include "commands/gather.h"
#include "commands/scan_cursor.h"
#include "io/socket.h"
#include "protocol/errors.h"
#include "protocol/reply_reader.h"
#include "shard/shard_set.h"

namespace ringtail::shard {
namespace {

constexpr size_t kInitialInputBytes = 16 * 1024;
constexpr size_t kMinFreeInputBytes = 4 * 1024;
// Stop reading from a client whose unsent output is this large, until it drains.
constexpr size_t kMaxBufferedOutputBytes = 4 * 1024 * 1024;
// Keys active expiry may delete per loop iteration, and buckets rehashed per timer tick.
constexpr size_t kExpireSlice = 1000;
constexpr size_t kRehashBuckets = 1000;

}  // namespace

Shard::Shard(uint32_t id, uint32_t shard_count, ShardSet& set, base::UniqueFd listener, int cpu,
             io::Backend backend, const commands::Config& config)
    : id_(id),
      set_(set),
      listener_(std::move(listener)),
      cpu_(cpu),
      backend_(backend),
      state_(id, shard_count, commands::DefaultCommandTable(), set.info(), config) {
  wake_fd_.Reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  CHECK(wake_fd_.valid(), "eventfd");
  outgoing_.assign(shard_count, nullptr);
  backlog_.resize(shard_count);
  shard_to_sub_.resize(shard_count);
  exists_spec_ = state_.commands->Find("exists");
  mset_spec_ = state_.commands->Find("mset");
  msetnx_spec_ = state_.commands->Find("msetnx");
  CHECK(exists_spec_ != nullptr && mset_spec_ != nullptr && msetnx_spec_ != nullptr);
}

Shard::~Shard() = default;

void Shard::Wake() {
  if (sleeping_.load(std::memory_order_seq_cst) &&
      sleeping_.exchange(false, std::memory_order_seq_cst)) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_.get(), &one, sizeof(one));
  }
}

void Shard::RequestStop() {
  stop_requested_.store(true, std::memory_order_seq_cst);
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd_.get(), &one, sizeof(one));
}

void Shard::Run() {
  if (cpu_ >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu_, &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
  }
  absl::StatusOr<std::unique_ptr<io::Poller>> poller = io::CreatePoller(backend_);
  CHECK(poller.ok(), "I/O backend setup failed after the startup probe");
  poller_ = std::move(poller).value();
  ArmAccept();
  ArmWake();
  Loop();
  connections_.clear();
}

void Shard::Loop() {
  while (true) {
    state_.clock.Refresh();
    int64_t cpu_start_us = state_.loop_cpu_stats ? base::Clock::ThreadCpuUs() : 0;
    // Receives are held back until every completion is in, so that the first key of every
    // connection's input can be prefetched before any of them executes.
    received_.clear();
    poller_->Drain([this](const io::Completion& completion) {
      auto* op = static_cast<Operation*>(completion.user_data);
      if (op->kind == Operation::Kind::kRecv && completion.result > 0) {
        received_.push_back({op->connection, completion.result, 0});
      } else {
        HandleCompletion(completion);
      }
    });
    if (received_.size() == 1) {
      OnRecv(*received_[0].connection, received_[0].bytes);
    } else if (!received_.empty()) {
      // Parse every connection's first group, then execute them in order while prefetching
      // ahead of the end of the group about to run: bucket slots kBucketsAhead keys ahead,
      // first entries kEntriesAhead ahead, and the second entries of the group itself
      // (PrefetchChain reads the first ones). Each stage then finds what it reads in cache, and
      // the misses of many connections' commands overlap without flooding the cache.
      constexpr size_t kBucketsAhead = 32;
      constexpr size_t kEntriesAhead = 16;
      prefetch_.clear();
      for (Received& r : received_) {
        Connection& c = *r.connection;
        c.recv_armed = false;
        r.prefetch_end = prefetch_.size();
        if (!TakeReceived(c, r.bytes)) {
          r.connection = nullptr;
          continue;
        }
        if (!c.has_parsed() && ParseGroup(c)) QueuePrefetch(c, /*issue=*/false);
        r.prefetch_end = prefetch_.size();
      }
      size_t buckets_done = 0;
      size_t entries_done = 0;
      size_t chains_done = 0;
      for (const Received& r : received_) {
        size_t end = r.prefetch_end;
        for (; buckets_done < std::min(prefetch_.size(), end + kBucketsAhead); ++buckets_done) {
          prefetch_[buckets_done].first->PrefetchBucket(prefetch_[buckets_done].second);
        }
        for (; entries_done < std::min(prefetch_.size(), end + kEntriesAhead); ++entries_done) {
          prefetch_[entries_done].first->PrefetchEntry(prefetch_[entries_done].second);
        }
        for (; chains_done < end; ++chains_done) {
          prefetch_[chains_done].first->PrefetchChain(prefetch_[chains_done].second);
        }
        if (r.connection == nullptr) continue;
        ProcessInput(*r.connection);
        ArmRecv(*r.connection);
      }
    }
    DrainInbound();
    if (has_blocking_work()) RunBlocking();
    RunTimers();
    if (stop_requested_.load(std::memory_order_relaxed)) CheckStopProgress();
    FlushOutgoing();
    FlushSends();
    if (reported_done_ && set_.AllDone()) break;

    // Sleep unless work is already waiting: publish that we sleep, then look at the rings
    // again, so a producer either sees the flag (and wakes us) or we see its message.
    unsigned wait_nr = 1;
    bool backlog = false;
    for (const auto& queue : backlog_) backlog |= !queue.empty();
    sleeping_.store(true, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    bool inbound = false;
    for (uint32_t from = 0; from < set_.size() && !inbound; ++from) {
      if (from != id_) inbound = !set_.ring(from, id_).Empty();
    }
    if (inbound || backlog || expiry_pending_ ||
        stop_requested_.load(std::memory_order_relaxed) != stopping_) {
      wait_nr = 0;
    }
    int64_t timeout_us = std::max<int64_t>(0, next_timer_us_ - base::Clock::MonotonicUs());
    if (next_deadline_ms_ != INT64_MAX) {
      // Wake just after the next deadline passes (a key lives through its deadline's ms).
      int64_t until_deadline_us = (next_deadline_ms_ + 1 - base::Clock::RealtimeMs()) * 1000;
      timeout_us = std::clamp<int64_t>(until_deadline_us, 0, timeout_us);
    }
    if (!block_deadlines_.empty()) {
      int64_t until_timeout_us =
          (block_deadlines_.begin()->first - base::Clock::RealtimeMs()) * 1000;
      timeout_us = std::clamp<int64_t>(until_timeout_us, 0, timeout_us);
    }
    if (!local_signals_.empty()) wait_nr = 0;
    uint64_t busy_us = static_cast<uint64_t>(base::Clock::MonotonicUs() - state_.clock.mono_us());
    state_.stats.longest_iteration_us = std::max(state_.stats.longest_iteration_us, busy_us);
    if (state_.loop_cpu_stats && cpu_start_us != 0) {
      auto cpu_us = static_cast<uint64_t>(base::Clock::ThreadCpuUs() - cpu_start_us);
      state_.stats.longest_iteration_cpu_us = std::max(state_.stats.longest_iteration_cpu_us, cpu_us);
    }
    poller_->SubmitAndWait(wait_nr == 1, timeout_us);
    sleeping_.store(false, std::memory_order_relaxed);
  }
}

void Shard::HandleCompletion(const io::Completion& completion) {
  auto* op = static_cast<Operation*>(completion.user_data);
  switch (op->kind) {
    case Operation::Kind::kAccept:
      return OnAccept(completion.result, completion.more);
    case Operation::Kind::kWake:
      wake_armed_ = false;
      if (!reported_done_ || !set_.AllDone()) ArmWake();
      return;
    case Operation::Kind::kRecv:
      return OnRecv(*op->connection, completion.result);
    case Operation::Kind::kSend:
      return OnSend(*op->connection, completion.result);
  }
}

void Shard::ArmAccept() {
  poller_->Accept(listener_.get(), &accept_op_);
  accept_armed_ = true;
}

void Shard::ArmWake() {
  poller_->Read(wake_fd_.get(), &wake_value_, sizeof(wake_value_), &wake_op_);
  wake_armed_ = true;
}

void Shard::OnAccept(int result, bool more) {
  if (!more) accept_armed_ = false;
  if (result >= 0) {
    int fd = result;
    commands::ServerInfo& info = *state_.server;
    int64_t clients = info.connected_clients.fetch_add(1, std::memory_order_relaxed) + 1;
    if (stopping_ || clients > state_.config.maxclients) {
      if (!stopping_) {
        static constexpr char kRefusal[] = "-ERR max number of clients reached\r\n";
        io::WriteBestEffort(fd, kRefusal, sizeof(kRefusal) - 1);
        ++state_.stats.rejected_connections;
      }
      ::close(fd);
      info.connected_clients.fetch_sub(1, std::memory_order_relaxed);
    } else {
      io::ConfigureClientSocket(fd, static_cast<int>(state_.config.tcp_keepalive));
      uint64_t client_id = info.next_client_id.fetch_add(1, std::memory_order_relaxed);
      auto conn = std::make_unique<Connection>(fd, client_id);
      Connection& c = *conn;
      c.client.shard_id = id_;
      c.client.addr = io::PeerAddress(fd);
      c.client.laddr = io::LocalAddress(fd);
      c.client.created_ms = state_.clock.now_ms();
      c.client.last_interaction_ms = c.client.created_ms;
      c.parser.set_limits({.max_bulk_len = state_.config.proto_max_bulk_len});
      c.in = std::make_unique<char[]>(kInitialInputBytes);
      c.in_capacity = kInitialInputBytes;
      state_.clients.insert(&c.client);
      connections_.emplace(&c, std::move(conn));
      ++state_.stats.total_connections_received;
      ArmRecv(c);
    }
  }
  if (!accept_armed_ && !stopping_ && result != -ECANCELED) ArmAccept();
}

void Shard::ArmRecv(Connection& c) {
  if (c.recv_armed || c.closing || c.client.close_after_reply) return;
  // Replies still owed hold views into the input buffer, except a blocked command's alone (its
  // arguments are copied): then keep reading, to see the client leave.
  bool blocked_alone = c.blocked_waiter != 0 && c.pending_subs == 1 && c.slots.size() == 1;
  if (c.pending_subs > 0 && !blocked_alone) return;
  // Parsed commands still waiting (behind a barrier) hold views into the buffer: keep it still.
  if (c.has_parsed()) return;
  if (c.out.size() + c.sending.size() > kMaxBufferedOutputBytes) return;  // resumes after send
  // Compact: move unparsed bytes to the front, then make room for the next read.
  if (c.in_pos == c.in_len) {
    c.in_pos = c.in_len = 0;
  } else if (c.in_pos > 0) {
    std::memmove(c.in.get(), c.in.get() + c.in_pos, c.in_len - c.in_pos);
    c.in_len -= c.in_pos;
    c.in_pos = 0;
  }
  size_t want = std::max(kMinFreeInputBytes, c.in_needed > c.in_len ? c.in_needed - c.in_len : 0);
  if (c.in_capacity - c.in_len < want) {
    size_t capacity = std::max(c.in_capacity * 2, c.in_len + want);
    auto bigger = std::make_unique<char[]>(capacity);
    std::memcpy(bigger.get(), c.in.get(), c.in_len);
    c.in = std::move(bigger);
    c.in_capacity = capacity;
  }
  poller_->Recv(c.fd(), c.in.get() + c.in_len, c.in_capacity - c.in_len, &c.recv_op);
  c.recv_armed = true;
}

void Shard::OnRecv(Connection& c, int result) {
  c.recv_armed = false;
  if (!TakeReceived(c, result)) return;
  ProcessInput(c);
  ArmRecv(c);
}

bool Shard::TakeReceived(Connection& c, int bytes) {
  if (bytes <= 0 || c.closing) {
    BeginClose(c);
    return false;
  }
  c.in_len += static_cast<size_t>(bytes);
  state_.stats.total_net_input_bytes += static_cast<uint64_t>(bytes);
  c.client.last_interaction_ms = state_.clock.now_ms();
  if (c.in_len - c.in_pos > static_cast<size_t>(state_.config.client_query_buffer_limit)) {
    base::Log(base::LogLevel::kWarning, "Closing client that reached max query buffer length: %s",
              c.client.addr);
    BeginClose(c);
    return false;
  }
  return true;
}

void Shard::MarkDirty(Connection& c) {
  if (c.in_dirty_list || c.out.empty()) return;
  c.in_dirty_list = true;
  dirty_.push_back(&c);
}

void Shard::FlushSends() {
  for (Connection* conn : dirty_) {
    Connection& c = *conn;
    c.in_dirty_list = false;
    if (c.send_armed || c.closing || c.out.empty() || !c.slots.empty()) continue;
    c.sending.swap(c.out);
    c.sent = 0;
    poller_->Send(c.fd(), c.sending.data(), c.sending.size(), &c.send_op);
    c.send_armed = true;
  }
  dirty_.clear();
}

void Shard::OnSend(Connection& c, int result) {
  c.send_armed = false;
  if (result < 0) {
    BeginClose(c);
    return;
  }
  state_.stats.total_net_output_bytes += static_cast<uint64_t>(result);
  c.sent += static_cast<size_t>(result);
  if (c.sent < c.sending.size() && !c.closing) {
    poller_->Send(c.fd(), c.sending.data() + c.sent, c.sending.size() - c.sent, &c.send_op);
    c.send_armed = true;
    return;
  }
  c.sending.clear();
  c.sent = 0;
  if (c.closing) return MaybeFree(c);
  if (!c.out.empty()) {
    MarkDirty(c);
  } else if (c.client.close_after_reply && c.slots.empty()) {
    return BeginClose(c);
  }
  ArmRecv(c);
}

void Shard::BeginClose(Connection& c) {
  if (c.blocked_waiter != 0) {
    auto it = blocked_.find(c.blocked_waiter);
    if (it != blocked_.end()) CancelBlocked(*it->second);
  }
  if (!c.closing) {
    c.closing = true;
    if (c.recv_armed || c.send_armed) io::Shutdown(c.fd());
  }
  MaybeFree(c);
}

void Shard::MaybeFree(Connection& c) {
  if (!c.closing || c.recv_armed || c.send_armed || c.pending_subs > 0) return;
  if (c.in_dirty_list) {
    dirty_.erase(std::find(dirty_.begin(), dirty_.end(), &c));
  }
  poller_->Close(c.fd());
  state_.clients.erase(&c.client);
  state_.server->connected_clients.fetch_sub(1, std::memory_order_relaxed);
  connections_.erase(&c);
}

void Shard::ProcessInput(Connection& c) {
  while (!c.client.close_after_reply && !c.closing && !c.barrier) {
    if (!c.has_parsed()) {
      if (c.in_pos >= c.in_len || !ParseGroup(c) || c.parsed.empty()) break;
      if (c.parsed.size() > 1) {
        prefetch_.clear();
        QueuePrefetch(c, /*issue=*/true);
        PrefetchQueuedEntries();
      }
    }
    // A barrier or QUIT stops execution; commands after it wait, parsed, in c.parsed.
    const ParsedCommand& command = c.parsed[c.parsed_next++];
    c.in_pos = command.end;
    if (command.argc != 0) {
      Dispatch(c, absl::MakeConstSpan(c.parsed_args.data() + command.arg_begin, command.argc));
    }
    if (!c.has_parsed() && c.in_needed != 0) break;  // the rest is an incomplete command
  }
  if (c.slots.empty()) {
    MarkDirty(c);
    if (c.client.close_after_reply && c.out.empty() && !c.send_armed) BeginClose(c);
  }
}

bool Shard::ParseGroup(Connection& c) {
  constexpr size_t kGroupSize = 32;
  c.parsed.clear();
  c.parsed_args.clear();
  c.parsed_next = 0;
  c.in_needed = 0;
  size_t pos = c.in_pos;
  while (c.parsed.size() < kGroupSize && pos < c.in_len) {
    // Inline commands are unescaped in place, so one must not be parsed twice: it ends a group.
    bool is_inline = c.in[pos] != '*';
    if (is_inline && !c.parsed.empty()) break;
    protocol::ParseResult result = c.parser.Parse(c.in.get() + pos, c.in_len - pos, &args_);
    if (result.status == protocol::ParseStatus::kIncomplete) {
      c.in_needed = result.needed;
      break;
    }
    if (result.status == protocol::ParseStatus::kError) {
      if (!c.parsed.empty()) break;  // answer the commands before it first
      protocol::ReplyBuilder(&c.out, c.client.resp3).Error(result.error);
      c.client.close_after_reply = true;
      c.in_pos = c.in_len;
      return false;
    }
    pos += result.consumed;
    c.parsed.push_back({static_cast<uint32_t>(c.parsed_args.size()),
                        static_cast<uint32_t>(args_.size()), pos});
    c.parsed_args.insert(c.parsed_args.end(), args_.begin(), args_.end());
    if (is_inline) break;
  }
  return true;
}

void Shard::QueuePrefetch(const Connection& c, bool issue) {
  const storage::Table& table = state_.dbs[c.client.db];
  if (table.size() < 4096) return;  // a small table is in cache anyway
  for (size_t i = c.parsed_next; i < c.parsed.size(); ++i) {
    const ParsedCommand& command = c.parsed[i];
    if (command.argc < 2) continue;
    std::string_view key = c.parsed_args[command.arg_begin + 1];
    if (set_.size() > 1 && ShardOfKey(key) != id_) continue;
    uint64_t hash = storage::Table::HashOf(key);
    if (issue) table.PrefetchBucket(hash);
    prefetch_.emplace_back(&table, hash);
  }
}

void Shard::PrefetchQueuedEntries() {
  for (const auto& [table, hash] : prefetch_) table->PrefetchEntry(hash);
  for (const auto& [table, hash] : prefetch_) table->PrefetchChain(hash);
}

uint32_t Shard::ShardOfKey(std::string_view key) const {
  return set_.SlotOwner(cluster::KeySlot(key));
}

void Shard::Dispatch(Connection& c, absl::Span<const std::string_view> args) {
  protocol::ReplyBuilder reply(&c.out, c.client.resp3);
  // Blocking commands all start with a 'b' (BLPOP, BZMPOP, ...): others skip the check.
  bool maybe_blocking = !args[0].empty() && (args[0][0] | 0x20) == 'b';
  if (set_.size() == 1 && !maybe_blocking) {
    commands::RunOnSingleShard(state_, args, reply, c.client);
    return;
  }
  const commands::CommandSpec* spec = commands::LookupCommand(state_, args, reply);
  if (spec == nullptr) return;
  commands::NoteLastCommand(*spec, args, c.client);
  if ((spec->flags & commands::kBlocking) != 0) return StartBlocking(c, *spec, args);
  if (set_.size() == 1) return commands::RunOnSingleShard(state_, args, reply, c.client);
  switch (spec->RouteFor(args)) {
    case commands::Route::kLocal:
      return commands::Execute(*spec, state_, args, c.client.db, reply, &c.client);
    case commands::Route::kKeys:
      return DispatchKeys(c, *spec, args);
    case commands::Route::kAllShards:
      return FanOut(c, *spec, args);
    case commands::Route::kScanCursor: {
      uint64_t cursor = 0;
      std::string_view text = args[1];
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), cursor);
      uint32_t dest = id_;
      if (ec == std::errc() && ptr == text.data() + text.size()) {
        dest = commands::ScanCursorShard(cursor, set_.size());
      }
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        return commands::Execute(*spec, state_, args, c.client.db, reply, &c.client);
      }
      return StartScan(c, *spec, args, dest);
    }
  }
}

void Shard::StartScan(Connection& c, const commands::CommandSpec& spec,
                      absl::Span<const std::string_view> args, uint32_t dest) {
  commands::CountCall(spec, state_, 0, false);
  uint32_t count = 10;
  for (size_t i = 2; i + 1 < args.size(); i += 2) {
    if (base::EqualsIgnoreCase(args[i], "COUNT")) {
      std::optional<int64_t> n = commands::ParseInt(args[i + 1]);
      if (n && *n > 0) count = static_cast<uint32_t>(std::min<int64_t>(*n, UINT32_MAX));
    }
  }
  c.barrier = true;
  Slot& slot = OpenSlot(c, spec, true, 0, args);
  slot.step = SlotStep::kScan;
  slot.scan_count = count;
  slot.scan_keys = 0;
  ScanStep(c, dest);
}

void Shard::ScanStep(Connection& c, uint32_t dest) {
  // The slot is the connection's last (SCAN is a barrier); its sub-replies grow one per hop.
  Slot& slot = c.slots.back();
  uint32_t sub_index = static_cast<uint32_t>(c.subs.size());
  c.subs.push_back({0, 0});
  ++slot.sub_count;
  ++c.pending_subs;
  auto args = absl::MakeConstSpan(c.slot_args.data() + slot.first_arg, slot.argc);
  if (dest == id_) return RunLocalSub(c, *slot.spec, args, sub_index);
  Request& request = AddRequest(dest, c, *slot.spec, sub_index);
  request.count_call = false;
  Batch& batch = *outgoing_[dest];
  batch.args.insert(batch.args.end(), args.begin(), args.end());
  request.argc = static_cast<uint32_t>(args.size());
}

bool Shard::ContinueScan(Connection& c) {
  Slot& slot = c.slots.back();
  const Connection::SubReply& sub = c.subs[slot.first_sub + slot.sub_count - 1];
  std::string_view reply(c.remote_replies.data() + sub.offset, sub.length);
  slot.step = SlotStep::kScanDone;
  if (protocol::IsErrorReply(reply)) return false;
  protocol::ElementReader reader(reply);
  std::string_view cursor_element = reader.Next().value_or("$1\r\n0\r\n");
  std::string_view keys = reader.Next().value_or("*0\r\n");
  slot.scan_keys += static_cast<uint32_t>(std::max<int64_t>(0, protocol::ElementReader(keys).count()));
  // The cursor bulk: "$<n>\r\n<digits>\r\n".
  size_t start = cursor_element.find('\n') + 1;
  std::string_view digits = cursor_element.substr(start, cursor_element.size() - start - 2);
  uint64_t cursor = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), cursor);
  if (cursor == 0 || slot.scan_keys >= slot.scan_count ||
      commands::ScanCursorTable(cursor, set_.size()) != 0) {
    return false;  // done, enough keys, or the same shard still has more
  }
  // The shard finished with too few keys: ask the next one, with the cursor it was handed.
  slot.step = SlotStep::kScan;
  c.scan_cursor.assign(digits);
  c.slot_args[slot.first_arg + 1] = c.scan_cursor;
  ScanStep(c, commands::ScanCursorShard(cursor, set_.size()));
  return c.pending_subs > 0 || ContinueSlot(c);
}

void Shard::DispatchKeys(Connection& c, const commands::CommandSpec& spec,
                         absl::Span<const std::string_view> args) {
  key_positions_.clear();
  commands::KeyPositions(spec, args, &key_positions_);
  if (key_positions_.empty()) {
    protocol::ReplyBuilder reply(&c.out, c.client.resp3);
    return commands::Execute(spec, state_, args, c.client.db, reply, &c.client);
  }
  // Where each key lives; the common case is one key or keys all on one shard.
  key_dest_.clear();
  bool one_shard = true;
  for (uint32_t pos : key_positions_) {
    key_dest_.push_back(ShardOfKey(args[pos]));
    one_shard &= key_dest_.back() == key_dest_.front();
  }
  if (one_shard) {
    uint32_t dest = key_dest_.front();
    if (dest == id_) {
      protocol::ReplyBuilder reply(&c.out, c.client.resp3);
      return commands::Execute(spec, state_, args, c.client.db, reply, &c.client);
    }
    return SendWhole(c, spec, args, dest);
  }
  uint32_t step = spec.step > 0 ? static_cast<uint32_t>(spec.step) : 1;
  if ((args.size() - static_cast<size_t>(spec.first_key)) % step != 0) {
    // Keys without their values (MSET a 1 b): the handler replies with the error.
    protocol::ReplyBuilder reply(&c.out, c.client.resp3);
    return commands::Execute(spec, state_, args, c.client.db, reply, &c.client);
  }
  if (&spec == msetnx_spec_) return StartMsetnx(c, args);
  if (spec.merge == commands::Merge::kNone) return StartGather(c, spec, args);
  commands::CountCall(spec, state_, 0, false);
  Split(c, spec, args);
}

size_t Shard::Split(Connection& c, const commands::CommandSpec& spec,
                    absl::Span<const std::string_view> args) {
  // REQUIRES: key_positions_ and key_dest_ describe `args`.
  uint32_t step = spec.step > 0 ? static_cast<uint32_t>(spec.step) : 1;
  std::fill(shard_to_sub_.begin(), shard_to_sub_.end(), UINT32_MAX);
  uint32_t sub_count = 0;
  for (uint32_t dest : key_dest_) {
    if (shard_to_sub_[dest] == UINT32_MAX) shard_to_sub_[dest] = sub_count++;
  }
  size_t slot_index = c.slots.size();
  Slot& slot = OpenSlot(c, spec, true, sub_count, args);
  slot.first_key_shard = static_cast<uint32_t>(c.key_shards.size());
  slot.key_count = static_cast<uint32_t>(key_dest_.size());
  for (uint32_t dest : key_dest_) c.key_shards.push_back(shard_to_sub_[dest]);
  uint32_t first_sub = slot.first_sub;
  int local_sub = -1;
  for (uint32_t dest = 0; dest < set_.size(); ++dest) {
    if (shard_to_sub_[dest] == UINT32_MAX) continue;
    if (dest == id_) {
      local_sub = static_cast<int>(first_sub + shard_to_sub_[dest]);
      continue;
    }
    Request& request = AddRequest(dest, c, spec, first_sub + shard_to_sub_[dest]);
    request.count_call = false;
    Batch& batch = *outgoing_[dest];
    batch.args.push_back(args[0]);
    for (size_t k = 0; k < key_positions_.size(); ++k) {
      if (key_dest_[k] != dest) continue;
      for (uint32_t j = 0; j < step; ++j) batch.args.push_back(args[key_positions_[k] + j]);
    }
    request.argc = static_cast<uint32_t>(batch.args.size() - request.arg_begin);
  }
  if (local_sub >= 0) {
    // The local part runs last, after the remote parts are queued.
    split_args_.clear();
    split_args_.push_back(args[0]);
    for (size_t k = 0; k < key_positions_.size(); ++k) {
      if (key_dest_[k] != id_) continue;
      for (uint32_t j = 0; j < step; ++j) split_args_.push_back(args[key_positions_[k] + j]);
    }
    RunLocalSub(c, spec, split_args_, static_cast<uint32_t>(local_sub));
  }
  return slot_index;
}

void Shard::StartMsetnx(Connection& c, absl::Span<const std::string_view> args) {
  // Phase 1: EXISTS of every key, split like the MSETNX itself (key_dest_ still applies).
  split_args_.clear();
  split_args_.push_back("EXISTS");
  for (uint32_t pos : key_positions_) split_args_.push_back(args[pos]);
  std::vector<std::string_view> exists_args = split_args_;
  commands::CountCall(*msetnx_spec_, state_, 0, false);
  key_positions_.clear();
  for (uint32_t i = 1; i < exists_args.size(); ++i) key_positions_.push_back(i);
  c.barrier = true;
  size_t index = Split(c, *exists_spec_, exists_args);
  Slot& slot = c.slots[index];
  slot.step = SlotStep::kMsetnxCheck;
  // Keep the original MSETNX arguments for phase 2 in place of the EXISTS ones.
  c.slot_args.resize(slot.first_arg);
  c.slot_args.insert(c.slot_args.end(), args.begin(), args.end());
  slot.argc = static_cast<uint32_t>(args.size());
}

bool Shard::ContinueSlot(Connection& c) {
  if (c.slots.empty()) return false;
  if (c.slots.back().step == SlotStep::kScan) return ContinueScan(c);
  if (c.slots.back().step == SlotStep::kGather) return ContinueGather(c);
  if (c.slots.back().step == SlotStep::kGatherWrite) {
    c.slots.pop_back();
    c.out.append(c.gather_reply);
    c.gather_reply.clear();
    c.gather_values.clear();
    c.barrier = false;
    return false;
  }
  if (c.slots.back().step != SlotStep::kMsetnxCheck) return false;
  Slot check = c.slots.back();
  int64_t existing = 0;
  std::string_view error;
  for (uint32_t i = 0; i < check.sub_count; ++i) {
    const Connection::SubReply& sub = c.subs[check.first_sub + i];
    std::string_view reply(c.remote_replies.data() + sub.offset, sub.length);
    if (protocol::IsErrorReply(reply)) error = reply;
    existing += protocol::ReplyInt(reply).value_or(0);
  }
  std::vector<std::string_view> mset_args(c.slot_args.begin() + check.first_arg,
                                          c.slot_args.begin() + check.first_arg + check.argc);
  c.slots.pop_back();
  if (!error.empty() || existing > 0) {
    std::string reply_bytes = error.empty() ? std::string(":0\r\n") : std::string(error);
    c.out.append(reply_bytes);
    c.barrier = false;
    return false;
  }
  // Phase 2: MSET the same keys and values, answered with :1.
  mset_args[0] = "MSET";
  key_positions_.clear();
  key_dest_.clear();
  for (uint32_t pos = 1; pos < mset_args.size(); pos += 2) {
    key_positions_.push_back(pos);
    key_dest_.push_back(ShardOfKey(mset_args[pos]));
  }
  size_t index = Split(c, *mset_spec_, mset_args);
  if (index < c.slots.size()) c.slots[index].step = SlotStep::kMsetnxSet;
  return c.pending_subs > 0;
}

void Shard::StartGather(Connection& c, const commands::CommandSpec& spec,
                        absl::Span<const std::string_view> args) {
  // Phase 1: __dumpkeys of every distinct key, split by owner.
  commands::CountCall(spec, state_, 0, false);
  split_args_.clear();
  split_args_.push_back(commands::DumpKeysSpec().name);
  for (uint32_t pos : key_positions_) {
    if (std::find(split_args_.begin() + 1, split_args_.end(), args[pos]) == split_args_.end()) {
      split_args_.push_back(args[pos]);
    }
  }
  std::vector<std::string_view> dump_args = split_args_;
  key_positions_.clear();
  key_dest_.clear();
  for (uint32_t i = 1; i < dump_args.size(); ++i) {
    key_positions_.push_back(i);
    key_dest_.push_back(ShardOfKey(dump_args[i]));
  }
  c.barrier = true;
  size_t index = Split(c, commands::DumpKeysSpec(), dump_args);
  Slot& slot = c.slots[index];
  slot.step = SlotStep::kGather;
  slot.spec = &spec;
  // Keep the command's own arguments, to run it once the values are in.
  c.slot_args.resize(slot.first_arg);
  c.slot_args.insert(c.slot_args.end(), args.begin(), args.end());
  slot.argc = static_cast<uint32_t>(args.size());
}

bool Shard::ContinueGather(Connection& c) {
  Slot slot = c.slots.back();
  c.slots.pop_back();
  const commands::CommandSpec& spec = *slot.spec;
  std::vector<std::string_view> args(c.slot_args.begin() + slot.first_arg,
                                     c.slot_args.begin() + slot.first_arg + slot.argc);
  std::vector<protocol::ElementReader> readers;
  for (uint32_t i = 0; i < slot.sub_count; ++i) {
    const Connection::SubReply& sub = c.subs[slot.first_sub + i];
    std::string_view reply(c.remote_replies.data() + sub.offset, sub.length);
    if (protocol::IsErrorReply(reply)) {
      c.out.append(reply);
      c.barrier = false;
      return false;
    }
    readers.emplace_back(reply);
  }
  if (scratch_ == nullptr) {
    scratch_ = std::make_unique<commands::ShardState>(id_, 1, *state_.commands, *state_.server,
                                                      state_.config);
  }
  commands::ShardState& scratch = *scratch_;
  scratch.config = state_.config;
  scratch.ApplyConfig();
  scratch.clock = state_.clock;
  uint8_t db = c.client.db;
  // The distinct keys, in the order phase 1 sent them; their values recreated in the scratch.
  std::vector<std::string_view> keys;
  std::vector<std::string> originals;
  std::vector<uint32_t> positions;
  commands::KeyPositions(spec, args, &positions);
  for (uint32_t pos : positions) {
    if (std::find(keys.begin(), keys.end(), args[pos]) != keys.end()) continue;
    uint32_t sub = c.key_shards[slot.first_key_shard + keys.size()];
    keys.push_back(args[pos]);
    originals.emplace_back(readers[sub].Next().value_or("$-1\r\n"));
    commands::RestoreKey(scratch, db, keys.back(), originals.back());
  }
  std::string reply_bytes;
  protocol::ReplyBuilder reply(&reply_bytes, c.client.resp3);
  commands::Execute(spec, scratch, args, db, reply, &c.client, /*count_call=*/false);
  // Phase 2: the values that changed go back to their owners.
  c.gather_values.clear();
  std::vector<std::string_view> changed_keys;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string now = commands::DumpKey(scratch, db, keys[i]);
    if (now == originals[i]) continue;
    if (ShardOfKey(keys[i]) == id_) {
      commands::RestoreKey(state_, db, keys[i], now);
      continue;
    }
    changed_keys.push_back(keys[i]);
    c.gather_values.push_back(std::move(now));
  }
  scratch.dbs[db].Clear();
  if (changed_keys.empty()) {
    c.out.append(reply_bytes);
    c.barrier = false;
    return false;
  }
  c.gather_reply = std::move(reply_bytes);
  const commands::CommandSpec& restore = commands::RestoreKeySpec();
  Slot& write = OpenSlot(c, restore, /*merge=*/false, static_cast<uint32_t>(changed_keys.size()),
                         {});
  write.step = SlotStep::kGatherWrite;
  uint32_t first_sub = write.first_sub;
  for (size_t i = 0; i < changed_keys.size(); ++i) {
    uint32_t dest = ShardOfKey(changed_keys[i]);
    Request& request = AddRequest(dest, c, restore, first_sub + static_cast<uint32_t>(i));
    request.count_call = false;
    Batch& batch = *outgoing_[dest];
    batch.args.insert(batch.args.end(), {restore.name, changed_keys[i], c.gather_values[i]});
    request.argc = 3;
  }
  return true;
}

void Shard::FanOut(Connection& c, const commands::CommandSpec& spec,
                   absl::Span<const std::string_view> args) {
  commands::CountCall(spec, state_, 0, false);
  Slot& slot = OpenSlot(c, spec, true, set_.size(), args);
  uint32_t first_sub = slot.first_sub;
  for (uint32_t dest = 0; dest < set_.size(); ++dest) {
    if (dest == id_) continue;
    Request& request = AddRequest(dest, c, spec, first_sub + dest);
    request.count_call = false;
    Batch& batch = *outgoing_[dest];
    batch.args.insert(batch.args.end(), args.begin(), args.end());
    request.argc = static_cast<uint32_t>(args.size());
  }
  // Run the local part last, so that a completed fan-out is assembled only once.
  RunLocalSub(c, spec, args, first_sub + id_);
}

void Shard::SendWhole(Connection& c, const commands::CommandSpec& spec,
                      absl::Span<const std::string_view> args, uint32_t dest) {
  Slot& slot = OpenSlot(c, spec, false, 1, args);
  Request& request = AddRequest(dest, c, spec, slot.first_sub);
  Batch& batch = *outgoing_[dest];
  batch.args.insert(batch.args.end(), args.begin(), args.end());
  request.argc = static_cast<uint32_t>(args.size());
}

Slot& Shard::OpenSlot(Connection& c, const commands::CommandSpec& spec, bool merge,
                      uint32_t sub_count, absl::Span<const std::string_view> args) {
  Slot slot{};
  slot.out_offset = c.out.size();
  slot.spec = &spec;
  slot.merge = merge;
  slot.step = SlotStep::kReply;
  slot.first_sub = static_cast<uint32_t>(c.subs.size());
  slot.sub_count = sub_count;
  slot.first_arg = static_cast<uint32_t>(c.slot_args.size());
  slot.argc = merge ? static_cast<uint32_t>(args.size()) : 0;
  if (merge) c.slot_args.insert(c.slot_args.end(), args.begin(), args.end());
  c.subs.resize(c.subs.size() + sub_count, Connection::SubReply{0, 0});
  c.pending_subs += sub_count;
  c.slots.push_back(slot);
  return c.slots.back();
}

Request& Shard::AddRequest(uint32_t dest, Connection& c, const commands::CommandSpec& spec,
                           uint32_t sub_index) {
  Batch*& batch = outgoing_[dest];
  if (batch == nullptr) {
    batch = TakeBatch();
    batch->origin = id_;
  }
  Request& request = batch->requests.emplace_back();
  request.spec = &spec;
  request.connection = &c;
  request.sub_index = sub_index;
  request.arg_begin = static_cast<uint32_t>(batch->args.size());
  request.argc = 0;
  request.db = c.client.db;
  request.resp3 = c.client.resp3;
  request.count_call = true;
  return request;
}

void Shard::RunLocalSub(Connection& c, const commands::CommandSpec& spec,
                        absl::Span<const std::string_view> args, uint32_t sub_index) {
  size_t begin = c.remote_replies.size();
  protocol::ReplyBuilder reply(&c.remote_replies, c.client.resp3);
  commands::Execute(spec, state_, args, c.client.db, reply, &c.client, /*count_call=*/false);
  c.subs[sub_index] = {static_cast<uint32_t>(begin),
                       static_cast<uint32_t>(c.remote_replies.size() - begin)};
  if (--c.pending_subs == 0 && !ContinueSlot(c)) AssembleReplies(c);
}

void Shard::CompleteSub(Connection& c, uint32_t sub_index, std::string_view reply) {
  c.subs[sub_index] = {static_cast<uint32_t>(c.remote_replies.size()),
                       static_cast<uint32_t>(reply.size())};
  c.remote_replies.append(reply);
  if (--c.pending_subs > 0) return;
  if (c.closing) return MaybeFree(c);
  if (ContinueSlot(c)) return;
  AssembleReplies(c);
  // The input batch is answered: carry on with input that was waiting behind it.
  ProcessInput(c);
  ArmRecv(c);
}

void Shard::AppendScanReply(Connection& c, const Slot& slot) {
  auto sub_view = [&](uint32_t i) {
    const Connection::SubReply& sub = c.subs[slot.first_sub + i];
    return std::string_view(c.remote_replies.data() + sub.offset, sub.length);
  };
  std::string_view last = sub_view(slot.sub_count - 1);
  if (protocol::IsErrorReply(last)) {
    assembled_.append(last);
    return;
  }
  protocol::ReplyBuilder reply(&assembled_, c.client.resp3);
  reply.Array(2);
  reply.Raw(protocol::ElementReader(last).Next().value_or("$1\r\n0\r\n"));
  reply.Array(slot.scan_keys);
  for (uint32_t i = 0; i < slot.sub_count; ++i) {
    protocol::ElementReader step(sub_view(i));
    step.Next();
    protocol::ElementReader keys(step.Next().value_or("*0\r\n"));
    while (auto key = keys.Next()) reply.Raw(*key);
  }
}

void Shard::AssembleReplies(Connection& c) {
  assembled_.clear();
  size_t pos = 0;
  for (const Slot& slot : c.slots) {
    assembled_.append(c.out, pos, slot.out_offset - pos);
    pos = slot.out_offset;
    if (slot.step == SlotStep::kScanDone) {
      AppendScanReply(c, slot);
      continue;
    }
    if (slot.step == SlotStep::kMsetnxSet) {
      // MSET cannot fail once the keys are known to be absent.
      assembled_.append(":1\r\n");
      continue;
    }
    if (!slot.merge) {
      const Connection::SubReply& sub = c.subs[slot.first_sub];
      assembled_.append(c.remote_replies, sub.offset, sub.length);
      continue;
    }
    sub_views_.clear();
    for (uint32_t i = 0; i < slot.sub_count; ++i) {
      const Connection::SubReply& sub = c.subs[slot.first_sub + i];
      sub_views_.emplace_back(c.remote_replies.data() + sub.offset, sub.length);
    }
    protocol::ReplyBuilder reply(&assembled_, c.client.resp3);
    commands::MergeContext merge{
        absl::MakeConstSpan(c.slot_args.data() + slot.first_arg, slot.argc), sub_views_, state_,
        reply};
    commands::MergeReplies(*slot.spec, merge,
                           absl::MakeConstSpan(c.key_shards.data() + slot.first_key_shard,
                                               slot.key_count));
  }
  assembled_.append(c.out, pos, std::string::npos);
  c.out.swap(assembled_);
  c.slots.clear();
  c.subs.clear();
  c.remote_replies.clear();
  c.slot_args.clear();
  c.key_shards.clear();
  c.barrier = false;
  MarkDirty(c);
}

Batch* Shard::TakeBatch() {
  if (free_batches_.empty()) {
    batches_.push_back(std::make_unique<Batch>());
    return batches_.back().get();
  }
  Batch* batch = free_batches_.back();
  free_batches_.pop_back();
  return batch;
}

void Shard::Push(uint32_t dest, Batch* batch) {
  std::deque<Batch*>& backlog = backlog_[dest];
  if (!backlog.empty() || !set_.ring(id_, dest).TryPush(Message{batch})) {
    backlog.push_back(batch);
    return;
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
  set_.shard(dest).Wake();
}

void Shard::FlushOutgoing() {
  for (uint32_t dest = 0; dest < set_.size(); ++dest) {
    std::deque<Batch*>& backlog = backlog_[dest];
    bool pushed = false;
    while (!backlog.empty() && set_.ring(id_, dest).TryPush(Message{backlog.front()})) {
      backlog.pop_front();
      pushed = true;
    }
    if (pushed) {
      std::atomic_thread_fence(std::memory_order_seq_cst);
      set_.shard(dest).Wake();
    }
    Batch* batch = outgoing_[dest];
    if (batch == nullptr) continue;
    outgoing_[dest] = nullptr;
    ++batches_out_;
    ++state_.stats.cross_shard_batches_sent;
    state_.stats.cross_shard_requests_sent += batch->requests.size();
    Push(dest, batch);
  }
}

void Shard::DrainInbound() {
  for (uint32_t from = 0; from < set_.size(); ++from) {
    if (from == id_) continue;
    ShardRing& ring = set_.ring(from, id_);
    Message message;
    while (ring.TryPop(&message)) {
      Batch& batch = *message.batch;
      if (batch.origin == id_) {
        ApplyReplies(batch);
      } else {
        ExecuteBatch(batch);
        Push(batch.origin, &batch);
      }
    }
  }
}

void Shard::ExecuteBatch(Batch& batch) {
  batch.replies.clear();
  if (batch.requests.size() > 1) {
    // The stages of QueuePrefetch and PrefetchQueuedEntries, over the batch's first keys.
    prefetch_.clear();
    for (const Request& request : batch.requests) {
      if (request.argc < 2) continue;
      const storage::Table& table = state_.dbs[request.db];
      uint64_t hash = storage::Table::HashOf(batch.args[request.arg_begin + 1]);
      table.PrefetchBucket(hash);
      prefetch_.emplace_back(&table, hash);
    }
    PrefetchQueuedEntries();
  }
  for (Request& request : batch.requests) {
    auto begin = static_cast<uint32_t>(batch.replies.size());
    protocol::ReplyBuilder reply(&batch.replies, request.resp3);
    commands::Execute(*request.spec, state_,
                      absl::MakeConstSpan(batch.args.data() + request.arg_begin, request.argc),
                      request.db, reply, nullptr, request.count_call);
    request.reply_begin = begin;
    request.reply_len = static_cast<uint32_t>(batch.replies.size()) - begin;
  }
  for (Signal& signal : batch.signals) HandleSignal(signal);
  batch.signals.clear();
}

void Shard::ApplyReplies(Batch& batch) {
  --batches_out_;
  for (const Request& request : batch.requests) {
    CompleteSub(*request.connection, request.sub_index,
                std::string_view(batch.replies.data() + request.reply_begin, request.reply_len));
  }
  batch.Clear();
  free_batches_.push_back(&batch);
}

void Shard::RunTimers() {
  // Active expiry runs every iteration, a bounded slice at a time, so that a million keys
  // expiring together are reclaimed quickly without a long pause.
  int64_t now_ms = state_.clock.now_ms();
  expiry_pending_ = false;
  next_deadline_ms_ = INT64_MAX;
  for (storage::Table& table : state_.dbs) {
    // A slice of work on a large bucket array; keep iterating until it is all done.
    if (table.has_background_work() && table.BackgroundStep()) expiry_pending_ = true;
    if (table.expires_count() == 0) continue;
    size_t expired = table.ActiveExpire(now_ms, kExpireSlice);
    state_.stats.expired_keys_active += expired;
    if (expired == kExpireSlice) expiry_pending_ = true;
    if (const storage::Entry* next = table.EarliestDeadline()) {
      next_deadline_ms_ = std::min(next_deadline_ms_, next->expire_at_ms());
    }
  }
  int64_t now_us = state_.clock.mono_us();
  if (now_us < next_timer_us_) return;
  next_timer_us_ = now_us + 1000000 / std::max<int64_t>(1, state_.config.hz);
  for (storage::Table& table : state_.dbs) {
    if (table.size() != 0) table.RehashStep(kRehashBuckets);
  }
}

void Shard::CheckStopProgress() {
  if (!stopping_) {
    stopping_ = true;
    if (accept_armed_) poller_->CancelAccept(listener_.get(), &accept_op_);
    std::vector<Connection*> all;
    for (auto& [conn, owned] : connections_) all.push_back(conn);
    for (Connection* conn : all) BeginClose(*conn);
  }
  if (!reported_done_ && connections_.empty() && batches_out_ == 0) {
    reported_done_ = true;
    set_.ReportDone();
  }
}

}  // namespace ringtail::shard
