// GET /v1/images' rendering: the catalogue in the order given, four fields an entry and
// nothing of a registry.

#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "actors/manager/http/image_catalogue.hpp"

using namespace baikal;

TEST_CASE("image catalogue: entries keep their order and carry the four fields") {
  std::vector<catalogue_image> images{
      {"python:3.9", "cr.backend.ai/stable/python:3.9", "x86_64", false},
      {"baikal-test/busybox:1", "baikal-test/busybox:1", "aarch64", true},
  };
  rapidjson::Document doc;
  doc.Parse(render_image_catalogue(images).c_str());
  REQUIRE(!doc.HasParseError());
  REQUIRE(doc.IsObject());
  CHECK(doc.MemberCount() == 1);
  auto& items = doc["items"];
  REQUIRE(items.Size() == 2);
  CHECK(std::string{items[0]["reference"].GetString()} == "python:3.9");
  CHECK(std::string{items[0]["canonical"].GetString()} == "cr.backend.ai/stable/python:3.9");
  CHECK(std::string{items[0]["architecture"].GetString()} == "x86_64");
  CHECK(items[0]["is_local"].GetBool() == false);
  CHECK(std::string{items[1]["reference"].GetString()} == "baikal-test/busybox:1");
  CHECK(std::string{items[1]["architecture"].GetString()} == "aarch64");
  CHECK(items[1]["is_local"].GetBool() == true);
  CHECK(items[1].MemberCount() == 4);
}

TEST_CASE("image catalogue: no images is an empty list") {
  CHECK(render_image_catalogue({}) == R"({"items":[]})");
}
