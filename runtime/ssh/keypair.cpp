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

namespace baikal::ssh {

namespace {

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

caf::error openssl_error(const std::string& what) {
  return make_error(errc::runtime_error, "OpenSSL failed to " + what);
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  auto len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

// -- the SSH wire encoding (RFC 4253, section 6.6) ---------------------------------------------

void put_string(std::vector<unsigned char>& out, const unsigned char* data, size_t len) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<unsigned char>((len >> shift) & 0xff));
  out.insert(out.end(), data, data + len);
}

// An mpint is big-endian two's complement: a positive number whose top bit is set gets a
// leading zero byte.
void put_mpint(std::vector<unsigned char>& out, const BIGNUM* bn) {
  std::vector<unsigned char> bytes(static_cast<size_t>(BN_num_bytes(bn)) + 1, 0);
  BN_bn2bin(bn, bytes.data() + 1);
  size_t skip = (bytes.size() > 1 && (bytes[1] & 0x80) == 0) ? 1 : 0;
  put_string(out, bytes.data() + skip, bytes.size() - skip);
}

bool get_string(const std::vector<unsigned char>& in, size_t& pos,
                std::vector<unsigned char>& out) {
  if (in.size() - pos < 4)
    return false;
  size_t len = 0;
  for (int i = 0; i < 4; ++i)
    len = (len << 8) | in[pos++];
  if (in.size() - pos < len)
    return false;
  out.assign(in.begin() + static_cast<long>(pos), in.begin() + static_cast<long>(pos + len));
  pos += len;
  return true;
}

std::string base64_encode(const std::vector<unsigned char>& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), in.data(),
                           static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

caf::expected<std::vector<unsigned char>> base64_decode(const std::string& in) {
  std::vector<unsigned char> out(3 * in.size() / 4 + 3);
  auto n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(in.data()),
                           static_cast<int>(in.size()));
  if (n < 0 || in.size() % 4 != 0)
    return make_error(errc::invalid_argument, "the public key is not valid base64");
  // EVP_DecodeBlock counts the padding as zero bytes: drop them.
  size_t pad = 0;
  for (auto i = in.rbegin(); i != in.rend() && *i == '='; ++i)
    ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
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
