// SPDX-License-Identifier: Apache-2.0
// The io_uring backend: every operation is one SQE; multishot accept; completions are read
// straight from the CQ ring.
#include <unistd.h>

#include "io/poller.h"
#include "io/ring.h"

namespace ringtail::io {
namespace {

class UringPoller final : public Poller {
 public:
  explicit UringPoller(std::unique_ptr<Ring> ring) : ring_(std::move(ring)) {}

  void Accept(int listen_fd, void* user_data) override {
    io_uring_sqe* sqe = ring_->GetSqe();
    io_uring_prep_multishot_accept(sqe, listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    io_uring_sqe_set_data(sqe, user_data);
  }

  void CancelAccept(int listen_fd, void* user_data) override {
    (void)listen_fd;
    io_uring_sqe* sqe = ring_->GetSqe();
    io_uring_prep_cancel(sqe, user_data, 0);
    io_uring_sqe_set_data(sqe, nullptr);
  }

  void Recv(int fd, char* buffer, size_t size, void* user_data) override {
    io_uring_sqe* sqe = ring_->GetSqe();
    io_uring_prep_recv(sqe, fd, buffer, size, 0);
    io_uring_sqe_set_data(sqe, user_data);
  }

  void Send(int fd, const char* data, size_t size, void* user_data) override {
    io_uring_sqe* sqe = ring_->GetSqe();
    io_uring_prep_send(sqe, fd, data, size, MSG_NOSIGNAL);
    io_uring_sqe_set_data(sqe, user_data);
  }

  void Read(int fd, void* buffer, size_t size, void* user_data) override {
    io_uring_sqe* sqe = ring_->GetSqe();
    io_uring_prep_read(sqe, fd, buffer, static_cast<unsigned>(size), 0);
    io_uring_sqe_set_data(sqe, user_data);
  }

  void Close(int fd) override { ::close(fd); }

  void SubmitAndWait(bool wait, int64_t timeout_us) override {
    ring_->SubmitAndWait(wait ? 1 : 0, timeout_us);
  }

  void Drain(absl::FunctionRef<void(const Completion&)> fn) override {
    ring_->DrainCompletions([&](const io_uring_cqe& cqe) {
      void* user_data = io_uring_cqe_get_data(&cqe);
      if (user_data == nullptr) return;  // cancellation requests complete without an owner
      fn(Completion{user_data, cqe.res, (cqe.flags & IORING_CQE_F_MORE) != 0});
    });
  }

  std::string_view name() const override { return "io_uring"; }

 private:
  std::unique_ptr<Ring> ring_;
};

constexpr unsigned kRingEntries = 4096;

}  // namespace

std::unique_ptr<Poller> CreateUringPoller(std::unique_ptr<Ring> ring) {
  return std::make_unique<UringPoller>(std::move(ring));
}

absl::Status ProbeUring() {
  absl::StatusOr<std::unique_ptr<Ring>> ring = Ring::Create(8);
  if (!ring.ok()) return ring.status();
  io_uring_probe* probe = io_uring_get_probe_ring((*ring)->raw());
  if (probe == nullptr) return absl::UnavailableError("io_uring probe failed");
  static constexpr int kRequired[] = {IORING_OP_ACCEPT, IORING_OP_RECV, IORING_OP_SEND,
                                      IORING_OP_READ, IORING_OP_ASYNC_CANCEL};
  for (int op : kRequired) {
    if (!io_uring_opcode_supported(probe, op)) {
      io_uring_free_probe(probe);
      return absl::UnavailableError("io_uring lacks opcode " + std::to_string(op));
    }
  }
  io_uring_free_probe(probe);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Poller>> CreatePoller(Backend backend) {
  if (backend != Backend::kEpoll) {
    absl::StatusOr<std::unique_ptr<Ring>> ring = Ring::Create(kRingEntries);
    if (ring.ok()) return CreateUringPoller(std::move(ring).value());
    if (backend == Backend::kUring) return ring.status();
  }
  return CreateEpollPoller();
}

}  // namespace ringtail::io
