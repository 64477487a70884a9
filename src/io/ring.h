// SPDX-License-Identifier: Apache-2.0
// Ring: one io_uring instance, owned by one shard thread for its whole life. It is created on
// that thread (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN where the kernel has
// them, else without) and hands out SQEs, flushing the submission queue when it is full.
// Completions carry `user_data` pointing to an operation object owned by the submitter.
#pragma once

#include <liburing.h>

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"

namespace ringtail::io {

class Ring {
 public:
  // Creates a ring with room for `entries` submissions. Call on the thread that will use it.
  static absl::StatusOr<std::unique_ptr<Ring>> Create(unsigned entries);
  ~Ring();
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;

  // Returns a zeroed SQE, submitting queued ones first if the queue is full. Never null.
  io_uring_sqe* GetSqe();

  // Submits queued SQEs and waits until at least `wait_nr` completions are ready or
  // `timeout_us` passes (negative: no timeout). Returns after signals too.
  void SubmitAndWait(unsigned wait_nr, int64_t timeout_us);

  // Calls fn(const io_uring_cqe&) for every ready completion and marks them seen. `fn` may
  // queue new SQEs.
  template <typename Fn>
  unsigned DrainCompletions(Fn&& fn) {
    unsigned head;
    unsigned count = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      fn(*cqe);
      ++count;
    }
    io_uring_cq_advance(&ring_, count);
    return count;
  }

  bool has_defer_taskrun() const { return defer_taskrun_; }
  io_uring* raw() { return &ring_; }

 private:
  Ring() = default;
  io_uring ring_{};
  bool defer_taskrun_ = false;
};

}  // namespace ringtail::io
