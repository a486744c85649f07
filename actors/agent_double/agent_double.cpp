#include "actors/agent_double/agent_double.hpp"

#include "actors/agent_double/double_actor.hpp"
#include "actors/agent_double/kernel_model.hpp"

namespace baikal::agent_double {

delay fixed_delay(caf::timespan d) {
  return [d](std::mt19937_64&) { return d; };
}

namespace detail {
namespace {

/// A request goes to its watcher, then is refused, answered by its responder or by the model.
template <class Reply, class Op> caf::result<Reply> dispatch(self_ptr self, Op& x) {
  auto& opts = self->state.opts;
  if (auto watcher = opts.watcher<Op>())
    (*watcher)(x);
  if (opts.refuses<Op>())
    return unsupported<Op>(self);
  if (auto responder = opts.responder<Op>())
    return (*responder)(x);
  return answer(self, x);
}

/// The handler of one signature of the interface: its request type to dispatch().
template <class Sig> struct handler_for;

template <class Op, class Reply>
struct handler_for<caf::typed_mpi<caf::detail::type_list<Op>, caf::output_tuple<Reply>>> {
  static auto make(self_ptr self) {
    return [self](Op& x) -> caf::result<Reply> { return dispatch<Reply>(self, x); };
  }
};

template <class... Sigs>
double_actor::behavior_type handlers(self_ptr self, caf::detail::type_list<Sigs...>) {
  return {
      handler_for<Sigs>::make(self)...,
      [self](later_atom, uint64_t n) {
        auto i = self->state.later.find(n);
        if (i == self->state.later.end())
          return;
        auto fn = std::move(i->second);
        self->state.later.erase(i);
        fn();
      },
  };
}

double_actor::behavior_type agent_double(self_ptr self, options opts, ledger_ptr book) {
  self->state.rng.seed(opts.seed);
  self->state.opts = std::move(opts);
  self->state.book = std::move(book);
  return handlers(self, agent_actor::signatures{});
}

} // namespace
} // namespace detail

agent_actor spawn(caf::actor_system& sys, options opts, ledger_ptr book) {
  return caf::actor_cast<agent_actor>(
      sys.spawn(detail::agent_double, std::move(opts), std::move(book)));
}

} // namespace baikal::agent_double
