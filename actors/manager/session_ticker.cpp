#include "actors/manager/session_ticker.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/supervision/stop_alone.hpp"
#include "messages/manager_internal_interface.hpp"

namespace baikal {

namespace {

struct ticker_state {
  std::shared_ptr<session_timers> timers;
  static inline const char* name = "session ticker";
};

using ticker_ptr = session_ticker_actor::stateful_pointer<ticker_state>;

void fire(const session_timers::due_timer& t) {
  auto session = caf::actor_cast<session_actor>(t.session.lock());
  if (!session) // ended or parked since it armed the timer
    return;
  if (t.kind == session_timer_kind::phase)
    caf::anon_send(session, sess::phase_timeout{});
  else
    caf::anon_send(session, sess::started_events_due{});
}

void tick(ticker_ptr self) {
  auto& timers = *self->state.timers;
  for (auto& t : timers.take_due(session_timers::clock::now()))
    fire(t);
  self->delayed_send(self, timers.tick(), session_tick_atom::value);
}

session_ticker_actor::behavior_type session_ticker(ticker_ptr self,
                                                   std::shared_ptr<session_timers> timers) {
  self->state.timers = std::move(timers);
  stop_alone_on_exception(self, "the session ticker");
  self->send(self, session_tick_atom::value);
  return {
      [self](session_tick_atom) { tick(self); },
  };
}

} // namespace

session_ticker_actor spawn_session_ticker(caf::actor_system& sys,
                                          std::shared_ptr<session_timers> timers) {
  return sys.spawn(session_ticker, std::move(timers));
}

} // namespace baikal
