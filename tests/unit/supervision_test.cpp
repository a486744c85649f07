// An actor whose handler throws stops alone: its requests, the one being handled and the ones it
// still owes, are answered with an error naming the actor and the exception, its monitors see
// that error, and other actors serve on. A promise dropped unanswered answers by itself.

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/supervision/stop_alone.hpp"
#include "messages/errors.hpp"

using namespace baikal;
using namespace std::chrono_literals;

namespace {

using hold_atom = caf::atom_constant<caf::atom("hold")>;
using throw_atom = caf::atom_constant<caf::atom("throw")>;
using late_throw_atom = caf::atom_constant<caf::atom("latethrow")>;
using drop_atom = caf::atom_constant<caf::atom("drop")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using echo_atom = caf::atom_constant<caf::atom("echo")>;

/// Holds requests unanswered, throws or drops on demand.
caf::behavior fragile(caf::event_based_actor* self, std::shared_ptr<int> hooked) {
  stop_alone_on_exception(self, "test actor t-1", [hooked](const caf::error&) { ++*hooked; });
  auto held = std::make_shared<std::vector<guarded_promise<int>>>();
  return {
      [=](hold_atom) -> caf::result<int> {
        held->push_back(make_guarded_promise<int>(self));
        return held->back();
      },
      [=](throw_atom) -> int { throw std::invalid_argument("stod"); },
      [=](late_throw_atom) -> caf::result<int> {
        auto promise = make_guarded_promise<int>(self);
        throw std::invalid_argument("stod");
        return promise;
      },
      [=](drop_atom) -> caf::result<int> { return make_guarded_promise<int>(self); },
      [=](stop_atom) { self->quit(); },
      [=](echo_atom, int x) { return x; },
  };
}

struct supervision_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<int> hooked = std::make_shared<int>(0);

  supervision_fixture() {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
  }

  caf::actor spawn() { return sys->spawn(fragile, hooked); }
};

/// The error `x` answers, or none when it answered a value.
template <class... Ts>
caf::error answer_of(caf::scoped_actor& self, const caf::actor& x, Ts... xs) {
  caf::error out;
  self->request(x, 10s, xs...).receive([](int) {}, [&](caf::error& err) { out = std::move(err); });
  return out;
}

} // namespace

TEST_CASE_FIXTURE(supervision_fixture,
                  "supervision: a throwing handler fails its request, the held ones and only "
                  "its actor") {
  auto t = spawn();
  auto other = spawn();
  caf::scoped_actor self{*sys};
  self->monitor(t);
  // Two requests the actor holds when it fails, sent from another actor so they wait meanwhile.
  caf::scoped_actor waiter{*sys};
  auto first = waiter->request(t, 10s, hold_atom::value);
  auto second = waiter->request(t, 10s, hold_atom::value);
  auto err = answer_of(self, t, throw_atom::value);
  CHECK(code_of(err) == errc::runtime_error);
  CHECK(message_of(err) == "test actor t-1 failed: std::invalid_argument: stod");
  for (auto* held : {&first, &second})
    held->receive([](int) { FAIL("a held request was answered with a value"); },
                  [&](caf::error& e) { CHECK(message_of(e) == message_of(err)); });
  self->receive([&](caf::down_msg& dm) { CHECK(message_of(dm.reason) == message_of(err)); });
  CHECK(*hooked == 1);
  CHECK(!answer_of(self, other, echo_atom::value, 7));
  caf::anon_send_exit(other, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(supervision_fixture,
                  "supervision: a handler that throws after making its promise still answers") {
  auto t = spawn();
  caf::scoped_actor self{*sys};
  auto err = answer_of(self, t, late_throw_atom::value);
  CHECK(message_of(err) == "test actor t-1 failed: std::invalid_argument: stod");
}

TEST_CASE_FIXTURE(supervision_fixture,
                  "supervision: a promise dropped unanswered answers runtime_error, and one "
                  "left when its actor stops answers unavailable") {
  auto t = spawn();
  caf::scoped_actor self{*sys};
  auto dropped = answer_of(self, t, drop_atom::value);
  CHECK(code_of(dropped) == errc::runtime_error);
  CHECK(message_of(dropped).find("without answering") != std::string::npos);
  caf::scoped_actor waiter{*sys};
  auto held = waiter->request(t, 10s, hold_atom::value);
  caf::anon_send(t, stop_atom::value);
  held.receive([](int) { FAIL("answered with a value"); },
               [](caf::error& e) {
                 CHECK(code_of(e) == errc::unavailable);
                 CHECK(message_of(e).find("stopped before it answered") != std::string::npos);
               });
  CHECK(*hooked == 0);
}
