// A new operation is listed once, in its interface: its request and answer cross nodes under
// the name their `inspect` gives, and the agent's interface takes in every kernel operation.

#include <doctest/doctest.h>

#include <typeindex>

#include <caf/actor_system_config.hpp>
#include <caf/detail/type_list.hpp>

#include "messages/agent_interface.hpp"
#include "messages/announce.hpp"
#include "messages/announce_interface.hpp"
#include "messages/launcher_interface.hpp"
#include "messages/manager_interface.hpp"

using namespace baikal;

namespace {

/// The types of T the announcement must know: those with an inspect of their own.
template <class T> void expect_announced(const caf::actor_system_config& cfg, int& checked) {
  if constexpr (!std::is_void<T>::value) {
    if constexpr (caf::type_nr<T>::value == 0 && announcing::has_inspect<T>::value) {
      auto i = cfg.type_names_by_rtti.find(std::type_index(typeid(T)));
      REQUIRE(i != cfg.type_names_by_rtti.end());
      CHECK(i->second == announcing::type_name_of<T>());
      ++checked;
    }
  }
}

template <class Sig> struct each_type;

template <class... Ins, class... Outs>
struct each_type<caf::typed_mpi<caf::detail::type_list<Ins...>, caf::output_tuple<Outs...>>> {
  static void check(const caf::actor_system_config& cfg, int& checked) {
    (expect_announced<Ins>(cfg, checked), ...);
    (expect_announced<Outs>(cfg, checked), ...);
  }
};

template <class... Sigs>
int check_interface(const caf::actor_system_config& cfg, caf::detail::type_list<Sigs...>) {
  int checked = 0;
  (each_type<Sigs>::check(cfg, checked), ...);
  return checked;
}

template <class Sig> struct in_agent_interface {
  static constexpr bool value = caf::detail::tl_contains<agent_actor::signatures, Sig>::value;
};

template <class... Sigs> constexpr bool all_in_agent(caf::detail::type_list<Sigs...>) {
  return (in_agent_interface<Sigs>::value && ...);
}

} // namespace

TEST_CASE("announce: a type's wire name is the one its inspect gives") {
  CHECK(announcing::type_name_of<op::ping>() == "baikal::op::ping");
  CHECK(announcing::type_name_of<op::execute>() == "baikal::op::execute");
  CHECK(announcing::type_name_of<ack>() == "baikal::ack");
  CHECK(announcing::type_name_of<commit_state>() == "baikal::commit_state");
  CHECK(announcing::has_inspect<op::assign_port>::value);
  CHECK_FALSE(announcing::has_inspect<std::vector<session_record>>::value);
}

TEST_CASE("announce: every request and answer of the cross-node interfaces is announced") {
  caf::actor_system_config cfg;
  announce_message_types(cfg);
  CHECK(check_interface(cfg, agent_actor::signatures{}) > 40);
  CHECK(check_interface(cfg, event_sink_actor::signatures{}) == 10);
  CHECK(check_interface(cfg, agent_registry_actor::signatures{}) > 0);
  CHECK(check_interface(cfg, launcher_actor::signatures{}) > 0);
}

TEST_CASE("announce: the agent's interface takes in every operation of the kernel actor") {
  static_assert(all_in_agent(kernel_actor::signatures{}),
                "a kernel operation the agent does not take cannot reach its kernel");
  CHECK(all_in_agent(kernel_actor::signatures{}));
}
