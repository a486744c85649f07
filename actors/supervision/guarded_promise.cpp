#include "actors/supervision/guarded_promise.hpp"

#include <exception>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>

#include "messages/errors.hpp"

namespace baikal::detail {

namespace {

struct unwound_promise {
  caf::local_actor* owner;
  caf::response_promise promise;
};

/// Promises whose last copy went away during an unwinding on this thread. The exception
/// handler of their actor runs next on the same thread and answers them with the failure it
/// knows (while unwinding, the exception itself cannot be looked at).
thread_local std::vector<unwound_promise> unwound;

caf::error unanswered_error(caf::local_actor* owner) {
  std::string name = owner->name();
  auto& reason = owner->fail_state();
  if (!reason) {
    // quit() marks the actor shutting down, then drops what it holds (these promises).
    if (owner->getf(caf::abstract_actor::is_shutting_down_flag) ||
        owner->getf(caf::abstract_actor::is_terminated_flag))
      return make_error(errc::unavailable, name + " stopped before it answered");
    return make_error(errc::runtime_error, name + " dropped the request without answering it");
  }
  if (reason.category() == error_category)
    return reason;
  return make_error(errc::unavailable,
                    name + " stopped (" + owner->system().render(reason) + ") before it answered");
}

} // namespace

promise_slot::~promise_slot() {
  if (!promise_.pending() || promise_.async())
    return;
  if (std::uncaught_exceptions() > 0) {
    unwound.push_back({owner_, std::move(promise_)});
    return;
  }
  promise_.deliver(unanswered_error(owner_));
}

void answer_unwound_promises(caf::local_actor* owner, const caf::error& err) {
  auto mine = std::move(unwound);
  unwound.clear();
  for (auto& x : mine)
    // Another owner's promise here was dropped by an exception caught inside a handler.
    x.promise.deliver(x.owner == owner ? err : unanswered_error(x.owner));
}

} // namespace baikal::detail
