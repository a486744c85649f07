#include "runtime/ssh/keypair.hpp"

#include <cstdint>
#include <memory>
#include <vector>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "messages/errors.hpp"
#include "runtime/ssh/openssl_error.hpp"
#include "runtime/ssh/ssh_wire.hpp"

namespace baikal::ssh {

namespace {

using namespace wire;

// -- RAII for the OpenSSL handles used here ----------------------------------------------------

struct pkey_free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct bio_free {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct bn_free {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ctx_free {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct bld_free {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct params_free {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};

using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using bio_ptr = std::unique_ptr<BIO, bio_free>;
using bn_ptr = std::unique_ptr<BIGNUM, bn_free>;

std::string drain(BIO* bio) {
  char* data = nullptr;
  auto len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

caf::expected<std::string> openssh_public_key(EVP_PKEY* key) {
  BIGNUM* n_raw = nullptr;
  BIGNUM* e_raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n_raw) != 1)
    return openssl_error("read the RSA modulus");
  bn_ptr n{n_raw};
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e_raw) != 1)
    return openssl_error("read the RSA exponent");
  bn_ptr e{e_raw};
  static const std::string type = "ssh-rsa";
  std::vector<unsigned char> blob;
  put_string(blob, reinterpret_cast<const unsigned char*>(type.data()), type.size());
  put_mpint(blob, e.get());
  put_mpint(blob, n.get());
  return type + " " + base64_encode(blob) + " " + cluster_key_comment;
}

} // namespace

caf::expected<ssh_keypair> generate_cluster_keypair(int bits) {
  pkey_ptr key{EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits))};
  if (!key)
    return openssl_error("generate an RSA key");
  bio_ptr bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_PrivateKey_traditional(bio.get(), key.get(), nullptr, nullptr, 0,
                                                   nullptr, nullptr) != 1)
    return openssl_error("write the private key as PEM");
  ssh_keypair out;
  out.private_key = drain(bio.get());
  auto pub = openssh_public_key(key.get());
  if (!pub)
    return std::move(pub.error());
  out.public_key = std::move(*pub);
  return out;
}

std::string to_string(cluster_key_type x) {
  return x == cluster_key_type::ed25519 ? "ed25519" : "rsa";
}

caf::expected<cluster_key_type> parse_cluster_key_type(const std::string& text) {
  if (text == "rsa")
    return cluster_key_type::rsa;
  if (text == "ed25519")
    return cluster_key_type::ed25519;
  return make_error(errc::invalid_argument,
                    "cluster key type \"" + text + "\": expected \"rsa\" or \"ed25519\"");
}

caf::expected<ssh_keypair> generate_cluster_keypair(cluster_key_type type) {
  if (type == cluster_key_type::ed25519)
    return generate_ed25519_cluster_keypair();
  return generate_cluster_keypair();
}

void end_keygen_on_this_thread() {
  OPENSSL_thread_stop();
}

caf::expected<std::string> openssh_public_key_to_pem(const std::string& line) {
  auto bad = [](const std::string& why) {
    return make_error(errc::invalid_argument, "not an OpenSSH RSA public key: " + why);
  };
  auto sp1 = line.find(' ');
  if (sp1 == std::string::npos || line.compare(0, sp1, "ssh-rsa") != 0)
    return bad("it does not start with ssh-rsa");
  auto sp2 = line.find(' ', sp1 + 1);
  auto blob = base64_decode(line.substr(sp1 + 1, sp2 == std::string::npos ? sp2 : sp2 - sp1 - 1));
  if (!blob)
    return std::move(blob.error());
  size_t pos = 0;
  std::vector<unsigned char> type, e_bytes, n_bytes;
  if (!get_string(*blob, pos, type) || !get_string(*blob, pos, e_bytes) ||
      !get_string(*blob, pos, n_bytes) || std::string(type.begin(), type.end()) != "ssh-rsa")
    return bad("the key blob is truncated or of another type");
  bn_ptr n{BN_bin2bn(n_bytes.data(), static_cast<int>(n_bytes.size()), nullptr)};
  bn_ptr e{BN_bin2bn(e_bytes.data(), static_cast<int>(e_bytes.size()), nullptr)};
  std::unique_ptr<OSSL_PARAM_BLD, bld_free> bld{OSSL_PARAM_BLD_new()};
  if (!n || !e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    return openssl_error("build the RSA parameters");
  std::unique_ptr<OSSL_PARAM, params_free> params{OSSL_PARAM_BLD_to_param(bld.get())};
  std::unique_ptr<EVP_PKEY_CTX, ctx_free> ctx{EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)};
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return openssl_error("load the RSA public key");
  pkey_ptr key{raw};
  bio_ptr bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1)
    return openssl_error("write the public key as PEM");
  return drain(bio.get());
}

} // namespace baikal::ssh
