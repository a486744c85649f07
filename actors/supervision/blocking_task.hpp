#pragma once

/// Runs a blocking function (file I/O, probing the host, a runner call) on the agent's blocking
/// executor (blocking_executor.hpp), so the calling actor's thread never blocks; the result
/// comes back as a message. The calling actor's state holds the executor as `blocking`.

#include <utility>

#include <caf/expected.hpp>
#include <caf/make_message.hpp>
#include <caf/result.hpp>

#include "actors/supervision/blocking_executor.hpp"
#include "actors/supervision/guarded_promise.hpp"

namespace baikal {

/// Calls `fn()` (returning Result or caf::expected<Result>) on a thread of `lane`, then
/// `on_value(Result&)` or `on_error(caf::error&)` in the caller's context. When the lane is
/// full, on_error gets `unavailable`.
template <class Result, class Self, class Fn, class OnValue, class OnError>
void run_blocking_then(Self* self, blocking_lane lane, Fn fn, OnValue on_value, OnError on_error) {
  blocking_job job{lane, [fn = std::move(fn)]() mutable -> caf::message {
                     caf::expected<Result> r = fn();
                     if (!r)
                       return caf::make_message(std::move(r.error()));
                     return caf::make_message(std::move(*r));
                   }};
  self->request(self->state.blocking, caf::infinite, std::move(job))
      .then([on_value = std::move(on_value)](Result& value) mutable { on_value(value); },
            [on_error = std::move(on_error)](caf::error& err) mutable { on_error(err); });
}

/// As above, on the io lane.
template <class Result, class Self, class Fn, class OnValue, class OnError>
void run_blocking_then(Self* self, Fn fn, OnValue on_value, OnError on_error) {
  run_blocking_then<Result>(self, blocking_lane::io, std::move(fn), std::move(on_value),
                            std::move(on_error));
}

/// As run_blocking_then on the io lane, answering the caller's current request with the result.
template <class Result, class Self, class Fn> caf::result<Result> run_blocking(Self* self, Fn fn) {
  auto promise = make_guarded_promise<Result>(self);
  run_blocking_then<Result>(
      self, std::move(fn), [promise](Result& value) mutable { promise.deliver(std::move(value)); },
      [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

} // namespace baikal
