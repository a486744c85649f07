#include "runtime/cluster/agent_identity.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "messages/errors.hpp"

namespace baikal::cluster {

namespace {

/// A certificate with a few intermediates is a few kB: more is no certificate of ours.
constexpr size_t max_certificate_bytes = 64 * 1024;
constexpr size_t max_signature_bytes = 1024;

struct openssl_free {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};

template <class T> using owned = std::unique_ptr<T, openssl_free>;

/// Every certificate of a PEM text, in order; empty when there is none.
std::vector<owned<X509>> read_certificates(const std::string& pem) {
  std::vector<owned<X509>> out;
  owned<BIO> bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  while (bio) {
    owned<X509> cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
    if (!cert)
      break;
    out.push_back(std::move(cert));
  }
  ERR_clear_error(); // the end of the text reads as an error
  return out;
}

std::string utf8_of(const ASN1_STRING* text) {
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, text);
  if (n < 0)
    return {};
  std::string out{reinterpret_cast<char*>(utf8), static_cast<size_t>(n)};
  OPENSSL_free(utf8);
  return out;
}

std::vector<std::string> names_of(X509* cert) {
  std::vector<std::string> out;
  auto* subject = X509_get_subject_name(cert);
  for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(subject, NID_commonName, i))
    out.push_back(utf8_of(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i))));
  owned<GENERAL_NAMES> alt{
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr))};
  for (int i = 0; alt && i < sk_GENERAL_NAME_num(alt.get()); ++i) {
    auto* name = sk_GENERAL_NAME_value(alt.get(), i);
    if (name->type == GEN_DNS)
      out.push_back(utf8_of(name->d.dNSName));
  }
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  if (names.empty())
    return "no name";
  std::string out;
  for (auto& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// SHA-256 for RSA and EC keys; Ed25519 and Ed448 hash by themselves.
const EVP_MD* digest_for(const EVP_PKEY* key) {
  auto id = EVP_PKEY_get_id(key);
  return id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448 ? nullptr : EVP_sha256();
}

caf::error refused(const std::string& why) {
  ERR_clear_error();
  return make_error(errc::permission_denied, why);
}

caf::error check_chain(X509_STORE* store, X509* leaf, STACK_OF(X509) * intermediates) {
  owned<X509_STORE_CTX> ctx{X509_STORE_CTX_new()};
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store, leaf, intermediates) != 1)
    return refused("cannot check the certificate (out of memory)");
  // An agent is the TLS client of the manager's agent port.
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  if (X509_verify_cert(ctx.get()) == 1)
    return {};
  return refused(std::string{"its certificate is not one the cluster CA signed for TLS clients ("} +
                 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())) + ")");
}

bool signature_matches(EVP_PKEY* key, const std::string& statement, const std::string& signature) {
  owned<EVP_MD_CTX> ctx{EVP_MD_CTX_new()};
  bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, digest_for(key), nullptr, key) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(statement.data()),
                       statement.size()) == 1;
  ERR_clear_error();
  return ok;
}

} // namespace

std::string registration_statement(const std::string& challenge, const agent_id& id) {
  return "baikal agent registration v1\n" + challenge + "\n" + id;
}

std::string make_registration_challenge() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return {}; // refused at verification: an empty challenge is never handed out
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0xf]);
  }
  return out;
}

caf::expected<std::vector<std::string>> certificate_names(const std::string& pem) {
  auto certs = read_certificates(pem);
  if (certs.empty())
    return make_error(errc::invalid_argument, "no PEM certificate");
  return names_of(certs.front().get());
}

bool names_agent(const std::vector<std::string>& names, const agent_id& id) {
  return !id.empty() && std::find(names.begin(), names.end(), id) != names.end();
}

// -- the agent's side ----------------------------------------------------------------------------

caf::expected<std::shared_ptr<const identity_signer>>
identity_signer::load(const tls_settings& tls) {
  auto out = std::make_shared<identity_signer>();
  out->path_ = tls.certificate;
  std::ifstream in{tls.certificate, std::ios::binary};
  if (in)
    out->certificate_pem_.assign(std::istreambuf_iterator<char>{in}, {});
  auto names = certificate_names(out->certificate_pem_);
  if (!names)
    return make_error(errc::invalid_argument,
                      "TLS certificate " + tls.certificate + " holds no PEM certificate");
  out->names_ = std::move(*names);
  owned<BIO> bio{BIO_new_file(tls.key.c_str(), "r")};
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  ERR_clear_error();
  if (!key)
    return make_error(errc::invalid_argument,
                      "TLS key " + tls.key + " holds no unencrypted PEM private key");
  out->key_.reset(key, EVP_PKEY_free);
  return std::shared_ptr<const identity_signer>{std::move(out)};
}

caf::error identity_signer::check_names(const agent_id& id) const {
  if (names_agent(names_, id))
    return {};
  return make_error(errc::invalid_argument,
                    "the TLS certificate " + path_ + " names " + joined(names_) +
                        ", not this agent's id " + id +
                        ": the manager would refuse its registration (make a certificate "
                        "for it with deploy/make-certs.sh CERT_DIR " +
                        id + ", or set agent.id)");
}

caf::expected<identity_proof> identity_signer::prove(const std::string& challenge,
                                                     const agent_id& id) const {
  auto statement = registration_statement(challenge, id);
  owned<EVP_MD_CTX> ctx{EVP_MD_CTX_new()};
  size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, digest_for(key_.get()), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(statement.data()),
                     statement.size()) != 1) {
    ERR_clear_error();
    return make_error(errc::runtime_error, "cannot sign with the TLS key of " + path_);
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(statement.data()),
                     statement.size()) != 1) {
    ERR_clear_error();
    return make_error(errc::runtime_error, "cannot sign with the TLS key of " + path_);
  }
  signature.resize(size);
  return identity_proof{certificate_pem_, challenge, std::move(signature)};
}

// -- the registry's side -------------------------------------------------------------------------

caf::expected<std::shared_ptr<const identity_verifier>>
identity_verifier::load(const tls_settings& tls) {
  auto out = std::make_shared<identity_verifier>();
  out->store_.reset(X509_STORE_new(), X509_STORE_free);
  if (!out->store_ || X509_STORE_load_file(out->store_.get(), tls.ca.c_str()) != 1) {
    ERR_clear_error();
    return make_error(errc::invalid_argument, "TLS CA file " + tls.ca + " cannot be loaded");
  }
  return std::shared_ptr<const identity_verifier>{std::move(out)};
}

caf::error identity_verifier::verify(const agent_id& id, const identity_proof& proof) const {
  if (proof.certificate.empty())
    return refused("it sent no certificate, and this manager checks which agent a TLS node is "
                   "(is the agent older than the manager?)");
  if (proof.certificate.size() > max_certificate_bytes ||
      proof.signature.size() > max_signature_bytes)
    return refused("its certificate or signature is larger than any of this cluster's");
  auto certs = read_certificates(proof.certificate);
  if (certs.empty())
    return refused("its certificate is not a PEM certificate");
  owned<STACK_OF(X509)> intermediates{sk_X509_new_null()};
  for (size_t i = 1; i < certs.size(); ++i)
    if (intermediates && sk_X509_push(intermediates.get(), certs[i].get()) > 0)
      certs[i].release(); // the stack owns it now
  auto* leaf = certs.front().get();
  if (auto err = check_chain(store_.get(), leaf, intermediates.get()))
    return err;
  auto names = names_of(leaf);
  if (!names_agent(names, id))
    return refused("its certificate names " + joined(names) + ", not " + id);
  auto* key = X509_get0_pubkey(leaf);
  if (!key || !signature_matches(key, registration_statement(proof.challenge, id), proof.signature))
    return refused("the registration is not signed with the key of its certificate");
  return {};
}

} // namespace baikal::cluster
