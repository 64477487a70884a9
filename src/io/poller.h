// SPDX-License-Identifier: Apache-2.0
// Poller: the I/O backend of one shard, in completion style. The shard asks for operations
// (accept, recv, send, read) and later receives one Completion per finished operation with the
// `user_data` it gave. Two backends sit behind this interface: io_uring (the fast path) and
// epoll with non-blocking syscalls (for hosts where io_uring is blocked, such as container
// runtimes' default seccomp profiles). Created and used by one shard thread only.
//
// Contract shared by both backends:
// - At most one recv and one send may be outstanding per fd at a time.
// - Accept is multishot: it completes once per new connection (`result` = the new fd) with
//   `more` set while it stays armed; when `more` is clear the caller re-arms it if it wants.
// - `result` is a byte count or fd (>= 0), or -errno. A recv of 0 means the peer closed.
// - Buffers passed to Recv/Send/Read must stay valid until their completion arrives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace ringtail::io {

struct Completion {
  void* user_data;
  int result;
  bool more;
};

class Poller {
 public:
  virtual ~Poller() = default;

  virtual void Accept(int listen_fd, void* user_data) = 0;
  // Stops a multishot accept; its last completion carries -ECANCELED or arrives with more clear.
  virtual void CancelAccept(int listen_fd, void* user_data) = 0;
  virtual void Recv(int fd, char* buffer, size_t size, void* user_data) = 0;
  virtual void Send(int fd, const char* data, size_t size, void* user_data) = 0;
  // A plain read, for the shard's wake-up eventfd.
  virtual void Read(int fd, void* buffer, size_t size, void* user_data) = 0;
  // Closes an fd with no operation outstanding.
  virtual void Close(int fd) = 0;

  // Starts the queued operations and waits for at least one completion if `wait`, at most
  // `timeout_us` (negative: no limit).
  virtual void SubmitAndWait(bool wait, int64_t timeout_us) = 0;
  // Hands every available completion to `fn`, which may queue new operations.
  virtual void Drain(absl::FunctionRef<void(const Completion&)> fn) = 0;

  // "io_uring" or "epoll", for INFO and logs.
  virtual std::string_view name() const = 0;
};

enum class Backend { kAuto, kUring, kEpoll };

// io_uring if available (and allowed by `backend`), else epoll. Shard thread: call it there.
absl::StatusOr<std::unique_ptr<Poller>> CreatePoller(Backend backend);

// Probes whether io_uring works here; the error explains why not.
absl::Status ProbeUring();

std::unique_ptr<Poller> CreateUringPoller(std::unique_ptr<class Ring> ring);
absl::StatusOr<std::unique_ptr<Poller>> CreateEpollPoller();

}  // namespace ringtail::io
