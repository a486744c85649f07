#include <doctest/doctest.h>

#include <string>

#include "messages/errors.hpp"
#include "runtime/archive/tar_reader.hpp"
#include "runtime/archive/tar_writer.hpp"

using namespace baikal;

namespace {

tar_entry meta(std::string name, uint32_t mode = 0644) {
  tar_entry e;
  e.name = std::move(name);
  e.mode = mode;
  e.mtime = 1700000000;
  e.uid = 1000;
  e.gid = 1001;
  return e;
}

std::vector<tar_entry> read_ok(const std::string& archive) {
  auto entries = read_tar(archive);
  REQUIRE(entries);
  return std::move(*entries);
}

void check_malformed(const std::string& archive) {
  auto entries = read_tar(archive);
  REQUIRE_FALSE(entries);
  CHECK(code_of(entries.error()) == errc::invalid_argument);
  CHECK(message_of(entries.error()).rfind("malformed archive", 0) == 0);
}

} // namespace

TEST_CASE("archive: files, directories and links survive a round trip") {
  tar_writer w;
  REQUIRE_FALSE(w.add_directory(meta("project_files", 0755)));
  REQUIRE_FALSE(w.add_file(meta("project_files/file1.py", 0600), "print('hello')"));
  REQUIRE_FALSE(w.add_file(meta("project_files/empty"), ""));
  auto link = meta("project_files/link", 0777);
  link.linkname = "file1.py";
  REQUIRE_FALSE(w.add_symlink(link));
  auto archive = w.finish();
  CHECK(archive.size() % 512 == 0);
  auto entries = read_ok(archive);
  REQUIRE(entries.size() == 4);
  CHECK(entries[0].name == "project_files/");
  CHECK(entries[0].type == tar_type::directory);
  CHECK(entries[0].mode == 0755);
  CHECK(entries[1].name == "project_files/file1.py");
  CHECK(entries[1].type == tar_type::file);
  CHECK(entries[1].data == "print('hello')");
  CHECK(entries[1].size == 14);
  CHECK(entries[1].mode == 0600);
  CHECK(entries[1].mtime == 1700000000);
  CHECK(entries[1].uid == 1000);
  CHECK(entries[1].gid == 1001);
  CHECK(entries[2].data.empty());
  CHECK(entries[3].type == tar_type::symlink);
  CHECK(entries[3].linkname == "file1.py");
}

TEST_CASE("archive: long names use the ustar prefix or a GNU longname member") {
  std::string dir(120, 'd');
  std::string split_name = dir + "/" + std::string(90, 'f'); // 211 bytes, splits at '/'
  std::string long_name = std::string(300, 'x');             // no '/': needs GNU 'L'
  auto long_link = meta("l");
  long_link.linkname = std::string(150, 't');
  tar_writer w;
  REQUIRE_FALSE(w.add_file(meta(split_name), "a"));
  REQUIRE_FALSE(w.add_file(meta(long_name), "b"));
  REQUIRE_FALSE(w.add_symlink(long_link));
  auto archive = w.finish();
  // The split name costs no extra member: header + data block, then the 'L' member's two.
  CHECK(archive.substr(345, 120) == dir);
  auto entries = read_ok(archive);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].name == split_name);
  CHECK(entries[0].data == "a");
  CHECK(entries[1].name == long_name);
  CHECK(entries[1].data == "b");
  CHECK(entries[2].linkname == long_link.linkname);
}

TEST_CASE("archive: streamed files are cut or padded to the announced size") {
  tar_writer w;
  auto grown = meta("grown");
  grown.size = 3;
  REQUIRE_FALSE(w.begin_file(grown));
  w.append_data("abcdef");
  w.end_file();
  auto shrunk = meta("shrunk");
  shrunk.size = 4;
  REQUIRE_FALSE(w.begin_file(shrunk));
  w.append_data("xy");
  auto entries = read_ok(w.finish()); // finish ends the open file
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].data == "abc");
  CHECK(entries[1].data == std::string("xy\0\0", 4));
}

TEST_CASE("archive: the size limit counts headers, padding and the end blocks") {
  // One member of N bytes costs 512 + N rounded up to 512, plus 1024 at the end.
  uint64_t limit = 4096;
  tar_writer fits{limit};
  CHECK_FALSE(fits.add_file(meta("a"), std::string(2560, 'a')));
  CHECK(fits.finish().size() == limit);
  tar_writer too_big{limit};
  auto err = too_big.add_file(meta("a"), std::string(2561, 'a'));
  REQUIRE(err);
  CHECK(code_of(err) == errc::too_large);
  CHECK(message_of(err) == "Too large archive file exceeding 4096 bytes");
  CHECK(too_big.size() == 0); // refused before writing anything
  CHECK(size_limit_text(1048576) == "1 MiB");
}

TEST_CASE("archive: large numbers fall back to base-256") {
  tar_writer w;
  auto big = meta("big");
  big.uid = 0xFFFFFFF0u; // more than 7 octal digits hold
  REQUIRE_FALSE(w.add_file(big, "z"));
  auto entries = read_ok(w.finish());
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].uid == 0xFFFFFFF0u);
}

TEST_CASE("archive: pax headers override path and size") {
  std::string records = "31 path=pax/long/name/here.txt\n";
  REQUIRE(records.size() == 31);
  tar_writer w;
  auto pax = meta("PaxHeaders/x");
  pax.type = 'x';
  pax.size = records.size();
  REQUIRE_FALSE(w.begin_file(pax));
  w.append_data(records);
  w.end_file();
  REQUIRE_FALSE(w.add_file(meta("short"), "data"));
  auto entries = read_ok(w.finish());
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == "pax/long/name/here.txt");
  CHECK(entries[0].data == "data");
}

TEST_CASE("archive: a link or directory that announces a size gets no data, and the next member "
          "reads whole") {
  tar_writer w;
  auto link = meta("work/l");
  link.type = tar_type::symlink;
  link.linkname = "../etc";
  link.size = 3;
  REQUIRE_FALSE(w.begin_file(link));
  w.append_data("abc");
  w.end_file();
  auto dir = meta("work/d/");
  dir.type = tar_type::directory;
  dir.size = 600;
  REQUIRE_FALSE(w.begin_file(dir));
  w.append_data(std::string(600, 'd'));
  w.end_file();
  REQUIRE_FALSE(w.add_file(meta("work/after"), "x"));
  auto entries = read_ok(w.finish());
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].type == tar_type::symlink);
  CHECK(entries[0].linkname == "../etc");
  CHECK(entries[0].data.empty());
  CHECK(entries[0].size == 0);
  CHECK(entries[1].type == tar_type::directory);
  CHECK(entries[1].data.empty());
  CHECK(entries[1].size == 0);
  CHECK(entries[2].name == "work/after");
  CHECK(entries[2].data == "x");
}

TEST_CASE("archive: an empty input or a bare end marker has no members") {
  CHECK(read_ok("").empty());
  CHECK(read_ok(std::string(1024, '\0')).empty());
}

TEST_CASE("archive: malformed archives are refused, never over-read") {
  tar_writer w;
  REQUIRE_FALSE(w.add_file(meta("file.txt"), std::string(700, 'q')));
  auto good = w.finish();
  check_malformed(good.substr(0, 100));       // truncated header
  check_malformed(good.substr(0, 512 + 100)); // data cut short
  auto bad_sum = good;
  bad_sum[0] = 'X'; // name changed, checksum not
  check_malformed(bad_sum);
  auto bad_size = good;
  bad_size.replace(124, 11, "77777777777"); // claims 8 GiB
  check_malformed(bad_size);
  auto bad_digit = good;
  bad_digit[125] = '9'; // not octal
  check_malformed(bad_digit);
  check_malformed(std::string(512, 'A')); // garbage
  auto bad_pax = meta("p");
  bad_pax.type = 'x';
  bad_pax.size = 10;
  tar_writer pw;
  REQUIRE_FALSE(pw.begin_file(bad_pax));
  pw.append_data("99 path=x\n"); // length longer than the record
  check_malformed(pw.finish());
}

TEST_CASE("archive: every truncation of a valid archive is handled") {
  tar_writer w;
  REQUIRE_FALSE(w.add_directory(meta("d")));
  REQUIRE_FALSE(w.add_file(meta(std::string(200, 'n')), std::string(1000, 'c')));
  auto archive = w.finish();
  for (size_t len = 0; len < archive.size(); len += 37) {
    auto r = read_tar(archive.substr(0, len));
    if (!r)
      CHECK(code_of(r.error()) == errc::invalid_argument);
  }
}
