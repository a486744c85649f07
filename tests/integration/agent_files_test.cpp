// accept_file, download_file, download_single and list_files scenarios of the agent spec, on a
// real kernel of the harness's engine; plus symbolic links planted from inside the container.

#include <doctest/doctest.h>

#include <filesystem>

#include "runtime/archive/tar_reader.hpp"
#include "support/agent_fixture.hpp"
#include "support/file_helpers.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

/// A fixture with one running kernel and its host work directory.
struct kernel_fixture : agent_fixture {
  kernel_id id = "k-files-" + unique_suffix();
  std::string work;

  kernel_fixture() {
    auto info = create_test_kernel(id);
    REQUIRE_MESSAGE(info, why(info));
    work = settings.scratch_root + "/" + id + "/work";
  }

  ~kernel_fixture() { (void)destroy(id); }

  std::map<std::string, std::string> untar(const std::string& archive) {
    std::map<std::string, std::string> out;
    auto entries = read_tar(archive);
    REQUIRE_MESSAGE(entries, why(entries));
    for (auto& e : *entries)
      out[e.name] = e.data;
    return out;
  }
};

template <class T>
void check_error(const caf::expected<T>& res, errc code, const std::string& text = "") {
  REQUIRE(!res);
  CHECK(code_of(res.error()) == code);
  if (!text.empty())
    CHECK(message_of(res.error()).find(text) != std::string::npos);
}

} // namespace

// -- accept_file ----------------------------------------------------------------------------------

TEST_CASE_FIXTURE(kernel_fixture, "accept_file/scenario-1 upload to the top of the work dir") {
  auto res = ask<ack>(op::accept_file{id, "/home/work/uploaded_file.txt", "This is test data."});
  REQUIRE_MESSAGE(res, why(res));
  CHECK(read_host_file(work + "/uploaded_file.txt") == "This is test data.");
  auto seen = run(id, "cat /home/work/uploaded_file.txt");
  REQUIRE(seen);
  CHECK(stdout_of(*seen) == "This is test data.");
}

TEST_CASE_FIXTURE(kernel_fixture, "accept_file/scenario-2 a path climbing out with ..") {
  auto res = ask<ack>(op::accept_file{id, "/home/work/../attempt_outside.txt", "Malicious data"});
  check_error(res, errc::permission_denied, "You cannot upload files outside /home/work");
  CHECK(!std::filesystem::exists(settings.scratch_root + "/" + id + "/attempt_outside.txt"));
  CHECK(!std::filesystem::exists(work + "/attempt_outside.txt"));
}

TEST_CASE_FIXTURE(kernel_fixture, "accept_file/scenario-3 an absolute path outside") {
  auto res = ask<ack>(op::accept_file{id, "/etc/new_file_by_agent", "System data attempt"});
  check_error(res, errc::permission_denied, "You cannot upload files outside /home/work");
  CHECK(!std::filesystem::exists("/etc/new_file_by_agent"));
  CHECK(!std::filesystem::exists(work + "/etc/new_file_by_agent"));
}

TEST_CASE_FIXTURE(kernel_fixture, "accept_file creates parent directories") {
  REQUIRE(ask<ack>(op::accept_file{id, "/home/work/a/b/c.txt", "deep"}));
  CHECK(read_host_file(work + "/a/b/c.txt") == "deep");
}

TEST_CASE_FIXTURE(kernel_fixture,
                  "accept_file refuses symbolic links planted in the container that point out") {
  auto planted = run(id, "ln -s /etc /home/work/etc-link && ln -s / /home/work/root-link && "
                         "ln -s ../../ /home/work/up-link && echo planted");
  REQUIRE(planted);
  REQUIRE(stdout_of(*planted) == "planted\n");
  for (auto path :
       {"/home/work/etc-link/evil", "/home/work/root-link/tmp/evil", "/home/work/up-link/evil"}) {
    CAPTURE(path);
    check_error(ask<ack>(op::accept_file{id, path, "x"}), errc::permission_denied);
  }
  CHECK(!std::filesystem::exists("/etc/evil"));
  CHECK(!std::filesystem::exists("/tmp/evil"));
  CHECK(!std::filesystem::exists(settings.scratch_root + "/evil"));
  check_error(ask<file_bytes>(op::download_single{id, "/home/work/etc-link/passwd"}),
              errc::permission_denied);
  check_error(ask<file_listing>(op::list_files{id, "/home/work/root-link"}),
              errc::permission_denied);
}

// -- download_file --------------------------------------------------------------------------------

TEST_CASE_FIXTURE(kernel_fixture, "download_file/scenario-1 a single existing file") {
  write_host_file(work + "/data/sample.txt", "Test content for download.");
  auto res = ask<file_bytes>(op::download_file{id, "/home/work/data/sample.txt"});
  REQUIRE_MESSAGE(res, why(res));
  auto entries = untar(res->data);
  REQUIRE(entries.size() == 1);
  CHECK(entries.begin()->first == "sample.txt");
  CHECK(entries.begin()->second == "Test content for download.");
}

TEST_CASE_FIXTURE(kernel_fixture, "download_file/scenario-2 an existing directory") {
  write_host_file(work + "/project_files/file1.py", "print('hello')");
  write_host_file(work + "/project_files/docs/readme.md", "# Project");
  auto res = ask<file_bytes>(op::download_file{id, "/home/work/project_files"});
  REQUIRE_MESSAGE(res, why(res));
  auto entries = untar(res->data);
  CHECK(entries["project_files/file1.py"] == "print('hello')");
  CHECK(entries["project_files/docs/readme.md"] == "# Project");
}

TEST_CASE_FIXTURE(kernel_fixture, "download_file/scenario-3 a path outside /home/work") {
  check_error(ask<file_bytes>(op::download_file{id, "/etc/important_config"}),
              errc::permission_denied, "You cannot download files outside /home/work");
}

TEST_CASE_FIXTURE(kernel_fixture, "download_file/scenario-4 an archive over 1 MiB") {
  write_host_file(work + "/very_large_data/a.bin", std::string(700 * 1024, 'a'));
  write_host_file(work + "/very_large_data/b.bin", std::string(700 * 1024, 'b'));
  check_error(ask<file_bytes>(op::download_file{id, "/home/work/very_large_data"}), errc::too_large,
              "Too large archive file exceeding 1 MiB");
}

TEST_CASE_FIXTURE(kernel_fixture, "download_file/scenario-5 a path that does not exist") {
  check_error(ask<file_bytes>(op::download_file{id, "/home/work/non_existent_file.txt"}),
              errc::runtime_error);
}

// -- download_single ------------------------------------------------------------------------------

TEST_CASE_FIXTURE(kernel_fixture, "download_single/scenario-1 a single existing file") {
  write_host_file(work + "/documents/report.txt", "This is the final report.");
  auto res = ask<file_bytes>(op::download_single{id, "/home/work/documents/report.txt"});
  REQUIRE_MESSAGE(res, why(res));
  CHECK(res->data == "This is the final report.");
}

TEST_CASE_FIXTURE(kernel_fixture, "download_single/scenario-2 a non-empty directory") {
  write_host_file(work + "/my_pictures/photo1.jpg", "jpg");
  write_host_file(work + "/my_pictures/photo2.png", "png");
  check_error(
      ask<file_bytes>(op::download_single{id, "/home/work/my_pictures"}), errc::invalid_argument,
      "Expected a single-file archive but found multiple files from /home/work/my_pictures");
}

TEST_CASE_FIXTURE(kernel_fixture, "download_single/scenario-3 a file outside /home/work") {
  check_error(ask<file_bytes>(op::download_single{id, "/usr/bin/binary"}), errc::permission_denied,
              "You cannot download files outside /home/work");
}

TEST_CASE_FIXTURE(kernel_fixture, "download_single/scenario-4 a file whose archive exceeds 1 MiB") {
  write_host_file(work + "/data_archive_source.dat", std::string(1048576 - 100, 'x'));
  check_error(ask<file_bytes>(op::download_single{id, "/home/work/data_archive_source.dat"}),
              errc::too_large, "Too large archive file exceeding 1 MiB");
}

TEST_CASE_FIXTURE(kernel_fixture, "download_single/scenario-5 a file that does not exist") {
  check_error(ask<file_bytes>(op::download_single{id, "/home/work/fantasy_novel.txt"}),
              errc::runtime_error);
}

// -- list_files -----------------------------------------------------------------------------------

TEST_CASE_FIXTURE(kernel_fixture, "list_files/scenario-1 a non-empty directory") {
  write_host_file(work + "/documents/report.docx", "docx");
  std::filesystem::create_directories(work + "/documents/images");
  auto res = ask<file_listing>(op::list_files{id, "/home/work/documents"});
  REQUIRE_MESSAGE(res, why(res));
  CHECK(res->abspath == "/home/work/documents");
  CHECK(res->errors.empty());
  CHECK(res->files.find("\"filename\":\"report.docx\"") != std::string::npos);
  CHECK(res->files.find("\"filename\":\"images\"") != std::string::npos);
  CHECK(res->files.find("\"type\":\"dir\"") != std::string::npos);
}

TEST_CASE_FIXTURE(kernel_fixture, "list_files/scenario-2 an empty directory") {
  std::filesystem::create_directories(work + "/empty_dir");
  auto res = ask<file_listing>(op::list_files{id, "/home/work/empty_dir"});
  REQUIRE(res);
  CHECK(res->abspath == "/home/work/empty_dir");
  CHECK(res->errors.empty());
  CHECK(res->files == "[]");
}

TEST_CASE_FIXTURE(kernel_fixture, "list_files/scenario-3 a path outside /home/work") {
  check_error(ask<file_listing>(op::list_files{id, "/etc"}), errc::permission_denied,
              "You cannot list files outside /home/work");
}

TEST_CASE_FIXTURE(kernel_fixture, "list_files/scenario-4 a path that does not exist") {
  auto res = ask<file_listing>(op::list_files{id, "/home/work/this_folder_does_not_exist"});
  REQUIRE(res);
  CHECK(res->abspath == "/home/work/this_folder_does_not_exist");
  CHECK(res->files.empty());
  CHECK(!res->errors.empty());
}
