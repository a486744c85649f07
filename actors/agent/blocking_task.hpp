#pragma once

/// Runs a blocking function (file I/O, probing the host, a runner call) on its own detached
/// actor, so the calling actor's thread never blocks; the result comes back as a message.

#include <utility>

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/spawn_options.hpp>
#include <caf/typed_response_promise.hpp>

namespace baikal {

/// Calls `fn()` (returning Result or caf::expected<Result>) on a fresh detached actor, then
/// `on_value(Result&)` or `on_error(caf::error&)` in the caller's context.
template <class Result, class Self, class Fn, class OnValue, class OnError>
void run_blocking_then(Self* self, Fn fn, OnValue on_value, OnError on_error) {
  auto worker = self->template spawn<caf::detached>(
    [fn = std::move(fn)](caf::event_based_actor* worker_self) mutable -> caf::behavior {
      return {[worker_self, fn](caf::atom_value) mutable -> caf::result<Result> {
        worker_self->quit();
        return fn();
      }};
    });
  self->request(worker, caf::infinite, caf::atom("run"))
    .then([on_value = std::move(on_value)](Result& value) mutable { on_value(value); },
          [on_error = std::move(on_error)](caf::error& err) mutable { on_error(err); });
}

/// As run_blocking_then, answering the caller's current request with the result.
template <class Result, class Self, class Fn>
caf::typed_response_promise<Result> run_blocking(Self* self, Fn fn) {
  auto promise = self->template make_response_promise<Result>();
  run_blocking_then<Result>(
    self, std::move(fn), [promise](Result& value) mutable { promise.deliver(std::move(value)); },
    [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

} // namespace baikal
