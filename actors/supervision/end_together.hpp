#pragma once

/// An actor and the parts it cannot serve without, linked so that they end together: an
/// abnormal end of any part, or an exit sent to the actor, ends the actor with that reason (and
/// through the links the other parts); an exception in the actor ends it as stop_alone.hpp says.
/// Either way `on_stop` runs first, for what the actor owns beyond its links (the actors it
/// monitors). A part that ends normally is not an end of the service and changes nothing.

#include <utility>

#include <caf/exit_reason.hpp>

#include "actors/supervision/stop_alone.hpp"

namespace baikal {

template <class Self, class Name, class... Parts>
void end_together(Self* self, Name name, failure_hook on_stop, const Parts&... parts) {
  (self->link_to(parts), ...);
  self->set_exit_handler([self, on_stop](caf::exit_msg& msg) {
    if (msg.reason == caf::exit_reason::normal)
      return;
    if (on_stop)
      on_stop(msg.reason);
    self->quit(msg.reason);
  });
  stop_alone_on_exception(self, std::move(name), std::move(on_stop));
}

} // namespace baikal
