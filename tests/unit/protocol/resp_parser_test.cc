// SPDX-License-Identifier: Apache-2.0
// Tests of RespParser: multibulk and inline commands, fed whole and in pieces of 1, 2, 5, 10 and
// 100 bytes the way a connection accumulates its input, and every protocol error with Redis's
// exact text.
#include "protocol/resp_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "protocol/errors.h"

namespace ringtail::protocol {
namespace {

using Command = std::vector<std::string>;

constexpr size_t kPieceSizes[] = {1, 2, 5, 10, 100};

// What a connection would have seen after feeding some input.
struct Outcome {
  std::vector<Command> commands;
  std::optional<std::string> error;  // the error text, when parsing stopped on one
  std::string rest;                  // bytes left unparsed (an incomplete or bad command)
  size_t last_needed = 0;            // the `needed` hint of the last kIncomplete result
};

// Feeds `input` in pieces of `piece` bytes (0: all at once) into a buffer and, after each
// piece, parses from the start as long as commands come out, erasing what each consumed.
Outcome Feed(std::string_view input, size_t piece, ParseLimits limits = {}) {
  RespParser parser(limits);
  Outcome outcome;
  std::string buffer;
  std::vector<std::string_view> args;
  if (piece == 0) piece = input.size();
  for (size_t pos = 0; pos < input.size(); pos += piece) {
    buffer.append(input.substr(pos, piece));
    while (true) {
      ParseResult result = parser.Parse(buffer.data(), buffer.size(), &args);
      if (result.status == ParseStatus::kIncomplete) {
        EXPECT_EQ(result.consumed, 0u);
        outcome.last_needed = result.needed;
        break;
      }
      if (result.status == ParseStatus::kError) {
        outcome.error = std::string(result.error);
        outcome.rest = buffer;
        return outcome;
      }
      EXPECT_GT(result.consumed, 0u);
      EXPECT_LE(result.consumed, buffer.size());
      outcome.commands.emplace_back(args.begin(), args.end());
      buffer.erase(0, result.consumed);
    }
  }
  outcome.rest = buffer;
  return outcome;
}

// Parses `input` whole and in every piece size; every way must give the same outcome.
Outcome FeedAllWays(std::string_view input, ParseLimits limits = {}) {
  Outcome whole = Feed(input, 0, limits);
  for (size_t piece : kPieceSizes) {
    SCOPED_TRACE(testing::Message() << "pieces of " << piece << " bytes");
    Outcome split = Feed(input, piece, limits);
    EXPECT_EQ(split.commands, whole.commands);
    EXPECT_EQ(split.error, whole.error);
    // After an error the rest depends on how much had arrived; compare it only otherwise.
    if (!whole.error.has_value()) {
      EXPECT_EQ(split.rest, whole.rest);
    }
  }
  return whole;
}

// The multibulk encoding of `args`.
std::string Multibulk(const Command& args) {
  std::string out = absl::StrCat("*", args.size(), "\r\n");
  for (const std::string& arg : args) absl::StrAppend(&out, "$", arg.size(), "\r\n", arg, "\r\n");
  return out;
}

ParseResult ParseOnce(std::string* data, std::vector<std::string_view>* args,
                      ParseLimits limits = {}) {
  RespParser parser(limits);
  return parser.Parse(data->data(), data->size(), args);
}

std::string ExpectedDollar(char got) { return std::string(kProtoExpectedDollarPrefix) + got + "'"; }

// --- multibulk ---

TEST(RespParserTest, SingleCommand) {
  std::string data = "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n";
  std::vector<std::string_view> args;
  ParseResult result = ParseOnce(&data, &args);
  ASSERT_EQ(result.status, ParseStatus::kCommand);
  EXPECT_EQ(result.consumed, data.size());
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0], "GET");
  EXPECT_EQ(args[1], "key");
  // Zero-copy: the arguments point into the buffer.
  EXPECT_EQ(args[1].data(), data.data() + 17);
}

TEST(RespParserTest, PipelineOfSetAndGetWholeAndInPieces) {
  std::vector<Command> expected;
  std::string input;
  for (int i = 0; i < 40; ++i) {
    std::string key = "key:" + std::to_string(i * 7919);
    Command command =
        (i % 3 == 0) ? Command{"GET", key} : Command{"SET", key, std::string(i * 3, 'a' + i % 26)};
    expected.push_back(command);
    input += Multibulk(command);
  }
  Outcome outcome = FeedAllWays(input);
  EXPECT_EQ(outcome.commands, expected);
  EXPECT_FALSE(outcome.error.has_value());
  EXPECT_EQ(outcome.rest, "");
}

TEST(RespParserTest, IncompleteCommandConsumesNothing) {
  const std::string full = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n";
  RespParser parser;
  std::vector<std::string_view> args;
  for (size_t len = 0; len < full.size(); ++len) {
    SCOPED_TRACE(len);
    std::string prefix = full.substr(0, len);
    ParseResult result = parser.Parse(prefix.data(), prefix.size(), &args);
    EXPECT_EQ(result.status, ParseStatus::kIncomplete);
    EXPECT_EQ(result.consumed, 0u);
  }
  std::string whole = full;
  ParseResult result = parser.Parse(whole.data(), whole.size(), &args);
  ASSERT_EQ(result.status, ParseStatus::kCommand);
  EXPECT_EQ(result.consumed, full.size());
}

TEST(RespParserTest, BinaryPayloadWithCrLfInsideBulk) {
  const std::string value("a\r\nb\r\n\0\r*1\r\n$", 13);
  const Command command = {"SET", std::string("k\r\n", 3), value};
  Outcome outcome = FeedAllWays(Multibulk(command) + Multibulk({"GET", "k\r\n"}));
  ASSERT_EQ(outcome.commands.size(), 2u);
  EXPECT_EQ(outcome.commands[0], command);
  EXPECT_EQ(outcome.commands[1], (Command{"GET", "k\r\n"}));
}

TEST(RespParserTest, EveryByteValueInsideBulk) {
  std::string value;
  for (int c = 0; c < 256; ++c) value.push_back(static_cast<char>(c));
  Outcome outcome = FeedAllWays(Multibulk({"SET", "k", value}));
  ASSERT_EQ(outcome.commands.size(), 1u);
  EXPECT_EQ(outcome.commands[0][2], value);
}

TEST(RespParserTest, EmptyBulkArgument) {
  Outcome outcome = FeedAllWays("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$0\r\n\r\n");
  ASSERT_EQ(outcome.commands.size(), 1u);
  EXPECT_EQ(outcome.commands[0], (Command{"SET", "", ""}));
}

TEST(RespParserTest, ZeroOrNegativeCountIsAnEmptyCommand) {
  // Redis skips "*0" and "*-1" (any count <= 0) and goes on with the next command.
  Outcome outcome = FeedAllWays("*0\r\n*-1\r\n*-5\r\n*1\r\n$4\r\nPING\r\n");
  ASSERT_EQ(outcome.commands.size(), 4u);
  EXPECT_EQ(outcome.commands[0], Command{});
  EXPECT_EQ(outcome.commands[1], Command{});
  EXPECT_EQ(outcome.commands[2], Command{});
  EXPECT_EQ(outcome.commands[3], Command{"PING"});

  std::string data = "*0\r\n";
  std::vector<std::string_view> args = {"stale"};
  ParseResult result = ParseOnce(&data, &args);
  EXPECT_EQ(result.status, ParseStatus::kCommand);
  EXPECT_EQ(result.consumed, 4u);
  EXPECT_TRUE(args.empty());
}

TEST(RespParserTest, BytesAfterPayloadAreSkippedUnchecked) {
  // Redis does not check the two bytes after a bulk payload; neither do we.
  Outcome outcome = FeedAllWays("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n");
  ASSERT_EQ(outcome.commands.size(), 2u);
  EXPECT_EQ(outcome.commands[0], Command{"PING"});
  EXPECT_EQ(outcome.commands[1], Command{"PING"});
}

TEST(RespParserTest, NeededHintForBigBulk) {
  const std::string value(100000, 'v');
  const std::string full = Multibulk({"SET", "key", value});
  const std::string header = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$100000\r\n";
  RespParser parser;
  std::vector<std::string_view> args;

  // Before the bulk's length line is complete the size is unknown.
  std::string partial = full.substr(0, header.size() - 1);
  ParseResult result = parser.Parse(partial.data(), partial.size(), &args);
  EXPECT_EQ(result.status, ParseStatus::kIncomplete);
  EXPECT_EQ(result.needed, 0u);

  // Once it is, `needed` is the size of the whole command (the big bulk is the last argument).
  for (size_t len : {header.size(), header.size() + 1, full.size() - 2, full.size() - 1}) {
    SCOPED_TRACE(len);
    partial = full.substr(0, len);
    result = parser.Parse(partial.data(), partial.size(), &args);
    EXPECT_EQ(result.status, ParseStatus::kIncomplete);
    EXPECT_EQ(result.consumed, 0u);
    EXPECT_EQ(result.needed, full.size());
  }

  // With a following argument, the hint covers the bytes up to the end of the big bulk.
  const std::string two = Multibulk({"SET", "key", value, "EX"});
  const std::string two_header = "*4" + header.substr(2);
  partial = two.substr(0, two_header.size() + 10);
  result = parser.Parse(partial.data(), partial.size(), &args);
  EXPECT_EQ(result.status, ParseStatus::kIncomplete);
  EXPECT_EQ(result.needed, two_header.size() + value.size() + 2);

  std::string whole = full;
  result = parser.Parse(whole.data(), whole.size(), &args);
  ASSERT_EQ(result.status, ParseStatus::kCommand);
  EXPECT_EQ(args[2].size(), value.size());
}

TEST(RespParserTest, BulkAtMaxBulkLenIsAccepted) {
  ParseLimits limits;
  limits.max_bulk_len = 10;
  Outcome outcome = FeedAllWays(Multibulk({"SET", "k", "0123456789"}), limits);
  ASSERT_EQ(outcome.commands.size(), 1u);
  EXPECT_FALSE(outcome.error.has_value());
}

TEST(RespParserTest, SetLimitsTakesEffect) {
  RespParser parser;
  ParseLimits limits;
  limits.max_bulk_len = 3;
  parser.set_limits(limits);
  std::string data = Multibulk({"SET", "k", "four"});
  std::vector<std::string_view> args;
  ParseResult result = parser.Parse(data.data(), data.size(), &args);
  EXPECT_EQ(result.status, ParseStatus::kError);
  EXPECT_EQ(result.error, kProtoInvalidBulk);
}

// --- multibulk errors ---

TEST(RespParserTest, InvalidMultibulkLength) {
  for (std::string input : {"*abc\r\n", "*-x\r\n", "*\r\n", "*+1\r\n", "*01\r\n", "*1x\r\n",
                            "* 1\r\n", "*99999999999999999999\r\n", "*9223372036854775808\r\n",
                            "*2147483648\r\n", "*3000000000\r\n"}) {
    SCOPED_TRACE(input);
    Outcome outcome = FeedAllWays(input);
    EXPECT_EQ(outcome.error, std::string(kProtoInvalidMultibulk));
    EXPECT_TRUE(outcome.commands.empty());
  }
}

TEST(RespParserTest, MultibulkLengthUpToIntMaxIsAccepted) {
  std::string data = "*2147483647\r\n";
  std::vector<std::string_view> args;
  EXPECT_EQ(ParseOnce(&data, &args).status, ParseStatus::kIncomplete);
}

// Redis's string2ll rejects "-0", so "*-0" is an invalid multibulk length there.
TEST(RespParserTest, NegativeZeroMultibulkLengthIsInvalid) {
  Outcome outcome = FeedAllWays("*-0\r\n");
  EXPECT_EQ(outcome.error, std::string(kProtoInvalidMultibulk));
}

TEST(RespParserTest, ExpectedDollar) {
  Outcome outcome = FeedAllWays("*2\r\n$3\r\nGET\r\n:3\r\nkey\r\n");
  EXPECT_EQ(outcome.error, ExpectedDollar(':'));
  EXPECT_TRUE(outcome.commands.empty());

  // The offending byte is reported as it is; ReplyBuilder::Error turns a CR into a space, as
  // Redis's reply does ("got ' '").
  outcome = FeedAllWays("*1\r\n\r\n\r\n");
  EXPECT_EQ(outcome.error, ExpectedDollar('\r'));
}

TEST(RespParserTest, ExpectedDollarAfterGoodCommands) {
  Outcome outcome = FeedAllWays(Multibulk({"PING"}) + "*1\r\nx\r\n");
  ASSERT_EQ(outcome.commands.size(), 1u);
  EXPECT_EQ(outcome.error, ExpectedDollar('x'));
  EXPECT_EQ(outcome.rest, "*1\r\nx\r\n");
}

TEST(RespParserTest, InvalidBulkLength) {
  for (std::string line : {"$-1", "$-5", "$abc", "$", "$+3", "$03", "$3x", "$ 3",
                           "$99999999999999999999", "$536870913"}) {
    SCOPED_TRACE(line);
    Outcome outcome = FeedAllWays("*2\r\n$3\r\nGET\r\n" + line + "\r\nkey\r\n");
    EXPECT_EQ(outcome.error, std::string(kProtoInvalidBulk));
    EXPECT_TRUE(outcome.commands.empty());
  }
}

TEST(RespParserTest, BulkLongerThanMaxBulkLenIsInvalid) {
  ParseLimits limits;
  limits.max_bulk_len = 10;
  Outcome outcome = FeedAllWays(Multibulk({"SET", "k", "0123456789X"}), limits);
  EXPECT_EQ(outcome.error, std::string(kProtoInvalidBulk));
}

// Redis's string2ll rejects "-0", so "$-0" is an invalid bulk length there.
TEST(RespParserTest, NegativeZeroBulkLengthIsInvalid) {
  Outcome outcome = FeedAllWays("*1\r\n$-0\r\n\r\n");
  EXPECT_EQ(outcome.error, std::string(kProtoInvalidBulk));
}

TEST(RespParserTest, TooBigMultibulkCountString) {
  const size_t limit = ParseLimits{}.max_inline_len;
  // Exactly the limit without a CR is still waiting; one more byte is an error.
  std::string input = absl::StrCat("*", std::string(limit - 1, '1'));
  Outcome outcome = FeedAllWays(input);
  EXPECT_FALSE(outcome.error.has_value());
  EXPECT_EQ(outcome.rest.size(), limit);

  outcome = FeedAllWays(input + "1");
  EXPECT_EQ(outcome.error, std::string(kProtoBigMultibulk));
}

TEST(RespParserTest, TooBigBulkCountString) {
  const size_t limit = ParseLimits{}.max_inline_len;
  const std::string head = "*1\r\n";
  std::string input = absl::StrCat(head, "$", std::string(limit - 1, '1'));
  Outcome outcome = FeedAllWays(input);
  EXPECT_FALSE(outcome.error.has_value());

  outcome = FeedAllWays(input + "1");
  EXPECT_EQ(outcome.error, std::string(kProtoBigBulkCount));
}

TEST(RespParserTest, TooBigInlineRequest) {
  const size_t limit = ParseLimits{}.max_inline_len;
  std::string input(limit, 'a');
  Outcome outcome = FeedAllWays(input);
  EXPECT_FALSE(outcome.error.has_value());
  EXPECT_EQ(outcome.rest.size(), limit);

  outcome = FeedAllWays(input + "a");
  EXPECT_EQ(outcome.error, std::string(kProtoBigInline));

  // The limit is per command: a pipeline of short inline commands longer than it is fine.
  std::string pipeline;
  while (pipeline.size() <= 2 * limit) pipeline += "PING\r\n";
  outcome = FeedAllWays(pipeline);
  EXPECT_FALSE(outcome.error.has_value());
  EXPECT_EQ(outcome.commands.size(), pipeline.size() / 6);
}

TEST(RespParserTest, SmallerInlineLimit) {
  ParseLimits limits;
  limits.max_inline_len = 16;
  EXPECT_EQ(FeedAllWays(std::string(17, 'x'), limits).error, std::string(kProtoBigInline));
  EXPECT_EQ(FeedAllWays(absl::StrCat("*", std::string(16, '1')), limits).error,
            std::string(kProtoBigMultibulk));
  EXPECT_FALSE(FeedAllWays(std::string(16, 'x'), limits).error.has_value());
}

// --- inline ---

TEST(RespParserTest, InlineCommands) {
  Outcome outcome = FeedAllWays("SET key value\r\nGET key\nPING\r\n");
  ASSERT_EQ(outcome.commands.size(), 3u);
  EXPECT_EQ(outcome.commands[0], (Command{"SET", "key", "value"}));
  EXPECT_EQ(outcome.commands[1], (Command{"GET", "key"}));
  EXPECT_EQ(outcome.commands[2], Command{"PING"});
}

TEST(RespParserTest, InlineWhitespace) {
  Outcome outcome = FeedAllWays("  SET \t key   value  \r\n");
  ASSERT_EQ(outcome.commands.size(), 1u);
  EXPECT_EQ(outcome.commands[0], (Command{"SET", "key", "value"}));
}

TEST(RespParserTest, EmptyInlineLinesAreEmptyCommands) {
  Outcome outcome = FeedAllWays("\r\n\n   \r\nPING\r\n");
  ASSERT_EQ(outcome.commands.size(), 4u);
  EXPECT_EQ(outcome.commands[0], Command{});
  EXPECT_EQ(outcome.commands[1], Command{});
  EXPECT_EQ(outcome.commands[2], Command{});
  EXPECT_EQ(outcome.commands[3], Command{"PING"});
}

TEST(RespParserTest, InlineDoubleQuotesAndEscapes) {
  Outcome outcome = FeedAllWays(
      "SET \"my key\" \"a\\x41\\x7a\\n\\r\\t\\b\\a\\\\\\\"\\q\"\r\n"
      "ECHO \"\" \"\\x4\" \"\\xZZ\"\r\n");
  ASSERT_EQ(outcome.commands.size(), 2u);
  EXPECT_EQ(outcome.commands[0], (Command{"SET", "my key", "aAz\n\r\t\b\a\\\"q"}));
  // An incomplete or non-hex \x escape is a plain escaped 'x'.
  EXPECT_EQ(outcome.commands[1], (Command{"ECHO", "", "x4", "xZZ"}));
}

TEST(RespParserTest, InlineSingleQuotes) {
  Outcome outcome = FeedAllWays("ECHO 'it\\'s' 'a\\nb' 'x y'\r\n");
  ASSERT_EQ(outcome.commands.size(), 1u);
  // Only \' is an escape inside single quotes.
  EXPECT_EQ(outcome.commands[0], (Command{"ECHO", "it's", "a\\nb", "x y"}));
}

TEST(RespParserTest, InlineQuotesJoinAdjacentText) {
  Outcome outcome = FeedAllWays("ECHO ab\"c d\"\r\n");
  ASSERT_EQ(outcome.commands.size(), 1u);
  EXPECT_EQ(outcome.commands[0], (Command{"ECHO", "abc d"}));
}

TEST(RespParserTest, UnbalancedQuotes) {
  for (std::string input : {"ECHO \"abc\r\n", "ECHO 'abc\r\n", "ECHO \"a\"b\r\n", "ECHO 'a'b\r\n",
                            "ECHO \"abc\\\"\r\n", "ECHO \"abc\\\r\n"}) {
    SCOPED_TRACE(input);
    Outcome outcome = FeedAllWays(input);
    EXPECT_EQ(outcome.error, std::string(kProtoUnbalancedQuotes));
    EXPECT_TRUE(outcome.commands.empty());
  }
}

TEST(RespParserTest, InlineArgumentsPointIntoTheBuffer) {
  std::string data = "ECHO \"a\\x41\" plain\r\n";
  std::vector<std::string_view> args;
  ParseResult result = ParseOnce(&data, &args);
  ASSERT_EQ(result.status, ParseStatus::kCommand);
  EXPECT_EQ(result.consumed, data.size());
  ASSERT_EQ(args.size(), 3u);
  EXPECT_EQ(args[1], "aA");
  EXPECT_GE(args[1].data(), data.data());
  EXPECT_LT(args[2].data(), data.data() + data.size());
}

// Redis ends an unquoted inline argument only at ' ', '\n', '\r', '\t' (and NUL): "GET\va" is
// one argument there (it answers "unknown command 'GET\va'").
TEST(RespParserTest, VerticalTabDoesNotEndInlineArgument) {
  Outcome outcome = FeedAllWays("GET\va\r\n");
  ASSERT_EQ(outcome.commands.size(), 1u);
  EXPECT_EQ(outcome.commands[0], Command{"GET\va"});
}

TEST(RespParserTest, MixedInlineAndMultibulk) {
  Outcome outcome = FeedAllWays("PING\r\n" + Multibulk({"GET", "k"}) + "ECHO x\r\n*0\r\n");
  ASSERT_EQ(outcome.commands.size(), 4u);
  EXPECT_EQ(outcome.commands[0], Command{"PING"});
  EXPECT_EQ(outcome.commands[1], (Command{"GET", "k"}));
  EXPECT_EQ(outcome.commands[2], (Command{"ECHO", "x"}));
  EXPECT_EQ(outcome.commands[3], Command{});
}

TEST(RespParserTest, EmptyInputIsIncomplete) {
  RespParser parser;
  std::vector<std::string_view> args = {"stale"};
  char byte = 0;
  ParseResult result = parser.Parse(&byte, 0, &args);
  EXPECT_EQ(result.status, ParseStatus::kIncomplete);
  EXPECT_TRUE(args.empty());
}

}  // namespace
}  // namespace ringtail::protocol
