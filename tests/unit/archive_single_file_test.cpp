// download_single read straight from the file: the same answers and errors as building its
// archive (download_single_file), the spec's 1 MiB archive limit at the same byte, and chunks
// that put back together the exact bytes of a file of several MiB.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "messages/errors.hpp"
#include "runtime/archive/single_file.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream{p, std::ios::binary} << text;
}

std::string pattern(size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i)
    out[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
  return out;
}

/// The same request both ways: the error of one is the error of the other.
void check_same_error(const work_dir& dir, const std::string& path, uint64_t limit) {
  CAPTURE(path);
  auto streamed = open_single_file(dir, path, limit);
  auto whole = download_single_file(dir, path, limit);
  REQUIRE_FALSE(streamed);
  REQUIRE_FALSE(whole);
  CHECK(code_of(streamed.error()) == code_of(whole.error()));
  CHECK(message_of(streamed.error()) == message_of(whole.error()));
}

} // namespace

TEST_CASE("single file: errors are download_single's, the size limit to the byte") {
  test::temp_dir root;
  auto work = root.path / "work";
  write(work / "pics" / "a.jpg", "a");
  write(work / "pics" / "b.jpg", "b");
  fs::create_directories(work / "empty");
  fs::create_directory_symlink("/etc", work / "etc-link");
  // One header block, the data padded to 512, two end blocks: 1 MiB exactly for this size.
  write(work / "fits.bin", std::string(1048576 - 3 * 512, 'f'));
  write(work / "over.bin", std::string(1048576 - 3 * 512 + 1, 'o'));
  write(work / std::string(150, 'n'), std::string(1048576 - 3 * 512, 'l')); // a longname member
  auto dir = work_dir::open(work.string());
  REQUIRE(dir);
  for (auto path : {"/home/work/pics", "/home/work/empty", "/home/work", "/usr/bin/binary",
                    "/home/work/missing.txt", "/home/work/etc-link/passwd", "/home/work/over.bin"})
    check_same_error(*dir, path, max_download_archive_size);
  check_same_error(*dir, "/home/work/" + std::string(150, 'n'), max_download_archive_size);
  auto fits = open_single_file(*dir, "/home/work/fits.bin");
  REQUIRE(fits);
  CHECK(fits->size == 1048576 - 3 * 512);
  auto whole = download_single_file(*dir, "/home/work/fits.bin");
  REQUIRE(whole);
  auto read = read_file_chunk(*fits, 0, fits->size);
  REQUIRE(read);
  CHECK(*read == *whole);
}

TEST_CASE("single file: a file of several MiB read in chunks gives back its exact bytes") {
  test::temp_dir root;
  auto data = pattern(5 * 1024 * 1024 + 123);
  write(root.path / "big.bin", data);
  auto dir = work_dir::open(root.path.string());
  REQUIRE(dir);
  auto file = open_single_file(*dir, "big.bin", uint64_t{1} << 40);
  REQUIRE(file);
  std::string got;
  for (uint64_t offset = 0;;) {
    auto chunk = read_file_chunk(*file, offset, 1024 * 1024);
    REQUIRE(chunk);
    if (chunk->empty())
      break;
    offset += chunk->size();
    got += *chunk;
  }
  CHECK(got.size() == data.size());
  CHECK(got == data);
}
