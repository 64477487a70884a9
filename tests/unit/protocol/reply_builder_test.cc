// SPDX-License-Identifier: Apache-2.0
// Tests of ReplyBuilder (every reply type in RESP2 and RESP3, byte for byte as Redis 7 sends it)
// and of reply_reader (ReplyLength, ReplyInt, ElementReader), which reads what the builder wrote.
#include "protocol/reply_builder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/errors.h"
#include "protocol/reply_reader.h"

namespace ringtail::protocol {
namespace {

class ReplyBuilderTest : public testing::TestWithParam<bool> {
 protected:
  ReplyBuilderTest() : reply_(&out_, GetParam()) {}
  bool resp3() const { return GetParam(); }
  // Returns the bytes written so far and clears them.
  std::string Take() {
    std::string bytes = out_;
    out_.clear();
    return bytes;
  }

  std::string out_;
  ReplyBuilder reply_;
};

INSTANTIATE_TEST_SUITE_P(Protocols, ReplyBuilderTest, testing::Values(false, true),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "Resp3" : "Resp2";
                         });

TEST_P(ReplyBuilderTest, SimpleStrings) {
  reply_.Ok();
  EXPECT_EQ(Take(), "+OK\r\n");
  reply_.Simple("PONG");
  EXPECT_EQ(Take(), "+PONG\r\n");
  reply_.Simple("");
  EXPECT_EQ(Take(), "+\r\n");
}

TEST_P(ReplyBuilderTest, Errors) {
  reply_.Error(kWrongType);
  EXPECT_EQ(Take(), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  reply_.Error(kSyntax);
  EXPECT_EQ(Take(), "-ERR syntax error\r\n");
}

TEST_P(ReplyBuilderTest, ErrorReplacesCrAndLfWithSpaces) {
  reply_.Error("ERR bad\r\nthing\rhere\n");
  EXPECT_EQ(Take(), "-ERR bad  thing here \r\n");
  reply_.Error(std::string(kProtoExpectedDollarPrefix) + "\r'");
  EXPECT_EQ(Take(), "-ERR Protocol error: expected '$', got ' '\r\n");
}

TEST_P(ReplyBuilderTest, ErrorDoesNotTouchEarlierReplies) {
  reply_.Bulk("a\r\nb");
  reply_.Error("ERR x\ny");
  EXPECT_EQ(Take(), "$4\r\na\r\nb\r\n-ERR x y\r\n");
}

TEST_P(ReplyBuilderTest, Integers) {
  reply_.Int(0);
  reply_.Int(42);
  reply_.Int(-7);
  reply_.Int(std::numeric_limits<int64_t>::max());
  reply_.Int(std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Take(), ":0\r\n:42\r\n:-7\r\n:9223372036854775807\r\n:-9223372036854775808\r\n");
}

TEST_P(ReplyBuilderTest, BulkStrings) {
  reply_.Bulk("hello");
  EXPECT_EQ(Take(), "$5\r\nhello\r\n");
  reply_.Bulk("");
  EXPECT_EQ(Take(), "$0\r\n\r\n");
  const std::string binary("a\0\r\nb", 5);
  reply_.Bulk(binary);
  EXPECT_EQ(Take(), "$5\r\n" + binary + "\r\n");
  const std::string big(100000, 'z');
  reply_.Bulk(big);
  EXPECT_EQ(Take(), "$100000\r\n" + big + "\r\n");
}

TEST_P(ReplyBuilderTest, Nulls) {
  reply_.Null();
  EXPECT_EQ(Take(), resp3() ? "_\r\n" : "$-1\r\n");
  reply_.NullArray();
  EXPECT_EQ(Take(), resp3() ? "_\r\n" : "*-1\r\n");
}

TEST_P(ReplyBuilderTest, Aggregates) {
  reply_.Array(2);
  reply_.Bulk("a");
  reply_.Int(1);
  EXPECT_EQ(Take(), "*2\r\n$1\r\na\r\n:1\r\n");
  reply_.Array(0);
  EXPECT_EQ(Take(), "*0\r\n");

  reply_.Map(2);
  reply_.Bulk("k1");
  reply_.Int(1);
  reply_.Bulk("k2");
  reply_.Int(2);
  EXPECT_EQ(Take(),
            std::string(resp3() ? "%2\r\n" : "*4\r\n") + "$2\r\nk1\r\n:1\r\n$2\r\nk2\r\n:2\r\n");
  reply_.Map(0);
  EXPECT_EQ(Take(), resp3() ? "%0\r\n" : "*0\r\n");

  reply_.Set(3);
  EXPECT_EQ(Take(), resp3() ? "~3\r\n" : "*3\r\n");
}

TEST_P(ReplyBuilderTest, Doubles) {
  // As Redis 7.0 replies ZSCORE: %.17g, and "inf"/"-inf" spelled out.
  const std::vector<std::pair<double, std::string>> cases = {
      {3.0, "3"},
      {0.1, "0.10000000000000001"},
      {-2.5, "-2.5"},
      {0.0, "0"},
      {1e300, "1.0000000000000001e+300"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
  };
  for (const auto& [value, text] : cases) {
    SCOPED_TRACE(text);
    reply_.Double(value);
    if (resp3()) {
      EXPECT_EQ(Take(), "," + text + "\r\n");
    } else {
      EXPECT_EQ(Take(), "$" + std::to_string(text.size()) + "\r\n" + text + "\r\n");
    }
  }
}

TEST_P(ReplyBuilderTest, Booleans) {
  reply_.Bool(true);
  reply_.Bool(false);
  EXPECT_EQ(Take(), resp3() ? "#t\r\n#f\r\n" : ":1\r\n:0\r\n");
}

TEST_P(ReplyBuilderTest, Verbatim) {
  reply_.Verbatim("# Server\r\nredis_version:7.0.15\r\n");
  if (resp3()) {
    EXPECT_EQ(Take(), "=36\r\ntxt:# Server\r\nredis_version:7.0.15\r\n\r\n");
  } else {
    EXPECT_EQ(Take(), "$32\r\n# Server\r\nredis_version:7.0.15\r\n\r\n");
  }
  reply_.Verbatim("");
  EXPECT_EQ(Take(), resp3() ? "=4\r\ntxt:\r\n" : "$0\r\n\r\n");
}

TEST_P(ReplyBuilderTest, RawAppendsAsIs) {
  reply_.Raw("+already\r\n");
  EXPECT_EQ(Take(), "+already\r\n");
}

TEST_P(ReplyBuilderTest, AppendsToExistingBufferAndSwitches) {
  out_ = "prefix";
  reply_.Ok();
  EXPECT_EQ(out_, "prefix+OK\r\n");

  std::string other;
  reply_.set_buffer(&other);
  EXPECT_EQ(reply_.buffer(), &other);
  reply_.Int(1);
  EXPECT_EQ(other, ":1\r\n");
  EXPECT_EQ(out_, "prefix+OK\r\n");

  reply_.set_resp3(!resp3());
  EXPECT_EQ(reply_.resp3(), !resp3());
  reply_.Null();
  EXPECT_EQ(other, resp3() ? ":1\r\n$-1\r\n" : ":1\r\n_\r\n");
}

TEST(FormatDoubleTest, Values) {
  char buf[32];
  auto format = [&](double d) { return std::string(buf, FormatDouble(d, buf)); };
  EXPECT_EQ(format(3.0), "3");
  EXPECT_EQ(format(1.5), "1.5");
  EXPECT_EQ(format(-0.0), "-0");
  EXPECT_EQ(format(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(format(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(format(std::nan("")), "nan");
  // The longest %.17g output fits the documented 32 bytes.
  EXPECT_EQ(format(-std::numeric_limits<double>::denorm_min()), "-4.9406564584124654e-324");
  EXPECT_EQ(format(-std::numeric_limits<double>::max()), "-1.7976931348623157e+308");
}

TEST(AppendIntTest, Values) {
  std::string out = "x";
  AppendInt(&out, 0);
  AppendInt(&out, -12);
  AppendInt(&out, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(out, "x0-12-9223372036854775808");
}

// --- reply_reader ---

TEST(ReplyReaderTest, LengthOfEachReplyType) {
  for (bool resp3 : {false, true}) {
    SCOPED_TRACE(resp3 ? "RESP3" : "RESP2");
    std::string out;
    ReplyBuilder reply(&out, resp3);
    std::vector<size_t> ends;
    auto mark = [&] { ends.push_back(out.size()); };
    reply.Ok();
    mark();
    reply.Error("ERR x");
    mark();
    reply.Int(-5);
    mark();
    reply.Bulk("a\r\nb");
    mark();
    reply.Bulk("");
    mark();
    reply.Null();
    mark();
    reply.NullArray();
    mark();
    reply.Double(2.5);
    mark();
    reply.Bool(true);
    mark();
    reply.Verbatim("v\r\n");
    mark();
    reply.Array(0);
    mark();
    reply.Array(2);
    reply.Bulk("x");
    reply.Array(1);
    reply.Int(1);
    mark();
    reply.Map(2);
    reply.Bulk("k");
    reply.Int(1);
    reply.Bulk("j");
    reply.Null();
    mark();
    reply.Set(2);
    reply.Bulk("m");
    reply.Bulk("n");
    mark();
    reply.Raw("*-1\r\n");  // a RESP2 null array, also in a RESP3 stream
    mark();

    std::string_view rest = out;
    size_t start = 0;
    for (size_t end : ends) {
      SCOPED_TRACE(std::string(rest.substr(0, end - start)));
      size_t len = ReplyLength(rest);
      EXPECT_EQ(len, end - start);
      rest.remove_prefix(len);
      start += len;
    }
    EXPECT_TRUE(rest.empty());
  }
}

TEST(ReplyReaderTest, LengthIgnoresTrailingBytes) {
  EXPECT_EQ(ReplyLength("$3\r\nabc\r\n:1\r\n"), 9u);
  EXPECT_EQ(ReplyLength("*1\r\n$1\r\na\r\n+OK\r\n"), 11u);
}

TEST(ReplyReaderTest, ReplyInt) {
  EXPECT_EQ(ReplyInt(":42\r\n"), 42);
  EXPECT_EQ(ReplyInt(":-9223372036854775808\r\n"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(ReplyInt("$2\r\n42\r\n"), std::nullopt);
  EXPECT_EQ(ReplyInt("-ERR x\r\n"), std::nullopt);
  EXPECT_EQ(ReplyInt(""), std::nullopt);
}

TEST(ReplyReaderTest, IsErrorReply) {
  EXPECT_TRUE(IsErrorReply("-ERR x\r\n"));
  EXPECT_TRUE(IsErrorReply("-WRONGTYPE y\r\n"));
  EXPECT_FALSE(IsErrorReply("+OK\r\n"));
  EXPECT_FALSE(IsErrorReply("$1\r\n-\r\n"));
  EXPECT_FALSE(IsErrorReply(""));
}

TEST(ReplyReaderTest, ElementReaderWalksAnArray) {
  std::string out;
  ReplyBuilder reply(&out);
  reply.Array(4);
  reply.Bulk("a\r\n");
  reply.Null();
  reply.Array(2);
  reply.Int(1);
  reply.Int(2);
  reply.Error("ERR e");
  out += ":99\r\n";  // bytes after the array are not part of it

  ElementReader reader(out);
  EXPECT_EQ(reader.count(), 4);
  std::vector<std::string> elements;
  while (auto element = reader.Next()) elements.emplace_back(*element);
  EXPECT_EQ(elements, (std::vector<std::string>{"$3\r\na\r\n\r\n", "$-1\r\n", "*2\r\n:1\r\n:2\r\n",
                                                "-ERR e\r\n"}));
  EXPECT_EQ(reader.Next(), std::nullopt);
}

TEST(ReplyReaderTest, ElementReaderCountsMapPairsTwice) {
  std::string out;
  ReplyBuilder reply(&out, /*resp3=*/true);
  reply.Map(2);
  reply.Bulk("k1");
  reply.Double(1.5);
  reply.Bulk("k2");
  reply.Bool(false);
  ElementReader reader(out);
  EXPECT_EQ(reader.count(), 4);
  std::vector<std::string> elements;
  while (auto element = reader.Next()) elements.emplace_back(*element);
  EXPECT_EQ(elements,
            (std::vector<std::string>{"$2\r\nk1\r\n", ",1.5\r\n", "$2\r\nk2\r\n", "#f\r\n"}));
}

TEST(ReplyReaderTest, ElementReaderOnSetAndEmptyAndNull) {
  std::string out;
  ReplyBuilder reply(&out, /*resp3=*/true);
  reply.Set(1);
  reply.Bulk("m");
  ElementReader set(out);
  EXPECT_EQ(set.count(), 1);
  EXPECT_EQ(set.Next(), std::optional<std::string_view>("$1\r\nm\r\n"));
  EXPECT_EQ(set.Next(), std::nullopt);

  ElementReader empty("*0\r\n");
  EXPECT_EQ(empty.count(), 0);
  EXPECT_EQ(empty.Next(), std::nullopt);

  ElementReader null2("*-1\r\n");
  EXPECT_EQ(null2.count(), -1);
  EXPECT_EQ(null2.Next(), std::nullopt);

  ElementReader null3("_\r\n");
  EXPECT_EQ(null3.count(), -1);
  EXPECT_EQ(null3.Next(), std::nullopt);
}

}  // namespace
}  // namespace ringtail::protocol
