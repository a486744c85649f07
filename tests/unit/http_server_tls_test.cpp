// The HTTP server over TLS with the blocking clients, as baikalctl uses them against an
// https:// API: an answer, a chunked stream and a WebSocket echo arrive as over plain HTTP; a
// client that does not trust the server's CA is refused with a line that says what failed and
// what to do; a client CA refuses a client without a certificate; a client of TLS 1.1, and one
// speaking plain HTTP, fail their handshake and the server goes on serving the others.

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <openssl/ssl.h>

#include "messages/errors.hpp"
#include "runtime/http/client.hpp"
#include "runtime/http/server.hpp"
#include "runtime/http/websocket_client.hpp"
#include "support/cluster_certs.hpp"
#include "support/temp_dir.hpp"
#include "support/why.hpp"

using baikal::test::why;

using namespace baikal;
using namespace baikal::http;

namespace {

/// A cluster CA with the API's certificate and a client's, and a foreign CA beside it.
struct tls_files {
  test::temp_dir dir{"https"};
  std::filesystem::path certs = dir.path / "certs";
  std::filesystem::path foreign = dir.path / "foreign";

  tls_files() {
    REQUIRE(test::make_cluster_certs(certs, "client-1"));
    REQUIRE(test::make_cluster_certs(foreign, "client-2"));
  }

  server_tls server(bool with_client_ca = false) const {
    return {(certs / "api.crt").string(), (certs / "api.key").string(),
            with_client_ca ? (certs / "ca.crt").string() : std::string{}};
  }

  client_tls trusting(const std::filesystem::path& ca_dir) const {
    client_tls out;
    out.cacert = (ca_dir / "ca.crt").string();
    out.untrusted_hint = "pass the cluster CA with --cacert or BAIKAL_CACERT";
    return out;
  }
};

/// Answers JSON, streams three chunks on /chunks and echoes WebSocket messages on /ws.
void handle(http_request req, responder r) {
  if (req.path == "/chunks") {
    auto s = r.open_chunked_stream("text/plain");
    for (const char* piece : {"one\n", "two\n", "three\n"})
      s->push(piece);
    s->finish();
    return;
  }
  if (req.path == "/ws") {
    auto peer = std::make_shared<std::shared_ptr<websocket>>();
    websocket_handlers h;
    h.opened = [peer](std::shared_ptr<websocket> ws) { *peer = std::move(ws); };
    h.received = [peer](std::string data, bool) {
      if (*peer)
        (*peer)->send_text("echo: " + data);
    };
    h.closed = [peer](const std::string&) { peer->reset(); };
    r.open_websocket(std::move(h));
    return;
  }
  r.send(json_response(200, R"({"path":")" + req.path + R"("})"));
}

struct tls_server {
  server srv;
  uint16_t port = 0;

  explicit tls_server(server_tls tls) : srv(options(std::move(tls)), handle) {
    auto p = srv.start();
    REQUIRE_MESSAGE(p, why(p));
    port = *p;
  }

  static server_options options(server_tls tls) {
    server_options opts;
    opts.port = 0;
    opts.threads = 2;
    opts.stop_grace = std::chrono::seconds(5);
    opts.tls = std::move(tls);
    return opts;
  }

  std::string url(const char* scheme = "https") const {
    return std::string{scheme} + "://127.0.0.1:" + std::to_string(port);
  }
};

caf::expected<client_response> get(const blocking_client& c, const std::string& target) {
  client_request req;
  req.target = target;
  return c.send(req, std::chrono::seconds(30));
}

} // namespace

TEST_CASE("https: an answer and a chunked stream and a WebSocket echo over TLS") {
  tls_files files;
  tls_server srv{files.server()};
  auto c = blocking_client::make(srv.url(), files.trusting(files.certs));
  REQUIRE_MESSAGE(c, why(c));
  REQUIRE(c->tls_context());

  auto res = get(*c, "/hello");
  REQUIRE_MESSAGE(res, why(res));
  CHECK(res->status == 200);
  CHECK(res->body == R"({"path":"/hello"})");

  std::string streamed;
  client_request chunks;
  chunks.target = "/chunks";
  auto status = c->stream(chunks, [&](std::string_view piece) {
    streamed.append(piece);
    return true;
  });
  REQUIRE_MESSAGE(status, why(status));
  CHECK(*status == 200);
  CHECK(streamed == "one\ntwo\nthree\n");

  auto ws = websocket_client::open(*c, "/ws", {});
  REQUIRE_MESSAGE(ws, why(ws));
  REQUIRE_FALSE((*ws)->send("over wss"));
  auto msg = (*ws)->receive();
  REQUIRE_MESSAGE(msg, why(msg));
  REQUIRE(*msg);
  CHECK((*msg)->data == "echo: over wss");
  (*ws)->close();
}

TEST_CASE("https: a server certificate of a CA the client does not trust is refused clearly") {
  tls_files files;
  tls_server srv{files.server()};
  auto c = blocking_client::make(srv.url(), files.trusting(files.foreign));
  REQUIRE_MESSAGE(c, why(c));
  auto res = get(*c, "/hello");
  REQUIRE_FALSE(res);
  CHECK(code_of(res.error()) == errc::unavailable);
  CHECK(message_of(res.error()) ==
        "the certificate of the API at 127.0.0.1:" + std::to_string(srv.port) +
            " is not trusted (certificate verify failed: unable to get local issuer "
            "certificate); pass the cluster CA with --cacert or BAIKAL_CACERT");
  // The WebSocket refuses alike, and the server serves the next client.
  auto ws = websocket_client::open(*c, "/ws", {});
  REQUIRE_FALSE(ws);
  CHECK(message_of(ws.error()).find("is not trusted") != std::string::npos);
  auto trusting = blocking_client::make(srv.url(), files.trusting(files.certs));
  REQUIRE(trusting);
  auto ok = get(*trusting, "/after");
  REQUIRE_MESSAGE(ok, why(ok));
  CHECK(ok->status == 200);
}

TEST_CASE("https: a certificate for other names is refused and a missing CA file is named") {
  tls_files files;
  // A certificate the cluster CA signed, for the name client-1 only.
  tls_server srv{server_tls{(files.certs / "client-1.crt").string(),
                            (files.certs / "client-1.key").string(), ""}};
  auto c = blocking_client::make(srv.url(), files.trusting(files.certs));
  REQUIRE(c);
  auto res = get(*c, "/hello");
  REQUIRE_FALSE(res);
  CHECK(message_of(res.error()).find("is not for that address") != std::string::npos);

  client_tls missing;
  missing.cacert = (files.dir.path / "nope.pem").string();
  auto bad = blocking_client::make(srv.url(), missing);
  REQUIRE_FALSE(bad);
  CHECK(message_of(bad.error()) ==
        "the CA file " + missing.cacert + " cannot be read: No such file or directory");
}

TEST_CASE("https: with a client CA a client without a certificate is refused") {
  tls_files files;
  tls_server srv{files.server(true)};
  auto anonymous = blocking_client::make(srv.url(), files.trusting(files.certs));
  REQUIRE(anonymous);
  auto res = get(*anonymous, "/hello");
  REQUIRE_FALSE(res);
  CHECK(code_of(res.error()) == errc::permission_denied);
  CHECK(message_of(res.error()) ==
        "the API at 127.0.0.1:" + std::to_string(srv.port) +
            " wants a client certificate its CA signed, and this client gave none or another "
            "(tlsv13 alert certificate required)");

  auto with_foreign = files.trusting(files.certs);
  with_foreign.certificate = (files.foreign / "client-2.crt").string();
  with_foreign.key = (files.foreign / "client-2.key").string();
  auto stranger = blocking_client::make(srv.url(), with_foreign);
  REQUIRE(stranger);
  auto refused = get(*stranger, "/hello");
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::permission_denied);

  auto with_cert = files.trusting(files.certs);
  with_cert.certificate = (files.certs / "client-1.crt").string();
  with_cert.key = (files.certs / "client-1.key").string();
  auto known = blocking_client::make(srv.url(), with_cert);
  REQUIRE_MESSAGE(known, why(known));
  auto ok = get(*known, "/hello");
  REQUIRE_MESSAGE(ok, why(ok));
  CHECK(ok->status == 200);
}

TEST_CASE("https: a TLS 1.1 client and a plain HTTP client fail and the server goes on") {
  tls_files files;
  tls_server srv{files.server()};
  namespace net = boost::asio;
  net::io_context ioc;
  net::ssl::context old{net::ssl::context::tls_client};
  SSL_CTX_set_min_proto_version(old.native_handle(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(old.native_handle(), TLS1_1_VERSION);
  SSL_CTX_set_security_level(old.native_handle(), 0);
  net::ssl::stream<net::ip::tcp::socket> tls11{ioc, old};
  tls11.next_layer().connect({net::ip::make_address("127.0.0.1"), srv.port});
  boost::system::error_code ec;
  tls11.handshake(net::ssl::stream_base::client, ec);
  CHECK(ec);

  auto plain = blocking_client::make(srv.url("http"));
  REQUIRE(plain);
  CHECK_FALSE(get(*plain, "/hello"));

  auto c = blocking_client::make(srv.url(), files.trusting(files.certs));
  REQUIRE(c);
  auto ok = get(*c, "/still");
  REQUIRE_MESSAGE(ok, why(ok));
  CHECK(ok->status == 200);
}

TEST_CASE("https: a plain HTTP server gives an https:// client a handshake error and no hang") {
  server_options opts;
  opts.port = 0;
  server plain{opts, handle};
  auto port = plain.start();
  REQUIRE(port);
  tls_files files;
  auto c = blocking_client::make("https://127.0.0.1:" + std::to_string(*port),
                                 files.trusting(files.certs));
  REQUIRE(c);
  auto res = get(*c, "/hello");
  REQUIRE_FALSE(res);
  CHECK(message_of(res.error()).find("TLS handshake") != std::string::npos);
}
