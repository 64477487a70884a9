// SPDX-License-Identifier: Apache-2.0
// CHECK/DCHECK: invariants whose violation is a bug. A failed check prints where and why to
// stderr and aborts the process. Usable from any thread.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace ringtail::base {

[[noreturn]] inline void CheckFailed(const char* file, int line, const char* expr,
                                     const char* message) {
  std::fprintf(stderr, "CHECK failed at %s:%d: %s %s\n", file, line, expr, message);
  std::abort();
}

}  // namespace ringtail::base

// CHECK(cond) or CHECK(cond, "context"): aborts with file, line and the condition if false.
#define RT_CHECK_IMPL(cond, msg) \
  ((cond) ? (void)0 : ::ringtail::base::CheckFailed(__FILE__, __LINE__, #cond, msg))
#define RT_CHECK_1(cond) RT_CHECK_IMPL(cond, "")
#define RT_CHECK_2(cond, msg) RT_CHECK_IMPL(cond, msg)
#define RT_CHECK_PICK(_1, _2, NAME, ...) NAME
#define CHECK(...) RT_CHECK_PICK(__VA_ARGS__, RT_CHECK_2, RT_CHECK_1, unused)(__VA_ARGS__)

#ifdef NDEBUG
#define DCHECK(...) ((void)0)
#else
#define DCHECK(...) CHECK(__VA_ARGS__)
#endif
