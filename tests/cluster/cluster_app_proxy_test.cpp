// The app proxy against a cluster of real processes: the test image's httpd, started on
// demand, is reached through the manager's address alone (the agent and the engine publishing
// its port sit in other network namespaces), for its owner only; baikalctl app prints the URL.
// The image serves no WebSocket; the tunnel's WebSocket path is tested in http_tunnel_test.

#include <doctest/doctest.h>

#include "cluster/process_cluster.hpp"
#include "integration/ctl_process.hpp"
#include "support/eventually.hpp"

using namespace baikal;
using namespace baikal::test;
using namespace std::chrono_literals;

TEST_CASE("cluster: app proxy: a kernel's httpd is reached through the manager by its owner "
          "only, and baikalctl app prints its URL") {
  process_cluster cluster;
  auto id = cluster.create_session(R"({"name":"app-proxy","image":")" + cluster.image +
                                   R"(","resources":{"cpu":0.25,"mem":67108864}})");
  REQUIRE(cluster.wait_session_status(id, "RUNNING") == "RUNNING");
  // The session lists the services its main kernel offers (from its kernel_started event,
  // which may come after a probe found it running).
  api_answer shown;
  auto lists_httpd = [&] {
    shown = cluster.alice.get("/v1/sessions/" + id);
    if (!shown.json.IsObject() || !shown.json.HasMember("service_ports"))
      return false;
    for (auto& p : shown.json["service_ports"].GetArray())
      if (std::string{p["name"].GetString()} == "httpd" && p["container_port"].GetInt() == 8080)
        return true;
    return false;
  };
  CHECK_MESSAGE(eventually(lists_httpd, 10s), shown.body);
  auto put = cluster.alice.call("PUT", "/v1/sessions/" + id + "/files?path=index.html",
                                "served through the proxy\n", "application/octet-stream");
  REQUIRE_MESSAGE(put.status == 200, put.body);

  auto app = "/v1/sessions/" + id + "/apps/httpd/";
  api_answer page;
  CHECK(eventually(
      [&] {
        page = cluster.alice.get(app + "index.html?from=test");
        return page.status == 200;
      },
      30s));
  CHECK_MESSAGE(page.body == "served through the proxy\n", page.body);
  // The directory's root: httpd answers its index.
  CHECK(cluster.alice.get(app).body == "served through the proxy\n");
  auto missing = cluster.alice.get(app + "nothing-here.html");
  CHECK(missing.status == 404); // httpd's own answer, passed on

  // Another user, and no token, never reach it.
  auto foreign = cluster.ops.get(app + "index.html");
  CHECK(foreign.status == 404);
  CHECK(foreign.body.find("served through") == std::string::npos);
  api_client anonymous = cluster.alice;
  anonymous.token.clear();
  CHECK(anonymous.get(app + "index.html").status == 401);

  // A service the image does not have: the runner's reason, naming it.
  auto unknown = cluster.alice.get("/v1/sessions/" + id + "/apps/nosuch/");
  CHECK(unknown.status == 502);
  CHECK(unknown.str("message").find("nosuch") != std::string::npos);

  auto url = "http://" + cluster.net.manager.address + ":8090";
  auto printed = run_ctl({"app", id, "httpd"},
                         {{"BAIKAL_API_URL", url}, {"BAIKAL_TOKEN", cluster.alice.token}});
  REQUIRE_MESSAGE(printed.exit_code == 0, printed.err);
  CHECK(printed.out == url + app + "\n");
  auto refused = run_ctl({"app", id, "nosuch"},
                         {{"BAIKAL_API_URL", url}, {"BAIKAL_TOKEN", cluster.alice.token}});
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("nosuch") != std::string::npos);

  // The session is listed by its status, in a page of one.
  auto listed = run_ctl({"session", "ls", "--status", "RUNNING", "--limit", "1"},
                        {{"BAIKAL_API_URL", url}, {"BAIKAL_TOKEN", cluster.alice.token}});
  REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
  CHECK(listed.out.find(id) != std::string::npos);
  auto none = run_ctl({"session", "ls", "--status", "TERMINATED"},
                      {{"BAIKAL_API_URL", url}, {"BAIKAL_TOKEN", cluster.alice.token}});
  CHECK(none.out.find(id) == std::string::npos);

  CHECK(cluster.alice.del("/v1/sessions/" + id).status == 200);
}
