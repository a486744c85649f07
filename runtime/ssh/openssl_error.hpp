#pragma once

/// The error both kinds of cluster keypair report when an OpenSSL call fails.

#include <string>

#include <caf/error.hpp>

#include "messages/errors.hpp"

namespace baikal::ssh {

inline caf::error openssl_error(const std::string& what) {
  return make_error(errc::runtime_error, "OpenSSL failed to " + what);
}

} // namespace baikal::ssh
