#pragma once

/// What an agent double answers, how long it takes and what it refuses; fixed when it is
/// spawned. What changes while it runs (its event sink, failures, kernels) is in its ledger.

#include <any>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <typeindex>

#include <caf/fwd.hpp>
#include <caf/result.hpp>
#include <caf/timespan.hpp>

#include "actors/agent_double/interface_traits.hpp"
#include "messages/ids.hpp"

namespace baikal::agent_double {

/// How long one call of an operation takes, drawn from the double's own generator; an empty
/// delay finishes the operation at once, inside the handler.
using delay = std::function<caf::timespan(std::mt19937_64&)>;

/// The same delay for every call.
delay fixed_delay(caf::timespan d);

struct options {
  agent_id id;

  // -- answers of the kernel model ---------------------------------------------------------------

  /// check_and_pull's answer (image to job id); when empty, "job-IMAGE" for each image asked.
  std::map<std::string, std::string> pull_jobs;
  /// The message of the image_pull_event that ends a pull.
  std::string pull_finished_message = "pulled";
  /// Every image asked is on the agent already: check_and_pull reports only its finished event
  /// ("image already exists", after `pull`), as a real agent does for an image it has; otherwise
  /// a started event comes first, as for an image being pulled.
  bool images_present = false;
  /// What assign_port answers.
  uint16_t port = 30001;
  /// destroy_kernel of a kernel it does not run answers not_found, as a real agent does;
  /// otherwise it answers ack.
  bool destroy_unknown_fails = true;

  // -- latencies -------------------------------------------------------------------------------

  delay pull;    ///< until a pull's finished event
  delay create;  ///< until create_kernels answers and its kernels start
  delay destroy; ///< until destroy_kernel answers and its kernel ends
  uint64_t seed = 1;

  /// Keeps every create_kernels unanswered for ever (its kernels stay "being created").
  bool creates_hang = false;

  // -- per operation, for any operation of the interface ---------------------------------------

  /// Answers `Op` with an "unsupported" error, as an agent that does not know it would.
  template <class Op> void refuse() { refused_.insert(typeid(Op)); }

  /// Calls `fn` with every `Op` request as it arrives, before it is answered.
  template <class Op> void watch(std::function<void(const Op&)> fn) {
    watchers_[typeid(Op)] = std::move(fn);
  }

  /// Answers `Op` with `fn(request)` instead of the kernel model (or the "unsupported" error).
  template <class Op> void respond(std::function<caf::result<reply_of<Op>>(Op&)> fn) {
    responders_[typeid(Op)] = std::move(fn);
  }

  template <class Op> bool refuses() const { return refused_.count(typeid(Op)) > 0; }

  template <class Op> const std::function<void(const Op&)>* watcher() const {
    auto i = watchers_.find(typeid(Op));
    return i == watchers_.end() ? nullptr
                                : std::any_cast<std::function<void(const Op&)>>(&i->second);
  }

  template <class Op> const std::function<caf::result<reply_of<Op>>(Op&)>* responder() const {
    using fn = std::function<caf::result<reply_of<Op>>(Op&)>;
    auto i = responders_.find(typeid(Op));
    return i == responders_.end() ? nullptr : std::any_cast<fn>(&i->second);
  }

private:
  std::set<std::type_index> refused_;
  std::map<std::type_index, std::any> watchers_;
  std::map<std::type_index, std::any> responders_;
};

} // namespace baikal::agent_double
