#pragma once

/// Announces the requests and answers of a typed actor interface under the names their
/// `inspect` gives them (BAIKAL_INSPECT), so a new operation crosses nodes without being
/// listed a second time. Types without `inspect` (CAF's built-in ones, containers) are left to
/// an explicit announcement.

#include <string>
#include <type_traits>
#include <utility>

#include <caf/actor_system_config.hpp>
#include <caf/detail/type_list.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_nr.hpp>

namespace baikal::announcing {

/// An inspector that visits nothing and keeps the type name a type's `inspect` gives.
struct type_name_reader {
  using result_type = void;
  static constexpr bool reads_state = true;
  static constexpr bool writes_state = false;

  std::string name;

  template <class... Ts> void operator()(Ts&&... xs) { (take(xs), ...); }

private:
  void take(const caf::meta::type_name_t& x) { name = x.value; }
  template <class T> void take(const T&) {}
};

template <class T, class = void> struct has_inspect : std::false_type {};

template <class T>
struct has_inspect<
    T, std::void_t<decltype(inspect(std::declval<type_name_reader&>(), std::declval<T&>()))>>
    : std::true_type {};

/// The name `inspect` gives T.
template <class T> std::string type_name_of() {
  T value{};
  type_name_reader reader;
  inspect(reader, value);
  return reader.name;
}

template <class T> void announce_one(caf::actor_system_config& cfg) {
  if constexpr (caf::type_nr<T>::value == 0 && has_inspect<T>::value)
    cfg.add_message_type<T>(type_name_of<T>());
}

/// The answer of a signature that answers nothing.
template <> inline void announce_one<void>(caf::actor_system_config&) {}

template <class Sig> struct signature_types;

template <class... Ins, class... Outs>
struct signature_types<caf::typed_mpi<caf::detail::type_list<Ins...>, caf::output_tuple<Outs...>>> {
  static void announce(caf::actor_system_config& cfg) {
    (announce_one<Ins>(cfg), ...);
    (announce_one<Outs>(cfg), ...);
  }
};

template <class... Sigs>
void announce_signatures(caf::actor_system_config& cfg, caf::detail::type_list<Sigs...>) {
  (signature_types<Sigs>::announce(cfg), ...);
}

/// Announces what `Handle`'s interface takes and answers.
template <class Handle> void announce_interface(caf::actor_system_config& cfg) {
  announce_signatures(cfg, typename Handle::signatures{});
}

} // namespace baikal::announcing
