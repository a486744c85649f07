#include "runtime/cluster/openssl_error_queue.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace {

// libssl's definition of `name`: the next one after this executable's in the search order.
// Without it no TLS call can work, so a missing one ends the process with the reason.
template <class Fn> Fn real_ssl_function(const char* name) {
  void* found = ::dlsym(RTLD_NEXT, name);
  if (found == nullptr) {
    std::fprintf(stderr, "fatal: cannot find libssl's %s: %s\n", name, ::dlerror());
    std::abort();
  }
  return reinterpret_cast<Fn>(found);
}

} // namespace

// The wrappers (see the header for why). Their signatures are those of <openssl/ssl.h>, which
// the compiler checks against the declarations included above.
extern "C" {

int SSL_read(SSL* ssl, void* buf, int num) {
  static const auto real = real_ssl_function<int (*)(SSL*, void*, int)>("SSL_read");
  ERR_clear_error();
  return real(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  static const auto real = real_ssl_function<int (*)(SSL*, const void*, int)>("SSL_write");
  ERR_clear_error();
  return real(ssl, buf, num);
}

int SSL_accept(SSL* ssl) {
  static const auto real = real_ssl_function<int (*)(SSL*)>("SSL_accept");
  ERR_clear_error();
  return real(ssl);
}

int SSL_connect(SSL* ssl) {
  static const auto real = real_ssl_function<int (*)(SSL*)>("SSL_connect");
  ERR_clear_error();
  return real(ssl);
}

} // extern "C"

namespace baikal::cluster {

bool openssl_error_queue_cleared_per_call() {
  // The global search finds the executable's export first when the interposition works.
  using read_fn = int (*)(SSL*, void*, int);
  return reinterpret_cast<read_fn>(::dlsym(RTLD_DEFAULT, "SSL_read")) == &SSL_read;
}

} // namespace baikal::cluster
