// Agent scenarios about a kernel the agent does not have (the spec's KeyError), and the
// operations that must only log in that case.

#include <doctest/doctest.h>

#include "support/agent_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

template <class Result> void check_not_found(const caf::expected<Result>& res) {
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::not_found);
  CHECK(message_of(res.error()).find("kernel_id_INVALID") != std::string::npos);
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture, "accept_file/scenario-4 upload to a non-existent kernel") {
  check_not_found(
      ask<ack>(op::accept_file{"kernel_id_INVALID", "/home/work/anyfile.txt", "Orphaned data"}));
}

TEST_CASE_FIXTURE(agent_fixture, "download_file/scenario-6 download from a non-existent kernel") {
  check_not_found(
      ask<file_bytes>(op::download_file{"kernel_id_INVALID", "/home/work/any_file.txt"}));
}

TEST_CASE_FIXTURE(agent_fixture, "download_single/scenario-6 download from a non-existent kernel") {
  check_not_found(
      ask<file_bytes>(op::download_single{"kernel_id_INVALID", "/home/work/any_single_file.dat"}));
}

TEST_CASE_FIXTURE(agent_fixture, "list_files/scenario-5 list files of a non-existent kernel") {
  check_not_found(
      ask<file_listing>(op::list_files{"kernel_id_INVALID", "/home/work/any_target_path"}));
}

TEST_CASE_FIXTURE(agent_fixture, "commit/scenario-4 commit for a non-existent kernel") {
  check_not_found(ask<ack>(op::commit{"kernel_id_INVALID",
                                      "test_commit_invalid_kernel",
                                      std::string{"myimage:fail_commit"},
                                      caf::none,
                                      {}}));
}

TEST_CASE_FIXTURE(agent_fixture,
                  "shutdown_service/scenario-3 a service in a non-existent kernel only logs") {
  auto res = ask<ack>(op::shutdown_service{"kernel_id_INVALID", "any_service_C"});
  CHECK(res);
}

TEST_CASE_FIXTURE(agent_fixture, "ping answers the message it was sent") {
  auto res = ask<std::string>(op::ping{"hello agent"});
  REQUIRE(res);
  CHECK(*res == "hello agent");
}

TEST_CASE_FIXTURE(agent_fixture, "gather_hwinfo reports cpu, memory and disk of the host") {
  auto res = ask<hardware_info>(op::gather_hwinfo{false});
  REQUIRE(res);
  CHECK(res->kinds.at("cpu").status == "healthy");
  CHECK(res->kinds.at("memory").status == "healthy");
  CHECK(res->kinds.count("disk") == 1);
}

TEST_CASE_FIXTURE(agent_fixture, "assign_port and release_port hand out host ports once") {
  auto a = ask<assigned_port>(op::assign_port{});
  auto b = ask<assigned_port>(op::assign_port{});
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->port != b->port);
  CHECK(ask<ack>(op::release_port{a->port}));
  auto again = ask<ack>(op::release_port{a->port});
  REQUIRE(!again);
  CHECK(code_of(again.error()) == errc::not_found);
}
