#pragma once

/// PEM files for TLS tests made in-process with OpenSSL (no openssl command needed): a
/// self-signed certificate and its key, written under a directory the test owns.

#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace baikal::test {

struct pem_pair {
  std::string certificate;
  std::string key;
};

namespace detail {

inline std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> make_ec_key() {
  return {EVP_EC_gen("prime256v1"), EVP_PKEY_free};
}

inline void write_pem(const std::string& path, const std::function<int(FILE*)>& write) {
  std::unique_ptr<FILE, int (*)(FILE*)> f{std::fopen(path.c_str(), "w"), std::fclose};
  if (!f || write(f.get()) != 1)
    throw std::runtime_error("cannot write " + path);
}

} // namespace detail

/// Writes `dir/name.crt` (self-signed, CN=name) and `dir/name.key`.
inline pem_pair make_self_signed(const std::string& dir, const std::string& name) {
  auto key = detail::make_ec_key();
  std::unique_ptr<X509, void (*)(X509*)> cert{X509_new(), X509_free};
  if (!key || !cert)
    throw std::runtime_error("OpenSSL cannot make a key or certificate");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  auto* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    throw std::runtime_error("OpenSSL cannot sign the certificate");
  pem_pair out{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  detail::write_pem(out.certificate, [&](FILE* f) { return PEM_write_X509(f, cert.get()); });
  detail::write_pem(out.key, [&](FILE* f) {
    return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  return out;
}

} // namespace baikal::test
