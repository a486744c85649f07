// The manager front's image configs: resolved from the configured images and shared between the
// sessions of one image.

#include <doctest/doctest.h>

#include "actors/manager/image_cache.hpp"

using namespace baikal;

TEST_CASE("image cache: sessions of one image share one map of its config") {
  image_config python;
  python.canonical = "registry.local/python:3.11";
  python.architecture = "x86_64";
  image_cache cache{{{"python", python}}};
  auto resolved = cache.resolve("python");
  CHECK(resolved.canonical == "registry.local/python:3.11");
  auto a = cache.of_image(resolved);
  auto b = cache.of_image(cache.resolve("python"));
  CHECK(a.get() == b.get());
  REQUIRE(a->size() == 1);
  CHECK(a->at("registry.local/python:3.11").architecture == "x86_64");
}

TEST_CASE("image cache: a stored session's kernels get their images resolved again") {
  image_config python;
  python.canonical = "registry.local/python:3.11";
  image_cache cache{{{"python", python}}};
  scheduled_session spec;
  spec.kernels.resize(2);
  spec.kernels[0].image = "registry.local/python:3.11";
  spec.kernels[1].image = "busybox";
  auto images = cache.of_session(spec);
  REQUIRE(images->size() == 2);
  CHECK(images->count("registry.local/python:3.11") == 1);
  CHECK(images->count("busybox") == 1);
  CHECK(images->at("busybox").canonical.find("busybox") != std::string::npos);
}
