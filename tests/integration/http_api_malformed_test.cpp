// Hostile and malformed input against the manager's HTTP API with real agents on the private
// Docker engine. The request that once took an agent down for good (an exec_timeout that is not
// a number) answers 400 naming the field while the agent stays ALIVE and runs code; a missing
// file answers 404; and a malformed value for every field of every route (wrong type, out of
// range, huge, empty, control characters, unknown field, broken JSON, oversized heads and
// targets) answers 4xx on its connection, after which every agent is ALIVE, the manager
// answers and a fresh session runs code.

#include <doctest/doctest.h>

#include <functional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "support/api_cluster_fixture.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

api_answer run_query(const api_client& who, const std::string& id, const std::string& code) {
  auto res =
      who.post("/v1/sessions/" + id + "/execute", R"({"mode":"query","code":")" + code + "\"}");
  while (res.status == 200 && res.str("status") == "continued")
    res = who.post("/v1/sessions/" + id + "/execute",
                   R"({"mode":"continue","code":"","run_id":")" + res.str("run_id") + "\"}");
  return res;
}

/// Every agent of the fixture answers a ping on its actor.
bool agents_answer(api_cluster_fixture& f) {
  caf::scoped_actor self{*f.sys};
  bool all = true;
  for (auto& a : f.agents)
    self->request(a.agent, std::chrono::seconds(30), op::ping{"alive?"})
        .receive([&](std::string& pong) { all = all && pong == "alive?"; },
                 [&](caf::error&) { all = false; });
  return all;
}

std::string running_session(api_cluster_fixture& f, const std::string& name) {
  auto created = f.alice.post("/v1/sessions", R"({"name":")" + name + R"(","image":")" + f.image +
                                                  R"(","resources":{"mem":134217728}})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  auto id = created.str("id");
  REQUIRE(f.wait_status(f.alice, id, "RUNNING") == "RUNNING");
  return id;
}

/// One malformed request: method, target, body, and whether to write it raw (bytes as given).
struct probe {
  std::string what;
  std::string method;
  std::string target;
  std::string body;
  std::string raw; ///< when set, written as is on a fresh connection
  bool with_token = true;

  probe(std::string what, std::string method, std::string target, std::string body,
        std::string raw = {}, bool with_token = true)
      : what(std::move(what)), method(std::move(method)), target(std::move(target)),
        body(std::move(body)), raw(std::move(raw)), with_token(with_token) {}
};

/// The status of the answer to `p`, 0 when the connection ended without one.
int status_of(const api_client& who, const probe& p) {
  if (!p.raw.empty()) {
    namespace net = boost::asio;
    net::io_context ioc;
    net::ip::tcp::socket sock{ioc};
    boost::system::error_code ec;
    sock.connect({net::ip::make_address("127.0.0.1"), who.port}, ec);
    if (ec)
      return 0;
    net::write(sock, net::buffer(p.raw), ec);
    std::string out;
    char buf[4096];
    while (out.find("\r\n") == std::string::npos) {
      auto n = sock.read_some(net::buffer(buf), ec);
      out.append(buf, n);
      if (ec)
        break;
    }
    if (out.rfind("HTTP/1.1 ", 0) != 0 || out.size() < 12)
      return 0;
    return std::atoi(out.substr(9, 3).c_str());
  }
  auto client = http::blocking_client::make("http://127.0.0.1:" + std::to_string(who.port));
  if (!client)
    return 0;
  http::client_request req;
  req.method = p.method;
  req.target = p.target;
  req.body = p.body;
  if (p.with_token)
    req.headers["Authorization"] = "Bearer " + who.token;
  auto res = client->send(req, std::chrono::seconds(60));
  return res ? res->status : 0;
}

// -- the malformed values ----------------------------------------------------------------------

const std::vector<std::string> not_strings{"123", "true", "[]", "{}", "[\"a\"]", "1.5"};
const std::vector<std::string> not_numbers{"\"2\"", "true", "[]", "{}"};
const std::vector<std::string> not_objects{"\"x\"", "1", "[]", "true"};
const std::vector<std::string> not_bools{"\"yes\"", "1", "[]", "{}"};

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

/// Values no name-like field (names, ids, enumerations, references) accepts.
std::vector<std::string> bad_names() {
  auto out = not_strings;
  for (auto v : {"", "a\\u0000b", "a\\u0001b", "a b", "../x", "a\\nb"})
    out.push_back(quoted(v));
  out.push_back(quoted(std::string(300, 'n')));
  return out;
}

/// Values no code-like field (code, completion text) accepts.
std::vector<std::string> bad_texts() {
  auto out = std::vector<std::string>{"123", "true", "[]", "{}"};
  out.push_back(quoted("a\\u0000b"));
  out.push_back(quoted(std::string(1100 * 1024, 'c'))); // over the JSON body limit: 413
  return out;
}

std::vector<std::string> bad_string_maps() {
  auto out = not_objects;
  for (auto v : {R"({"":"1"})", R"({"a\u0001":"1"})", R"({"a":[1]})", R"({"a":{}})",
                 R"({"a":"x\u0000y"})", R"({"a":null,"b":[]})"})
    out.push_back(v);
  return out;
}

std::vector<std::string> bad_environs() {
  auto out = bad_string_maps();
  for (auto v : {R"({"A=B":"1"})", R"({"A\u0000B":"1"})", R"({"A\tB":"1"})"})
    out.push_back(v);
  std::string many = "{";
  for (int i = 0; i < 300; ++i)
    many += (i ? "," : "") + quoted("K" + std::to_string(i)) + ":\"v\"";
  out.push_back(many + "}");
  out.push_back("{\"A\":" + quoted(std::string(40000, 'v')) + "}");
  out.push_back("{" + quoted(std::string(300, 'K')) + ":\"v\"}");
  return out;
}

/// `base` (a JSON object's members, maybe empty) with `field` set to `value`.
std::string with(const std::string& base, const std::string& field, const std::string& value) {
  return "{" + base + (base.empty() ? "" : ",") + quoted(field) + ":" + value + "}";
}

void add_field(std::vector<probe>& out, const std::string& method, const std::string& target,
               const std::string& base, const std::string& field,
               const std::vector<std::string>& values) {
  for (auto& v : values)
    out.push_back({method + " " + target + " " + field + "=" + v.substr(0, 40), method, target,
                   with(base, field, v)});
}

/// Bodies that are not the JSON object a route reads.
void add_bodies(std::vector<probe>& out, const std::string& method, const std::string& target,
                const std::string& base) {
  std::vector<std::string> bodies{"[]",
                                  "1",
                                  "\"s\"",
                                  "{",
                                  "not json",
                                  "{\"a\":1,}",
                                  "null",
                                  std::string(200000, '[') /* deep nesting */,
                                  "{" + base + (base.empty() ? "" : ",") + "\"zzz-unknown\":1}"};
  for (auto& b : bodies)
    out.push_back({method + " " + target + " body " + b.substr(0, 20), method, target, b});
}

std::vector<probe> malformed_requests(const std::string& id, const std::string& agent,
                                      const std::string& image) {
  std::vector<probe> out;
  auto s = "/v1/sessions/" + id;
  // POST /v1/sessions
  auto img = "\"image\":" + quoted(image);
  add_bodies(out, "POST", "/v1/sessions", img);
  for (auto field :
       {"name", "image", "cluster_mode", "network_type", "network_id", "scaling_group"})
    add_field(out, "POST", "/v1/sessions", std::string{field} == "image" ? "" : img, field,
              bad_names());
  add_field(out, "POST", "/v1/sessions", "", "image",
            {quoted("Python:3.9"), quoted("bad name!!"), quoted("x@sha256:abc")});
  auto sizes = not_numbers;
  for (auto v : {"0", "-1", "1.5", "65", "1e9", "1e400", "-1e400"})
    sizes.push_back(v);
  add_field(out, "POST", "/v1/sessions", img, "cluster_size", sizes);
  auto resources = not_objects;
  for (auto v : {R"({"cpu":"1"})", R"({"cpu":-1})", R"({"gpu":1})", R"({"mem":1})", R"({"a b":1})",
                 R"({"cpu":1e300})", R"({"":1})", R"({"cpu":[1]})"})
    resources.push_back(v);
  add_field(out, "POST", "/v1/sessions", img, "resources", resources);
  add_field(out, "POST", "/v1/sessions", img, "environ", bad_environs());
  // POST /v1/sessions/{id}/execute
  auto run = std::string{R"("mode":"query","code":"echo x")"};
  add_bodies(out, "POST", s + "/execute", run);
  add_field(out, "POST", s + "/execute", R"("code":"echo x")", "mode", bad_names());
  add_field(out, "POST", s + "/execute", R"("mode":"query")", "code", bad_texts());
  add_field(
      out, "POST", s + "/execute", R"("mode":"query","code":"echo x")", "run_id",
      {"123", "true", "[]", quoted("a\\u0001b"), quoted("../x"), quoted(std::string(300, 'r'))});
  auto opts = not_objects;
  for (auto v : {R"({"exec_timeout":"abc"})", R"({"exec_timeout":-1})", R"({"exec_timeout":1e300})",
                 R"({"exec_timeout":true})", R"({"exec_timeout":[1]})", R"({"exec_timeout":""})",
                 R"({"exec_timeout":"1e400"})", R"({"zzz":1})", R"({"build":"a\u0000"})"})
    opts.push_back(v);
  add_field(out, "POST", s + "/execute", run, "opts", opts);
  // POST /v1/sessions/{id}/complete
  add_bodies(out, "POST", s + "/complete", R"("text":"ec")");
  add_field(out, "POST", s + "/complete", "", "text", bad_texts());
  add_field(out, "POST", s + "/complete", R"("text":"ec")", "opts", bad_string_maps());
  // services
  add_bodies(out, "POST", s + "/services/httpd", "");
  add_field(out, "POST", s + "/services/httpd", "", "opts", bad_string_maps());
  for (const std::string& name :
       std::vector<std::string>{"bad%20name", "..", "%00", "a%0Ab", std::string(100, 'n')})
    for (std::string method : {"POST", "DELETE"})
      out.push_back(
          {method + " service " + name.substr(0, 20), method, s + "/services/" + name, "{}"});
  // commit
  add_bodies(out, "POST", s + "/commit", "");
  add_field(out, "POST", s + "/commit", "", "canonical", bad_names());
  add_field(out, "POST", s + "/commit", "", "canonical",
            {quoted("bad name!!"), quoted("UPPER:1"), quoted("x:.bad")});
  add_field(out, "POST", s + "/commit", "", "filename",
            {"1", "true", "[]", quoted(""), quoted(".."), quoted("a/b"), quoted("a\\u0000b"),
             quoted(std::string(300, 'f'))});
  add_field(out, "POST", s + "/commit", "", "labels", bad_string_maps());
  // purge
  auto purge = "/v1/agents/" + agent + "/images/purge";
  add_bodies(out, "POST", purge, R"("images":["x:1"])");
  auto images = std::vector<std::string>{
      "\"a\"", "1", "{}", "true", "[]", "[1]", "[\"\"]", "[\"Bad Name\"]", "[[\"a\"]]"};
  std::string many = "[";
  for (int i = 0; i < 300; ++i)
    many += (i ? "," : "") + quoted("img" + std::to_string(i) + ":1");
  images.push_back(many + "]");
  add_field(out, "POST", purge, "", "images", images);
  add_field(out, "POST", purge, R"("images":["x:1"])", "force", not_bools);
  add_field(out, "POST", purge, R"("images":["x:1"])", "noprune", not_bools);
  // file routes: the path query parameter
  for (auto route : {"/files", "/download", "/download-single"}) {
    for (auto q : {"?path=%00x", "?path=..%2F..%2Fetc%2Fpasswd", "?path=%2Fetc%2Fpasswd",
                   "?path=%zz", "?path=a&zzz=1", "?zzz=1"})
      out.push_back({std::string{"GET "} + route + q, "GET", s + route + q, ""});
    out.push_back({std::string{"GET "} + route + " huge path", "GET",
                   s + route + "?path=" + std::string(5000, 'p'), ""});
  }
  for (auto route : {"/download", "/download-single"}) {
    out.push_back({std::string{"GET "} + route + " no path", "GET", s + route, ""});
    out.push_back({std::string{"GET "} + route + " missing file", "GET",
                   s + route + "?path=no-such-file.txt", ""});
  }
  for (auto q : {"", "?path=..%2Fescape", "?path=%2Fetc%2Fx", "?path=a&zzz=1"})
    out.push_back({std::string{"PUT files"} + q, "PUT", s + "/files" + q, "data"});
  // routes that take no body or query
  std::vector<std::pair<std::string, std::string>> bare{
      {"GET", "/v1/agents"}, {"GET", "/v1/sessions"},    {"GET", s},
      {"DELETE", s},         {"POST", s + "/interrupt"}, {"POST", s + "/restart"},
      {"GET", s + "/logs"},  {"GET", s + "/commit"},     {"GET", "/v1/events"},
      {"GET", "/v1/health"}, {"GET", "/metrics"}};
  for (auto& [method, target] : bare) {
    out.push_back({method + " " + target + " ?zzz", method, target + "?zzz=1", ""});
    if (method != "GET") {
      out.push_back({method + " " + target + " body", method, target, R"({"x":1})"});
      out.push_back({method + " " + target + " junk", method, target, "not json"});
    }
  }
  // ids in the path
  for (const std::string& bad :
       std::vector<std::string>{"no-such-session", "%00", "%zz", std::string(5000, 'i'), "a%2Fb"})
    out.push_back({"GET session " + bad.substr(0, 20), "GET", "/v1/sessions/" + bad, ""});
  out.push_back({"purge on an unknown agent", "POST", "/v1/agents/no-such-agent/images/purge",
                 R"({"images":["x:1"]})"});
  // authentication, methods, and the wire itself
  out.push_back({"no token", "GET", "/v1/sessions", "", "", false});
  out.push_back({"PATCH", "PATCH", "/v1/sessions", "{}"});
  out.push_back({"100 kB target", "GET", s + "/files?path=" + std::string(100000, 'p'), ""});
  probe big_head{"20 kB header", "", "", "",
                 "GET /v1/health HTTP/1.1\r\nHost: h\r\nX-Pad: " + std::string(20000, 'p') +
                     "\r\n\r\n"};
  out.push_back(big_head);
  out.push_back({"garbage", "", "", "", "GARBAGE\r\n\r\n"});
  out.push_back({"bad content-length", "", "", "",
                 "POST /v1/sessions HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n"});
  out.push_back({"bad chunk", "", "", "",
                 "POST /v1/sessions HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "zz\r\nabc\r\n0\r\n\r\n"});
  out.push_back({"control character in the target", "", "", "",
                 "GET /v1/sessions/\x01 HTTP/1.1\r\nHost: h\r\n\r\n"});
  return out;
}

} // namespace

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "http api: an exec_timeout that is not a number answers 400 naming "
                  "opts.exec_timeout, and the agent stays ALIVE and runs code") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto id = running_session(*this, "bad-timeout");
  auto res = alice.post("/v1/sessions/" + id + "/execute",
                        R"({"mode":"query","code":"echo x","opts":{"exec_timeout":"abc"}})");
  CHECK_MESSAGE(res.status == 400, res.body);
  CHECK(res.str("error") == "invalid_argument");
  CHECK(res.str("message").find("opts.exec_timeout must be a number of seconds from 0 to") == 0);
  // The same operation sent straight to the agent actor, as another process could send it.
  auto kernel = std::string{alice.get("/v1/sessions/" + id).json["kernels"][0]["id"].GetString()};
  caf::scoped_actor self{*sys};
  caf::error refused;
  self->request(
          agents.front().agent, std::chrono::seconds(60),
          op::execute{
              id, kernel, 4, "", execution_mode::query, "echo x", {{"exec_timeout", "abc"}}, 2.0})
      .receive([&](execution_result&) {}, [&](caf::error& err) { refused = err; });
  CHECK(code_of(refused) == errc::invalid_argument);
  CHECK(message_of(refused).find("opts.exec_timeout") == 0);
  CHECK(agents_answer(*this));
  // Still ALIVE, well after a heartbeat or two, and the same kernel runs code.
  CHECK(agent_alive(agent));
  auto ran = run_query(alice, id, "echo still-here");
  REQUIRE_MESSAGE(ran.status == 200, ran.body);
  CHECK(stdout_of(ran) == "still-here\n");
  alice.del("/v1/sessions/" + id);
}

TEST_CASE_FIXTURE(api_cluster_fixture, "http api: download and download-single of a missing file "
                                       "answer 404, and a commit naming 'bad name!!' answers 400") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto id = running_session(*this, "missing-files");
  for (auto route : {"/download", "/download-single"}) {
    auto res = alice.get("/v1/sessions/" + id + route + "?path=no-such-file.txt");
    CHECK_MESSAGE(res.status == 404, route << ": " << res.body);
    CHECK(res.str("error") == "not_found");
    CHECK(res.str("message").find("no-such-file.txt") != std::string::npos);
  }
  auto commit = alice.post("/v1/sessions/" + id + "/commit", R"({"canonical":"bad name!!"})");
  CHECK_MESSAGE(commit.status == 400, commit.body);
  CHECK(commit.str("message").find("canonical must be an image reference") == 0);
  alice.del("/v1/sessions/" + id);
}

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "http api: a malformed value for every field of every route leaves every "
                  "agent ALIVE and a new session runs code") {
  auto first = add_agent();
  auto second = add_agent();
  REQUIRE(agent_alive(first));
  REQUIRE(agent_alive(second));
  auto id = running_session(*this, "target");
  auto probes = malformed_requests(id, first, image);
  MESSAGE(probes.size() << " malformed requests");
  size_t answered = 0;
  for (auto& p : probes) {
    auto status = status_of(alice, p);
    CHECK_MESSAGE(status >= 400, p.what << " answered " << status << " (0: no answer)");
    CHECK_MESSAGE(status < 500, p.what << " answered " << status);
    answered += status >= 400 && status < 500;
  }
  CHECK(answered == probes.size());
  // Everything still stands: the agents, the manager, the session, and a fresh session.
  CHECK(agents_answer(*this));
  CHECK(agent_alive(first));
  CHECK(agent_alive(second));
  CHECK(alice.get("/v1/health").status == 200);
  CHECK(session_status(alice, id) == "RUNNING");
  auto fresh = running_session(*this, "fresh");
  auto ran = run_query(alice, fresh, "echo fresh");
  REQUIRE_MESSAGE(ran.status == 200, ran.body);
  CHECK(stdout_of(ran) == "fresh\n");
  alice.del("/v1/sessions/" + id);
  alice.del("/v1/sessions/" + fresh);
}
