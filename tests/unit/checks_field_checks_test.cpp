// Checks of outside values shared by the API and the agent: names, file names, texts,
// environments and string maps, each refused with a message naming the field and what it
// accepts, sizes over a bound as too_large (413), just under the bound accepted.

#include <doctest/doctest.h>

#include "messages/errors.hpp"
#include "runtime/checks/field_checks.hpp"
#include "runtime/checks/numbers.hpp"
#include "support/refusals.hpp"

using namespace baikal;
using namespace baikal::checks;
using baikal::test::refused;

TEST_CASE("checks: a name is 1 to N letters, digits, '-', '_' or '.', starting with one of "
          "the first two") {
  CHECK(!check_name("name", "job-1.a_b", 64));
  CHECK(!check_name("name", std::string(64, 'a'), 64));
  CHECK(refused(check_name("name", std::string(65, 'a'), 64)).find("name must be 1 to 64") == 0);
  CHECK(check_name("name", "", 64));
  CHECK(check_name("name", "-x", 64));
  CHECK(check_name("name", ".x", 64));
  CHECK(check_name("name", "a b", 64));
  CHECK(check_name("name", "a/b", 64));
  CHECK(check_name("name", std::string("a\0b", 3), 64));
  // Control characters are not echoed into the message.
  CHECK(refused(check_name("name", "a\nb", 64)).find("\"a?b\"") != std::string::npos);
}

TEST_CASE("checks: a plain file name has no directory and is not . or ..") {
  CHECK(!check_plain_file_name("filename", "x.tar.gz"));
  for (auto bad : {"", ".", "..", "a/b", "../x"})
    CHECK(refused(check_plain_file_name("filename", bad)).find("filename must be a plain file") ==
          0);
  CHECK(check_plain_file_name("filename", std::string("a\0", 2)));
  CHECK(!check_plain_file_name("filename", std::string(255, 'f')));
  CHECK(check_plain_file_name("filename", std::string(256, 'f')));
}

TEST_CASE("checks: a text over its size is too large, at its size accepted, and never has NUL") {
  CHECK(!check_text("code", std::string(100, 'x'), 100));
  auto over = refused(check_text("code", std::string(101, 'x'), 100), errc::too_large);
  CHECK(over.find("code is 101 bytes; at most 100") == 0);
  CHECK(http_status_of(errc::too_large) == 413);
  CHECK(refused(check_text("code", std::string("a\0b", 3), 100)).find("NUL") != std::string::npos);
}

TEST_CASE("checks: an environ key is not empty and has no '=', NUL or control character") {
  map_limits limits{4, 8, 16};
  CHECK(!check_environ("environ", {{"PATH", "/bin"}, {"A_1", ""}}, limits));
  CHECK(refused(check_environ("environ", {{"A=B", "x"}}, limits)).find("\"A=B\" in environ") !=
        std::string::npos);
  CHECK(refused(check_environ("environ", {{"", "x"}}, limits)).find("empty variable name") !=
        std::string::npos);
  CHECK(check_environ("environ", {{std::string("A\0B", 3), "x"}}, limits));
  CHECK(check_environ("environ", {{"A\tB", "x"}}, limits));
  CHECK(check_environ("environ", {{"A", std::string("x\0y", 3)}}, limits));
}

TEST_CASE("checks: environ bounds: entries, key and value sizes, just under accepted") {
  map_limits limits{2, 4, 8};
  CHECK(!check_environ("environ", {{"A", "1"}, {"B", "2"}}, limits));
  CHECK(refused(check_environ("environ", {{"A", "1"}, {"B", "2"}, {"C", "3"}}, limits),
                errc::too_large)
            .find("environ has 3 entries; at most 2") == 0);
  CHECK(!check_environ("environ", {{"ABCD", "x"}}, limits));
  CHECK(refused(check_environ("environ", {{"ABCDE", "x"}}, limits), errc::too_large)
            .find("longer than 4 bytes") != std::string::npos);
  CHECK(!check_environ("environ", {{"A", std::string(8, 'v')}}, limits));
  CHECK(refused(check_environ("environ", {{"A", std::string(9, 'v')}}, limits), errc::too_large)
            .find("environ[\"A\"] is longer than 8 bytes") == 0);
}

TEST_CASE("checks: labels and options: keys not empty, no control characters, bounded") {
  map_limits limits{1, 8, 8};
  CHECK(!check_string_map("labels", {{"a.b/c=d", "x y"}}, limits));
  CHECK(check_string_map("labels", {{"", "x"}}, limits));
  CHECK(check_string_map("labels", {{"a\nb", "x"}}, limits));
  CHECK(code_of(check_string_map("labels", {{"a", "1"}, {"b", "2"}}, limits)) == errc::too_large);
}

TEST_CASE("checks: numbers from text: plain decimal forms only, never an exception") {
  CHECK(parse_unsigned("0") == 0u);
  CHECK(parse_unsigned("65535", 65535) == 65535u);
  CHECK(!parse_unsigned("65536", 65535));
  CHECK(parse_unsigned("18446744073709551615") == UINT64_MAX);
  CHECK(!parse_unsigned("18446744073709551616"));
  for (auto bad : {"", "-1", "+1", " 1", "1 ", "0x10", "1.0", "abc", "99999999999999999999999"})
    CHECK_MESSAGE(!parse_unsigned(bad), bad);
  CHECK(parse_number("30") == 30.0);
  CHECK(parse_number("2.5") == 2.5);
  CHECK(parse_number(".5") == 0.5);
  CHECK(parse_number("1e3") == 1000.0);
  CHECK(parse_number("-2", true) == -2.0);
  for (auto bad : {"", "-2", "abc", "inf", "nan", "1e400", "0x1p3", " 1", "1e", "--1", "1,5", "١"})
    CHECK_MESSAGE(!parse_number(bad), bad);
  CHECK(parse_number("1.") == 1.0);
}
