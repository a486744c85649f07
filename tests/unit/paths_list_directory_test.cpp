#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <rapidjson/document.h>

#include "messages/errors.hpp"
#include "runtime/paths/list_directory.hpp"

using namespace baikal;
namespace fs = std::filesystem;

namespace {

struct work_fixture {
  fs::path root;
  fs::path work;

  work_fixture() {
    char tmpl[] = "/tmp/baikal-list-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    root = tmpl;
    work = root / "k1" / "work";
    fs::create_directories(work / "documents" / "images");
    fs::create_directories(work / "empty_dir");
    std::ofstream{work / "documents" / "report.docx", std::ios::binary} << "12345";
    fs::create_directory_symlink("/etc", work / "documents" / "etc_link");
    fs::create_directory_symlink("/etc", work / "to_etc");
  }
  ~work_fixture() { fs::remove_all(root); }

  work_dir open() const {
    auto dir = work_dir::open(work.string());
    REQUIRE(dir);
    return std::move(*dir);
  }
};

// filename -> object, from the files JSON text.
std::map<std::string, rapidjson::Value> parse_files(rapidjson::Document& doc,
                                                    const std::string& text) {
  doc.Parse(text.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsArray());
  std::map<std::string, rapidjson::Value> out;
  for (auto& v : doc.GetArray())
    out.emplace(v["filename"].GetString(), rapidjson::Value{v, doc.GetAllocator()});
  return out;
}

} // namespace

TEST_CASE("paths: file_mode_text writes modes as ls does") {
  CHECK(file_mode_text(S_IFREG | 0644) == "-rw-r--r--");
  CHECK(file_mode_text(S_IFDIR | 0755) == "drwxr-xr-x");
  CHECK(file_mode_text(S_IFLNK | 0777) == "lrwxrwxrwx");
  CHECK(file_mode_text(S_IFREG | S_ISUID | 0755) == "-rwsr-xr-x");
  CHECK(file_mode_text(S_IFREG | S_ISGID | 0644) == "-rw-r-Sr--");
  CHECK(file_mode_text(S_IFDIR | S_ISVTX | 0777) == "drwxrwxrwt");
  CHECK(file_mode_text(S_IFIFO | 0600) == "prw-------");
}

TEST_CASE("paths: list_directory describes each entry without following links") {
  work_fixture fx;
  auto dir = fx.open();
  auto listing = list_directory(dir, "/home/work/documents");
  REQUIRE(listing);
  CHECK(listing->abspath == "/home/work/documents");
  CHECK(listing->errors.empty());
  rapidjson::Document doc;
  auto files = parse_files(doc, listing->files);
  REQUIRE(files.size() == 3);
  auto& report = files.at("report.docx");
  CHECK(std::string{report["type"].GetString()} == "file");
  CHECK(report["size"].GetUint64() == 5);
  CHECK(std::string{report["mode"].GetString()}.size() == 10);
  CHECK(std::stoll(report["mtime"].GetString()) > 0);
  CHECK(std::string{files.at("images")["type"].GetString()} == "dir");
  CHECK(std::string{files.at("images")["mode"].GetString()}.front() == 'd');
  CHECK(std::string{files.at("etc_link")["type"].GetString()} == "symlink");
}

TEST_CASE("paths: list_directory of an empty directory is an empty array") {
  work_fixture fx;
  auto listing = list_directory(fx.open(), "/home/work/empty_dir");
  REQUIRE(listing);
  CHECK(listing->files == "[]");
  CHECK(listing->errors.empty());
}

TEST_CASE("paths: list_directory reports a missing path in errors") {
  work_fixture fx;
  auto listing = list_directory(fx.open(), "/home/work/this_folder_does_not_exist");
  REQUIRE(listing);
  CHECK(listing->abspath == "/home/work/this_folder_does_not_exist");
  CHECK(listing->files.empty());
  CHECK(listing->errors == "No such file or directory: /home/work/this_folder_does_not_exist");
}

TEST_CASE("paths: list_directory refuses paths and links outside /home/work") {
  work_fixture fx;
  auto dir = fx.open();
  for (auto p : {"/etc", "/home/work/..", "to_etc", "documents/etc_link"}) {
    CAPTURE(p);
    auto listing = list_directory(dir, p);
    REQUIRE_FALSE(listing);
    CHECK(code_of(listing.error()) == errc::permission_denied);
    CHECK(message_of(listing.error()) == "You cannot list files outside /home/work");
  }
}

TEST_CASE("paths: list_directory keeps the JSON valid for any filename bytes") {
  work_fixture fx;
  std::ofstream{fx.work / "empty_dir" / "bad\xff\"name"} << "x";
  auto listing = list_directory(fx.open(), "empty_dir");
  REQUIRE(listing);
  rapidjson::Document doc;
  auto files = parse_files(doc, listing->files);
  CHECK(files.count("bad\xEF\xBF\xBD\"name") == 1);
}
