// HTTPS end to end against a cluster of real processes: the manager serves its API with the
// certificate deploy/make-certs.sh makes for it; baikalctl over https:// with the cluster CA
// runs a session's code and lists sessions, with a foreign CA (or none) it is refused with one
// line that says what failed and what to do, and the live stream goes over wss://.

#include <doctest/doctest.h>

#include <cstdlib>

#include "cluster/process_cluster.hpp"
#include "integration/ctl_process.hpp"
#include "runtime/http/websocket_client.hpp"
#include "runtime/json/json_reader.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

/// The next frame's type and, for output, its data ("stdout:hi\n").
std::string next_frame(http::websocket_client& ws) {
  auto msg = ws.receive();
  REQUIRE_MESSAGE(msg, why(msg));
  REQUIRE_MESSAGE(*msg, "the stream closed: " << ws.close_reason());
  auto doc = json::parse_object((*msg)->data);
  REQUIRE(doc);
  std::string out = (*doc)["type"].GetString();
  if (doc->HasMember("data") && (*doc)["data"].IsString())
    out += std::string{":"} + (*doc)["data"].GetString();
  return out;
}

} // namespace

TEST_CASE("cluster: baikalctl over https:// with the cluster CA runs sessions and is refused with "
          "a foreign one: the live stream goes over wss://") {
  cluster_options opts;
  opts.api_tls = true;
  process_cluster cluster{opts};
  auto& alice = cluster.alice;
  CHECK(cluster.manager_process().wrote("the API serves on https://" + cluster.net.manager.address +
                                        ":"));
  std::map<std::string, std::string> env{{"BAIKAL_API_URL", alice.url()},
                                         {"BAIKAL_TOKEN", alice.token},
                                         {"BAIKAL_CACERT", alice.cacert}};

  auto created = run_ctl({"session", "create", cluster.image, "--name", "over-https", "--cpu", "1",
                          "--mem", "128m", "--wait"},
                         env);
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  auto id = first_line(created.out);
  auto listed = run_ctl({"session", "ls"}, env);
  CHECK_MESSAGE(listed.exit_code == 0, listed.err);
  CHECK(listed.out.find("over-https") != std::string::npos);
  // exec goes over the stream route, a WebSocket: wss:// for an https:// API.
  auto ran = run_ctl({"exec", id, "--", "echo", "over wss"}, env);
  CHECK_MESSAGE(ran.exit_code == 0, ran.err);
  CHECK(ran.out == "over wss\n");

  // The same CA through --cacert instead of the variable.
  auto flag_env = env;
  flag_env.erase("BAIKAL_CACERT");
  auto with_flag = run_ctl({"--cacert", alice.cacert, "session", "show", id}, flag_env);
  CHECK_MESSAGE(with_flag.exit_code == 0, with_flag.err);

  // A CA that did not sign the API's certificate, or the system's CAs: refused, in one line.
  temp_dir foreign{"bkc-foreign"};
  auto made = std::string{BAIKAL_SOURCE_DIR} + "/deploy/make-certs.sh " + foreign.path.string() +
              " other > /dev/null 2>&1";
  REQUIRE(std::system(made.c_str()) == 0);
  auto refused_env = env;
  refused_env["BAIKAL_CACERT"] = (foreign.path / "ca.crt").string();
  auto refused = run_ctl({"session", "ls"}, refused_env);
  CHECK(refused.exit_code != 0);
  CHECK(refused.out.empty());
  CHECK(refused.err == "baikalctl: the certificate of the API at " + cluster.net.manager.address +
                           ":8090 is not trusted (certificate verify failed: unable to get "
                           "local issuer certificate); pass the cluster CA with --cacert or "
                           "BAIKAL_CACERT (unavailable)\n");
  auto system_only = run_ctl({"exec", id, "--", "echo", "no"}, flag_env);
  CHECK(system_only.exit_code != 0);
  CHECK(system_only.err.find("is not trusted (certificate verify failed") != std::string::npos);
  CHECK(system_only.err.find("pass the cluster CA with --cacert") != std::string::npos);
  // Plain http:// to the https:// API gets no answer (the server logs a failed handshake).
  auto plain_env = env;
  plain_env["BAIKAL_API_URL"] = "http://" + alice.host + ":8090";
  CHECK(run_ctl({"session", "ls"}, plain_env).exit_code != 0);

  // The stream route straight over wss://: output frames, then the end of the run.
  auto api = alice.client();
  REQUIRE_MESSAGE(api, why(api));
  auto ws = http::websocket_client::open(*api, "/v1/sessions/" + id + "/stream",
                                         {{"Authorization", "Bearer " + alice.token}});
  REQUIRE_MESSAGE(ws, why(ws));
  REQUIRE_FALSE((*ws)->send(R"({"mode":"query","code":"echo one; sleep 1; echo two"})"));
  std::vector<std::string> frames;
  do
    frames.push_back(next_frame(**ws));
  while (frames.back().rfind("finished", 0) != 0 && frames.back().rfind("error", 0) != 0 &&
         frames.size() < 100);
  std::string printed;
  for (auto& f : frames)
    if (f.rfind("stdout:", 0) == 0)
      printed += f.substr(7);
  CHECK(printed == "one\ntwo\n");
  CHECK(frames.back().rfind("finished", 0) == 0);
  (*ws)->close();
  CHECK(alice.del("/v1/sessions/" + id).status == 200);
  // The session was made by baikalctl, which the harness does not track: wait here for its
  // containers to go, or the harness finds them when it stops the agents.
  CHECK(cluster.wait_session_status(id, "TERMINATED") == "TERMINATED");
}
