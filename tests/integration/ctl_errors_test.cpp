// baikalctl's bad-input paths and where it takes the API address and token from, against a
// real manager; and images purge on a real agent.

#include <doctest/doctest.h>

#include <cstdio>

#include "integration/ctl_process.hpp"
#include "support/api_cluster_fixture.hpp"
#include "support/test_env.hpp"
#include "support/text_search.hpp"

using namespace baikal;
using namespace baikal::test;

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "baikalctl errors: unknown session names not_found on stderr, a missing or "
                  "wrong token is explained, flags win over BAIKAL_API_URL and BAIKAL_TOKEN") {
  auto url = "http://127.0.0.1:" + std::to_string(alice.port);
  auto env = ctl_env(alice.port, alice.token);

  for (auto args : std::vector<std::vector<std::string>>{{"session", "show", "no-such-session"},
                                                         {"session", "rm", "no-such-session"},
                                                         {"exec", "no-such-session", "--", "true"},
                                                         {"logs", "no-such-session"},
                                                         {"files", "no-such-session"},
                                                         {"session", "show", "nope", "--json"}}) {
    auto r = run_ctl(args, env);
    CHECK_MESSAGE(r.exit_code == 1, describe(r));
    CHECK_MESSAGE(contains(r.err, "not_found"), describe(r));
    CHECK_MESSAGE((contains(r.err, "no-such-session") || contains(r.err, "nope")), describe(r));
    CHECK(r.out.empty());
  }

  // No token anywhere: a message that says how to give one, before any call.
  auto no_token = run_ctl({"agents"}, {{"BAIKAL_API_URL", url}});
  CHECK(no_token.exit_code != 0);
  CHECK_MESSAGE(contains(no_token.err, "no API token: set BAIKAL_TOKEN or pass --token"),
                describe(no_token));
  auto wrong_token =
      run_ctl({"agents"}, {{"BAIKAL_API_URL", url}, {"BAIKAL_TOKEN", "not-a-token"}});
  CHECK(wrong_token.exit_code != 0);
  CHECK_MESSAGE(contains(wrong_token.err, "the bearer token is not known to this manager"),
                describe(wrong_token));
  CHECK(contains(wrong_token.err, "unauthorized, HTTP 401"));

  // The environment alone, flags alone, and flags over a wrong environment.
  auto by_env = run_ctl({"agents", "--json"}, env);
  CHECK_MESSAGE(by_env.exit_code == 0, describe(by_env));
  auto by_flags = run_ctl({"--api", url, "--token", alice.token, "agents", "--json"});
  CHECK_MESSAGE(by_flags.exit_code == 0, describe(by_flags));
  auto flags_win =
      run_ctl({"agents", "--api=" + url, "--token", alice.token},
              {{"BAIKAL_API_URL", "http://127.0.0.1:1"}, {"BAIKAL_TOKEN", "not-a-token"}});
  CHECK_MESSAGE(flags_win.exit_code == 0, describe(flags_win));
  CHECK(contains(flags_win.out, "STATUS"));
  // Proof the environment is read at all: its wrong address is what fails without flags.
  auto env_used = run_ctl(
      {"agents"}, {{"BAIKAL_API_URL", "http://127.0.0.1:1"}, {"BAIKAL_TOKEN", alice.token}});
  CHECK(env_used.exit_code != 0);
  CHECK_MESSAGE(contains(env_used.err, "127.0.0.1:1"), describe(env_used));

  // Bad command lines.
  auto unknown = run_ctl({"frobnicate"}, env);
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "unknown command \"frobnicate\""));
  auto no_value = run_ctl({"session", "create", image, "--name"}, env);
  CHECK(no_value.exit_code == 2);
  CHECK(contains(no_value.err, "--name needs a value"));
  auto bad_mem = run_ctl({"session", "create", image, "--mem", "lots"}, env);
  CHECK(bad_mem.exit_code == 1);
  CHECK_MESSAGE(contains(bad_mem.err, "--mem needs a size"), describe(bad_mem));
  CHECK(contains(bad_mem.err, "invalid_argument"));
  auto bad_image = run_ctl({"session", "create", "", "--json"}, env);
  CHECK(bad_image.exit_code == 1);
  CHECK_MESSAGE(contains(bad_image.err, "invalid_argument, HTTP 400"), describe(bad_image));
  auto help = run_ctl({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(contains(help.out, "usage: baikalctl"));
}

TEST_CASE_FIXTURE(api_cluster_fixture,
                  "baikalctl images purge: deletes an image on the agent, reports one it lacks, "
                  "and --json parses") {
  auto agent = add_agent();
  REQUIRE(agent_alive(agent));
  auto env = ctl_env(alice.port, alice.token);
  auto tag = "baikal-test/ctl-purge:" + std::to_string(::getpid());
  REQUIRE(engine_cli("tag " + image + " " + tag) == 0);
  REQUIRE(engine_cli("image inspect " + tag) == 0);

  auto purged = run_ctl({"images", "purge", agent, tag}, env);
  CHECK_MESSAGE(purged.exit_code == 0, describe(purged));
  CHECK(purged.out == tag + ": deleted\n");
  CHECK(engine_cli("image inspect " + tag) != 0);
  CHECK(engine_cli("image inspect " + image) == 0); // only the tag went

  auto missing = run_ctl({"images", "purge", agent, tag, "--json"}, env);
  CHECK_MESSAGE(missing.exit_code == 0, describe(missing)); // --json leaves judging to scripts
  rapidjson::Document doc;
  REQUIRE_MESSAGE(parses_as_json(missing.out, doc), missing.out);
  REQUIRE(doc["results"].Size() == 1);
  CHECK(std::string{doc["results"][0]["image"].GetString()} == tag);
  CHECK(doc["results"][0]["error"].IsString());
  auto missing_text = run_ctl({"images", "purge", agent, tag}, env);
  CHECK(missing_text.exit_code == 1);
  CHECK(contains(missing_text.out, tag + ": "));

  auto no_agent = run_ctl({"images", "purge", "no-such-agent", tag}, env);
  CHECK(no_agent.exit_code != 0);
  CHECK_MESSAGE(contains(no_agent.err, "not_found"), describe(no_agent));
}
