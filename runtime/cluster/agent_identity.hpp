#pragma once

/// Which agent a TLS node is.
///
/// CAF 0.17's OpenSSL module checks that a peer's certificate was signed by the cluster CA, but
/// it checks no name in it and does not show the certificate to the application: any node of
/// the cluster could register as any agent. So an agent proves at registration which agent it
/// is: it sends its certificate and a signature, made with that certificate's key, over a fresh
/// challenge of the manager's registry and the agent id it registers with. The registry checks
/// the certificate against the cluster CA, that it names the agent id (its CN or a DNS
/// subjectAltName, compared exactly), the signature, and that the challenge is its own, fresh
/// and unused (registration_challenges.hpp).

#include <memory>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <openssl/types.h>

#include "messages/ids.hpp"
#include "messages/manager_interface.hpp"
#include "runtime/cluster/tls_settings.hpp"

namespace baikal::cluster {

/// What an agent signs: the challenge and the id, under a label of its own so that the
/// signature means nothing anywhere else.
std::string registration_statement(const std::string& challenge, const agent_id& id);

/// A fresh challenge: 32 random bytes from OpenSSL's generator, in hex.
std::string make_registration_challenge();

/// The names the certificate (PEM) gives its subject: every CN, then every DNS subjectAltName.
caf::expected<std::vector<std::string>> certificate_names(const std::string& pem);

/// Whether `names` hold `id` exactly (no wildcard, no case folding: agent ids are exact).
bool names_agent(const std::vector<std::string>& names, const agent_id& id);

/// The agent's side: its certificate and key, loaded once when the agent starts.
class identity_signer {
public:
  /// Reads tls.certificate and tls.key (validate_tls has checked that they load and match).
  static caf::expected<std::shared_ptr<const identity_signer>> load(const tls_settings& tls);

  /// The names in this node's certificate (certificate_names).
  const std::vector<std::string>& names() const { return names_; }

  /// invalid_argument, naming the certificate and what it names, unless it names `id`: a
  /// manager would refuse this agent's every registration.
  caf::error check_names(const agent_id& id) const;

  /// The proof that this node holds the key of its certificate, for `challenge` and `id`.
  caf::expected<identity_proof> prove(const std::string& challenge, const agent_id& id) const;

private:
  std::string path_;
  std::string certificate_pem_;
  std::vector<std::string> names_;
  std::shared_ptr<EVP_PKEY> key_;
};

/// The registry's side: the cluster CA, loaded once when the manager starts.
class identity_verifier {
public:
  /// Reads the CA file (tls.ca).
  static caf::expected<std::shared_ptr<const identity_verifier>> load(const tls_settings& tls);

  /// Nothing when `proof` shows that its sender holds a certificate of the cluster CA, valid
  /// now and for TLS clients, that names `id`, and signed `proof.challenge` for `id` with its
  /// key; permission_denied saying which of these failed otherwise. Whether the challenge is
  /// the registry's own is the registry's check.
  caf::error verify(const agent_id& id, const identity_proof& proof) const;

private:
  std::shared_ptr<X509_STORE> store_;
};

} // namespace baikal::cluster
