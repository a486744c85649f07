#pragma once

/// Gathers the answers of requests sent together and runs `done` once, after the last.
///
/// The count starts at one, held by the sender while it sends: answers that come back before
/// the last request is out cannot end it early. The sender calls `expect()` before each
/// request and `release()` once all are out (so a fan-in of no requests ends at the release).
/// Each request's answer, or its failure, calls `answered()` exactly once. Shared by the
/// requests' handlers: make it with make_fan_in.

#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

namespace baikal {

/// What a fan-in gathers when it only waits.
struct nothing_gathered {};

template <class Gathered> class fan_in {
public:
  using done_fn = std::function<void(Gathered&)>;

  fan_in(Gathered gathered, done_fn done)
      : gathered_(std::move(gathered)), done_(std::move(done)) {}

  /// What the answers gathered so far; the answers' handlers fill it in.
  Gathered& gathered() { return gathered_; }

  /// One more request is going out.
  void expect(size_t n = 1) { remaining_ += n; }

  /// One request was answered (or failed).
  void answered() {
    if (remaining_ > 0 && --remaining_ == 0)
      done_(gathered_);
  }

  /// Every request is out.
  void release() { answered(); }

  size_t remaining() const { return remaining_; }

private:
  size_t remaining_ = 1;
  Gathered gathered_;
  done_fn done_;
};

template <class Gathered>
std::shared_ptr<fan_in<Gathered>> make_fan_in(Gathered gathered,
                                              typename fan_in<Gathered>::done_fn done) {
  return std::make_shared<fan_in<Gathered>>(std::move(gathered), std::move(done));
}

/// A fan-in that only waits: `done` runs after the last answer.
inline std::shared_ptr<fan_in<nothing_gathered>> make_fan_in(std::function<void()> done) {
  return make_fan_in(nothing_gathered{}, [done = std::move(done)](nothing_gathered&) { done(); });
}

} // namespace baikal
