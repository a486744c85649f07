// Uploads into a kernel's work directory land whole or not at all.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "actors/kernel/kernel_files.hpp"
#include "messages/errors.hpp"
#include "runtime/paths/disk_space.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in{p};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t entries(const fs::path& dir) {
  size_t n = 0;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    (void)e;
    ++n;
  }
  return n;
}

} // namespace

TEST_CASE("upload: a file lands under its name and nothing else is left beside it") {
  test::temp_dir work;
  REQUIRE(accept_file_in(work.path.string(), "/home/work/sub/data.txt", "hello"));
  CHECK(read(work.path / "sub" / "data.txt") == "hello");
  CHECK(entries(work.path) == 2); // sub and sub/data.txt
}

TEST_CASE("upload: a second upload replaces the first whole") {
  test::temp_dir work;
  REQUIRE(accept_file_in(work.path.string(), "a.txt", "first version, longer"));
  REQUIRE(accept_file_in(work.path.string(), "a.txt", "second"));
  CHECK(read(work.path / "a.txt") == "second");
  CHECK(entries(work.path) == 1);
}

TEST_CASE("upload: onto a directory fails and leaves nothing behind") {
  test::temp_dir work;
  fs::create_directories(work.path / "dir");
  auto res = accept_file_in(work.path.string(), "dir", "x");
  REQUIRE_FALSE(res);
  CHECK(message_of(res.error()).find("/home/work/dir") != std::string::npos);
  CHECK(entries(work.path) == 1);
}

TEST_CASE("disk space: sizes read as people write them, and full disks are named") {
  CHECK(byte_count_text(512) == "512 B");
  CHECK(byte_count_text(3 * 1024 * 1024) == "3.0 MiB");
  CHECK(is_disk_full(ENOSPC));
  CHECK(is_disk_full(EDQUOT));
  CHECK_FALSE(is_disk_full(EACCES));
  CHECK(disk_full_text("/scratch", ENOSPC) ==
        "the disk holding /scratch is full (No space left on device)");
  test::temp_dir dir;
  CHECK(free_bytes_of(dir.path.string()));
  CHECK_FALSE(free_bytes_of((dir.path / "missing").string()));
}
