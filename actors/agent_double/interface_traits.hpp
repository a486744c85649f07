#pragma once

/// Compile-time facts about the agent interface the double derives its handlers from, so that
/// an operation added to messages/agent_interface.hpp is answered without touching the double:
/// the reply type of each request and the request's wire name.

#include <string>

#include <caf/detail/type_list.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>

#include "messages/agent_interface.hpp"

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

/// Reads the type name an inspect() overload announces and skips every field.
struct type_name_reader {
  using result_type = void;
  static constexpr bool reads_state = true;
  static constexpr bool writes_state = false;
  std::string name;

  template <class... Ts> void operator()(Ts&&... xs) { (take(xs), ...); }
  void take(const caf::meta::type_name_t& x) { name = x.value; }
  template <class T> void take(const T&) {}
};

/// The request's name without its namespace ("execute" for baikal::op::execute).
template <class Op> std::string op_name() {
  type_name_reader reader;
  Op x;
  inspect(reader, x);
  auto pos = reader.name.rfind("::");
  return pos == std::string::npos ? reader.name : reader.name.substr(pos + 2);
}

} // namespace baikal::agent_double
