// baikalctl's settings: the config file (its profiles, its errors naming file, line and key)
// and the precedence of command line > environment > profile > top-level keys > defaults.

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <string>

#include "messages/errors.hpp"
#include "support/temp_dir.hpp"
#include "tools/baikalctl/ctl_config.hpp"

using namespace baikal;
using namespace baikal::ctl;

namespace {

/// An environment of its own for each test: nothing of the process's leaks in.
env_lookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) {
    auto i = vars.find(name);
    return i == vars.end() ? std::string{} : i->second;
  };
}

ctl_args parsed(const std::vector<std::string>& words) {
  auto out = parse_ctl_args(words);
  REQUIRE_MESSAGE(out.args, out.err);
  return *out.args;
}

ctl_config config_of(const std::string& text) {
  auto cfg = parse_ctl_config(text, "/home/u/.config/baikal/config.toml");
  REQUIRE_MESSAGE(cfg, message_of(cfg.error()));
  return *cfg;
}

std::string error_of(const std::string& text) {
  auto cfg = parse_ctl_config(text, "/home/u/.config/baikal/config.toml");
  REQUIRE(!cfg);
  return message_of(cfg.error());
}

const char* sample = R"(api = "http://top:1"
token = "tok-top"
cacert = "/etc/top.pem"

[profiles.prod]
api = "https://prod:443"
token = "tok-prod"

[profiles.dev]
api = "http://dev:2"
)";

} // namespace

TEST_CASE("ctl config: the file's path follows XDG_CONFIG_HOME, else HOME") {
  CHECK(ctl_config_path(env_of({{"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}})) ==
        "/x/baikal/config.toml");
  CHECK(ctl_config_path(env_of({{"HOME", "/h"}})) == "/h/.config/baikal/config.toml");
  CHECK(ctl_config_path(env_of({})).empty());
}

TEST_CASE("ctl config: top-level keys and profiles are read") {
  auto cfg = config_of(sample);
  CHECK(cfg.top.api == "http://top:1");
  CHECK(cfg.top.token == "tok-top");
  CHECK(cfg.top.cacert == "/etc/top.pem");
  REQUIRE(cfg.profiles.count("prod"));
  CHECK(cfg.profiles["prod"].api == "https://prod:443");
  CHECK(cfg.profiles["dev"].token.empty());
}

TEST_CASE("ctl config: a malformed file is an error naming the file, the line and the key") {
  auto syntax = error_of("api = \"http://a:1\"\ntoken = \n");
  CHECK(syntax.find("/home/u/.config/baikal/config.toml at line 2") != std::string::npos);
  auto type = error_of("api = \"http://a:1\"\n\n[profiles.prod]\ntoken = 12\n");
  CHECK(type == "Invalid /home/u/.config/baikal/config.toml at line 4: profiles.prod.token must "
                "be a non-empty string");
  auto unknown = error_of("apy = \"x\"\n");
  CHECK(unknown.find("at line 1: unknown key apy") != std::string::npos);
  auto in_profile = error_of("[profiles.dev]\napi = \"x\"\ncacrt = \"y\"\n");
  CHECK(in_profile.find("at line 3: unknown key profiles.dev.cacrt") != std::string::npos);
  auto both = error_of("[profiles.dev]\ntoken = \"a\"\ntoken_file = \"b\"\n");
  CHECK(both.find("profiles.dev sets both token and token_file") != std::string::npos);
  auto not_table = error_of("profiles = 3\n");
  CHECK(not_table.find("at line 1: profiles must be a table") != std::string::npos);
}

TEST_CASE("ctl config: command line over environment over profile over top level over "
          "defaults") {
  auto cfg = config_of(sample);
  auto none = env_of({});
  {
    auto a = parsed({"agents"});
    REQUIRE(!apply_settings(a, ctl_config{}, none));
    CHECK(a.api_url == "http://127.0.0.1:8090");
    CHECK(a.token.empty());
    CHECK(a.cacert.empty());
  }
  {
    auto a = parsed({"agents"});
    REQUIRE(!apply_settings(a, cfg, none));
    CHECK(a.api_url == "http://top:1");
    CHECK(a.token == "tok-top");
    CHECK(a.cacert == "/etc/top.pem");
  }
  {
    auto a = parsed({"agents", "--profile", "prod"});
    REQUIRE(!apply_settings(a, cfg, none));
    CHECK(a.api_url == "https://prod:443");
    CHECK(a.token == "tok-prod");
    CHECK(a.cacert == "/etc/top.pem"); // not in the profile: the top level's
  }
  {
    auto a = parsed({"agents"}); // the profile from the environment
    REQUIRE(!apply_settings(a, cfg, env_of({{"BAIKAL_PROFILE", "dev"}})));
    CHECK(a.api_url == "http://dev:2");
    CHECK(a.token == "tok-top");
  }
  {
    auto a = parsed({"agents", "--profile", "prod"});
    auto env = env_of({{"BAIKAL_API_URL", "http://env:3"},
                       {"BAIKAL_TOKEN", "tok-env"},
                       {"BAIKAL_CACERT", "/env.pem"}});
    REQUIRE(!apply_settings(a, cfg, env));
    CHECK(a.api_url == "http://env:3");
    CHECK(a.token == "tok-env");
    CHECK(a.cacert == "/env.pem");
    auto b = parsed({"--api", "http://flag:4", "agents", "--token=tok-flag"});
    REQUIRE(!apply_settings(b, cfg, env));
    CHECK(b.api_url == "http://flag:4");
    CHECK(b.token == "tok-flag");
  }
  {
    auto a = parsed({"agents"}); // set but empty counts as unset
    REQUIRE(
        !apply_settings(a, ctl_config{}, env_of({{"BAIKAL_API_URL", ""}, {"BAIKAL_TOKEN", ""}})));
    CHECK(a.api_url == "http://127.0.0.1:8090");
    CHECK(a.token.empty());
  }
  {
    auto a = parsed({"agents", "--profile", "nope"});
    auto err = apply_settings(a, cfg, none);
    REQUIRE(err);
    CHECK(message_of(err).find("no profile \"nope\"") != std::string::npos);
  }
}

TEST_CASE("ctl config: a token file is read, trimmed, and ranked as the token beside it") {
  test::temp_dir dir{"baikalctl-config"};
  auto token_path = (dir.path / "token").string();
  std::ofstream{token_path} << "  tok-from-file\n";
  auto cfg = config_of("token = \"tok-top\"\n[profiles.f]\ntoken_file = \"" + token_path + "\"\n");
  auto none = env_of({});
  auto a = parsed({"agents", "--profile", "f"});
  REQUIRE(!apply_settings(a, cfg, none));
  CHECK(a.token == "tok-from-file");
  auto b = parsed({"agents", "--token-file", token_path});
  REQUIRE(!apply_settings(b, cfg, env_of({{"BAIKAL_TOKEN", "tok-env"}})));
  CHECK(b.token == "tok-from-file");
  auto c = parsed({"agents", "--token-file", (dir.path / "missing").string()});
  auto err = apply_settings(c, cfg, none);
  REQUIRE(err);
  CHECK(message_of(err).find("cannot read the token file") != std::string::npos);
  auto d = parsed({"agents", "--token", "t", "--token-file", token_path});
  CHECK(apply_settings(d, cfg, none));
}

TEST_CASE("ctl config: a file that is not there is an empty config") {
  test::temp_dir dir{"baikalctl-config"};
  auto cfg = load_ctl_config((dir.path / "config.toml").string());
  REQUIRE(cfg);
  CHECK(cfg->profiles.empty());
  CHECK(cfg->top.api.empty());
  std::ofstream{dir.path / "config.toml"} << "api = [1]\n";
  auto bad = load_ctl_config((dir.path / "config.toml").string());
  REQUIRE(!bad);
  CHECK(message_of(bad.error()).find((dir.path / "config.toml").string() + " at line 1: api") !=
        std::string::npos);
}
