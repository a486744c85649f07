#pragma once

/// The agent double's actor type, its state and the helpers its handlers share (events,
/// failures, delays). Internal to actors/agent_double.

#include <functional>
#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include <caf/atom.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/agent_double/interface_traits.hpp"
#include "actors/agent_double/ledger.hpp"
#include "actors/agent_double/options.hpp"
#include "messages/errors.hpp"

namespace baikal::agent_double::detail {

// An operation that takes time finishes when this message, carrying its number, comes back.
using later_atom = caf::atom_constant<caf::atom("dbllater")>;

using double_actor = agent_actor::extend<caf::reacts_to<later_atom, uint64_t>>;

struct double_state {
  options opts;
  ledger_ptr book;
  std::mt19937_64 rng;
  uint64_t next_later = 0;
  std::map<uint64_t, std::function<void()>> later;
  size_t pulls_in_flight = 0;
  std::multiset<kernel_id> creating; ///< kernels of creates not answered yet
  /// Creates that never finish: kept so that their requests stay pending.
  std::vector<caf::typed_response_promise<created_kernels>> hung;
  static inline const char* name = "baikal.agent_double";
};

using self_ptr = double_actor::stateful_pointer<double_state>;

// -- helpers -----------------------------------------------------------------------------------

template <class Event> void report(self_ptr self, Event e) {
  auto sink =
      self->state.book->with([](ledger& l) { return l.drop_events ? event_sink_actor{} : l.sink; });
  if (sink)
    caf::anon_send(sink, std::move(e));
}

template <class Op> caf::error failure(self_ptr self) {
  return self->state.book->with([](ledger& l) { return l.failure<Op>(); });
}

template <class Op> caf::error unsupported(self_ptr self) {
  return make_error(errc::runtime_error,
                    "the agent double " + self->state.opts.id + " does not do " + op_name<Op>());
}

/// Runs `fn` once `d` has passed, or at once when `d` is empty.
inline void after(self_ptr self, const delay& d, std::function<void()> fn) {
  auto& st = self->state;
  if (!d) {
    fn();
    return;
  }
  auto n = st.next_later++;
  st.later.emplace(n, std::move(fn));
  self->delayed_send(self, d(st.rng), later_atom::value, n);
}

template <class T> void deliver(caf::typed_response_promise<T>& rp, caf::expected<T> x) {
  if (x)
    rp.deliver(std::move(*x));
  else
    rp.deliver(std::move(x.error()));
}

/// Answers now when the operation takes no time, later through a promise otherwise.
template <class T, class Finish>
caf::result<T> finish_after(self_ptr self, const delay& d, Finish finish) {
  if (!d)
    return finish();
  auto rp = self->make_response_promise<T>();
  after(self, d, [rp, finish]() mutable { deliver(rp, finish()); });
  return rp;
}

} // namespace baikal::agent_double::detail
