// Launcher scenarios SC-LA-001..004: trigger_image_pulling against test agents.

#include <set>
#include <string>

#include "support/launcher_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-001 trigger image pulling for all agents") {
  agent_script answers;
  answers.pull_result = {{python_image, "pulled"}, {r_image, "cached"}};
  add_agent("a1", answers);
  add_agent("a2");
  add_agent("a3"); // runs nothing of these sessions: must not be asked
  auto s1 = make_session("s1", {make_kernel("k1", "a1", cluster_role::main, 1, python_image),
                                make_kernel("k2", "a1", cluster_role::sub, 1, r_image)});
  auto s2 = make_session("s2", {make_kernel("k3", "a2", cluster_role::main, 1, r_image)});
  CHECK(pull({s1, s2}));
  CHECK(rec->agents_contacted() == 2);
  auto a1 = rec->agent("a1").pulls;
  auto a2 = rec->agent("a2").pulls;
  REQUIRE(a1.size() == 1);
  REQUIRE(a2.size() == 1);
  CHECK(a1[0].images.size() == 2);
  CHECK(a1[0].images.at(python_image).canonical == python_image);
  CHECK(a1[0].images.at(r_image).canonical == r_image);
  CHECK(a2[0].images.size() == 1);
  CHECK(a2[0].images.at(r_image).canonical == r_image);
  CHECK(rec->agent("a3").pulls.empty());
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-002 deduplicate images per agent") {
  add_agent("a1");
  auto s1 = make_session("s1", {make_kernel("k1", "a1")});
  auto s2 =
      make_session("s2", {make_kernel("k2", "a1"), make_kernel("k3", "a1", cluster_role::sub, 1)});
  CHECK(pull({s1, s2}));
  auto pulls = rec->agent("a1").pulls;
  REQUIRE(pulls.size() == 1);
  REQUIRE(pulls[0].images.size() == 1);
  CHECK(pulls[0].images.count(python_image) == 1);
  CHECK(pulls[0].images.at(python_image).registry.name == "cr.backend.ai");
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-003 empty session list does nothing") {
  add_agent("a1");
  add_agent("a2");
  CHECK(pull({}, {}));
  CHECK(rec->agents_contacted() == 0);
}

TEST_CASE_FIXTURE(launcher_fixture, "SC-LA-004 agent pulling failure doesn't block others") {
  agent_script failing;
  failing.pull_error = make_error(errc::agent_error, "Connection refused");
  add_agent("a1", failing);
  agent_script succeeding;
  succeeding.pull_result = {{python_image, "pulled"}};
  add_agent("a2", succeeding);
  auto s1 = make_session("s1", {make_kernel("k1", "a1")});
  auto s2 = make_session("s2", {make_kernel("k2", "a2")});
  CHECK(pull({s1, s2})); // completes although a1 failed
  CHECK(rec->agent("a1").pulls.size() == 1);
  CHECK(rec->agent("a2").pulls.size() == 1);
  CHECK(logs.count(spdlog::level::err, "Connection refused") == 1);
}

TEST_CASE_FIXTURE(launcher_fixture, "launcher: image pulling skips agents that are not connected") {
  add_agent("a2");
  auto s1 =
      make_session("s1", {make_kernel("k1", "a1"), make_kernel("k2", "a2", cluster_role::sub, 1)});
  CHECK(pull({s1}));
  CHECK(rec->agent("a2").pulls.size() == 1);
  CHECK(logs.count(spdlog::level::err, "agent a1 is not connected") == 1);
}

TEST_CASE_FIXTURE(launcher_fixture,
                  "launcher: triggers that arrive together share one check_and_pull per agent") {
  add_agent("a1");
  add_agent("a2");
  auto l = launcher();
  caf::scoped_actor self{*sys};
  // Sent without waiting, as a burst of sessions does: every trigger that reaches the mailbox
  // before the launcher's pull pass rides on that pass's one request per agent.
  constexpr int triggers = 20;
  for (int n = 0; n < triggers; ++n) {
    auto image = n % 2 ? python_image : r_image;
    auto s = make_session("s" + std::to_string(n),
                          {make_kernel("k" + std::to_string(n), "a1", cluster_role::main, 1, image),
                           make_kernel("j" + std::to_string(n), "a2", cluster_role::sub, 1)});
    self->send(l, op::trigger_image_pulling{{s}, test::image_configs()});
  }
  int answered = 0;
  self->receive_for(answered, triggers)([](ack) {});
  CHECK(answered == triggers);
  auto a1 = rec->agent("a1").pulls;
  auto a2 = rec->agent("a2").pulls;
  REQUIRE_FALSE(a1.empty());
  CHECK(a1.size() < static_cast<size_t>(triggers));
  CHECK(a2.size() < static_cast<size_t>(triggers));
  std::set<std::string> asked_a1;
  for (auto& pull : a1)
    for (auto& image : pull.images)
      asked_a1.insert(image.first);
  CHECK(asked_a1 == std::set<std::string>{python_image, r_image});
  for (auto& pull : a2)
    CHECK(pull.images.size() == 1); // a2 runs python only
}

TEST_CASE_FIXTURE(launcher_fixture, "launcher: the agent directory follows joins and leaves") {
  auto a1 = track(spawn_test_agent(*sys, "a1", rec)); // not in the directory at spawn
  auto l = launcher();
  caf::scoped_actor self{*sys};
  auto session = make_session("s1", {make_kernel("k1", "a1")});
  auto start_error = [&] {
    std::string error = "no answer";
    self->request(l, std::chrono::seconds{30},
                  op::start_sessions{{session}, test::image_configs(), {}})
        .receive([&](start_sessions_report& r) { error = r.outcomes.at(0).error; },
                 [&](caf::error& err) { FAIL(message_of(err)); });
    return error;
  };
  auto update = [&](op::update_agent_directory req) {
    self->request(l, std::chrono::seconds{5}, std::move(req))
        .receive([](ack) {}, [](caf::error& err) { FAIL(message_of(err)); });
  };
  CHECK(start_error() == "agent_error"); // a1 unknown: "not connected"
  update({{{"a1", a1}}, {}});
  CHECK(start_error() == "");
  CHECK(rec->agent("a1").creates.size() == 1);
  update({{}, {"a1"}});
  CHECK(start_error() == "agent_error");
  CHECK(rec->agent("a1").creates.size() == 1);
}
