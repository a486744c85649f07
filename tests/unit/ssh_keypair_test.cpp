// The cluster keypair really is a pair: data signed with the PEM private key verifies with the
// public key parsed back from its OpenSSH text, and not with another pair's public key. OpenSSH's
// own ssh-keygen reads each kind of private key and derives its public key from it.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "messages/errors.hpp"
#include "runtime/ssh/keypair.hpp"
#include "support/temp_dir.hpp"

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

/// What `command` printed (stdout and stderr) and whether it exited 0.
std::pair<bool, std::string> run_openssh(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> out{::popen((command + " 2>&1").c_str(), "r"), &::pclose};
  REQUIRE(out);
  std::string text;
  char buf[512];
  while (auto n = std::fread(buf, 1, sizeof buf, out.get()))
    text.append(buf, n);
  auto status = ::pclose(out.release());
  return {status == 0, text};
}

/// What `ssh-keygen -y` derives from `private_key` (written to a file only its owner reads, as
/// ssh-keygen demands): "TYPE BASE64[ COMMENT]", or what it said when it refused the file.
std::string openssh_public_of(const std::string& private_key) {
  test::temp_dir dir{"baikal-ssh-key"};
  auto file = (dir.path / "id_cluster").string();
  std::ofstream{file} << private_key;
  REQUIRE(::chmod(file.c_str(), 0600) == 0);
  auto text = run_openssh("ssh-keygen -y -f " + file).second;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

/// Whether OpenSSH, signing with `private_key`, makes a signature it verifies as `public_key`'s.
bool openssh_signs_as(const std::string& private_key, const std::string& public_key) {
  test::temp_dir dir{"baikal-ssh-sign"};
  auto key = (dir.path / "id_cluster").string();
  std::ofstream{key} << private_key;
  REQUIRE(::chmod(key.c_str(), 0600) == 0);
  // Beside it as the agent writes it: ssh-keygen takes an RSA key's public half from there.
  std::ofstream{key + ".pub"} << public_key << "\n";
  auto data = (dir.path / "data").string();
  std::ofstream{data} << "kernels of one cluster trust each other\n";
  std::ofstream{(dir.path / "allowed").string()} << "work@cluster " << public_key << "\n";
  auto signed_ = run_openssh("ssh-keygen -Y sign -f " + key + " -n baikal " + data);
  if (!signed_.first)
    return false;
  auto verified = run_openssh("ssh-keygen -Y verify -f " + (dir.path / "allowed").string() +
                              " -I work@cluster -n baikal -s " + data + ".sig < " + data);
  return verified.first;
}

/// "TYPE BASE64" of an OpenSSH public key line, without its comment.
std::string key_of(const std::string& line) {
  auto sp = line.find(' ');
  return line.substr(0, line.find(' ', sp == std::string::npos ? sp : sp + 1));
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

TEST_CASE("ssh: OpenSSH's ssh-keygen derives the cluster public key from the RSA private key") {
  auto pair = ssh::generate_cluster_keypair();
  REQUIRE(pair);
  CHECK(key_of(openssh_public_of(pair->private_key)) == key_of(pair->public_key));
  CHECK(openssh_signs_as(pair->private_key, pair->public_key));
}

TEST_CASE("ssh: an Ed25519 cluster keypair is an OpenSSH key file and its public key") {
  auto pair = ssh::generate_cluster_keypair(ssh::cluster_key_type::ed25519);
  REQUIRE(pair);
  CHECK(pair->private_key.rfind("-----BEGIN OPENSSH PRIVATE KEY-----\n", 0) == 0);
  CHECK(pair->private_key.find("\n-----END OPENSSH PRIVATE KEY-----\n") != std::string::npos);
  CHECK(pair->public_key.rfind("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", 0) == 0);
  const std::string suffix = " work@cluster.backend.ai.local";
  REQUIRE(pair->public_key.size() > suffix.size());
  CHECK(pair->public_key.substr(pair->public_key.size() - suffix.size()) == suffix);
  // ssh-keygen reads the comment from the private key file too.
  CHECK(openssh_public_of(pair->private_key) == pair->public_key);
  // The secret half is the public key's: what it signs verifies with the public key alone.
  CHECK(openssh_signs_as(pair->private_key, pair->public_key));
  auto other = ssh::generate_ed25519_cluster_keypair();
  REQUIRE(other);
  CHECK(other->public_key != pair->public_key);
  CHECK(openssh_public_of(other->private_key) == other->public_key);
  CHECK_FALSE(openssh_signs_as(other->private_key, pair->public_key));
}

TEST_CASE("ssh: the cluster key types by name") {
  CHECK(*ssh::parse_cluster_key_type("rsa") == ssh::cluster_key_type::rsa);
  CHECK(*ssh::parse_cluster_key_type("ed25519") == ssh::cluster_key_type::ed25519);
  CHECK(ssh::to_string(ssh::cluster_key_type::ed25519) == "ed25519");
  auto bad = ssh::parse_cluster_key_type("dsa");
  REQUIRE_FALSE(bad);
  CHECK(code_of(bad.error()) == errc::invalid_argument);
  CHECK(message_of(bad.error()) == "cluster key type \"dsa\": expected \"rsa\" or \"ed25519\"");
}
