#include "runtime/cluster/tls_settings.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "messages/errors.hpp"

namespace baikal::cluster {

namespace {

struct bio_free {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct x509_free {
  void operator()(X509* x) const { X509_free(x); }
};
struct pkey_free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

using bio_ptr = std::unique_ptr<BIO, bio_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;

// Refuses to prompt for a passphrase on the terminal: a daemon has none to give.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

caf::error bad_file(const std::string& what, const std::string& path, const std::string& why) {
  ERR_clear_error();
  return make_error(errc::invalid_argument, "TLS " + what + " " + path + " " + why);
}

// Opens `path` for reading, or says why it cannot be read.
caf::error open_file(const std::string& what, const std::string& path, bio_ptr& out) {
  if (FILE* f = std::fopen(path.c_str(), "r"))
    std::fclose(f);
  else
    return bad_file(what, path, "cannot be read: " + std::string{std::strerror(errno)});
  out.reset(BIO_new_file(path.c_str(), "r"));
  if (!out)
    return bad_file(what, path, "cannot be opened");
  return {};
}

caf::error load_certificate(const std::string& what, const std::string& path, x509_ptr& out) {
  bio_ptr bio;
  if (auto err = open_file(what, path, bio))
    return err;
  out.reset(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
  if (!out)
    return bad_file(what, path, "holds no PEM certificate");
  return {};
}

caf::error load_key(const std::string& path, pkey_ptr& out) {
  bio_ptr bio;
  if (auto err = open_file("key", path, bio))
    return err;
  out.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!out)
    return bad_file("key", path, "holds no unencrypted PEM private key");
  return {};
}

caf::error missing_paths(const tls_settings& tls) {
  std::vector<std::string> missing;
  if (tls.certificate.empty())
    missing.emplace_back("certificate");
  if (tls.key.empty())
    missing.emplace_back("key");
  if (tls.ca.empty())
    missing.emplace_back("CA file");
  if (missing.empty())
    return {};
  std::string list;
  for (auto& m : missing)
    list += (list.empty() ? "" : ", ") + m;
  return make_error(errc::invalid_argument,
                    "TLS needs a certificate, its key and the cluster CA file; missing: " + list);
}

} // namespace

caf::error validate_tls(const tls_settings& tls) {
  if (!tls.enabled())
    return {};
  if (auto err = missing_paths(tls))
    return err;
  x509_ptr cert;
  pkey_ptr key;
  x509_ptr ca;
  if (auto err = load_certificate("certificate", tls.certificate, cert))
    return err;
  if (auto err = load_key(tls.key, key))
    return err;
  if (X509_check_private_key(cert.get(), key.get()) != 1)
    return bad_file("key", tls.key, "does not belong to the certificate " + tls.certificate);
  return load_certificate("CA file", tls.ca, ca);
}

} // namespace baikal::cluster
