// SPDX-License-Identifier: Apache-2.0
// Helpers for absl::Status at boundaries (startup, config, sockets). The packaged abseil lacks
// RETURN_IF_ERROR and ASSIGN_OR_RETURN, so they live here.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RT_CONCAT_INNER(a, b) a##b
#define RT_CONCAT(a, b) RT_CONCAT_INNER(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the caller if it is not OK.
#define RETURN_IF_ERROR(expr)                    \
  do {                                           \
    ::absl::Status rt_status_ = (expr);          \
    if (!rt_status_.ok()) return rt_status_;     \
  } while (0)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from the caller,
// otherwise moves the value into `lhs` (which may be a declaration).
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  RT_ASSIGN_OR_RETURN_IMPL(RT_CONCAT(rt_statusor_, __LINE__), lhs, rexpr)
#define RT_ASSIGN_OR_RETURN_IMPL(var, lhs, rexpr) \
  auto var = (rexpr);                             \
  if (!var.ok()) return var.status();             \
  lhs = std::move(var).value()
