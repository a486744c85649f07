// The agent double on its own: the handlers generated from the agent interface, what the
// options change per operation, and the kernel model's delays, failures and ledger.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <type_traits>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/agent_double/agent_double.hpp"
#include "messages/announce.hpp"
#include "messages/errors.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

static_assert(std::is_same_v<agent_double::reply_of<op::execute>, execution_result>);
static_assert(std::is_same_v<agent_double::reply_of<op::destroy_kernel>, ack>);

struct double_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<agent_double::ledger> book = std::make_shared<agent_double::ledger>();
  agent_actor agent;

  double_fixture() {
    announce_message_types(cfg);
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
  }
  ~double_fixture() { caf::anon_send_exit(agent, caf::exit_reason::user_shutdown); }

  void spawn(agent_double::options opts) {
    opts.id = "d1";
    agent = agent_double::spawn(*sys, std::move(opts), book);
  }

  /// The answer to `x`, or the error's message after "error: ".
  template <class Reply, class Op> std::string ask(Op x, caf::timespan timeout = 5s) {
    caf::scoped_actor self{*sys};
    std::string out;
    self->request(agent, timeout, std::move(x))
        .receive([&](Reply& r) { out = describe(r); },
                 [&](caf::error& err) { out = "error: " + message_of(err); });
    return out;
  }

  static std::string describe(const std::string& x) { return x; }
  static std::string describe(const ack&) { return "ack"; }
  static std::string describe(const kernel_logs&) { return "logs"; }
  static std::string describe(const probe_result& x) { return x.detail; }
  static std::string describe(const created_kernels& x) {
    return std::to_string(x.kernels.size()) + " created";
  }
};

op::create_kernels create_request(std::vector<kernel_id> kernels) {
  op::create_kernels x;
  x.session = "s1";
  x.kernel_ids = std::move(kernels);
  return x;
}

} // namespace

TEST_CASE_FIXTURE(double_fixture, "agent double: an operation the model does not know is "
                                  "unsupported, by name") {
  spawn({});
  CHECK(ask<kernel_logs>(op::get_logs{"k1"}) == "error: the agent double d1 does not do get_logs");
  CHECK(ask<std::string>(op::ping{"hello"}) == "hello");
}

TEST_CASE_FIXTURE(double_fixture, "agent double: watch, refuse and respond per operation") {
  agent_double::options opts;
  auto seen = std::make_shared<std::atomic<int>>(0);
  opts.watch<op::ping>([seen](const op::ping&) { ++*seen; });
  opts.refuse<op::ping>();
  opts.respond<op::get_logs>([](op::get_logs& x) -> caf::result<kernel_logs> {
    if (x.kernel == "gone")
      return make_error(errc::not_found, "no kernel gone");
    return kernel_logs{};
  });
  spawn(std::move(opts));
  CHECK(ask<std::string>(op::ping{"hello"}) == "error: the agent double d1 does not do ping");
  CHECK(*seen == 1);
  CHECK(ask<kernel_logs>(op::get_logs{"k1"}) == "logs");
  CHECK(ask<kernel_logs>(op::get_logs{"gone"}) == "error: no kernel gone");
}

TEST_CASE_FIXTURE(double_fixture, "agent double: a delayed create is being created until it "
                                  "answers, then runs until destroyed") {
  agent_double::options opts;
  opts.create = agent_double::fixed_delay(300ms);
  spawn(std::move(opts));
  caf::scoped_actor self{*sys};
  self->send(agent, create_request({"k1", "k2"}));
  CHECK(ask<probe_result>(op::check_creating{"k1"}) == "being created");
  self->receive([](created_kernels& x) { CHECK(x.kernels.size() == 2); },
                [](caf::error& err) { FAIL(message_of(err)); },
                caf::after(5s) >> [] { FAIL("create_kernels did not answer"); });
  CHECK(ask<probe_result>(op::check_creating{"k1"}) == "not being created");
  CHECK(ask<probe_result>(op::check_running{"k2"}) == "container c-k2");
  CHECK(book->with([](agent_double::ledger& l) { return l.creates; }) == 1);
  CHECK(ask<ack>(op::destroy_kernel{"k2", "s1", "done", false}) == "ack");
  CHECK(ask<ack>(op::destroy_kernel{"k2", "s1", "done", false}) == "error: kernel k2 is not known");
  CHECK(book->with([](agent_double::ledger& l) { return l.running.size(); }) == 1);
}

TEST_CASE_FIXTURE(double_fixture, "agent double: a failure set in the ledger answers when the "
                                  "operation would have finished, and can be lifted") {
  agent_double::options opts;
  opts.create = agent_double::fixed_delay(100ms);
  spawn(std::move(opts));
  book->with([](agent_double::ledger& l) {
    l.fail<op::create_kernels>(make_error(errc::agent_error, "disk full"));
  });
  CHECK(ask<created_kernels>(create_request({"k1"})) == "error: disk full");
  CHECK(ask<probe_result>(op::check_running{"k1"}) == "kernel k1 is not running");
  book->with([](agent_double::ledger& l) { l.fail<op::create_kernels>(caf::error{}); });
  CHECK(ask<created_kernels>(create_request({"k1"})) == "1 created");
}

TEST_CASE_FIXTURE(double_fixture, "agent double: hanging creates never answer") {
  agent_double::options opts;
  opts.creates_hang = true;
  spawn(std::move(opts));
  auto answer = ask<created_kernels>(create_request({"k1"}), 200ms);
  CHECK(answer.find("error: ") == 0);
  CHECK(ask<probe_result>(op::check_creating{"k1"}) == "being created");
}
