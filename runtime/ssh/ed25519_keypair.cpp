// An Ed25519 cluster keypair, the faster kind a manager may be set to make
// (`manager.cluster-key-type`): the private key in OpenSSH's own file format, which is the only
// one OpenSSH reads Ed25519 private keys from, the public key as an OpenSSH line.

#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "runtime/ssh/keypair.hpp"
#include "runtime/ssh/openssl_error.hpp"
#include "runtime/ssh/ssh_wire.hpp"

namespace baikal::ssh {

namespace {

using namespace wire;

constexpr size_t key_bytes = 32;
const std::string key_type = "ssh-ed25519";

bytes public_blob(const bytes& pub) {
  bytes out;
  put_string(out, key_type);
  put_string(out, pub.data(), pub.size());
  return out;
}

/// The "openssh-key-v1" container (OpenSSH's PROTOCOL.key), unencrypted: the public key, then
/// the private section whose repeated check number tells a reader it decrypted right.
bytes private_file_body(const bytes& seed, const bytes& pub, uint32_t check) {
  bytes section;
  put_u32(section, check);
  put_u32(section, check);
  put_string(section, key_type);
  put_string(section, pub.data(), pub.size());
  bytes both = seed; // OpenSSH keeps the seed and the public key as one 64-byte secret
  both.insert(both.end(), pub.begin(), pub.end());
  put_string(section, both.data(), both.size());
  OPENSSL_cleanse(both.data(), both.size());
  put_string(section, cluster_key_comment);
  for (unsigned char pad = 1; section.size() % 8 != 0; ++pad)
    section.push_back(pad);
  static const char magic[] = "openssh-key-v1";
  bytes out(magic, magic + sizeof magic); // with its terminating zero
  put_string(out, "none");                // cipher
  put_string(out, "none");                // key derivation
  put_string(out, "");                    // its options
  put_u32(out, 1);                        // keys
  auto blob = public_blob(pub);
  put_string(out, blob.data(), blob.size());
  put_string(out, section.data(), section.size());
  OPENSSL_cleanse(section.data(), section.size());
  return out;
}

std::string armored(const bytes& body) {
  auto text = base64_encode(body);
  std::string out = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
  for (size_t i = 0; i < text.size(); i += 70)
    out += text.substr(i, 70) + "\n";
  return out + "-----END OPENSSH PRIVATE KEY-----\n";
}

} // namespace

caf::expected<ssh_keypair> generate_ed25519_cluster_keypair() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{
      EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), &EVP_PKEY_free};
  if (!key)
    return openssl_error("generate an Ed25519 key");
  bytes seed(key_bytes), pub(key_bytes);
  size_t seed_len = seed.size(), pub_len = pub.size();
  if (EVP_PKEY_get_raw_private_key(key.get(), seed.data(), &seed_len) != 1 ||
      EVP_PKEY_get_raw_public_key(key.get(), pub.data(), &pub_len) != 1 || seed_len != key_bytes ||
      pub_len != key_bytes)
    return openssl_error("read the Ed25519 key");
  uint32_t check = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&check), sizeof check) != 1)
    return openssl_error("draw the key file's check number");
  ssh_keypair out;
  auto body = private_file_body(seed, pub, check);
  out.private_key = armored(body);
  OPENSSL_cleanse(body.data(), body.size());
  out.public_key = key_type + " " + base64_encode(public_blob(pub)) + " " + cluster_key_comment;
  OPENSSL_cleanse(seed.data(), seed.size());
  return out;
}

} // namespace baikal::ssh
