// A failure stays where it happened: a kernel actor that throws is reported and served again
// from its container while the agent and its other kernels answer; a kernel whose container is
// gone is reported terminated; a kernel being destroyed refuses new work; 500 concurrent calls
// leave the agent's thread count bounded and every call answered.

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <caf/event_based_actor.hpp>

#include "runtime/docker/containers.hpp"
#include "support/agent_fixture.hpp"
#include "support/eventually.hpp"
#include "support/test_agent.hpp"
#include "support/why.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

namespace {

/// The code that makes the test's probe throw inside the kernel actor, as a bug would.
constexpr const char* poison = "# fail the kernel actor";

struct supervised_agent : agent_fixture {
  log_capture agent_log{"agent"};
  log_capture failures{"supervision"};

  supervised_agent() {
    settings.before_execute = [](const op::execute& x) {
      if (x.code == poison)
        throw std::invalid_argument("injected failure");
    };
    respawn_agent();
  }
};

size_t thread_count() {
  size_t n = 0;
  for ([[maybe_unused]] auto& entry : std::filesystem::directory_iterator{"/proc/self/task"})
    ++n;
  return n;
}

/// Samples the process's thread count on its own thread until stopped; keeps the highest.
struct thread_sampler {
  std::atomic<bool> stop{false};
  std::atomic<size_t> highest{0};
  std::thread worker{[this] {
    while (!stop) {
      highest = std::max(highest.load(), thread_count());
      std::this_thread::sleep_for(2ms);
    }
  }};
  ~thread_sampler() {
    stop = true;
    worker.join();
  }
};

/// Answers of a burst of calls, counted by kind.
struct burst_tally {
  std::atomic<int> ok{0};
  std::atomic<int> unavailable{0};
  std::atomic<int> other{0};
  std::string first_other;
  std::mutex mtx;
  int answered() const { return ok + unavailable + other; }
};

/// Sends `n` requests made by `make(i)` to `agent` at once from one actor and counts the
/// answers (a value, unavailable, anything else).
template <class Result, class Make>
std::shared_ptr<burst_tally> burst(caf::actor_system& sys, const agent_actor& agent, int n,
                                   Make make) {
  auto t = std::make_shared<burst_tally>();
  sys.spawn([=](caf::event_based_actor* self) {
    for (int i = 0; i < n; ++i)
      self->request(agent, 300s, make(i))
          .then([t](Result&) { ++t->ok; },
                [t](caf::error& err) {
                  if (code_of(err) == errc::unavailable)
                    ++t->unavailable;
                  else {
                    std::lock_guard<std::mutex> guard{t->mtx};
                    if (t->other++ == 0)
                      t->first_other = message_of(err);
                  }
                });
  });
  return t;
}

} // namespace

TEST_CASE_FIXTURE(supervised_agent, "agent supervision: a kernel actor that throws is reported "
                                    "and served again while the agent and other kernels answer") {
  auto a = "k-sup-a-" + unique_suffix();
  auto b = "k-sup-b-" + unique_suffix();
  auto info_a = create_test_kernel(a);
  REQUIRE_MESSAGE(info_a, why(info_a));
  auto info_b = create_test_kernel(b);
  REQUIRE_MESSAGE(info_b, why(info_b));

  auto failed = ask<execution_result>(
      op::execute{"session-" + a, a, 4, "", execution_mode::query, poison, {}, 5});
  REQUIRE_FALSE(failed);
  CHECK(code_of(failed.error()) == errc::runtime_error);
  CHECK(message_of(failed.error()) ==
        "the actor of kernel " + a + " failed: std::invalid_argument: injected failure");
  CHECK(failures.count(spdlog::level::err, "the actor of kernel " + a + " failed") == 1);

  // The agent answers, and the other kernel runs code.
  auto pong = ask<std::string>(op::ping{"still here"});
  REQUIRE_MESSAGE(pong, why(pong));
  CHECK(*pong == "still here");
  auto other = run(b, "echo from b");
  REQUIRE_MESSAGE(other, why(other));
  CHECK(stdout_of(*other) == "from b\n");

  // The failed kernel is served again from the same container, and says so.
  caf::expected<execution_result> again{caf::error{}};
  REQUIRE(eventually([&] { return static_cast<bool>(again = run(a, "echo back")); }, 60s));
  CHECK(stdout_of(*again) == "back\n");
  auto probe = ask<probe_result>(op::check_running{a});
  REQUIRE(probe);
  CHECK(probe->active);
  CHECK(probe->detail.find(info_a->container_id) != std::string::npos);
  CHECK(probe->detail.find("served again after its actor failed") != std::string::npos);
  CHECK(agent_log.count(spdlog::level::err, "the actor of kernel " + a + " ") == 1);
  CHECK(agent_log.count(spdlog::level::warn, "kernel " + a + " of session") == 1);
  CHECK(events->matching("KernelTerminatedEvent " + a).empty());
  CHECK(events->matching("KernelTerminatedEvent " + b).empty());

  REQUIRE(destroy(a));
  REQUIRE(destroy(b));
}

TEST_CASE_FIXTURE(supervised_agent, "agent supervision: a kernel whose actor failed and whose "
                                    "container is gone is reported terminated") {
  auto id = "k-sup-gone-" + unique_suffix();
  auto info = create_test_kernel(id);
  REQUIRE_MESSAGE(info, why(info));
  REQUIRE(engine(docker::container_remove(info->container_id, true, true)));
  auto failed = ask<execution_result>(
      op::execute{"session-" + id, id, 4, "", execution_mode::query, poison, {}, 5});
  REQUIRE_FALSE(failed);
  // The engine's destroy event races the poison: on a loaded machine the agent may learn first
  // that the container is gone. Either way the kernel is reported terminated, once.
  REQUIRE(eventually([&] {
    return events->matching("KernelTerminatedEvent " + id + " kernel-actor-failed").size() +
               events->matching("KernelTerminatedEvent " + id + " container-lost").size() ==
           1;
  }));
  CHECK(events->matching("KernelTerminatedEvent " + id).size() == 1);
  auto probe = ask<probe_result>(op::check_running{id});
  REQUIRE(probe);
  CHECK_FALSE(probe->active);
  CHECK(eventually([&] { return !std::filesystem::exists(settings.scratch_root + "/" + id); }));
  auto gone = run(id, "echo x");
  REQUIRE_FALSE(gone);
  CHECK(code_of(gone.error()) == errc::not_found);
}

TEST_CASE_FIXTURE(agent_fixture, "agent stop discipline: a kernel being destroyed refuses new "
                                 "work and answers a second destroy at once") {
  auto id = "k-stopping-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  caf::scoped_actor asker{*sys};
  // From one sender through the agent: the kernel takes them in this order.
  auto first = asker->request(
      agent, 120s,
      op::destroy_kernel{id, "session-" + id, lifecycle_reason::user_requested, false});
  auto exec = asker->request(
      agent, 120s, op::execute{"session-" + id, id, 4, "", execution_mode::query, "echo x", {}, 5});
  auto second = asker->request(
      agent, 120s,
      op::destroy_kernel{id, "session-" + id, lifecycle_reason::user_requested, false});
  auto restart = asker->request(
      agent, 120s, op::destroy_kernel{id, "session-" + id, lifecycle_reason::restarting, false});
  exec.receive([](execution_result&) { FAIL("a kernel being destroyed ran code"); },
               [&](caf::error& err) {
                 CHECK(code_of(err) == errc::unavailable);
                 CHECK(message_of(err) == "kernel " + id +
                                              " is being destroyed (user-requested); it takes "
                                              "no new work");
               });
  second.receive([](ack) {}, [](caf::error& err) { FAIL(message_of(err)); });
  restart.receive([](ack) { FAIL("a restart of a kernel being destroyed was accepted"); },
                  [](caf::error& err) { CHECK(code_of(err) == errc::conflict); });
  first.receive([](ack) {}, [](caf::error& err) { FAIL(message_of(err)); });
  CHECK(eventually([&] {
    return events->matching("KernelTerminatedEvent " + id + " user-requested").size() == 1;
  }));
}

TEST_CASE_FIXTURE(agent_fixture, "agent stop discipline: a shutting down agent refuses new "
                                 "kernels and code runs") {
  auto id = "k-agent-stopping-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  caf::scoped_actor asker{*sys};
  auto shutdown = asker->request(agent, 120s, op::shutdown{15}); // SIGTERM: destroys its kernels
  auto exec = asker->request(
      agent, 120s, op::execute{"session-" + id, id, 4, "", execution_mode::query, "echo x", {}, 5});
  auto other = "k-agent-stopping-new-" + unique_suffix();
  auto create = asker->request(
      agent, 120s,
      op::create_kernels{"s", {other}, {test_kernel_config(other, "s")}, cluster_info{}, {}});
  for (auto* refused : {&exec})
    refused->receive([](execution_result&) { FAIL("a stopping agent ran code"); },
                     [](caf::error& err) {
                       CHECK(code_of(err) == errc::unavailable);
                       CHECK(message_of(err).find("is shutting down") != std::string::npos);
                     });
  create.receive([](created_kernels&) { FAIL("a stopping agent created a kernel"); },
                 [](caf::error& err) { CHECK(code_of(err) == errc::unavailable); });
  shutdown.receive([](ack) {}, [](caf::error& err) { FAIL(message_of(err)); });
  CHECK(eventually([&] {
    return events->matching("KernelTerminatedEvent " + id + " agent-termination").size() == 1;
  }));
}

TEST_CASE_FIXTURE(agent_fixture, "agent blocking work: 500 concurrent executes and 500 file "
                                 "operations leave the thread count bounded and all answer") {
  settings.blocking = {4, 8, 100};
  // The executor's bound is under test here, not the kernel's own (container.max-concurrent-runs).
  settings.max_concurrent_runs = 1000;
  respawn_agent();
  auto id = "k-burst-" + unique_suffix();
  REQUIRE(create_test_kernel(id));
  auto warm = run(id, "echo warm");
  REQUIRE_MESSAGE(warm, why(warm));
  REQUIRE(ask<ack>(op::accept_file{id, "f.txt", "data"}));
  size_t before = 0;
  size_t highest = 0;
  {
    thread_sampler sampler; // counted in `before` too
    before = thread_count();
    auto runs = burst<execution_result>(*sys, agent, 500, [&](int i) {
      return op::execute{
          "session-" + id, id, 4, "", execution_mode::query, "echo " + std::to_string(i), {}, 10};
    });
    auto files = burst<file_bytes>(*sys, agent, 500, [&](int) {
      return op::download_single{id, "f.txt"};
    });
    CHECK(eventually([&] { return runs->answered() == 500 && files->answered() == 500; }, 300s));
    highest = sampler.highest;
    INFO("runs: " << runs->ok << " ok, " << runs->unavailable << " unavailable, " << runs->other
                  << " other (" << runs->first_other << ")");
    INFO("files: " << files->ok << " ok, " << files->unavailable << " unavailable, " << files->other
                   << " other (" << files->first_other << ")");
    CHECK(runs->other == 0);
    CHECK(files->other == 0);
    CHECK(runs->ok >= 8 + 100); // at least what the threads and the queue hold
    CHECK(files->ok >= 4 + 100);
    MESSAGE("runs: " << runs->ok.load() << " ok, " << runs->unavailable.load()
                     << " unavailable; files: " << files->ok.load() << " ok, "
                     << files->unavailable.load() << " unavailable");
  }
  // One thread per io and run worker at most, on top of what ran before the burst.
  CHECK(highest <= before + 4 + 8);
  MESSAGE("threads: " << before << " before the burst, " << highest << " at most during it");
  REQUIRE(destroy(id));
}
