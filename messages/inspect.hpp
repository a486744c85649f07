#pragma once

/// The one way a message type says how CAF serializes it and names it on the wire.

#include <caf/meta/type_name.hpp>

/// Defines `inspect` for the struct `type` of namespace baikal::<prefix>, visiting the fields
/// listed as `x.field`. `prefix` is a string literal: "" for baikal itself, "op::" for
/// baikal::op. The name is what a remote node looks the type up by, so it never changes once
/// nodes run it.
#define BAIKAL_INSPECT(prefix, type, ...)                                                          \
  template <class Inspector>                                                                       \
  typename Inspector::result_type inspect(Inspector& f, [[maybe_unused]] type& x) {                \
    return f(caf::meta::type_name("baikal::" prefix #type), ##__VA_ARGS__);                        \
  }
