// Streamed uploads: chunks written at their offsets land as one file once committed, and an
// upload dropped before that leaves no file and no temporary file. The kernel's bookkeeping of
// open transfers keeps chunks in order and finishes only what was wholly written.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "actors/kernel/file_upload.hpp"
#include "actors/kernel/transfer_table.hpp"
#include "messages/errors.hpp"
#include "support/temp_dir.hpp"

using namespace baikal;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
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

/// Bytes that differ from chunk to chunk, so a chunk written at the wrong place shows.
std::string pattern(size_t n, size_t seed) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i)
    out[i] = static_cast<char>((i * 31 + seed * 7) & 0xff);
  return out;
}

} // namespace

TEST_CASE("streamed upload: chunks written out of order land as the exact bytes") {
  test::temp_dir work;
  auto up = file_upload::open(work.path.string(), "/home/work/deep/dir/big.bin", 0);
  REQUIRE(up);
  std::string whole;
  std::vector<std::string> chunks;
  for (size_t i = 0; i < 5; ++i) {
    chunks.push_back(pattern(1024 * 1024 + i, i));
    whole += chunks.back();
  }
  // Written from the last to the first: each lands at its own offset.
  uint64_t offset = whole.size();
  for (size_t i = chunks.size(); i-- > 0;) {
    offset -= chunks[i].size();
    REQUIRE_FALSE((*up)->write_at(offset, chunks[i]));
  }
  CHECK_FALSE(fs::exists(work.path / "deep" / "dir" / "big.bin"));
  REQUIRE_FALSE((*up)->commit());
  CHECK((*up)->commit()); // a second finish is refused
  up->reset();
  CHECK(read(work.path / "deep" / "dir" / "big.bin") == whole);
  CHECK(entries(work.path) == 3); // deep, deep/dir, deep/dir/big.bin
}

TEST_CASE("streamed upload: dropped before its commit it leaves no file and no temporary file") {
  test::temp_dir work;
  {
    auto up = file_upload::open(work.path.string(), "sub/partial.bin", 0);
    REQUIRE(up);
    REQUIRE_FALSE((*up)->write_at(0, "half of it"));
  }
  CHECK_FALSE(fs::exists(work.path / "sub" / "partial.bin"));
  CHECK(entries(work.path) == 1); // sub, made for the upload, is all that stays
}

TEST_CASE("streamed upload: an old file stays whole until the new one is committed") {
  test::temp_dir work;
  REQUIRE_FALSE(write_whole_upload(work.path.string(), "a.txt", "old"));
  {
    auto up = file_upload::open(work.path.string(), "a.txt", 0);
    REQUIRE(up);
    REQUIRE_FALSE((*up)->write_at(0, "new but never finished"));
  }
  CHECK(read(work.path / "a.txt") == "old");
  CHECK(entries(work.path) == 1);
}

TEST_CASE("streamed upload: paths out of /home/work are refused before anything is made") {
  test::temp_dir work;
  for (auto path : {"/home/work/../escape.txt", "/etc/passwd", "../../x"}) {
    CAPTURE(path);
    auto up = file_upload::open(work.path.string(), path, 0);
    REQUIRE_FALSE(up);
    CHECK(code_of(up.error()) == errc::permission_denied);
    CHECK(message_of(up.error()).find("You cannot upload files outside /home/work") !=
          std::string::npos);
  }
  CHECK(entries(work.path) == 0);
}

TEST_CASE("streamed upload: a size the disk cannot hold is refused at once") {
  test::temp_dir work;
  auto up = file_upload::open(work.path.string(), "huge.bin", uint64_t{1} << 60);
  REQUIRE_FALSE(up);
  CHECK(code_of(up.error()) == errc::too_large);
  CHECK(entries(work.path) == 0);
}

TEST_CASE("transfer table: chunks must follow each other and all be written before finishing") {
  test::temp_dir work;
  auto up = file_upload::open(work.path.string(), "t.bin", 0);
  REQUIRE(up);
  transfer_table table{transfer_limits{1, 1, 2}};
  auto id = table.add_upload(std::shared_ptr<file_upload>{std::move(*up)}, {});
  CHECK(table.room_for_upload()); // one upload at most
  CHECK(table.begin_chunk(id, 0, 10));
  auto gap = table.begin_chunk(id, 20, 10);
  REQUIRE_FALSE(gap);
  CHECK(code_of(gap.error()) == errc::invalid_argument);
  CHECK(table.begin_chunk(id, 10, 10));
  auto third = table.begin_chunk(id, 20, 10); // two are being written, the most allowed
  REQUIRE_FALSE(third);
  CHECK(code_of(third.error()) == errc::unavailable);
  table.end_chunk(id, {});
  CHECK(table.begin_chunk(id, 20, 10));
  table.end_chunk(id, {});
  table.end_chunk(id, {});
  auto early = table.take_finished(id, 29);
  REQUIRE_FALSE(early); // a size that disagrees ends the upload
  CHECK(table.uploads() == 0);
  auto gone = table.begin_chunk(id, 30, 1);
  REQUIRE_FALSE(gone);
  CHECK(code_of(gone.error()) == errc::not_found);
  CHECK(entries(work.path) == 0); // the table held the last reference: the temp file is gone
}

TEST_CASE("transfer table: a failed write fails the upload and its finish") {
  transfer_table table;
  auto id = table.add_upload(nullptr, {});
  REQUIRE(table.begin_chunk(id, 0, 4));
  table.end_chunk(id, make_error(errc::too_large, "disk full"));
  auto next = table.begin_chunk(id, 4, 4);
  REQUIRE_FALSE(next);
  CHECK(code_of(next.error()) == errc::too_large);
  auto fin = table.take_finished(id, 4);
  REQUIRE_FALSE(fin);
  CHECK(code_of(fin.error()) == errc::too_large);
}

TEST_CASE("transfer table: the transfers of an owner that ended are taken away together") {
  transfer_table table;
  table.add_upload(nullptr, {});
  auto d = table.add_download(nullptr, {});
  CHECK(table.find_download(d));
  CHECK(table.take_all_of({}).size() == 1);
  CHECK(table.uploads() == 0);
  CHECK(table.downloads() == 0);
  CHECK_FALSE(table.find_download(d));
}
