// The agent's blocking executor: a bounded number of threads whatever the number of calls, a
// queue that answers unavailable when full, and code runs that cannot starve the other calls.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/supervision/blocking_executor.hpp"
#include "messages/errors.hpp"
#include "support/eventually.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

size_t thread_count() {
  size_t n = 0;
  for ([[maybe_unused]] auto& entry : std::filesystem::directory_iterator{"/proc/self/task"})
    ++n;
  return n;
}

/// Answers of calls, counted by kind.
struct tally {
  std::atomic<int> done{0};
  std::atomic<int> unavailable{0};
  std::atomic<int> other{0};
  int answered() const { return done + unavailable + other; }
};

/// A call that waits for `gate` on its worker thread, then answers 1.
blocking_job gated_job(blocking_lane lane, std::shared_future<void> gate) {
  return {lane, [gate] {
            gate.wait();
            return caf::make_message(1);
          }};
}

/// Sends `n` calls made by `make` to `executor` from one actor and counts their answers.
void submit(caf::actor_system& sys, const caf::actor& executor, int n,
            std::function<blocking_job()> make, std::shared_ptr<tally> t) {
  sys.spawn([=](caf::event_based_actor* self) {
    for (int i = 0; i < n; ++i)
      self->request(executor, caf::infinite, make())
          .then([t](int) { ++t->done; },
                [t](caf::error& err) {
                  if (code_of(err) == errc::unavailable)
                    ++t->unavailable;
                  else
                    ++t->other;
                });
  });
}

struct executor_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::promise<void> gate_opener;
  std::shared_future<void> gate = gate_opener.get_future().share();
  bool gate_open = false;
  caf::actor executor;

  explicit executor_fixture(blocking_limits limits) {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    executor = spawn_blocking_executor(*sys, limits, "agent test");
  }

  /// Lets every gated call finish.
  void open() {
    if (!std::exchange(gate_open, true))
      gate_opener.set_value();
  }

  ~executor_fixture() {
    open(); // the actor system waits for the workers
    caf::anon_send_exit(executor, caf::exit_reason::user_shutdown);
  }
};

} // namespace

TEST_CASE("blocking executor: 500 calls hold at most the lane's threads and all answer") {
  executor_fixture f{{2, 3, 10}};
  auto before = thread_count();
  auto t = std::make_shared<tally>();
  submit(
      *f.sys, f.executor, 500, [&] { return gated_job(blocking_lane::runs, f.gate); }, t);
  // 3 run on the lane's threads and 10 wait; the queue refuses the other 487 at once.
  REQUIRE(test::eventually([&] { return t->unavailable == 487; }, 60s));
  CHECK(thread_count() <= before + 3);
  CHECK(t->done == 0);
  f.open();
  REQUIRE(test::eventually([&] { return t->answered() == 500; }, 60s));
  CHECK(t->done == 13);
  CHECK(t->other == 0);
  CHECK(thread_count() <= before + 3);
}

TEST_CASE("blocking executor: a full run lane leaves io calls their own threads") {
  executor_fixture f{{2, 3, 10}};
  auto runs = std::make_shared<tally>();
  submit(
      *f.sys, f.executor, 13, [&] { return gated_job(blocking_lane::runs, f.gate); }, runs);
  auto io = std::make_shared<tally>();
  submit(
      *f.sys, f.executor, 12, // what the io threads and queue hold at once
      [] {
        return blocking_job{blocking_lane::io, [] { return caf::make_message(1); }};
      },
      io);
  // Every run still waits for the gate while the io calls finish.
  REQUIRE(test::eventually([&] { return io->done == 12; }, 60s));
  CHECK(runs->answered() == 0);
  f.open();
  CHECK(test::eventually([&] { return runs->done == 13; }, 60s));
}

TEST_CASE("blocking executor: a call that fails answers its error and the lane serves on") {
  executor_fixture f{{1, 1, 10}};
  caf::scoped_actor self{*f.sys};
  self->request(f.executor, 10s,
                blocking_job{blocking_lane::io,
                             [] { return caf::make_message(make_error(errc::not_found, "no")); }})
      .receive([](int) { FAIL("answered a value"); },
               [](caf::error& err) { CHECK(code_of(err) == errc::not_found); });
  // A call that throws ends its worker only; the next call gets a new one.
  self->request(f.executor, 10s,
                blocking_job{blocking_lane::io,
                             []() -> caf::message { throw std::runtime_error("broken"); }})
      .receive([](int) { FAIL("answered a value"); },
               [](caf::error& err) {
                 CHECK(code_of(err) == errc::runtime_error);
                 CHECK(message_of(err).find("broken") != std::string::npos);
               });
  int answer = 0;
  self->request(f.executor, 10s,
                blocking_job{blocking_lane::io, [] { return caf::make_message(7); }})
      .receive([&](int x) { answer = x; }, [](caf::error& err) { FAIL(message_of(err)); });
  CHECK(answer == 7);
}

TEST_CASE("blocking executor: calls still waiting when it stops answer unavailable") {
  executor_fixture f{{1, 1, 10}};
  caf::scoped_actor self{*f.sys};
  // Sent by one actor, so the executor takes them in this order: one runs, four wait.
  std::vector<decltype(self->request(f.executor, 10s, blocking_job{}))> runs;
  for (int i = 0; i < 5; ++i)
    runs.push_back(self->request(f.executor, 60s, gated_job(blocking_lane::runs, f.gate)));
  self->request(f.executor, 10s,
                blocking_job{blocking_lane::io, [] { return caf::make_message(1); }})
      .receive([](int) {}, [](caf::error& err) { FAIL(message_of(err)); });
  caf::anon_send_exit(f.executor, caf::exit_reason::user_shutdown);
  for (size_t i = 1; i < runs.size(); ++i)
    runs[i].receive([](int) { FAIL("a waiting call ran"); },
                    [](caf::error& err) { CHECK(code_of(err) == errc::unavailable); });
  f.open();
  int answer = 0;
  runs[0].receive([&](int x) { answer = x; }, [](caf::error& err) { FAIL(message_of(err)); });
  CHECK(answer == 1); // the running call finished
}
