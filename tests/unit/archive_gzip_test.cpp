#include <doctest/doctest.h>

#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "messages/errors.hpp"
#include "runtime/archive/gzip_file_writer.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
namespace fs = std::filesystem;

using baikal::test::temp_dir;

namespace {

std::string gunzip(const std::string& compressed) {
  z_stream zs{};
  REQUIRE(inflateInit2(&zs, 15 + 16) == Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buf[16384];
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    REQUIRE((rc == Z_OK || rc == Z_STREAM_END));
    out.append(buf, sizeof(buf) - zs.avail_out);
  } while (rc != Z_STREAM_END);
  CHECK(zs.avail_in == 0); // nothing after the gzip trailer
  inflateEnd(&zs);
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

} // namespace

TEST_CASE("archive: gzip_file_writer output gunzips to the chunks written") {
  temp_dir tmp;
  auto path = tmp.path / "exported_image";
  auto writer = gzip_file_writer::create(path.string());
  REQUIRE(writer);
  std::string expected;
  uint32_t seed = 12345;
  for (int chunk = 0; chunk < 40; ++chunk) {
    std::string data;
    // Mixed compressible and pseudo-random bytes, chunks of varying size.
    for (int i = 0; i < 1000 + chunk * 997; ++i) {
      seed = seed * 1103515245u + 12345u;
      data += (i % 3 == 0) ? static_cast<char>(seed >> 24) : 'a';
    }
    expected += data;
    REQUIRE_FALSE(writer->write(data));
  }
  REQUIRE_FALSE(writer->finish());
  auto compressed = slurp(path);
  CHECK(compressed.size() == writer->compressed_size());
  CHECK(compressed.size() < expected.size());
  REQUIRE(compressed.size() > 2);
  CHECK(static_cast<unsigned char>(compressed[0]) == 0x1f); // gzip magic
  CHECK(static_cast<unsigned char>(compressed[1]) == 0x8b);
  CHECK(gunzip(compressed) == expected);
  CHECK(writer->write("more")); // finished writers refuse input
  CHECK(writer->finish());
}

TEST_CASE("archive: an empty gzip file is still a valid stream") {
  temp_dir tmp;
  auto path = tmp.path / "empty.gz";
  auto writer = gzip_file_writer::create(path.string(), 9);
  REQUIRE(writer);
  REQUIRE_FALSE(writer->finish());
  CHECK(gunzip(slurp(path)).empty());
}

TEST_CASE("archive: gzip_file_writer reports a path it cannot create") {
  temp_dir tmp;
  auto writer = gzip_file_writer::create((tmp.path / "missing" / "x.gz").string());
  REQUIRE_FALSE(writer);
  CHECK(code_of(writer.error()) == errc::runtime_error);
  CHECK(message_of(writer.error()).find("No such file or directory") != std::string::npos);
}
