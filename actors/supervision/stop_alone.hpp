#pragma once

/// What every actor does when one of its handlers throws: the exception is logged with the
/// actor's name, the request being handled and every guarded_promise of the actor answer a
/// runtime_error that names the actor and the exception, and the actor stops with that error.
/// Nothing else stops with it unless it is linked to it: monitors see the error in their
/// down_msg and decide (the agent recovers a failed kernel, the front forgets a failed
/// session). No exception leaves an actor any other way.

#include <exception>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include <caf/error.hpp>

#include "actors/supervision/guarded_promise.hpp"

namespace baikal {

/// Called with the failure before the actor stops: for what the actor owes beyond its
/// promises (an HTTP call to answer, actors it owns to stop).
using failure_hook = std::function<void(const caf::error&)>;

/// Logs the exception `x` of the actor `name` and answers the runtime_error to report:
/// "NAME failed: TYPE: WHAT".
caf::error actor_failure(const std::string& name, const std::exception_ptr& x);

/// Installs the exception handler described above on `self`. `name` says which actor this is
/// in logs and errors ("the actor of kernel k-1"): a string, or a function making it when it is
/// needed (actors that come by the hundred thousand keep no copy).
template <class Self, class Name>
void stop_alone_on_exception(Self* self, Name name, failure_hook also = nullptr) {
  self->set_exception_handler(
      [self, name = std::move(name), also = std::move(also)](std::exception_ptr& x) -> caf::error {
        caf::error err;
        if constexpr (std::is_invocable_v<Name>)
          err = actor_failure(name(), x);
        else
          err = actor_failure(name, x);
        detail::answer_unwound_promises(self, err);
        if (also)
          also(err);
        return err;
      });
}

} // namespace baikal
