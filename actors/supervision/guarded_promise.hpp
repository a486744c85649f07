#pragma once

/// A response promise that cannot be lost. CAF 0.17 drops an undelivered promise silently: when
/// its actor fails or stops first, the requester waits until its own timeout, or forever. The
/// last copy of a guarded_promise that goes away unanswered answers the requester instead:
///  - its actor failed (stop_alone_on_exception): the failure's runtime_error, which names the
///    actor and the exception;
///  - its actor stopped for another reason: unavailable, naming the actor and the reason;
///  - its actor still runs (a path forgot to answer): runtime_error saying so.
/// Copies share one promise: the first deliver answers, later ones do nothing. Keep every copy
/// on the actor's own thread (in its state or its continuations, never in a blocking task).

#include <memory>
#include <utility>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/local_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/result.hpp>

namespace baikal {

namespace detail {

/// The one promise behind every copy of a guarded_promise.
class promise_slot {
public:
  promise_slot(caf::local_actor* owner, caf::response_promise promise)
      : owner_(owner), promise_(std::move(promise)) {}
  promise_slot(const promise_slot&) = delete;
  promise_slot& operator=(const promise_slot&) = delete;
  ~promise_slot();

  caf::response_promise& promise() { return promise_; }

private:
  /// Alive as long as the slot: the promise holds a strong reference to it.
  caf::local_actor* owner_;
  caf::response_promise promise_;
};

/// Answers, with `err`, the promises of `owner` whose last copy went away while the exception
/// that makes `owner` fail unwound the stack (they are kept aside until the handler runs).
void answer_unwound_promises(caf::local_actor* owner, const caf::error& err);

} // namespace detail

template <class T> class guarded_promise {
public:
  guarded_promise() = default;

  /// A promise for the request `self` is handling now.
  template <class Self>
  explicit guarded_promise(Self* self)
      : slot_(std::make_shared<detail::promise_slot>(self, self->make_response_promise())) {}

  void deliver(T value) {
    if (pending())
      slot_->promise().deliver(std::move(value));
  }

  void deliver(caf::error err) {
    if (pending())
      slot_->promise().deliver(std::move(err));
  }

  void deliver(caf::expected<T> x) {
    if (x)
      deliver(std::move(*x));
    else
      deliver(std::move(x.error()));
  }

  bool pending() const { return slot_ && slot_->promise().pending(); }

  /// What a handler returns for an answer that comes later.
  operator caf::result<T>() const { return caf::result<T>{caf::response_promise{}}; }

private:
  std::shared_ptr<detail::promise_slot> slot_;
};

/// A guarded_promise for the request `self` is handling now.
template <class T, class Self> guarded_promise<T> make_guarded_promise(Self* self) {
  return guarded_promise<T>{self};
}

} // namespace baikal
