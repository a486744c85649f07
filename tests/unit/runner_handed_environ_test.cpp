// The runner's handed-over environment (tools/baikal-kernel-runner/handed_environ.hpp): what
// an environ file holds, and that the runner takes it once it is there, and only once.

#include <doctest/doctest.h>

#include <stdlib.h>

#include <fstream>
#include <string>

#include "support/temp_dir.hpp"
#include "tools/baikal-kernel-runner/handed_environ.hpp"

using namespace baikal::kernel_runner;

TEST_CASE("runner environ: NUL-ended entries split at the first '=', odd ones skipped") {
  using namespace std::string_literals;
  auto e = parse_environ_entries("A=1\0B=x=y\0=nameless\0noequals\0C=\0D=line\nbreak"s);
  REQUIRE(e.size() == 4);
  CHECK(e[0] == std::make_pair("A"s, "1"s));
  CHECK(e[1] == std::make_pair("B"s, "x=y"s));
  CHECK(e[2] == std::make_pair("C"s, ""s));
  CHECK(e[3] == std::make_pair("D"s, "line\nbreak"s)); // the last, without its NUL
  CHECK(parse_environ_entries("").empty());
}

TEST_CASE("runner environ: taken into the environment once the file is there, then left") {
  using namespace std::string_literals;
  baikal::test::temp_dir dir;
  auto path = (dir.path / "environ").string();
  set_handed_environ_path(path);
  ::unsetenv("BAIKAL_HANDED_TEST");
  adopt_handed_environ(); // no file yet: nothing
  CHECK(::getenv("BAIKAL_HANDED_TEST") == nullptr);
  std::ofstream{path, std::ios::binary} << "BAIKAL_HANDED_TEST=first\0"s;
  adopt_handed_environ();
  REQUIRE(::getenv("BAIKAL_HANDED_TEST") != nullptr);
  CHECK(std::string{::getenv("BAIKAL_HANDED_TEST")} == "first");
  std::ofstream{path, std::ios::binary | std::ios::trunc} << "BAIKAL_HANDED_TEST=second\0"s;
  adopt_handed_environ(); // once taken, a later change is not
  CHECK(std::string{::getenv("BAIKAL_HANDED_TEST")} == "first");
  ::unsetenv("BAIKAL_HANDED_TEST");
}
