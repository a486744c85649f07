// Following a container log by its engine timestamps: the times are read, both streams merge
// in time order, and the cursor drops the lines the engine sends again at the boundary.

#include <doctest/doctest.h>

#include "runtime/docker/log_lines.hpp"

using namespace baikal::docker;

TEST_CASE("log lines: RFC 3339 times with up to nine fraction digits are read") {
  auto t = parse_log_time("2024-05-01T12:34:56.123456789Z");
  REQUIRE(t);
  CHECK(t->seconds == 1714566896);
  CHECK(t->nanos == 123456789);
  // The engine trims trailing zeros of the fraction.
  auto trimmed = parse_log_time("2024-05-01T12:34:56.5Z");
  REQUIRE(trimmed);
  CHECK(trimmed->nanos == 500000000);
  auto whole = parse_log_time("1970-01-01T00:00:01Z");
  REQUIRE(whole);
  CHECK(whole->seconds == 1);
  CHECK(whole->nanos == 0);
  auto offset = parse_log_time("2024-05-01T14:34:56+02:00");
  REQUIRE(offset);
  CHECK(offset->seconds == 1714566896);
  CHECK_FALSE(parse_log_time("2024-05-01 12:34:56Z"));
  CHECK_FALSE(parse_log_time("2024-05-01T12:34:56."));
  CHECK_FALSE(parse_log_time("2024-13-01T12:34:56Z"));
  CHECK_FALSE(parse_log_time("hello"));
  CHECK(since_param(*t) == "1714566896.123456789");
  CHECK(since_param(*whole) == "1.000000000");
}

TEST_CASE("log lines: stamped lines are split, and stdout and stderr merge in time order") {
  auto lines = parse_stamped_lines("2024-05-01T00:00:01Z one\n2024-05-01T00:00:02Z two words\n"
                                   "2024-05-01T00:00:03Z \n");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].text == "one");
  CHECK(lines[1].text == "two words");
  CHECK(lines[2].text == ""); // an empty line is a line
  auto merged = merge_stamped("2024-05-01T00:00:01Z out1\n2024-05-01T00:00:03Z out2\n",
                              "2024-05-01T00:00:02Z err1\n2024-05-01T00:00:03Z err2\n");
  CHECK(merged == "2024-05-01T00:00:01Z out1\n2024-05-01T00:00:02Z err1\n"
                  "2024-05-01T00:00:03Z out2\n2024-05-01T00:00:03Z err2\n");
}

TEST_CASE("log cursor: a read since the newest time drops the lines of that time taken already") {
  log_cursor c;
  CHECK(c.since().empty());
  auto first = c.take(parse_stamped_lines("2024-05-01T00:00:01.5Z a\n2024-05-01T00:00:02Z b\n"
                                          "2024-05-01T00:00:02Z b\n"));
  CHECK(first == std::vector<std::string>{"a", "b", "b"});
  CHECK(c.since() == "1714521602.000000000");
  // The engine sends the lines at the `since` time again (both "b"), then a third "b" of the
  // same nanosecond written since, and a new line.
  auto second = c.take(parse_stamped_lines("2024-05-01T00:00:02Z b\n2024-05-01T00:00:02Z b\n"
                                           "2024-05-01T00:00:02Z b\n2024-05-01T00:00:03Z c\n"));
  CHECK(second == std::vector<std::string>{"b", "c"});
  CHECK(c.since() == "1714521603.000000000");
  // Nothing new: nothing taken; an older line (an engine that ignores the fraction) is dropped.
  CHECK(c.take(parse_stamped_lines("2024-05-01T00:00:02Z b\n2024-05-01T00:00:03Z c\n")).empty());
  CHECK(c.take({}).empty());
  CHECK(c.since() == "1714521603.000000000");
}
