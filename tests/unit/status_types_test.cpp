// Statuses, roles and execution modes are enums inside and names at the edges: every value has
// the name the API and the store spelled before, each name reads back as its value, and a
// scheduled session's binary form (the store's spec column) still holds the role as text.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "messages/session_types.hpp"
#include "messages/status_types.hpp"

using namespace baikal;

namespace {

template <class Enum, class Parse>
void check_names(const std::vector<std::pair<Enum, std::string>>& table, Parse parse) {
  for (auto& entry : table) {
    // Not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
    auto& value = entry.first;
    auto& name = entry.second;
    CAPTURE(name);
    CHECK(to_string(value) == name);
    auto parsed = parse(name);
    REQUIRE(parsed);
    CHECK(*parsed == value);
  }
}

/// kernel_binding as it was when its role was a string field: the store holds specs in this
/// binary form.
struct text_role_binding {
  kernel_binding x;
  std::string role;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, text_role_binding& b) {
  auto& x = b.x;
  return f(x.id, x.agent, x.agent_addr, x.image, x.architecture, b.role, x.cluster_idx,
           x.local_rank, x.cluster_hostname, x.slots, x.uid, x.main_gid);
}

template <class T> std::vector<char> bytes_of(T value) {
  std::vector<char> buf;
  caf::binary_serializer sink{static_cast<caf::execution_unit*>(nullptr), buf};
  REQUIRE(!sink(value));
  return buf;
}

kernel_binding sample_binding() {
  kernel_binding k;
  k.id = "k2";
  k.agent = "a1";
  k.agent_addr = "tcp://10.0.0.1:6001";
  k.image = "img";
  k.architecture = "x86_64";
  k.role = cluster_role::sub;
  k.cluster_idx = 2;
  k.cluster_hostname = "sub2";
  k.slots = {{"cpu", 1}};
  return k;
}

} // namespace

TEST_CASE("status types: every value has its name and each name reads back") {
  check_names<session_status>({{session_status::pending, "PENDING"},
                               {session_status::scheduled, "SCHEDULED"},
                               {session_status::preparing, "PREPARING"},
                               {session_status::pulling, "PULLING"},
                               {session_status::prepared, "PREPARED"},
                               {session_status::creating, "CREATING"},
                               {session_status::running, "RUNNING"},
                               {session_status::terminating, "TERMINATING"},
                               {session_status::terminated, "TERMINATED"},
                               {session_status::error, "ERROR"}},
                              session_status_from);
  check_names<kernel_status>({{kernel_status::pending, "PENDING"},
                              {kernel_status::running, "RUNNING"},
                              {kernel_status::terminated, "TERMINATED"},
                              {kernel_status::error, "ERROR"},
                              {kernel_status::restarting, "RESTARTING"},
                              {kernel_status::cancelled, "CANCELLED"}},
                             kernel_status_from);
  check_names<agent_status>({{agent_status::alive, "ALIVE"},
                             {agent_status::lost, "LOST"},
                             {agent_status::terminated, "TERMINATED"}},
                            agent_status_from);
  check_names<cluster_role>({{cluster_role::main, "main"}, {cluster_role::sub, "sub"}},
                            cluster_role_from);
  check_names<execution_mode>({{execution_mode::query, "query"},
                               {execution_mode::batch, "batch"},
                               {execution_mode::continue_, "continue"},
                               {execution_mode::input, "input"}},
                              execution_mode_from);
}

TEST_CASE("status types: other names and numbers are nobody's") {
  CHECK_FALSE(session_status_from("running"));
  CHECK_FALSE(session_status_from(""));
  CHECK_FALSE(session_status_from("RESTARTING"));
  CHECK_FALSE(agent_status_from("PENDING"));
  CHECK_FALSE(cluster_role_from("MAIN"));
  CHECK_FALSE(execution_mode_from("run"));
  CHECK(to_string(static_cast<execution_mode>(0)).empty());
  CHECK(to_string(static_cast<session_status>(99)).empty());
}

TEST_CASE("status types: a kernel starts in the status named like its session's") {
  for (auto s : all_session_statuses)
    CHECK(to_string(kernel_status_of(s)) == to_string(s));
  CHECK(is_terminal(session_status::terminated));
  CHECK(is_terminal(session_status::error));
  CHECK_FALSE(is_terminal(session_status::terminating));
}

TEST_CASE("status types: a kernel binding's binary form keeps the role as text") {
  auto k = sample_binding();
  auto buf = bytes_of(k);
  CHECK(buf == bytes_of(text_role_binding{k, "sub"}));
  kernel_binding back;
  caf::binary_deserializer source{static_cast<caf::execution_unit*>(nullptr), buf};
  REQUIRE(!source(back));
  CHECK(back.role == cluster_role::sub);
  CHECK(back.cluster_hostname == "sub2");
  // A role the enum does not know is refused, not read as a default.
  auto odd = bytes_of(text_role_binding{k, "leader"});
  caf::binary_deserializer odd_source{static_cast<caf::execution_unit*>(nullptr), odd};
  CHECK(odd_source(back));
}
