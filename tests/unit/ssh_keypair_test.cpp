// The cluster keypair really is a pair: data signed with the PEM private key verifies with the
// public key parsed back from its OpenSSH text, and not with another pair's public key.

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "runtime/ssh/keypair.hpp"

using namespace baikal;

namespace {

using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

pkey_ptr load(const std::string& pem, bool is_private) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio{
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free};
  EVP_PKEY* key = is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                             : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  return pkey_ptr{key, &EVP_PKEY_free};
}

std::string sign(EVP_PKEY* key, const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  REQUIRE(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1);
  size_t len = 0;
  auto bytes = reinterpret_cast<const unsigned char*>(data.data());
  REQUIRE(EVP_DigestSign(ctx.get(), nullptr, &len, bytes, data.size()) == 1);
  std::string sig(len, '\0');
  REQUIRE(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes,
                         data.size()) == 1);
  sig.resize(len);
  return sig;
}

bool verify(EVP_PKEY* key, const std::string& data, const std::string& sig) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  REQUIRE(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1);
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

} // namespace

TEST_CASE("ssh: a cluster keypair signs with the private key and verifies with the OpenSSH key") {
  auto pair = ssh::generate_cluster_keypair();
  REQUIRE(pair);
  auto pub_pem = ssh::openssh_public_key_to_pem(pair->public_key);
  REQUIRE(pub_pem);
  auto priv = load(pair->private_key, true);
  auto pub = load(*pub_pem, false);
  REQUIRE(priv);
  REQUIRE(pub);
  CHECK(EVP_PKEY_get_bits(priv.get()) == 2048);
  const std::string data = "kernels of one cluster trust each other";
  auto sig = sign(priv.get(), data);
  CHECK(verify(pub.get(), data, sig));
  CHECK_FALSE(verify(pub.get(), data + "!", sig));

  auto other = ssh::generate_cluster_keypair();
  REQUIRE(other);
  auto other_pub = load(*ssh::openssh_public_key_to_pem(other->public_key), false);
  CHECK_FALSE(verify(other_pub.get(), data, sig));
}

TEST_CASE("ssh: malformed OpenSSH public keys are refused as invalid input") {
  CHECK_FALSE(ssh::openssh_public_key_to_pem("ssh-ed25519 AAAA work@x"));
  CHECK_FALSE(ssh::openssh_public_key_to_pem("ssh-rsa !!!notbase64 work@x"));
  CHECK_FALSE(ssh::openssh_public_key_to_pem("ssh-rsa AAAAB3NzaC1yc2E= work@x"));
}
