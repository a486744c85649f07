#pragma once

/// The cluster SSH keypair (SC-LA-016): RSA 2048, the private key as traditional PEM
/// ("BEGIN RSA PRIVATE KEY", what the reference writes), the public key in OpenSSH format with
/// the comment the kernels' sshd configuration expects. An RSA-2048 key takes ~175 ms to make
/// here, so a manager makes at most a few per second per keygen worker; a manager set to
/// Ed25519 (`manager.cluster-key-type`) makes one in ~0.05 ms, for images whose SSH set-up
/// takes any OpenSSH key.

#include <string>

#include <caf/expected.hpp>

#include "messages/kernel_types.hpp"

namespace baikal::ssh {

/// The comment every cluster public key ends with.
constexpr const char* cluster_key_comment = "work@cluster.backend.ai.local";

/// The kinds of cluster keypair a manager can make.
enum class cluster_key_type { rsa, ed25519 };

std::string to_string(cluster_key_type x);

/// "rsa" or "ed25519"; anything else is invalid_argument.
caf::expected<cluster_key_type> parse_cluster_key_type(const std::string& text);

/// A fresh keypair of `type` (RSA-2048 for rsa).
caf::expected<ssh_keypair> generate_cluster_keypair(cluster_key_type type);

/// A fresh Ed25519 keypair: the private key in OpenSSH's format ("BEGIN OPENSSH PRIVATE KEY"),
/// the public key as "ssh-ed25519 <base64> work@cluster.backend.ai.local".
caf::expected<ssh_keypair> generate_ed25519_cluster_keypair();

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
