// Batch sessions through a whole manager with fake agents: once RUNNING the main kernel's agent
// is asked to run the startup command, and the agent's batch_result_event ends the session
// (TERMINATED with the exit code for a command that exited, ERROR batch-timeout or ERROR with
// the failure otherwise), its kernels destroyed and its result and output stored. The fixture
// parks idle sessions at once, so the result wakes a parked session.

#include <doctest/doctest.h>

#include <mutex>
#include <vector>

#include "support/manager_fixture.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

/// The trigger_batch_execution calls a fake agent took.
struct triggers {
  std::mutex mtx;
  std::vector<op::trigger_batch_execution> seen;
  size_t count() {
    std::lock_guard<std::mutex> guard{mtx};
    return seen.size();
  }
  op::trigger_batch_execution first() {
    std::lock_guard<std::mutex> guard{mtx};
    return seen.front();
  }
};

struct batch_fixture : manager_fixture {
  std::shared_ptr<triggers> asked = std::make_shared<triggers>();
  fake_agent_log_ptr agent_log;

  /// A fake agent that takes the trigger (and records it) instead of refusing it.
  void join_batch_agent(const agent_id& id, bool refuse_trigger = false) {
    agent_log = std::make_shared<fake_agent_log>();
    agent_double::options opts;
    opts.id = id;
    opts.pull_finished_message = "image already exists";
    opts.refuse<op::update_scaling_group>();
    opts.refuse<op::gather_hwinfo>();
    opts.refuse<op::shutdown>();
    if (refuse_trigger)
      opts.refuse<op::trigger_batch_execution>();
    else
      opts.respond<op::trigger_batch_execution>(
          [asked = asked](op::trigger_batch_execution& x) -> caf::result<ack> {
            std::lock_guard<std::mutex> guard{asked->mtx};
            asked->seen.push_back(x);
            return ack{};
          });
    auto handle = agent_double::spawn(*sys, std::move(opts), agent_log);
    agents.push_back(caf::actor_cast<caf::actor>(handle));
    auto sink = register_agent(id, handle, {{"cpu", 8}, {"mem", 8e9}});
    agent_log->with([&](fake_agent_log& l) { return l.sink = sink; });
  }

  static session_request batch_request(double timeout = 0) {
    auto r = request();
    r.type = session_type::batch;
    r.startup_command = "echo batch-out; exit 3";
    r.batch_timeout = timeout;
    return r;
  }

  /// Runs a batch session until its command was triggered; answers its id.
  session_id triggered_session(double timeout = 0) {
    auto id = create(batch_request(timeout));
    REQUIRE(reaches(id, "RUNNING"));
    REQUIRE(eventually([&] { return asked->count() == 1; }));
    return id;
  }

  void report(const session_id& id, batch_outcome outcome, caf::optional<int32_t> code,
              std::string output, std::string why = {}) {
    auto t = asked->first();
    auto sink = agent_log->with([](fake_agent_log& l) { return l.sink; });
    caf::anon_send(
        sink,
        batch_result_event{{t.kernel, id, "a1", std::move(why)}, outcome, code, std::move(output)});
  }

  size_t running_kernels() {
    return agent_log->with([](fake_agent_log& l) { return l.running.size(); });
  }
};

} // namespace

TEST_CASE_FIXTURE(batch_fixture, "batch sessions: once RUNNING the main kernel runs the startup "
                                 "command, and its exit ends the session TERMINATED with the "
                                 "exit code, the output stored past a restart") {
  start();
  join_batch_agent("a1");
  auto id = triggered_session(30);
  auto t = asked->first();
  CHECK(t.session == id);
  CHECK(t.code == "echo batch-out; exit 3");
  CHECK(t.timeout == 30);
  auto rec = get(id);
  REQUIRE(rec);
  CHECK(t.kernel == rec->spec.kernels.front().id);
  CHECK(rec->spec.type == session_type::batch);
  CHECK(!rec->batch_exit_code);
  report(id, batch_outcome::finished, 3, "batch-out\n");
  REQUIRE(reaches(id, "TERMINATED"));
  CHECK(history(id).back().reason == "batch command exited with code 3");
  CHECK(eventually([&] { return running_kernels() == 0; }));
  rec = get(id);
  REQUIRE(rec);
  REQUIRE(rec->batch_exit_code);
  CHECK(*rec->batch_exit_code == 3);
  auto out = ask<batch_output_answer>(m.front, api::batch_output{"alice", id});
  REQUIRE_MESSAGE(out, why(out));
  CHECK(out->ended_batch);
  CHECK(out->output == "batch-out\n");
  // Another user's session is as unknown as none.
  CHECK(code_of(ask<batch_output_answer>(m.front, api::batch_output{"bob", id}).error()) ==
        errc::not_found);
  stop();
  start();
  rec = get(id);
  REQUIRE(rec);
  CHECK(rec->spec.startup_command == "echo batch-out; exit 3");
  REQUIRE(rec->batch_exit_code);
  CHECK(*rec->batch_exit_code == 3);
  out = ask<batch_output_answer>(m.front, api::batch_output{"alice", id});
  REQUIRE_MESSAGE(out, why(out));
  CHECK(out->output == "batch-out\n");
}

TEST_CASE_FIXTURE(batch_fixture, "batch sessions: a startup command past its batch_timeout ends "
                                 "the session ERROR with reason batch-timeout") {
  start();
  join_batch_agent("a1");
  auto id = triggered_session(2);
  report(id, batch_outcome::timeout, caf::none, "partial\n");
  REQUIRE(reaches(id, "ERROR"));
  CHECK(history(id).back().reason == "batch-timeout: the startup command ran longer than 2 s");
  auto rec = get(id);
  REQUIRE(rec);
  CHECK(!rec->batch_exit_code);
  CHECK(rec->status_data.find("batch-timeout") != std::string::npos);
  CHECK(eventually([&] { return running_kernels() == 0; }));
  auto out = ask<batch_output_answer>(m.front, api::batch_output{"alice", id});
  REQUIRE_MESSAGE(out, why(out));
  CHECK(out->output == "partial\n");
}

TEST_CASE_FIXTURE(batch_fixture, "batch sessions: a startup command that could not run ends the "
                                 "session ERROR with the failure") {
  start();
  join_batch_agent("a1");
  auto id = triggered_session();
  report(id, batch_outcome::failed, caf::none, "", "kernel k is gone");
  REQUIRE(reaches(id, "ERROR"));
  CHECK(history(id).back().reason == "batch command failed: kernel k is gone");
  CHECK(eventually([&] { return running_kernels() == 0; }));
}

TEST_CASE_FIXTURE(batch_fixture, "batch sessions: an agent that refuses to run the startup "
                                 "command ends the session ERROR, and an interactive session "
                                 "runs none") {
  start();
  join_batch_agent("a1", true);
  auto id = create(batch_request());
  REQUIRE(reaches(id, "ERROR"));
  CHECK(history(id).back().reason.find("the batch command could not be started on agent a1") == 0);
  auto plain = create(request());
  REQUIRE(reaches(plain, "RUNNING"));
  auto out = ask<batch_output_answer>(m.front, api::batch_output{"alice", plain});
  REQUIRE_MESSAGE(out, why(out));
  CHECK(!out->ended_batch);
}

TEST_CASE_FIXTURE(batch_fixture, "batch sessions: the front refuses a batch request without a "
                                 "startup_command, naming the field") {
  start();
  auto r = batch_request();
  r.startup_command.clear();
  auto id = ask<session_id>(m.front, api::create_session{r});
  REQUIRE(!id);
  CHECK(code_of(id.error()) == errc::invalid_argument);
  CHECK(message_of(id.error()).find("startup_command") != std::string::npos);
}
