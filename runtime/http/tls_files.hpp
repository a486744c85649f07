#pragma once

/// How the HTTP server's and clients' TLS set-up says that a certificate, key or CA file is
/// unusable: invalid_argument naming the file as the user gave it.

#include <string>

#include <caf/error.hpp>

namespace baikal::http {

/// `what path why`, e.g. "api.tls.key /etc/x.key holds no unencrypted PEM private key". Clears
/// the thread's OpenSSL error queue, where a failed load leaves reasons a later TLS call on the
/// same thread would take for its own.
caf::error tls_file_error(const std::string& what, const std::string& path, const std::string& why);

/// Says why `path` cannot be read (before OpenSSL's less telling "system lib"); none when it can.
caf::error check_readable(const std::string& what, const std::string& path);

} // namespace baikal::http
