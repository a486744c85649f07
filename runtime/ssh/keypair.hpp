#pragma once

/// The cluster SSH keypair (SC-LA-016): RSA 2048, the private key as traditional PEM
/// ("BEGIN RSA PRIVATE KEY", what the reference writes), the public key in OpenSSH format with
/// the comment the kernels' sshd configuration expects.

#include <string>

#include <caf/expected.hpp>

#include "messages/kernel_types.hpp"

namespace baikal::ssh {

/// The comment every cluster public key ends with.
constexpr const char* cluster_key_comment = "work@cluster.backend.ai.local";

/// Generates a fresh RSA keypair. CPU-bound (tens of milliseconds): call it from a detached
/// actor or a worker thread, not from a cooperative actor.
caf::expected<ssh_keypair> generate_cluster_keypair(int bits = 2048);

/// Frees what OpenSSL keeps for the calling thread (its random generators), which it otherwise
/// frees only when the thread ends. A detached actor's thread ends after the actor system
/// stopped counting it: a process exiting at that moment would leave them behind. Call it on
/// the thread that generated keys, as its last use of OpenSSL.
void end_keygen_on_this_thread();

/// Parses an OpenSSH "ssh-rsa <base64> [comment]" line back into a public key and renders it
/// as a PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"), the form OpenSSL loads.
caf::expected<std::string> openssh_public_key_to_pem(const std::string& line);

} // namespace baikal::ssh
