// SPDX-License-Identifier: Apache-2.0
// The ringtail binary: reads flags and an optional Redis-style config file, starts one pinned
// shard thread per CPU of the affinity mask (or --shards), serves until SIGINT/SIGTERM, then stops
// every shard and exits 0. Startup errors print one line and exit 1.
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "base/clock.h"
#include "base/cycle_clock.h"
#include "base/log.h"
#include "base/memory.h"
#include "io/poller.h"
#include "server/server_config.h"
#include "shard/shard.h"
#include "shard/shard_set.h"

ABSL_FLAG(std::string, bind, "", "Address to listen on (default 127.0.0.1; config: bind)");
ABSL_FLAG(int, port, -1, "TCP port; 0 picks a free one (default 6379; config: port)");
ABSL_FLAG(int, shards, -1,
          "Number of shard threads (default: the CPUs in the process's affinity mask)");
ABSL_FLAG(int64_t, maxclients, -1, "Maximum number of connected clients (default 10000)");
ABSL_FLAG(std::string, maxmemory, "", "Memory limit, e.g. 1gb (default 0: no limit)");
ABSL_FLAG(std::string, maxmemory_policy, "", "Eviction policy (config: maxmemory-policy)");
ABSL_FLAG(int, hz, -1, "Timer frequency for active expiry (default 10)");
ABSL_FLAG(std::string, io_backend, "",
          "I/O backend: auto (io_uring, else epoll), io_uring or epoll (config: io-backend)");

namespace ringtail::server {
namespace {

void Fail(const std::string& message) {
  std::fprintf(stderr, "ringtail: %s\n", message.c_str());
  std::exit(1);
}

std::vector<int> AffinityCpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
    }
  }
  return cpus;
}

void Apply(std::string_view name, const std::string& value, commands::Config& config) {
  absl::Status status = ApplyDirective(name, value, config);
  if (!status.ok()) Fail(std::string(status.message()));
}

std::string RunId() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  uint64_t seed = static_cast<uint64_t>(base::Clock::MonotonicUs()) ^ (uint64_t(getpid()) << 32);
  for (int i = 0; i < 40; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    id.push_back(kHex[(seed >> 59) & 15]);
  }
  return id;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Ringtail: a Redis-compatible in-memory data server.\n"
      "Usage: ringtail [/path/to/ringtail.conf] [--flag value ...]\n"
      "The optional config file uses redis.conf syntax (port 6380, bind 127.0.0.1, ...);\n"
      "flags given on the command line override it.");
  // --help lists the server's own flags (defined in this file), not abseil's.
  absl::FlagsUsageConfig usage;
  auto ours = [](absl::string_view path) {
    return path.find("server/main.cc") != absl::string_view::npos;
  };
  usage.contains_help_flags = ours;
  usage.contains_helpshort_flags = ours;
  usage.version_string = [] { return std::string("ringtail 0.1.0\n"); };
  absl::SetFlagsUsageConfig(usage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);

  commands::Config config;
  std::string config_file;
  if (positional.size() > 2) Fail("too many arguments: at most one config file is accepted");
  if (positional.size() == 2) {
    config_file = positional[1];
    absl::Status status = LoadConfigFile(config_file, config);
    if (!status.ok()) Fail(std::string(status.message()));
  }
  if (!absl::GetFlag(FLAGS_bind).empty()) Apply("bind", absl::GetFlag(FLAGS_bind), config);
  if (absl::GetFlag(FLAGS_port) >= 0) Apply("port", std::to_string(absl::GetFlag(FLAGS_port)), config);
  if (absl::GetFlag(FLAGS_shards) >= 0) {
    if (absl::GetFlag(FLAGS_shards) == 0) Fail("--shards must be at least 1");
    Apply("shards", std::to_string(absl::GetFlag(FLAGS_shards)), config);
  }
  if (absl::GetFlag(FLAGS_maxclients) >= 0) {
    Apply("maxclients", std::to_string(absl::GetFlag(FLAGS_maxclients)), config);
  }
  if (!absl::GetFlag(FLAGS_maxmemory).empty()) {
    Apply("maxmemory", absl::GetFlag(FLAGS_maxmemory), config);
  }
  if (!absl::GetFlag(FLAGS_maxmemory_policy).empty()) {
    Apply("maxmemory-policy", absl::GetFlag(FLAGS_maxmemory_policy), config);
  }
  if (absl::GetFlag(FLAGS_hz) >= 0) Apply("hz", std::to_string(absl::GetFlag(FLAGS_hz)), config);
  if (!absl::GetFlag(FLAGS_io_backend).empty()) {
    Apply("io-backend", absl::GetFlag(FLAGS_io_backend), config);
  }

  std::vector<int> cpus = AffinityCpus();
  uint32_t shard_count = config.shards > 0 ? static_cast<uint32_t>(config.shards)
                                           : static_cast<uint32_t>(std::max<size_t>(1, cpus.size()));

  // Probe io_uring before anything starts: without it, fall back to epoll with one log line
  // (or fail with one line when io_uring was required).
  io::Backend backend = io::Backend::kEpoll;
  if (config.io_backend != "epoll") {
    absl::Status probe = io::ProbeUring();
    if (probe.ok()) {
      backend = io::Backend::kUring;
    } else if (config.io_backend == "io_uring") {
      Fail("io_uring is not available (" + std::string(probe.message()) + ")");
    } else {
      base::Log(base::LogLevel::kWarning,
                "io_uring is not available (%s); falling back to epoll. A container may need a "
                "seccomp profile that allows io_uring.",
                std::string(probe.message()));
    }
  }

  // Shard threads inherit this mask: only the main thread takes the signals, via sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  base::CycleClock::Calibrate();
  commands::ServerInfo info;
  info.pid = getpid();
  info.start_time_ms = base::Clock::RealtimeMs();
  info.run_id = RunId();
  info.executable = argv[0];
  info.config_file = config_file;
  info.io_backend = backend == io::Backend::kUring ? "io_uring" : "epoll";
  // SHUTDOWN wakes the sigwait below like a SIGTERM.
  info.request_stop = [] { kill(getpid(), SIGTERM); };

  absl::StatusOr<std::unique_ptr<shard::ShardSet>> set =
      shard::ShardSet::Create(config, shard_count, cpus, backend, info);
  if (!set.ok()) Fail(std::string(set.status().message()));
  // The baseline of INFO's used_memory: everything allocated before the first key (shard
  // structures, rings, tables); the shard threads only read it once started.
  info.startup_allocated_bytes = base::AllocatedBytes();
  (*set)->Start();
  base::Log(base::LogLevel::kNotice, "Ringtail %s started, pid=%d, %u shards, %s, allocator %s",
            info.ringtail_version, static_cast<int>(info.pid), shard_count, info.io_backend,
            std::string(base::AllocatorName()));
  base::Log(base::LogLevel::kNotice, "Ready to accept connections tcp on %s:%d", config.bind,
            (*set)->port());

  int received = 0;
  sigwait(&signals, &received);
  if (!info.shutdown_requested.load(std::memory_order_relaxed)) {
    base::Log(base::LogLevel::kNotice, "Received %s, shutting down",
              received == SIGINT ? "SIGINT" : "SIGTERM");
  }
  (*set)->StopAndJoin();
  base::Log(base::LogLevel::kNotice, "Ringtail is now ready to exit, bye bye...");
  return 0;
}

}  // namespace
}  // namespace ringtail::server

int main(int argc, char** argv) { return ringtail::server::Main(argc, argv); }
