// OpenSSL's per-thread error queue and CAF's TLS sessions: an error left in the queue by one
// connection (a refused handshake) must not make another connection's would-block look fatal.
// CAF 0.17.6 calls SSL_get_error without clearing the queue; runtime/cluster's wrappers of
// SSL_read, SSL_write, SSL_accept and SSL_connect clear it first. Two ends of one TLS connection
// in memory (a BIO pair), no sockets.

#include <doctest/doctest.h>

#include <dlfcn.h>

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "runtime/cluster/openssl_error_queue.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certs.hpp"

namespace {

struct ctx_free {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct ssl_free {
  void operator()(SSL* s) const { SSL_free(s); }
};
using ctx_ptr = std::unique_ptr<SSL_CTX, ctx_free>;
using ssl_ptr = std::unique_ptr<SSL, ssl_free>;

int error_after(SSL* ssl, int ret) {
  int err = SSL_get_error(ssl, ret);
  ERR_clear_error();
  return err;
}

/// A client and a server joined by a BIO pair, handshake done: what CAF's sessions look like
/// between a manager and an agent that has joined.
struct connected_pair {
  baikal::test::temp_dir dir;
  ctx_ptr client_ctx{SSL_CTX_new(TLS_client_method())};
  ctx_ptr server_ctx{SSL_CTX_new(TLS_server_method())};
  ssl_ptr client;
  ssl_ptr server;

  connected_pair() {
    REQUIRE(client_ctx);
    REQUIRE(server_ctx);
    auto pem = baikal::test::make_self_signed(dir.path, "manager");
    REQUIRE(SSL_CTX_use_certificate_file(server_ctx.get(), pem.certificate.c_str(),
                                         SSL_FILETYPE_PEM) == 1);
    REQUIRE(SSL_CTX_use_PrivateKey_file(server_ctx.get(), pem.key.c_str(), SSL_FILETYPE_PEM) == 1);
    client.reset(SSL_new(client_ctx.get()));
    server.reset(SSL_new(server_ctx.get()));
    REQUIRE(client);
    REQUIRE(server);
    BIO* client_end = nullptr;
    BIO* server_end = nullptr;
    // Small buffers, so that a few writes fill them and a write has to wait.
    REQUIRE(BIO_new_bio_pair(&client_end, 4096, &server_end, 4096) == 1);
    SSL_set_bio(client.get(), client_end, client_end); // each SSL owns its end from here
    SSL_set_bio(server.get(), server_end, server_end);
    SSL_set_connect_state(client.get());
    SSL_set_accept_state(server.get());
    handshake();
  }

  void handshake() {
    bool client_done = false;
    bool server_done = false;
    // Each round moves at least one flight; a TLS 1.3 handshake takes a handful.
    for (int round = 0; round < 20 && !(client_done && server_done); ++round) {
      if (!client_done) {
        int ret = SSL_connect(client.get());
        client_done = ret == 1;
        if (!client_done)
          REQUIRE(error_after(client.get(), ret) == SSL_ERROR_WANT_READ);
      }
      if (!server_done) {
        int ret = SSL_accept(server.get());
        server_done = ret == 1;
        if (!server_done)
          REQUIRE(error_after(server.get(), ret) == SSL_ERROR_WANT_READ);
      }
    }
    REQUIRE(client_done);
    REQUIRE(server_done);
  }

  /// What the client writes to fill the pair's buffer; a write that has to wait must be retried
  /// with the same data (OpenSSL refuses another buffer then: "bad write retry").
  const std::string chunk = std::string(1024, 'x');

  /// Writes `chunk` from the client until the pair's buffer is full (the last write waits).
  void fill_client_buffer() {
    for (int i = 0; i < 64; ++i) {
      int ret = SSL_write(client.get(), chunk.data(), static_cast<int>(chunk.size()));
      if (ret <= 0) {
        REQUIRE(error_after(client.get(), ret) == SSL_ERROR_WANT_WRITE);
        return;
      }
    }
    FAIL("the client's writes never filled the BIO pair");
  }
};

/// What a failed certificate verification on another connection leaves in the queue.
void leave_stale_error() {
  ERR_clear_error();
  ERR_raise(ERR_LIB_SSL, SSL_R_CERTIFICATE_VERIFY_FAILED);
  REQUIRE(ERR_peek_error() != 0);
}

template <class Fn> Fn libssl_own(const char* name) {
  return reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, name));
}

} // namespace

TEST_CASE("cluster TLS: libcaf_openssl's SSL calls resolve to the wrappers that clear the "
          "error queue") {
  CHECK(baikal::cluster::openssl_error_queue_cleared_per_call());
  // The global search is the one libcaf_openssl.so's references go through.
  CHECK(::dlsym(RTLD_DEFAULT, "SSL_read") == reinterpret_cast<void*>(&SSL_read));
  CHECK(::dlsym(RTLD_DEFAULT, "SSL_write") == reinterpret_cast<void*>(&SSL_write));
  CHECK(::dlsym(RTLD_DEFAULT, "SSL_accept") == reinterpret_cast<void*>(&SSL_accept));
  CHECK(::dlsym(RTLD_DEFAULT, "SSL_connect") == reinterpret_cast<void*>(&SSL_connect));
  // libssl's own functions are still there behind them.
  auto real_read = libssl_own<void*>("SSL_read");
  CHECK(real_read != nullptr);
  CHECK(real_read != reinterpret_cast<void*>(&SSL_read));
}

TEST_CASE("cluster TLS: without clearing, a stale error makes a read with nothing to read look "
          "fatal") {
  // The failure the wrappers prevent, through libssl's own SSL_read.
  auto real_read = libssl_own<int (*)(SSL*, void*, int)>("SSL_read");
  const bool found = real_read != nullptr;
  REQUIRE(found);
  connected_pair pair;
  char buf[16];
  leave_stale_error();
  int ret = real_read(pair.server.get(), buf, sizeof buf);
  CHECK(ret <= 0);
  CHECK(error_after(pair.server.get(), ret) == SSL_ERROR_SSL);
}

TEST_CASE("cluster TLS: a stale error does not make a joined connection's read or write fail") {
  connected_pair pair;
  SUBCASE("SSL_read with nothing to read waits") {
    char buf[16];
    leave_stale_error();
    int ret = SSL_read(pair.server.get(), buf, sizeof buf);
    CHECK(ret <= 0);
    CHECK(error_after(pair.server.get(), ret) == SSL_ERROR_WANT_READ);
  }
  SUBCASE("SSL_write into a full buffer waits") {
    pair.fill_client_buffer();
    leave_stale_error();
    int ret = SSL_write(pair.client.get(), pair.chunk.data(), static_cast<int>(pair.chunk.size()));
    CHECK(ret <= 0);
    CHECK(error_after(pair.client.get(), ret) == SSL_ERROR_WANT_WRITE);
  }
  SUBCASE("data still flows") {
    const std::string text = "heartbeat";
    leave_stale_error();
    REQUIRE(SSL_write(pair.client.get(), text.data(), static_cast<int>(text.size())) ==
            static_cast<int>(text.size()));
    char buf[16] = {};
    leave_stale_error();
    int got = SSL_read(pair.server.get(), buf, sizeof buf);
    REQUIRE(got == static_cast<int>(text.size()));
    CHECK(std::string(buf, static_cast<size_t>(got)) == text);
  }
}
