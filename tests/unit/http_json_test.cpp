// The API's JSON: request bodies parsed with checks (400 naming the field), Baikal values as
// the API writes them, bearer tokens, and the request counters of /metrics.

#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "actors/manager/http/api_call.hpp"
#include "actors/manager/http/api_metrics.hpp"
#include "actors/manager/http/api_requests.hpp"
#include "actors/manager/http/api_users.hpp"
#include "actors/manager/http/event_subscriber.hpp"
#include "messages/errors.hpp"
#include "runtime/json/api_json.hpp"
#include "runtime/json/json_reader.hpp"
#include "support/why.hpp"

using baikal::test::why;

using namespace baikal;

namespace {

rapidjson::Document parsed(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  REQUIRE_MESSAGE(!doc.HasParseError(), text);
  return doc;
}

std::string refusal(const caf::error& err) {
  CHECK(code_of(err) == errc::invalid_argument);
  return message_of(err);
}

} // namespace

TEST_CASE("http json: a full session request becomes a session_request") {
  auto req = parse_session_request(R"({"name":"job-1","image":"python:3.9",
    "cluster_mode":"multi-node","cluster_size":3,"resources":{"cpu":2,"mem":268435456},
    "environ":{"A":"1","B":2},"network_type":"persistent","network_id":"net-1"})");
  REQUIRE_MESSAGE(req, why(req));
  CHECK(req->name == "job-1");
  CHECK(req->image == "python:3.9");
  CHECK(req->mode == cluster_mode::multi_node);
  CHECK(req->cluster_size == 3);
  CHECK(req->resources.at("cpu") == 2);
  CHECK(req->resources.at("mem") == 268435456.0);
  CHECK(req->environ.at("A") == "1");
  CHECK(req->environ.at("B") == "2");
  CHECK(req->network == network_type::persistent);
  CHECK(req->network_id == "net-1");
}

TEST_CASE("http json: a minimal session request gets defaults and a generated name") {
  auto req = parse_session_request(R"({"image":"busybox"})");
  REQUIRE(req);
  CHECK(req->mode == cluster_mode::single_node);
  CHECK(req->cluster_size == 1);
  CHECK(req->network == network_type::volatile_);
  CHECK(valid_session_name(req->name));
}

TEST_CASE("http json: idle_timeout of a session request is seconds from 0 (never) up to a year, "
          "and absent or null leaves it to the manager") {
  auto absent = parse_session_request(R"({"image":"busybox"})");
  REQUIRE(absent);
  CHECK(!absent->idle_timeout);
  auto null = parse_session_request(R"({"image":"busybox","idle_timeout":null})");
  REQUIRE(null);
  CHECK(!null->idle_timeout);
  auto never = parse_session_request(R"({"image":"busybox","idle_timeout":0})");
  REQUIRE(never);
  REQUIRE(never->idle_timeout);
  CHECK(*never->idle_timeout == 0);
  auto half = parse_session_request(R"({"image":"busybox","idle_timeout":2.5})");
  REQUIRE(half);
  REQUIRE(half->idle_timeout);
  CHECK(*half->idle_timeout == 2.5);
  for (auto bad :
       {R"({"image":"x","idle_timeout":-1})", R"({"image":"x","idle_timeout":"30"})",
        R"({"image":"x","idle_timeout":true})", R"({"image":"x","idle_timeout":1e12})"}) {
    CAPTURE(bad);
    auto req = parse_session_request(bad);
    REQUIRE(!req);
    CHECK(refusal(req.error()).find("idle_timeout") != std::string::npos);
  }
}

TEST_CASE("http json: bad session requests are refused naming what is wrong") {
  CHECK(refusal(parse_session_request("{").error()).find("not valid JSON") != std::string::npos);
  CHECK(refusal(parse_session_request("[1]").error()).find("JSON object") != std::string::npos);
  CHECK(refusal(parse_session_request("{}").error()).find("\"image\" is required") !=
        std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":5})").error())
            .find("\"image\" must be a "
                  "string") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","cluster_size":0})").error())
            .find("cluster_size") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","cluster_size":1.5})").error())
            .find("cluster_size") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","cluster_mode":"both"})").error())
            .find("cluster_mode") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","network_type":"mesh"})").error())
            .find("network_type") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","network_type":"persistent"})").error())
            .find("network_id") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","resources":{"cpu":"two"}})").error())
            .find("resources") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","resources":{"mem":-1}})").error())
            .find("resources.mem") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","name":"a b"})").error())
            .find("name must be 1 to 64") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","imgae":"y"})").error())
            .find("unknown field \"imgae\"") != std::string::npos);
  CHECK(refusal(parse_session_request(R"({"image":"x","environ":{"A":[1]}})").error())
            .find("environ") != std::string::npos);
}

TEST_CASE("http json: execute, completion, commit, service and purge bodies") {
  auto run = parse_execute(
      R"({"mode":"query","code":"echo hi","run_id":"r1","opts":{"exec_timeout":30}})");
  REQUIRE_MESSAGE(run, why(run));
  CHECK(run->mode == execution_mode::query);
  CHECK(run->code == "echo hi");
  CHECK(run->run_id == "r1");
  CHECK(run->opts["exec_timeout"] == "30");
  CHECK(refusal(parse_execute(R"({"code":"x"})").error()).find("\"mode\"") != std::string::npos);
  CHECK(refusal(parse_execute(R"({"mode":"run"})").error()).find("mode must be") !=
        std::string::npos);

  auto comp = parse_completion(R"({"text":"pri"})");
  REQUIRE(comp);
  CHECK(comp->text == "pri");

  auto c = parse_commit(R"({"canonical":"reg/x:1","filename":"x.tar","labels":{"a":"b"}})");
  REQUIRE(c);
  CHECK(*c->canonical == "reg/x:1");
  CHECK(*c->filename == "x.tar");
  CHECK(c->extra_labels.at("a") == "b");
  auto bare = parse_commit("");
  REQUIRE(bare);
  CHECK(!bare->canonical);
  CHECK(!parse_commit(R"({"filename":"../x"})"));

  CHECK(parse_start_service(R"({"opts":{"port":"8080"}})")->opts.at("port") == "8080");
  CHECK(parse_start_service("")->opts.empty());

  auto p = parse_purge(R"({"images":["a:1","b:2"],"force":true})");
  REQUIRE(p);
  CHECK(p->images == std::vector<std::string>{"a:1", "b:2"});
  CHECK(p->force);
  CHECK(!p->noprune);
  CHECK(refusal(parse_purge("{}").error()).find("\"images\" is required") != std::string::npos);
  CHECK(!parse_purge(R"({"images":"a"})"));
  CHECK(!parse_purge(R"({"images":[],"force":"yes"})"));
}

TEST_CASE("http json: a session record is written with its kernels and embedded error info") {
  session_record rec;
  rec.spec.id = "s1";
  rec.spec.name = "job";
  rec.spec.mode = cluster_mode::single_node;
  rec.spec.kernels.push_back(kernel_binding{});
  rec.spec.kernels[0].image = "busybox:1";
  rec.status = session_status::error;
  rec.status_data = R"({"error":{"name":"AgentError","repr":"boom"}})";
  rec.network_id = "net";
  rec.kernels.push_back(
      kernel_record{"k1", "a1", cluster_role::main, 1, "main1", kernel_status::running, "c1"});
  auto doc = parsed(json::session_json(rec));
  CHECK(std::string{doc["id"].GetString()} == "s1");
  CHECK(std::string{doc["status"].GetString()} == "ERROR");
  CHECK(std::string{doc["status_data"]["error"]["repr"].GetString()} == "boom");
  CHECK(std::string{doc["image"].GetString()} == "busybox:1");
  CHECK(std::string{doc["cluster_mode"].GetString()} == "single-node");
  auto& k = doc["kernels"][0];
  CHECK(std::string{k["id"].GetString()} == "k1");
  CHECK(std::string{k["agent"].GetString()} == "a1");
  CHECK(std::string{k["role"].GetString()} == "main");
  CHECK(k["idx"].GetInt() == 1);
  CHECK(std::string{k["hostname"].GetString()} == "main1");
  CHECK(std::string{k["container_id"].GetString()} == "c1");
  rec.status_data.clear();
  CHECK(parsed(json::session_json(rec))["status_data"].IsNull());
  rec.status_reason = "kernel k1 failed";
  CHECK(std::string{parsed(json::session_json(rec))["status_reason"].GetString()} ==
        "kernel k1 failed");
  CHECK(parsed(json::session_json(rec))["service_ports"].Size() == 0);
  rec.service_ports = {{"httpd", "http", {8080}, {30001}}, {"odd", "tcp", {}, {}}};
  auto ports = parsed(json::session_json(rec));
  REQUIRE(ports["service_ports"].Size() == 2);
  CHECK(std::string{ports["service_ports"][0]["name"].GetString()} == "httpd");
  CHECK(std::string{ports["service_ports"][0]["protocol"].GetString()} == "http");
  CHECK(ports["service_ports"][0]["container_port"].GetInt() == 8080);
  CHECK_FALSE(ports["service_ports"][0].HasMember("host_ports")); // the agent's, not the user's
  CHECK(ports["service_ports"][1]["container_port"].IsNull());
}

TEST_CASE("http json: a session's history lists each transition oldest first") {
  std::vector<status_change> history{{session_status::pending, "waiting to be scheduled", 10},
                                     {session_status::running, "all kernels running", 25}};
  auto doc = parsed(json::status_history_json(history));
  REQUIRE(doc.IsArray());
  REQUIRE(doc.Size() == 2);
  CHECK(std::string{doc[0]["status"].GetString()} == "PENDING");
  CHECK(std::string{doc[0]["reason"].GetString()} == "waiting to be scheduled");
  CHECK(doc[0]["at_ms"].GetInt64() == 10);
  CHECK(std::string{doc[1]["status"].GetString()} == "RUNNING");
  CHECK(parsed(json::status_history_json({})).Size() == 0);
}

TEST_CASE("http json: a session shows its idle_timeout in seconds, 0 for never") {
  session_record rec;
  rec.spec.id = "s1";
  CHECK(parsed(json::session_json(rec))["idle_timeout"].GetDouble() == 0);
  rec.spec.idle_timeout = 30;
  auto doc = parsed(json::session_json(rec));
  REQUIRE(doc["idle_timeout"].IsInt64()); // whole seconds as an integer
  CHECK(doc["idle_timeout"].GetInt64() == 30);
  rec.spec.idle_timeout = 2.5;
  CHECK(parsed(json::session_json(rec))["idle_timeout"].GetDouble() == 2.5);
}

TEST_CASE("http json: agents, execution results, listings, purges and events") {
  agent_view a;
  a.record = agent_record{"a1",
                          "10.0.0.1:6001",
                          agent_status::alive,
                          "default",
                          {{"cpu", 4}, {"mem", 8e9}},
                          1700000000000,
                          {}};
  a.used = {{"cpu", 1.5}};
  auto agents = parsed(json::agents_json({a}));
  auto& a0 = agents["agents"][0];
  CHECK(std::string{a0["address"].GetString()} == "10.0.0.1:6001");
  CHECK(a0["slots"]["capacity"]["mem"].IsInt64()); // bytes stay whole numbers
  CHECK(a0["slots"]["capacity"]["mem"].GetInt64() == 8000000000);
  CHECK(a0["slots"]["used"]["cpu"].GetDouble() == 1.5);
  CHECK(a0["last_heartbeat_ms"].GetInt64() == 1700000000000);
  CHECK(std::string{a0["quarantine"]["state"].GetString()} == "clear");
  a.quarantine = agent_quarantine_view{"quarantined", "disk full", 7500, 3};
  auto held_doc = parsed(json::agents_json({a})); // the object below lives in it
  auto held = held_doc["agents"][0]["quarantine"].GetObject();
  CHECK(std::string{held["state"].GetString()} == "quarantined");
  CHECK(std::string{held["reason"].GetString()} == "disk full");
  CHECK(held["seconds_left"].GetDouble() == 7.5);
  CHECK(held["failures"].GetInt() == 3);

  execution_result res{"r1", "finished", {{"stdout", "hi\n"}, {"stderr", "oops"}}, 0, {}};
  auto run = parsed(json::execution_json(res));
  CHECK(std::string{run["console"][0][0].GetString()} == "stdout");
  CHECK(std::string{run["console"][0][1].GetString()} == "hi\n");
  CHECK(run["exit_code"].GetInt() == 0);
  res.exit_code = caf::none;
  CHECK(parsed(json::execution_json(res))["exit_code"].IsNull());

  file_listing listing{R"([{"filename":"a.txt","size":3}])", "", "/home/work"};
  auto files = parsed(json::file_listing_json(listing));
  CHECK(std::string{files["files"][0]["filename"].GetString()} == "a.txt");
  CHECK(std::string{files["abspath"].GetString()} == "/home/work");

  purge_images_resp purge{{{"a:1", caf::none}, {"b:2", std::string{"in use"}}}};
  auto p = parsed(json::purge_json(purge));
  CHECK(p["results"][0]["error"].IsNull());
  CHECK(std::string{p["results"][1]["error"].GetString()} == "in use");

  auto ev = parsed(json::event_json(kernel_started_event{{"k1", "s1", "a1", ""}, {}}));
  CHECK(std::string{ev["type"].GetString()} == "kernel_started");
  CHECK(std::string{ev["session"].GetString()} == "s1");
  image_pull_event pull;
  pull.what = image_pull_event::phase::progress;
  pull.image = "busybox:1";
  pull.current = 10;
  pull.total = 100;
  auto pe = parsed(json::event_json(pull));
  CHECK(std::string{pe["type"].GetString()} == "image_pull");
  CHECK(pe["current"].GetInt() == 10);
  CHECK(sse_message(R"({"a":1})") == "data: {\"a\":1}\n\n");
}

TEST_CASE("http json: errors answer the contract's code and status") {
  auto not_found = error_response(make_error(errc::not_found, "no session s1"));
  CHECK(not_found.status == 404);
  auto doc = parsed(not_found.body);
  CHECK(std::string{doc["error"].GetString()} == "not_found");
  CHECK(std::string{doc["message"].GetString()} == "no session s1");
  CHECK(error_response(make_error(errc::permission_denied, "x")).status == 403);
  CHECK(error_response(make_error(errc::invalid_argument, "x")).status == 400);
  CHECK(error_response(make_error(errc::too_large, "x")).status == 413);
  auto too_large = parsed(error_response(make_error(errc::too_large, "x")).body);
  CHECK(std::string{too_large["error"].GetString()} == "invalid_argument");
  CHECK(error_response(make_error(errc::runtime_error, "x")).status == 500);
  CHECK(error_response(make_error(errc::agent_error, "x")).status == 502);
  CHECK(error_response(make_error(errc::timeout, "x")).status == 504);
  CHECK(error_response(make_error(errc::conflict, "x")).status == 409);
  CHECK(error_response(caf::make_error(caf::sec::request_timeout)).status == 504);
}

TEST_CASE("http auth: only a known bearer token authenticates, as its user") {
  std::vector<api_user> users{{"alice", "u-a", "token-alice-123"}, {"bob", "u-b", "token-bob-456"}};
  CHECK(authenticate(users, "Bearer token-alice-123")->name == "alice");
  CHECK(authenticate(users, "bearer  token-bob-456 ")->uuid == "u-b");
  CHECK(!authenticate(users, ""));
  CHECK(!authenticate(users, "Bearer "));
  CHECK(!authenticate(users, "Basic token-alice-123"));
  CHECK(!authenticate(users, "Bearer token-alice-12"));
  CHECK(!authenticate(users, "Bearer token-alice-1234"));
}

TEST_CASE("http metrics: requests are counted by route and code in Prometheus text") {
  api_request_counters c;
  c.count("GET /v1/sessions", 200);
  c.count("GET /v1/sessions", 200);
  c.count("GET /v1/sessions/{id}", 404);
  auto text = c.prometheus_text();
  CHECK(text.find("# TYPE baikal_api_requests_total counter") != std::string::npos);
  CHECK(text.find("baikal_api_requests_total{route=\"GET /v1/sessions\",code=\"200\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("{route=\"GET /v1/sessions/{id}\",code=\"404\"} 1\n") != std::string::npos);
  CHECK(prometheus_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}

TEST_CASE("http json: a body nested a million levels deep is refused, not a stack overflow") {
  auto deep = std::string(1 << 20, '[');
  auto res = json::parse_object(deep);
  REQUIRE(!res);
  CHECK(code_of(res.error()) == errc::invalid_argument);
  auto closed = std::string(100000, '[') + std::string(100000, ']');
  CHECK(!parse_session_request(closed));
  auto in_a_field = R"({"image":"x","environ":)" + std::string(200000, '[') + "}";
  CHECK(!parse_session_request(in_a_field));
}
