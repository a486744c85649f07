#pragma once

/// Compile-time facts about the agent interface the double derives its handlers from, so that
/// an operation added to messages/agent_interface.hpp is answered without touching the double:
/// the reply type of each request and the request's wire name.

#include <string>

#include <caf/detail/type_list.hpp>
#include <caf/replies_to.hpp>

#include "messages/agent_interface.hpp"
#include "messages/announce_interface.hpp"

namespace baikal::agent_double {

// -- the reply type of a request ---------------------------------------------------------------

template <class Op, class... Sigs> struct find_reply {};

template <class Op, class Reply, class... Sigs>
struct find_reply<Op, caf::typed_mpi<caf::detail::type_list<Op>, caf::output_tuple<Reply>>,
                  Sigs...> {
  using type = Reply;
};

template <class Op, class Sig, class... Sigs>
struct find_reply<Op, Sig, Sigs...> : find_reply<Op, Sigs...> {};

template <class Op, class Sigs> struct reply_in;

template <class Op, class... Sigs> struct reply_in<Op, caf::detail::type_list<Sigs...>> {
  using type = typename find_reply<Op, Sigs...>::type;
};

/// What the agent answers to `Op`, as agent_actor declares it.
template <class Op> using reply_of = typename reply_in<Op, agent_actor::signatures>::type;

// -- the name of a request ---------------------------------------------------------------------

/// The request's name without its namespace ("execute" for baikal::op::execute).
template <class Op> std::string op_name() {
  auto name = announcing::type_name_of<Op>();
  auto pos = name.rfind("::");
  return pos == std::string::npos ? name : name.substr(pos + 2);
}

} // namespace baikal::agent_double
