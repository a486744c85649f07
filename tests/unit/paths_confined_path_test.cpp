#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "messages/errors.hpp"
#include "runtime/paths/confined_path.hpp"

using namespace baikal;
namespace fs = std::filesystem;

namespace {

// A scratch root laid out as the agent has it: two kernels' work directories and a directory
// outside both that holds what a hostile link would reach for.
struct scratch_fixture {
  fs::path root;
  fs::path work;
  fs::path other_work;
  fs::path outside;

  scratch_fixture() {
    char tmpl[] = "/tmp/baikal-paths-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    root = tmpl;
    work = root / "k1" / "work";
    other_work = root / "k2" / "work";
    outside = root / "outside";
    fs::create_directories(work / "data");
    fs::create_directories(work / "sub");
    fs::create_directories(other_work);
    fs::create_directories(outside);
    write(work / "data" / "sample.txt", "Test content for download.");
    write(other_work / "secret.txt", "other kernel");
    write(outside / "secret.txt", "host secret");
    fs::create_directory_symlink("/", work / "to_root");
    fs::create_directory_symlink("/etc", work / "to_etc");
    fs::create_directory_symlink("../../k2/work", work / "to_other");
    fs::create_directory_symlink("../../outside", work / "to_outside");
    fs::create_symlink("../../outside/secret.txt", work / "to_outside_file");
    fs::create_symlink("../../outside/new.txt", work / "dangling_out");
    fs::create_directory_symlink("data", work / "inner_link");
    fs::create_symlink("data/sample.txt", work / "inner_file_link");
    fs::create_directory_symlink("../data", work / "sub" / "up_inside");
  }
  ~scratch_fixture() { fs::remove_all(root); }

  static void write(const fs::path& p, const std::string& text) {
    std::ofstream{p, std::ios::binary} << text;
  }
};

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0)
    out.append(buf, static_cast<size_t>(n));
  return out;
}

size_t entry_count(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator{dir}, {}));
}

constexpr resolve_strategy strategies[] = {resolve_strategy::automatic, resolve_strategy::walk};

work_dir open_work(const scratch_fixture& fx, resolve_strategy s) {
  auto dir = work_dir::open(fx.work.string(), s);
  REQUIRE(dir);
  return std::move(*dir);
}

} // namespace

TEST_CASE("paths: container paths map below /home/work lexically") {
  auto rel = [](const std::string& p) {
    auto r = work_relative_path(p, path_access::download);
    return r ? *r : std::string{"<refused>"};
  };
  CHECK(rel("/home/work/a/b.txt") == "a/b.txt");
  CHECK(rel("a/b.txt") == "a/b.txt");
  CHECK(rel("/home/work") == "");
  CHECK(rel("") == "");
  CHECK(rel("./a//b/./c/../d") == "a/b/d");
  CHECK(rel("/home/work/a/../b") == "b");
  CHECK(rel("/../home/work/x") == "x");
  CHECK(rel("/home/work/../x") == "<refused>");
  CHECK(rel("/home/work/../attempt_outside.txt") == "<refused>");
  CHECK(rel("../x") == "<refused>");
  CHECK(rel("/etc/passwd") == "<refused>");
  CHECK(rel("/home/workshop/x") == "<refused>");
  CHECK(rel("/home") == "<refused>");
  CHECK(container_path_of("a/b") == "/home/work/a/b");
  CHECK(host_work_dir("/scratch", "k1") == "/scratch/k1/work");
}

TEST_CASE("paths: refusals name the caller's verb exactly") {
  auto message = [](path_access a) {
    return message_of(work_relative_path("/etc/new_file_by_agent", a).error());
  };
  CHECK(message(path_access::upload) == "You cannot upload files outside /home/work");
  CHECK(message(path_access::download) == "You cannot download files outside /home/work");
  CHECK(message(path_access::list) == "You cannot list files outside /home/work");
  CHECK(code_of(work_relative_path("/etc", path_access::list).error()) == errc::permission_denied);
}

TEST_CASE("paths: files inside the work directory are read by absolute and relative paths") {
  scratch_fixture fx;
  for (auto s : strategies) {
    auto dir = open_work(fx, s);
    auto a = dir.open_file("/home/work/data/sample.txt", path_access::download);
    REQUIRE(a);
    CHECK(read_all(a->get()) == "Test content for download.");
    auto b = dir.open_file("data/sample.txt", path_access::download);
    REQUIRE(b);
    CHECK(read_all(b->get()) == "Test content for download.");
  }
}

TEST_CASE("paths: links that lead out of the work directory are refused for reading") {
  scratch_fixture fx;
  for (auto s : strategies) {
    auto dir = open_work(fx, s);
    for (auto p : {"to_etc/passwd", "to_root/etc/passwd", "/home/work/to_other/secret.txt",
                   "to_outside/secret.txt", "to_outside_file", "data/../to_outside_file"}) {
      CAPTURE(p);
      auto fd = dir.open_file(p, path_access::download);
      REQUIRE_FALSE(fd);
      CHECK(code_of(fd.error()) == errc::permission_denied);
      CHECK(message_of(fd.error()) == "You cannot download files outside /home/work");
    }
    auto listing = dir.open_directory("to_root", path_access::list);
    REQUIRE_FALSE(listing);
    CHECK(message_of(listing.error()) == "You cannot list files outside /home/work");
    CHECK_FALSE(dir.stat("to_other", path_access::download));
  }
}

TEST_CASE("paths: writes through links that lead out create nothing outside") {
  scratch_fixture fx;
  for (auto s : strategies) {
    auto dir = open_work(fx, s);
    for (auto p : {"to_other/evil.txt", "dangling_out", "to_outside_file",
                   "to_outside/new/deeper/x.txt", "to_root/tmp/baikal-evil.txt",
                   "/home/work/../attempt_outside.txt", "/etc/new_file_by_agent"}) {
      CAPTURE(p);
      auto fd = dir.create_file(p, path_access::upload);
      REQUIRE_FALSE(fd);
      CHECK(code_of(fd.error()) == errc::permission_denied);
      CHECK(message_of(fd.error()) == "You cannot upload files outside /home/work");
    }
    CHECK(entry_count(fx.outside) == 1);
    CHECK(entry_count(fx.other_work) == 1);
    CHECK(entry_count(fx.root) == 3); // k1, k2, outside: no attempt_outside.txt
    std::ifstream secret{fx.outside / "secret.txt"};
    std::string text;
    std::getline(secret, text);
    CHECK(text == "host secret"); // not truncated through the link
    CHECK_FALSE(fs::exists("/tmp/baikal-evil.txt"));
  }
}

TEST_CASE("paths: links that stay inside the work directory are followed") {
  scratch_fixture fx;
  for (auto s : strategies) {
    auto dir = open_work(fx, s);
    for (auto p : {"inner_link/sample.txt", "inner_file_link", "sub/up_inside/sample.txt"}) {
      CAPTURE(p);
      auto fd = dir.open_file(p, path_access::download);
      REQUIRE(fd);
      CHECK(read_all(fd->get()) == "Test content for download.");
    }
    auto fd = dir.create_file("inner_link/written.txt", path_access::upload);
    REQUIRE(fd);
    CHECK(fs::exists(fx.work / "data" / "written.txt"));
  }
}

TEST_CASE("paths: uploads create parent directories and truncate existing files") {
  scratch_fixture fx;
  for (auto s : strategies) {
    auto dir = open_work(fx, s);
    auto fd = dir.create_file("/home/work/new/nested/dir/up.txt", path_access::upload);
    REQUIRE(fd);
    CHECK(::write(fd->get(), "This is test data.", 18) == 18);
    fd->reset();
    auto again = dir.create_file("new/nested/dir/up.txt", path_access::upload);
    REQUIRE(again);
    CHECK(::write(again->get(), "short", 5) == 5);
    again->reset();
    auto back = dir.open_file("new/nested/dir/up.txt", path_access::download);
    REQUIRE(back);
    CHECK(read_all(back->get()) == "short");
    fs::remove_all(fx.work / "new");
  }
}

TEST_CASE("paths: uploads and the directories they create belong to the kernel's user") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: giving files to another user needs root");
    return;
  }
  scratch_fixture fx;
  auto dir = open_work(fx, resolve_strategy::automatic);
  file_owner owner{4242, 4343};
  auto fd = dir.create_file("made/here/up.txt", path_access::upload, 0644, owner);
  REQUIRE(fd);
  for (auto p : {fx.work / "made", fx.work / "made" / "here", fx.work / "made/here/up.txt"}) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    CHECK(st.st_uid == 4242);
    CHECK(st.st_gid == 4343);
  }
  struct stat existing {};
  REQUIRE(::stat(fx.work.c_str(), &existing) == 0);
  CHECK(existing.st_uid != 4242); // directories that were there are left alone
}

TEST_CASE("paths: missing paths, directories and FIFOs are runtime errors") {
  scratch_fixture fx;
  REQUIRE(::mkfifo((fx.work / "pipe").c_str(), 0644) == 0);
  for (auto s : strategies) {
    auto dir = open_work(fx, s);
    auto missing = dir.open_file("/home/work/x", path_access::download);
    REQUIRE_FALSE(missing);
    CHECK(code_of(missing.error()) == errc::runtime_error);
    CHECK(message_of(missing.error()) == "No such file or directory: /home/work/x");
    auto as_file = dir.open_file("data", path_access::download);
    REQUIRE_FALSE(as_file);
    CHECK(message_of(as_file.error()) == "Is a directory: /home/work/data");
    // Opening a FIFO for reading would block without O_NONBLOCK; it must fail at once.
    auto fifo = dir.open_file("pipe", path_access::download);
    REQUIRE_FALSE(fifo);
    CHECK(message_of(fifo.error()) == "Not a regular file: /home/work/pipe");
    auto not_dir = dir.open_directory("data/sample.txt", path_access::list);
    REQUIRE_FALSE(not_dir);
    CHECK(message_of(not_dir.error()) == "Not a directory: /home/work/data/sample.txt");
    auto root = dir.create_file("/home/work", path_access::upload);
    CHECK_FALSE(root);
    auto st = dir.stat("inner_link", path_access::download);
    REQUIRE(st);
    CHECK(S_ISDIR(st->st_mode));
  }
}

TEST_CASE("paths: a missing work directory is a runtime error") {
  auto dir = work_dir::open("/nonexistent/baikal/k/work");
  REQUIRE_FALSE(dir);
  CHECK(code_of(dir.error()) == errc::runtime_error);
}
