// baikalctl against a real manager and a real agent on the private engine: one session shared
// by every command that reads or writes it (create, ls, show, exec, cp both ways, files,
// logs), then agents and rm; each command also with --json, whose output must parse.

#include <doctest/doctest.h>

#include <random>

#include "integration/ctl_process.hpp"
#include "support/api_cluster_fixture.hpp"
#include "support/text_search.hpp"

using namespace baikal;
using namespace baikal::test;

namespace {

std::string random_bytes(size_t n) {
  std::mt19937 gen{42};
  std::string out(n, '\0');
  for (auto& c : out)
    c = static_cast<char>(gen() & 0xff);
  return out;
}

} // namespace

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "baikalctl: session create, ls, show, exec, cp up and down, files, logs, "
                  "agents and rm on one session, each also with --json") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto env = ctl_env(alice.port, alice.token);

  // -- session create --wait --json: the running session's JSON --
  auto created = run_ctl({"session", "create", image, "--name", "ctl-shared", "--cpu", "1", "--mem",
                          "128m", "--wait", "--json"},
                         env);
  REQUIRE_MESSAGE(created.exit_code == 0, describe(created));
  rapidjson::Document doc;
  REQUIRE_MESSAGE(parses_as_json(created.out, doc), created.out);
  REQUIRE(doc.IsObject());
  std::string id = doc["id"].GetString();
  CHECK(std::string{doc["status"].GetString()} == "RUNNING");
  CHECK(std::string{doc["name"].GetString()} == "ctl-shared");
  CHECK(created.err.empty()); // --json draws no progress

  // -- session ls --
  auto ls = run_ctl({"session", "ls"}, env);
  REQUIRE_MESSAGE(ls.exit_code == 0, describe(ls));
  CHECK(contains(ls.out, "STATUS"));
  bool listed = false;
  std::istringstream lines{ls.out};
  for (std::string line; std::getline(lines, line);)
    listed =
        listed || (contains(line, id) && contains(line, "ctl-shared") && contains(line, "RUNNING"));
  CHECK_MESSAGE(listed, ls.out);
  auto ls_json = run_ctl({"session", "ls", "--json"}, env);
  REQUIRE_MESSAGE(ls_json.exit_code == 0, describe(ls_json));
  REQUIRE_MESSAGE(parses_as_json(ls_json.out, doc), ls_json.out);
  bool in_json = false;
  for (auto& s : doc["sessions"].GetArray())
    in_json = in_json || std::string{s["id"].GetString()} == id;
  CHECK(in_json);

  // -- session show, by name and by id --
  auto show = run_ctl({"session", "show", "ctl-shared"}, env);
  REQUIRE_MESSAGE(show.exit_code == 0, describe(show));
  CHECK(contains(show.out, "id:           " + id));
  CHECK(contains(show.out, "status:       RUNNING"));
  CHECK(contains(show.out, "agent " + agent));
  auto show_json = run_ctl({"session", "show", id, "--json"}, env);
  REQUIRE_MESSAGE(show_json.exit_code == 0, describe(show_json));
  REQUIRE_MESSAGE(parses_as_json(show_json.out, doc), show_json.out);
  CHECK(std::string{doc["id"].GetString()} == id);
  REQUIRE(doc["kernels"].Size() == 1);
  CHECK(std::string{doc["kernels"][0]["agent"].GetString()} == agent);
  // The reason of the last transition, in words.
  CHECK(contains(show.out, "reason:       " + std::string{doc["status_reason"].GetString()}));
  CHECK_FALSE(std::string{doc["status_reason"].GetString()}.empty());

  // -- session history: every transition, PENDING first and RUNNING last --
  auto history = run_ctl({"session", "history", "ctl-shared"}, env);
  REQUIRE_MESSAGE(history.exit_code == 0, describe(history));
  CHECK(contains(history.out, "STATUS"));
  CHECK(contains(history.out, "waiting to be scheduled"));
  CHECK(history.out.find("PENDING") < history.out.rfind("RUNNING"));
  auto history_json = run_ctl({"session", "history", id, "--json"}, env);
  REQUIRE_MESSAGE(parses_as_json(history_json.out, doc), history_json.out);
  REQUIRE(doc.IsArray());
  CHECK(std::string{doc[0]["status"].GetString()} == "PENDING");
  CHECK(std::string{doc[doc.Size() - 1]["status"].GetString()} == "RUNNING");

  // Another user does not see it.
  auto as_bob = run_ctl({"session", "show", id}, ctl_env(bob.port, bob.token));
  CHECK(as_bob.exit_code != 0);
  CHECK_MESSAGE(contains(as_bob.err, "not_found"), describe(as_bob));

  // -- exec: output on the right stream, exit code propagated --
  auto hello = run_ctl({"exec", "ctl-shared", "--", "echo", "hello"}, env);
  CHECK_MESSAGE(hello.exit_code == 0, describe(hello));
  CHECK(hello.out == "hello\n");
  auto five = run_ctl({"exec", id, "--", "echo oops >&2; exit 5"}, env);
  CHECK_MESSAGE(five.exit_code == 5, describe(five));
  CHECK(contains(five.err, "oops"));
  CHECK(five.out.empty());
  auto exec_json = run_ctl({"exec", id, "--json", "--", "echo j; exit 4"}, env);
  CHECK_MESSAGE(exec_json.exit_code == 4, describe(exec_json));
  REQUIRE_MESSAGE(parses_as_json(exec_json.out, doc), exec_json.out);
  CHECK(doc["exit_code"].GetInt() == 4);
  CHECK(std::string{doc["stdout"].GetString()} == "j\n");
  CHECK(std::string{doc["session"].GetString()} == id);

  // -- cp up and down: the bytes round-trip --
  temp_dir local{"baikalctl-cp"};
  auto payload = random_bytes(200 * 1024);
  auto up_path = local.path / "blob.bin";
  {
    std::ofstream out{up_path, std::ios::binary};
    out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
  }
  auto up = run_ctl({"cp", up_path.string(), id + ":/home/work/"}, env);
  REQUIRE_MESSAGE(up.exit_code == 0, describe(up));
  auto size = run_ctl({"exec", id, "--", "wc -c < /home/work/blob.bin"}, env);
  CHECK(size.out == std::to_string(payload.size()) + "\n");
  auto up_json =
      run_ctl({"cp", "--json", up_path.string(), "ctl-shared:/home/work/again.bin"}, env);
  REQUIRE_MESSAGE(up_json.exit_code == 0, describe(up_json));
  CHECK_MESSAGE(parses_as_json(up_json.out, doc), up_json.out);

  auto down_dir = local.path / "down";
  std::filesystem::create_directories(down_dir);
  auto down = run_ctl({"cp", id + ":/home/work/blob.bin", down_dir.string()}, env);
  REQUIRE_MESSAGE(down.exit_code == 0, describe(down));
  CHECK(read_whole_file(down_dir / "blob.bin") == payload);
  auto down_json =
      run_ctl({"cp", "--json", id + ":/home/work/again.bin", (down_dir / "x.bin").string()}, env);
  REQUIRE_MESSAGE(down_json.exit_code == 0, describe(down_json));
  REQUIRE_MESSAGE(parses_as_json(down_json.out, doc), down_json.out);
  CHECK(doc["size"].GetUint64() == payload.size());
  CHECK(read_whole_file(down_dir / "x.bin") == payload);
  auto outside = run_ctl({"cp", id + ":/etc/passwd", down_dir.string()}, env);
  CHECK(outside.exit_code != 0);
  CHECK_MESSAGE(contains(outside.err, "/home/work"), describe(outside));

  // -- files --
  auto files = run_ctl({"files", id}, env);
  REQUIRE_MESSAGE(files.exit_code == 0, describe(files));
  CHECK(contains(files.out, std::to_string(payload.size()) + "  blob.bin"));
  auto files_json = run_ctl({"files", "ctl-shared", ".", "--json"}, env);
  REQUIRE_MESSAGE(files_json.exit_code == 0, describe(files_json));
  REQUIRE_MESSAGE(parses_as_json(files_json.out, doc), files_json.out);
  bool blob_listed = false;
  for (auto& f : doc["files"].GetArray())
    blob_listed = blob_listed || std::string{f["filename"].GetString()} == "blob.bin";
  CHECK(blob_listed);

  // -- logs --
  auto logs = run_ctl({"logs", id}, env);
  CHECK_MESSAGE(logs.exit_code == 0, describe(logs));
  auto logs_json = run_ctl({"logs", id, "--json"}, env);
  REQUIRE_MESSAGE(logs_json.exit_code == 0, describe(logs_json));
  REQUIRE_MESSAGE(parses_as_json(logs_json.out, doc), logs_json.out);
  CHECK(doc.HasMember("logs"));

  // -- agents: the one agent, with the session's slots in use --
  auto agents = run_ctl({"agents"}, env);
  REQUIRE_MESSAGE(agents.exit_code == 0, describe(agents));
  bool agent_line = false;
  std::istringstream agent_lines{agents.out};
  for (std::string line; std::getline(agent_lines, line);)
    agent_line = agent_line || (contains(line, agent) && contains(line, "ALIVE") &&
                                contains(line, "1/4")); // cpu used/of
  CHECK_MESSAGE(agent_line, agents.out);
  auto agents_json = run_ctl({"agents", "--json"}, env);
  REQUIRE_MESSAGE(agents_json.exit_code == 0, describe(agents_json));
  REQUIRE_MESSAGE(parses_as_json(agents_json.out, doc), agents_json.out);
  REQUIRE(doc["agents"].Size() == 1);
  CHECK(std::string{doc["agents"][0]["id"].GetString()} == agent);

  // -- session rm, by name; --json answers the API's JSON --
  auto rm = run_ctl({"session", "rm", "ctl-shared", "--json"}, env);
  REQUIRE_MESSAGE(rm.exit_code == 0, describe(rm));
  CHECK_MESSAGE(parses_as_json(rm.out, doc), rm.out);
  auto after = wait_status(alice, id, "TERMINATED");
  CHECK(after == "TERMINATED");
  // The name no longer resolves: only live sessions answer to their names.
  auto gone = run_ctl({"exec", "ctl-shared", "--", "true"}, env);
  CHECK(gone.exit_code != 0);
  CHECK_MESSAGE(contains(gone.err, "not_found"), describe(gone));
}
