// The blocking client's transfer progress: a request's body is reported as it is written and
// an answer's body as it arrives, ending at their full sizes, and the bodies are unchanged.

#include <doctest/doctest.h>

#include <vector>

#include "runtime/http/client.hpp"
#include "runtime/http/server.hpp"
#include "support/why.hpp"

using baikal::test::why;

using namespace baikal;
using namespace baikal::http;

namespace {

struct progress_log {
  std::vector<uint64_t> done;
  uint64_t total = 0;

  transfer_progress_fn fn() {
    return [this](uint64_t d, uint64_t t) {
      done.push_back(d);
      total = t;
    };
  }

  bool rising() const {
    for (size_t i = 1; i < done.size(); ++i)
      if (done[i] < done[i - 1])
        return false;
    return true;
  }
};

} // namespace

TEST_CASE("http client: upload and download progress end at the bodies' sizes") {
  server_options opts;
  opts.port = 0;
  opts.body_limit = [](const http_request&) { return uint64_t{16} << 20; };
  // The answer is the request's body twice: a download larger than the upload.
  server srv{opts, [](http_request req, responder res) {
               res.send(http_response{200, "application/octet-stream", req.body + req.body, {}});
             }};
  auto port = srv.start();
  REQUIRE_MESSAGE(port, why(port));
  auto client = blocking_client::make("http://127.0.0.1:" + std::to_string(*port));
  REQUIRE(client);
  std::string body(3 << 20, 'x');
  for (size_t i = 0; i < body.size(); i += 4096)
    body[i] = static_cast<char>('a' + i % 26);
  progress_log up;
  progress_log down;
  client_request req;
  req.method = "PUT";
  req.body = body;
  req.content_type = "application/octet-stream";
  req.upload_progress = up.fn();
  req.download_progress = down.fn();
  auto res = client->send(req, std::chrono::seconds(30));
  REQUIRE_MESSAGE(res, why(res));
  CHECK(res->status == 200);
  CHECK(res->body == body + body);
  REQUIRE(!up.done.empty());
  CHECK(up.total == body.size());
  CHECK(up.done.back() == body.size());
  CHECK(up.rising());
  REQUIRE(!down.done.empty());
  CHECK(down.total == 2 * body.size());
  CHECK(down.done.back() == 2 * body.size());
  CHECK(down.done.size() > 1); // in pieces, not once at the end
  CHECK(down.rising());
  srv.stop();
}
