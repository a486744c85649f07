// Image references checked as the Docker engine parses them: what `docker pull` takes passes,
// what the engine would refuse with "invalid reference format" is refused at the edge with a
// message naming the field.

#include <doctest/doctest.h>

#include "messages/errors.hpp"
#include "runtime/docker/reference_check.hpp"

using namespace baikal;
using namespace baikal::docker;

TEST_CASE("docker reference check: references the engine accepts pass") {
  for (auto ref :
       {"busybox", "python:3.9", "cr.backend.ai/stable/python:3.9", "127.0.0.1:5000/a/b:1",
        "localhost:5000/baikal-test/busybox:1", "localhost/x", "a/b/c/d", "my_image__x.y-z--w",
        "registry.example.com:443/p/img@sha256:"
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "img:1.0-rc_2", "Registry.Example.COM/x", "[::1]:5000/x:y"})
    CHECK_MESSAGE(!reference_problem(ref), ref << ": " << reference_problem(ref).value_or(""));
  CHECK(!reference_problem(std::string(255, 'a')));
}

TEST_CASE("docker reference check: references the engine refuses are refused with the reason") {
  CHECK(reference_problem("")->find("empty") != std::string::npos);
  CHECK(reference_problem("Python:3.9")->find("lower case") != std::string::npos);
  CHECK(reference_problem("registry.example.com/Project/x")->find("lower case") !=
        std::string::npos);
  CHECK(reference_problem("bad name!!"));
  CHECK(reference_problem("a//b"));
  CHECK(reference_problem("a/"));
  CHECK(reference_problem("-a"));
  CHECK(reference_problem("a-"));
  CHECK(reference_problem("a..b"));
  CHECK(reference_problem("a___b"));
  CHECK(reference_problem("x:")->find("tag") != std::string::npos);
  CHECK(reference_problem("x:.tag"));
  CHECK(reference_problem("x:" + std::string(129, 't')));
  CHECK(!reference_problem("x:" + std::string(128, 't')));
  CHECK(reference_problem("x@sha256:abc")->find("digest") != std::string::npos);
  CHECK(reference_problem("x@:0123456789abcdef0123456789abcdef"));
  CHECK(reference_problem("bad_host!/x"));
  CHECK(reference_problem("host:99999x/x"));
  CHECK(reference_problem(std::string(256, 'a'))->find("255") != std::string::npos);
  CHECK(reference_problem(std::string("a\0b", 3)));
  CHECK(reference_problem("a b"));
  CHECK(reference_problem("a\n"));
}

TEST_CASE("docker reference check: the error names the field and shows the value safely") {
  auto err = check_image_reference("bad name!!", "canonical");
  REQUIRE(err);
  CHECK(code_of(err) == errc::invalid_argument);
  auto text = message_of(err);
  CHECK(text.find("canonical must be an image reference") == 0);
  CHECK(text.find("\"bad name!!\"") != std::string::npos);
  CHECK(message_of(check_image_reference("a\nb", "image")).find("\"a?b\"") != std::string::npos);
  CHECK(!check_image_reference("python:3.9", "image"));
}
