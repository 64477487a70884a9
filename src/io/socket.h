// SPDX-License-Identifier: Apache-2.0
// Socket setup outside the hot path: listeners (one per shard on the shared port, SO_REUSEPORT
// so the kernel spreads connections), client socket options and address formatting. Errors
// become absl::Status here; errno does not leave io/.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "base/unique_fd.h"

namespace ringtail::io {

// A non-blocking TCP listener on `bind_address`:`port` with SO_REUSEADDR and SO_REUSEPORT.
// Port 0 picks a free port (read it back with LocalPort).
absl::StatusOr<base::UniqueFd> CreateListener(const std::string& bind_address, int port,
                                              int backlog);

// The local port of a bound socket.
absl::StatusOr<int> LocalPort(int fd);

// Sets TCP_NODELAY (and keepalive when keepalive_s > 0) on an accepted connection.
void ConfigureClientSocket(int fd, int keepalive_s);

// "ip:port" of the peer / of the local end ("?:0" if unknown).
std::string PeerAddress(int fd);
std::string LocalAddress(int fd);

// Best-effort non-blocking write of a short message (used to refuse a connection).
void WriteBestEffort(int fd, const char* data, size_t size);

// Shuts down both directions, so that pending receives complete.
void Shutdown(int fd);

}  // namespace ringtail::io
