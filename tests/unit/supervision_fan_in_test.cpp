// A fan-in runs its `done` once, after the last answer of the requests sent together, and not
// before every request is out.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/supervision/fan_in.hpp"

using namespace baikal;

TEST_CASE("fan-in: done runs once, after the last answer, with what the answers gathered") {
  int runs = 0;
  std::vector<std::string> seen;
  auto f = make_fan_in(std::vector<std::string>{}, [&](std::vector<std::string>& all) {
    ++runs;
    seen = all;
  });
  f->expect();
  f->expect();
  f->expect();
  f->gathered().push_back("a");
  f->answered();
  f->release();
  CHECK(runs == 0);
  f->gathered().push_back("b");
  f->answered();
  CHECK(runs == 0);
  f->gathered().push_back("c");
  f->answered();
  CHECK(runs == 1);
  CHECK(seen == std::vector<std::string>{"a", "b", "c"});
  f->answered(); // a stray answer after the end changes nothing
  CHECK(runs == 1);
}

TEST_CASE("fan-in: answers before the last request is out do not end it early") {
  int runs = 0;
  auto f = make_fan_in([&] { ++runs; });
  f->expect();
  f->answered(); // the first request answered at once, while the second is not sent yet
  CHECK(runs == 0);
  f->expect(2);
  f->answered();
  f->answered();
  CHECK(runs == 0);
  f->release();
  CHECK(runs == 1);
}

TEST_CASE("fan-in: no request at all ends at the release") {
  int runs = 0;
  auto f = make_fan_in([&] { ++runs; });
  CHECK(f->remaining() == 1);
  f->release();
  CHECK(runs == 1);
}
