// SPDX-License-Identifier: Apache-2.0
// The epoll backend: each fd is registered once, edge-triggered for input and output. The poller
// remembers which fds are readable or writable and performs a queued operation with a
// non-blocking syscall as soon as its fd is ready; EAGAIN clears the readiness until the next
// edge. Operations that finish become completions, exactly as the io_uring backend reports them.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/unique_fd.h"
#include "io/poller.h"

namespace ringtail::io {
namespace {

class EpollPoller final : public Poller {
 public:
  explicit EpollPoller(base::UniqueFd epoll_fd) : epoll_fd_(std::move(epoll_fd)) {}

  void Accept(int listen_fd, void* user_data) override {
    FdState& s = State(listen_fd);
    s.accept = user_data;
    Touch(listen_fd);
  }

  void CancelAccept(int listen_fd, void* user_data) override {
    FdState& s = State(listen_fd);
    if (s.accept == user_data) {
      s.accept = nullptr;
      ready_.push_back({user_data, -ECANCELED, false});
    }
  }

  void Recv(int fd, char* buffer, size_t size, void* user_data) override {
    FdState& s = State(fd);
    s.in = {user_data, buffer, size, Op::kRecv};
    Touch(fd);
  }

  void Read(int fd, void* buffer, size_t size, void* user_data) override {
    FdState& s = State(fd);
    s.in = {user_data, static_cast<char*>(buffer), size, Op::kRead};
    Touch(fd);
  }

  void Send(int fd, const char* data, size_t size, void* user_data) override {
    FdState& s = State(fd);
    s.out = {user_data, const_cast<char*>(data), size, Op::kSend};
    Touch(fd);
  }

  void Close(int fd) override {
    fds_.erase(fd);
    ::close(fd);  // closing removes it from the epoll set
  }

  void SubmitAndWait(bool wait, int64_t timeout_us) override {
    for (int fd : touched_) Progress(fd);
    touched_.clear();
    int timeout_ms = -1;
    if (!wait || !ready_.empty()) {
      timeout_ms = 0;
    } else if (timeout_us >= 0) {
      timeout_ms = static_cast<int>((timeout_us + 999) / 1000);
    }
    epoll_event events[256];
    int n = epoll_wait(epoll_fd_.get(), events, 256, timeout_ms);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      auto it = fds_.find(fd);
      if (it == fds_.end()) continue;
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) it->second.readable = true;
      if (events[i].events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) it->second.writable = true;
      Progress(fd);
    }
  }

  void Drain(absl::FunctionRef<void(const Completion&)> fn) override {
    // Completions handed out may queue new operations (and completions): take a batch at a time.
    while (!ready_.empty()) {
      draining_.swap(ready_);
      for (const Completion& c : draining_) fn(c);
      draining_.clear();
    }
  }

  std::string_view name() const override { return "epoll"; }

 private:
  enum class Op : uint8_t { kNone, kRecv, kRead, kSend };
  struct Pending {
    void* user_data = nullptr;
    char* buffer = nullptr;
    size_t size = 0;
    Op op = Op::kNone;
  };
  struct FdState {
    bool registered = false;
    bool readable = false;
    bool writable = true;  // a fresh socket can be written until EAGAIN says otherwise
    void* accept = nullptr;
    Pending in;
    Pending out;
  };

  FdState& State(int fd) {
    FdState& s = fds_[fd];
    if (!s.registered) {
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
      ev.data.fd = fd;
      epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &ev);
      s.registered = true;
      s.readable = true;  // try once: data may have arrived before registration
    }
    return s;
  }

  void Touch(int fd) { touched_.push_back(fd); }

  // Performs whatever the fd's readiness allows.
  void Progress(int fd) {
    auto it = fds_.find(fd);
    if (it == fds_.end()) return;
    FdState& s = it->second;
    while (s.accept != nullptr && s.readable) {
      int client = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          s.readable = false;
        } else if (errno != EINTR && errno != ECONNABORTED) {
          ready_.push_back({s.accept, -errno, false});
          s.accept = nullptr;
        }
        continue;
      }
      ready_.push_back({s.accept, client, true});
    }
    if (s.in.op != Op::kNone && s.readable) {
      ssize_t n = s.in.op == Op::kRecv ? ::recv(fd, s.in.buffer, s.in.size, MSG_DONTWAIT)
                                       : ::read(fd, s.in.buffer, s.in.size);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        s.readable = false;
      } else if (!(n < 0 && errno == EINTR)) {
        ready_.push_back({s.in.user_data, n < 0 ? -errno : static_cast<int>(n), false});
        s.in = Pending{};
      }
    }
    if (s.out.op != Op::kNone && s.writable) {
      ssize_t n = ::send(fd, s.out.buffer, s.out.size, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        s.writable = false;
      } else if (!(n < 0 && errno == EINTR)) {
        ready_.push_back({s.out.user_data, n < 0 ? -errno : static_cast<int>(n), false});
        s.out = Pending{};
      }
    }
  }

  base::UniqueFd epoll_fd_;
  absl::flat_hash_map<int, FdState> fds_;
  std::vector<int> touched_;
  std::vector<Completion> ready_;
  std::vector<Completion> draining_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Poller>> CreateEpollPoller() {
  base::UniqueFd fd(epoll_create1(EPOLL_CLOEXEC));
  if (!fd.valid()) {
    return absl::UnavailableError(std::string("epoll_create1: ") + std::strerror(errno));
  }
  return std::make_unique<EpollPoller>(std::move(fd));
}

}  // namespace ringtail::io
