// An actor and the parts it cannot serve without end together: a part ending abnormally ends the
// actor, which stops what it owns first; a part ending normally changes nothing.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/supervision/end_together.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

using ping_atom = caf::atom_constant<caf::atom("ping")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;

caf::behavior part(caf::event_based_actor* self) {
  return {
      [](ping_atom) { return 1; },
      [self](stop_atom) { self->quit(); },
  };
}

caf::behavior owner(caf::event_based_actor* self, std::shared_ptr<std::atomic<int>> stops,
                    caf::actor a, caf::actor b) {
  end_together(
      self, "test owner", [stops](const caf::error&) { ++*stops; }, a, b);
  return {[](ping_atom) { return 2; }};
}

struct end_together_fixture {
  end_together_fixture() : sys{(cfg.set("scheduler.max-threads", 2), cfg)}, self{sys} {}

  /// Whether `a` still answers.
  bool answers(const caf::actor& a) {
    bool ok = false;
    self->request(a, 5s, ping_atom::value)
        .receive([&](int) { ok = true; }, [&](caf::error&) { ok = false; });
    return ok;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scoped_actor self;
};

} // namespace

TEST_CASE_FIXTURE(end_together_fixture, "end together: a part ending normally changes nothing, "
                                        "one ending abnormally ends the owner after its hook") {
  auto stops = std::make_shared<std::atomic<int>>(0);
  auto a = sys.spawn(part);
  auto b = sys.spawn(part);
  auto o = sys.spawn(owner, stops, a, b);
  REQUIRE(answers(o));
  self->monitor(a);
  caf::anon_send(a, stop_atom::value);
  caf::error reason;
  self->receive([&](caf::down_msg& msg) { reason = msg.reason; });
  CHECK(reason == caf::exit_reason::normal);
  CHECK(answers(o));
  CHECK(answers(b));
  CHECK(*stops == 0);
  self->monitor(o);
  caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
  self->receive([&](caf::down_msg& msg) { reason = msg.reason; });
  CHECK(reason == caf::exit_reason::user_shutdown);
  CHECK(*stops == 1);
}

TEST_CASE_FIXTURE(end_together_fixture, "end together: an exit sent to the owner ends it and "
                                        "its parts, its hook first") {
  auto stops = std::make_shared<std::atomic<int>>(0);
  auto a = sys.spawn(part);
  auto b = sys.spawn(part);
  auto o = sys.spawn(owner, stops, a, b);
  REQUIRE(answers(o));
  self->monitor(a);
  self->monitor(b);
  caf::anon_send_exit(o, caf::exit_reason::user_shutdown);
  for (int i = 0; i < 2; ++i)
    self->receive([](caf::down_msg& msg) { CHECK(msg.reason == caf::exit_reason::user_shutdown); });
  CHECK(*stops == 1);
}
