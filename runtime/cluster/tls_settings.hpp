#pragma once

/// The TLS material of one node (manager or agent): its certificate, its private key and the
/// cluster CA that signs every node. All three empty means plain TCP between nodes; with them,
/// every node-to-node connection is TLS with both sides verified against the CA.

#include <string>

#include <caf/error.hpp>

namespace baikal::cluster {

struct tls_settings {
  std::string certificate; ///< PEM certificate of this node
  std::string key;         ///< PEM private key of that certificate (unencrypted)
  std::string ca;          ///< PEM file of the cluster CA

  /// Whether TLS is configured at all (some path is given).
  bool enabled() const { return !certificate.empty() || !key.empty() || !ca.empty(); }
};

/// Checks, before any actor system starts, that the three files exist and load with OpenSSL and
/// that the key belongs to the certificate: CAF's OpenSSL module does not fail cleanly on a bad
/// key (a connect hangs, a server aborts). No path at all is fine (plain TCP); some but not all
/// is invalid_argument naming the missing ones; an unusable file is invalid_argument naming it.
caf::error validate_tls(const tls_settings& tls);

} // namespace baikal::cluster
