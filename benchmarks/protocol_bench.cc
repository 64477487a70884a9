// SPDX-License-Identifier: Apache-2.0
// Micro-benchmarks of the protocol layer: parsing a pipeline of SET/GET requests as a connection
// would, and encoding the common reply types into a reused output buffer.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "protocol/reply_builder.h"
#include "protocol/resp_parser.h"

namespace ringtail::protocol {
namespace {

constexpr int kPipelineDepth = 16;
constexpr size_t kValueSize = 64;
// The output buffer is emptied when it passes this size, as a connection's after a send.
constexpr size_t kFlushBytes = 64 * 1024;

std::string Multibulk(const std::vector<std::string>& args) {
  std::string out = absl::StrCat("*", args.size(), "\r\n");
  for (const std::string& arg : args) absl::StrAppend(&out, "$", arg.size(), "\r\n", arg, "\r\n");
  return out;
}

// What redis-benchmark -t set,get -d 64 -P 16 sends: alternating SET and GET of 16-byte keys.
std::string SetGetPipeline() {
  std::string input;
  for (int i = 0; i < kPipelineDepth; ++i) {
    const std::string digits = std::to_string(i * 7919);
    const std::string key = absl::StrCat("key:", std::string(12 - digits.size(), '0'), digits);
    if (i % 2 == 0) {
      input += Multibulk({"SET", key, std::string(kValueSize, 'x')});
    } else {
      input += Multibulk({"GET", key});
    }
  }
  return input;
}

void BM_RespParser_PipelinedSetGet(benchmark::State& state) {
  std::string input = SetGetPipeline();
  RespParser parser;
  std::vector<std::string_view> args;
  args.reserve(8);
  for (auto _ : state) {
    size_t pos = 0;
    int commands = 0;
    while (pos < input.size()) {
      ParseResult result = parser.Parse(input.data() + pos, input.size() - pos, &args);
      if (result.status != ParseStatus::kCommand) {
        state.SkipWithError("pipeline did not parse");
        return;
      }
      benchmark::DoNotOptimize(args.data());
      pos += result.consumed;
      ++commands;
    }
    benchmark::DoNotOptimize(commands);
  }
  state.SetItemsProcessed(state.iterations() * kPipelineDepth);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
}
BENCHMARK(BM_RespParser_PipelinedSetGet);

void BM_RespParser_PipelinedInline(benchmark::State& state) {
  std::string input;
  for (int i = 0; i < kPipelineDepth; ++i) input += "GET key:" + std::to_string(i) + "\r\n";
  std::string work = input;
  RespParser parser;
  std::vector<std::string_view> args;
  args.reserve(8);
  for (auto _ : state) {
    // Inline parsing may unescape in place; these lines have no escapes, so no reset is needed.
    size_t pos = 0;
    while (pos < work.size()) {
      ParseResult result = parser.Parse(work.data() + pos, work.size() - pos, &args);
      benchmark::DoNotOptimize(args.data());
      pos += result.consumed;
      if (result.status != ParseStatus::kCommand) break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kPipelineDepth);
}
BENCHMARK(BM_RespParser_PipelinedInline);

// A big value arriving in 16 KiB reads: each read re-parses the header and reports `needed`.
void BM_RespParser_BigBulkInReads(benchmark::State& state) {
  const size_t value_size = static_cast<size_t>(state.range(0));
  const std::string input = Multibulk({"SET", "key", std::string(value_size, 'v')});
  constexpr size_t kReadSize = 16 * 1024;
  RespParser parser;
  std::vector<std::string_view> args;
  args.reserve(4);
  std::string buffer;
  buffer.reserve(input.size());
  for (auto _ : state) {
    buffer.clear();
    for (size_t pos = 0; pos < input.size(); pos += kReadSize) {
      buffer.append(input, pos, kReadSize);
      ParseResult result = parser.Parse(buffer.data(), buffer.size(), &args);
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
}
BENCHMARK(BM_RespParser_BigBulkInReads)->Arg(64 * 1024)->Arg(1024 * 1024);

void BM_ReplyBuilder_Bulk(benchmark::State& state) {
  std::string out;
  out.reserve(kFlushBytes + 1024);
  ReplyBuilder reply(&out);
  const std::string value(static_cast<size_t>(state.range(0)), 'v');
  for (auto _ : state) {
    reply.Bulk(value);
    if (out.size() > kFlushBytes) out.clear();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReplyBuilder_Bulk)->Arg(3)->Arg(64)->Arg(1024);

void BM_ReplyBuilder_Int(benchmark::State& state) {
  std::string out;
  out.reserve(kFlushBytes + 1024);
  ReplyBuilder reply(&out);
  int64_t n = 1;
  for (auto _ : state) {
    reply.Int(n);
    n = n * 7 + 3;  // varying widths, including negative after overflow wraps
    if (out.size() > kFlushBytes) out.clear();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReplyBuilder_Int);

// An MGET-like reply: an array of 16 bulk strings of 16 bytes.
void BM_ReplyBuilder_Array(benchmark::State& state) {
  std::string out;
  out.reserve(kFlushBytes + 1024);
  ReplyBuilder reply(&out, /*resp3=*/state.range(0) != 0);
  const std::string element(16, 'e');
  for (auto _ : state) {
    reply.Array(16);
    for (int i = 0; i < 16; ++i) reply.Bulk(element);
    if (out.size() > kFlushBytes) out.clear();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReplyBuilder_Array)->ArgName("resp3")->Arg(0)->Arg(1);

void BM_ReplyBuilder_Double(benchmark::State& state) {
  std::string out;
  out.reserve(kFlushBytes + 1024);
  ReplyBuilder reply(&out, /*resp3=*/true);
  double d = 0.1;
  for (auto _ : state) {
    reply.Double(d);
    d += 1.25;
    if (out.size() > kFlushBytes) out.clear();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReplyBuilder_Double);

}  // namespace
}  // namespace ringtail::protocol

BENCHMARK_MAIN();
