// Files through the manager's HTTP API, streamed end to end, on a real agent and kernel: an
// upload of several MiB lands byte for byte, download-single streams a file back, a path out
// of /home/work is refused with 403, and an upload whose client leaves mid-body leaves neither
// the file nor a temporary file behind.

#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "support/api_cluster_fixture.hpp"
#include "support/file_helpers.hpp"
#include "support/metric_value.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

std::string pattern(size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i)
    out[i] = static_cast<char>((i * 13 + i / 65536) & 0xff);
  return out;
}

/// Names in `dir` that an upload left behind (its temporary files).
std::vector<std::string> upload_leftovers(const std::string& dir) {
  std::vector<std::string> out;
  for (auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().rfind(".baikal-upload-", 0) == 0)
      out.push_back(e.path().filename().string());
  return out;
}

/// Sends the head of a PUT and `sent` bytes of its body, then closes the connection.
void cut_upload(uint16_t port, const std::string& target, const std::string& token, size_t length,
                size_t sent) {
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket sock{ioc};
  sock.connect({net::ip::make_address("127.0.0.1"), port});
  auto head =
      "PUT " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
      "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(length) +
      "\r\n\r\n";
  net::write(sock, net::buffer(head));
  net::write(sock, net::buffer(pattern(sent)));
}

} // namespace

TEST_CASE_FIXTURE(api_cluster_fixture, "http api files: uploads and download-single stream "
                                       "through the manager, refused paths and cut uploads "
                                       "leave nothing") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto created = alice.post("/v1/sessions", R"({"name":"files-stream","image":")" + image +
                                                R"(","resources":{"cpu":1,"mem":134217728}})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  auto id = created.str("id");
  REQUIRE(wait_status(alice, id, "RUNNING") == "RUNNING");
  auto shown = alice.get("/v1/sessions/" + id);
  std::string kernel = shown.json["kernels"][0]["id"].GetString();
  auto work = agents.front().scratch + "/" + kernel + "/work";
  auto files = "/v1/sessions/" + id + "/files?path=";

  // several MiB, in several chunks, byte for byte
  auto big = pattern(6 * 1024 * 1024 + 3);
  auto up =
      alice.call("PUT", files + "%2Fhome%2Fwork%2Fdir%2Fbig.bin", big, "application/octet-stream");
  REQUIRE_MESSAGE(up.status == 200, up.body);
  CHECK(read_host_file(work + "/dir/big.bin") == big);
  CHECK(upload_leftovers(work + "/dir").empty());

  // download-single streams a file back; the spec's 1 MiB archive limit still holds
  auto near_limit = pattern(1024 * 1024 - 2048);
  REQUIRE(alice.call("PUT", files + "near.bin", near_limit, "application/octet-stream").status ==
          200);
  auto down = alice.get("/v1/sessions/" + id + "/download-single?path=near.bin");
  CHECK(down.status == 200);
  CHECK(down.content_type == "application/octet-stream");
  CHECK(down.body == near_limit);
  auto too_big = alice.get("/v1/sessions/" + id + "/download-single?path=dir%2Fbig.bin");
  CHECK(too_big.status == 413);
  CHECK(too_big.str("message").find("Too large archive file exceeding 1 MiB") != std::string::npos);

  // a path out of /home/work: 403 naming it, nothing written
  auto outside = alice.call("PUT", files + "%2Fhome%2Fwork%2F..%2Fescape.txt", "data",
                            "application/octet-stream");
  CHECK(outside.status == 403);
  CHECK(outside.str("error") == "permission_denied");
  CHECK(!std::filesystem::exists(agents.front().scratch + "/" + kernel + "/escape.txt"));

  // a client that leaves mid-body: no file, no temporary file
  cut_upload(alice.port, files + "cut.bin", alice.token, 8 * 1024 * 1024, 3 * 1024 * 1024 + 100);
  // The route answers the cut body 400 (to nobody) once it gave up the upload.
  auto cut_counted = [&] {
    auto text = alice.get("/metrics").body;
    return metric_value(text, R"(baikal_api_requests_total{route="PUT /v1/sessions/{id}/files",)"
                              R"(code="400"})") == 1;
  };
  CHECK(eventually(cut_counted, std::chrono::seconds(30)));
  CHECK(eventually([&] { return upload_leftovers(work).empty(); }, std::chrono::seconds(30)));
  CHECK(!std::filesystem::exists(work + "/cut.bin"));
  CHECK(alice.del("/v1/sessions/" + id).status == 200);
}
