#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "messages/errors.hpp"
#include "runtime/archive/tar_reader.hpp"
#include "runtime/archive/work_archive.hpp"

using namespace baikal;
namespace fs = std::filesystem;

namespace {

struct work_fixture {
  fs::path root;
  fs::path work;

  work_fixture() {
    char tmpl[] = "/tmp/baikal-archive-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    root = tmpl;
    work = root / "k1" / "work";
    fs::create_directories(work / "data");
    fs::create_directories(work / "project_files" / "docs");
    fs::create_directories(work / "empty_dir");
    fs::create_directories(root / "outside");
    write(work / "data" / "sample.txt", "Test content for download.");
    write(work / "project_files" / "file1.py", "print('hello')");
    write(work / "project_files" / "docs" / "readme.md", "# Project");
    write(root / "outside" / "secret.txt", "host secret");
    fs::create_directory_symlink("../../../outside", work / "project_files" / "escape");
    fs::create_directory_symlink("../../outside", work / "to_outside");
  }
  ~work_fixture() { fs::remove_all(root); }

  static void write(const fs::path& p, const std::string& text) {
    std::ofstream{p, std::ios::binary} << text;
  }

  work_dir open() const {
    auto dir = work_dir::open(work.string());
    REQUIRE(dir);
    return std::move(*dir);
  }
};

std::map<std::string, tar_entry> members(const std::string& archive) {
  auto entries = read_tar(archive);
  REQUIRE(entries);
  std::map<std::string, tar_entry> out;
  for (auto& e : *entries)
    out.emplace(e.name, e);
  return out;
}

} // namespace

TEST_CASE("archive: a file downloads as one member named by its basename") {
  work_fixture fx;
  auto archive = archive_work_path(fx.open(), "/home/work/data/sample.txt");
  REQUIRE(archive);
  auto m = members(*archive);
  REQUIRE(m.size() == 1);
  CHECK(m.at("sample.txt").data == "Test content for download.");
}

TEST_CASE("archive: a directory downloads under its basename, links kept as links") {
  work_fixture fx;
  auto archive = archive_work_path(fx.open(), "/home/work/project_files");
  REQUIRE(archive);
  auto m = members(*archive);
  CHECK(m.size() == 5);
  CHECK(m.at("project_files/").type == tar_type::directory);
  CHECK(m.at("project_files/docs/").type == tar_type::directory);
  CHECK(m.at("project_files/file1.py").data == "print('hello')");
  CHECK(m.at("project_files/docs/readme.md").data == "# Project");
  CHECK(m.at("project_files/escape").type == tar_type::symlink);
  CHECK(archive->find("host secret") == std::string::npos); // the link was not followed
  auto whole = archive_work_path(fx.open(), "/home/work");
  REQUIRE(whole);
  CHECK(members(*whole).count("work/project_files/docs/readme.md") == 1);
}

TEST_CASE("archive: downloads outside /home/work are refused") {
  work_fixture fx;
  for (auto p : {"/etc/important_config", "/home/work/../k2", "to_outside", "to_outside/secret.txt",
                 "project_files/escape/secret.txt"}) {
    CAPTURE(p);
    auto archive = archive_work_path(fx.open(), p);
    REQUIRE_FALSE(archive);
    CHECK(code_of(archive.error()) == errc::permission_denied);
    CHECK(message_of(archive.error()) == "You cannot download files outside /home/work");
  }
}

TEST_CASE("archive: a missing path is a runtime error") {
  work_fixture fx;
  auto archive = archive_work_path(fx.open(), "/home/work/non_existent_file.txt");
  REQUIRE_FALSE(archive);
  CHECK(code_of(archive.error()) == errc::runtime_error);
  CHECK(message_of(archive.error()) ==
        "No such file or directory: /home/work/non_existent_file.txt");
}

TEST_CASE("archive: archives over 1 MiB fail with the spec's message") {
  work_fixture fx;
  // 512 header + data + 1024 end blocks: this file makes an archive of exactly 1 MiB.
  auto largest = max_download_archive_size - 512 - 1024;
  fx.write(fx.work / "fits.dat", std::string(largest, 'f'));
  fx.write(fx.work / "data_archive_source.dat", std::string(largest + 1, 'f'));
  auto ok = archive_work_path(fx.open(), "fits.dat");
  REQUIRE(ok);
  CHECK(ok->size() == max_download_archive_size);
  auto too_big = archive_work_path(fx.open(), "/home/work/data_archive_source.dat");
  REQUIRE_FALSE(too_big);
  CHECK(code_of(too_big.error()) == errc::too_large);
  CHECK(message_of(too_big.error()) == "Too large archive file exceeding 1 MiB");
  fs::create_directories(fx.work / "very_large_data");
  for (int i = 0; i < 5; ++i)
    fx.write(fx.work / "very_large_data" / ("part" + std::to_string(i)),
             std::string(300 * 1024, 'p'));
  auto dir = download_single_file(fx.open(), "/home/work/very_large_data");
  REQUIRE_FALSE(dir);
  CHECK(message_of(dir.error()) == "Too large archive file exceeding 1 MiB");
}

TEST_CASE("archive: download_single answers a file's bytes and refuses directories") {
  work_fixture fx;
  auto bytes = download_single_file(fx.open(), "/home/work/data/sample.txt");
  REQUIRE(bytes);
  CHECK(*bytes == "Test content for download.");
  auto dir = download_single_file(fx.open(), "/home/work/project_files");
  REQUIRE_FALSE(dir);
  CHECK(code_of(dir.error()) == errc::invalid_argument);
  CHECK(message_of(dir.error()) == "Expected a single-file archive but found multiple files from "
                                   "/home/work/project_files");
  auto empty = download_single_file(fx.open(), "/home/work/empty_dir");
  REQUIRE_FALSE(empty);
  CHECK(code_of(empty.error()) == errc::invalid_argument);
  auto outside = download_single_file(fx.open(), "/usr/bin/binary");
  REQUIRE_FALSE(outside);
  CHECK(message_of(outside.error()) == "You cannot download files outside /home/work");
  auto missing = download_single_file(fx.open(), "/home/work/fantasy_novel.txt");
  REQUIRE_FALSE(missing);
  CHECK(code_of(missing.error()) == errc::runtime_error);
}

TEST_CASE("archive: extract_single_file refuses malformed archives") {
  auto r = extract_single_file(std::string(512, 'Z'), "/home/work/x");
  REQUIRE_FALSE(r);
  CHECK(code_of(r.error()) == errc::invalid_argument);
  CHECK(message_of(r.error()).rfind("malformed archive", 0) == 0);
}
