#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/runner/frame_codec.hpp"

using namespace baikal::runner;

TEST_CASE("runner frame codec: a frame is a big-endian length then the payload") {
  auto frame = encode_frame("{\"op\":\"health\"}");
  REQUIRE(frame.size() == 4 + 15);
  CHECK(frame.substr(0, 4) == std::string("\0\0\0\x0f", 4));
  CHECK(frame.substr(4) == "{\"op\":\"health\"}");
  CHECK(encode_frame(std::string(300, 'x')).substr(0, 4) == std::string("\0\0\x01\x2c", 4));
}

TEST_CASE("runner frame codec: frames split at every byte reassemble") {
  std::string stream =
      encode_frame("{\"a\":1}") + encode_frame("") + encode_frame("{\"b\":\"zz\"}");
  frame_decoder decoder;
  std::vector<std::string> got;
  for (char c : stream) {
    decoder.feed(&c, 1);
    while (auto payload = decoder.next())
      got.push_back(*payload);
  }
  REQUIRE(got.size() == 3);
  CHECK(got[0] == "{\"a\":1}");
  CHECK(got[1].empty());
  CHECK(got[2] == "{\"b\":\"zz\"}");
  CHECK(decoder.pending_bytes() == 0);
}

TEST_CASE("runner frame codec: several frames in one read come out one by one") {
  std::string stream;
  for (int i = 0; i < 100; ++i)
    stream += encode_frame(std::to_string(i));
  frame_decoder decoder;
  decoder.feed(stream.data(), stream.size());
  for (int i = 0; i < 100; ++i) {
    auto payload = decoder.next();
    REQUIRE(payload);
    CHECK(*payload == std::to_string(i));
  }
  CHECK_FALSE(decoder.next());
}

TEST_CASE("runner frame codec: a truncated frame stays pending") {
  auto frame = encode_frame("{\"op\":\"health\"}");
  frame_decoder decoder;
  decoder.feed(frame.data(), frame.size() - 3);
  CHECK_FALSE(decoder.next());
  CHECK(decoder.pending_bytes() == frame.size() - 3);
  CHECK_FALSE(decoder.failed());
}

TEST_CASE("runner frame codec: a huge length fails the decoder for good") {
  frame_decoder decoder(1024);
  std::string header("\xff\xff\xff\xff{}", 6);
  decoder.feed(header.data(), header.size());
  CHECK_FALSE(decoder.next());
  CHECK(decoder.failed());
  CHECK(decoder.rejected_size() == 0xffffffffu);
  auto ok = encode_frame("{}");
  decoder.feed(ok.data(), ok.size());
  CHECK_FALSE(decoder.next());
}
