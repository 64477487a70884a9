// SPDX-License-Identifier: Apache-2.0
#include "io/ring.h"

#include <cerrno>
#include <cstring>
#include <string>

#include "base/check.h"

namespace ringtail::io {

absl::StatusOr<std::unique_ptr<Ring>> Ring::Create(unsigned entries) {
  std::unique_ptr<Ring> ring(new Ring);
  io_uring_params params{};
  params.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN;
  int rc = io_uring_queue_init_params(entries, &ring->ring_, &params);
  if (rc == -EINVAL) {
    // Kernels before 6.1 lack these flags: run without them.
    params = io_uring_params{};
    rc = io_uring_queue_init_params(entries, &ring->ring_, &params);
  } else if (rc == 0) {
    ring->defer_taskrun_ = true;
  }
  if (rc < 0) {
    return absl::UnavailableError(std::string("io_uring_queue_init failed: ") + std::strerror(-rc));
  }
  if (!(params.features & IORING_FEAT_NODROP)) {
    io_uring_queue_exit(&ring->ring_);
    return absl::UnavailableError("io_uring lacks IORING_FEAT_NODROP (kernel too old)");
  }
  return ring;
}

Ring::~Ring() { io_uring_queue_exit(&ring_); }

io_uring_sqe* Ring::GetSqe() {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  while (sqe == nullptr) {
    io_uring_submit(&ring_);
    sqe = io_uring_get_sqe(&ring_);
  }
  return sqe;
}

void Ring::SubmitAndWait(unsigned wait_nr, int64_t timeout_us) {
  if (wait_nr == 0) {
    // Not waiting, but completions must still be reaped: with DEFER_TASKRUN the kernel posts
    // them only when asked for events, so a plain submit would leave them pending for as long as
    // the shard keeps busy (e.g. through a long active-expiry run).
    int rc = io_uring_submit_and_get_events(&ring_);
    CHECK(rc >= 0 || rc == -EINTR || rc == -EAGAIN || rc == -EBUSY, "io_uring_submit_and_get_events");
    return;
  }
  if (timeout_us < 0) {
    int rc = io_uring_submit_and_wait(&ring_, wait_nr);
    CHECK(rc >= 0 || rc == -EINTR || rc == -EAGAIN || rc == -EBUSY, "io_uring_submit_and_wait");
    return;
  }
  __kernel_timespec ts;
  ts.tv_sec = timeout_us / 1000000;
  ts.tv_nsec = (timeout_us % 1000000) * 1000;
  io_uring_cqe* cqe = nullptr;
  int rc = io_uring_submit_and_wait_timeout(&ring_, &cqe, wait_nr, &ts, nullptr);
  CHECK(rc >= 0 || rc == -EINTR || rc == -ETIME || rc == -EAGAIN || rc == -EBUSY,
        "io_uring_submit_and_wait_timeout");
}

}  // namespace ringtail::io
