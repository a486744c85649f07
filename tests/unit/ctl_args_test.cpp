// baikalctl's command line: words, options with values, flags, the code after "--", and where
// the API address and token come from.

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tools/baikalctl/ctl_args.hpp"

using namespace baikal::ctl;

namespace {

/// Parses `words` as baikalctl's argv (the program name is added).
std::optional<ctl_args> parse(std::vector<std::string> words, std::string* error = nullptr) {
  words.insert(words.begin(), "baikalctl");
  std::vector<char*> argv;
  for (auto& w : words)
    argv.push_back(w.data());
  std::string err;
  auto out = parse_ctl_args(static_cast<int>(argv.size()), argv.data(), err);
  if (error)
    *error = err;
  return out;
}

/// Sets or clears the two variables for one test, and clears them afterwards.
struct api_env {
  api_env(const char* url, const char* token) {
    set("BAIKAL_API_URL", url);
    set("BAIKAL_TOKEN", token);
  }
  ~api_env() {
    ::unsetenv("BAIKAL_API_URL");
    ::unsetenv("BAIKAL_TOKEN");
  }
  static void set(const char* name, const char* value) {
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
};

} // namespace

TEST_CASE("ctl args: words, options with values in both spellings, flags and --json") {
  api_env env{nullptr, nullptr};
  auto a = parse({"session", "create", "img:1", "--name", "n1", "--env", "A=1", "--env=B=2",
                  "--cpu=2", "--wait", "--json", "-h"});
  REQUIRE(a);
  CHECK(a->words == std::vector<std::string>{"session", "create", "img:1"});
  CHECK(a->option("--name") == "n1");
  CHECK(a->option("--cpu") == "2");
  CHECK(a->all("--env") == std::vector<std::string>{"A=1", "B=2"}); // in order, "=" kept
  CHECK(a->option("--mem", "none") == "none");
  CHECK(a->flag("--wait"));
  CHECK(a->flag("--help"));
  CHECK(!a->flag("--keep"));
  CHECK(a->json);
  CHECK(!a->code);
}

TEST_CASE("ctl args: everything after -- is the code, options included") {
  api_env env{nullptr, nullptr};
  auto a = parse({"exec", "s1", "--mode", "batch", "--", "echo", "--json", "hi;", "exit 3"});
  REQUIRE(a);
  CHECK(a->words == std::vector<std::string>{"exec", "s1"});
  CHECK(a->option("--mode") == "batch");
  REQUIRE(a->code);
  // Several arguments each stay one word, as the shell that ran baikalctl split them.
  CHECK(*a->code == "echo --json 'hi;' 'exit 3'");
  CHECK(!a->json); // after "--" it belongs to the code
  auto empty = parse({"run", "img", "--"});
  REQUIRE(empty->code);
  CHECK(empty->code->empty());
}

TEST_CASE("ctl args: one argument after -- is the code as written, several keep their quoting") {
  auto one = parse({"exec", "s1", "--", "echo hi; exit 3"});
  REQUIRE(one);
  CHECK(*one->code == "echo hi; exit 3");
  auto several = parse({"exec", "s1", "--", "printf", "%s|", "a b", "it's", "$HOME", ""});
  REQUIRE(several);
  CHECK(*several->code == "printf '%s|' 'a b' 'it'\\''s' '$HOME' ''");
}

TEST_CASE("ctl args: an unknown option is an error naming it and the likely one meant") {
  std::string error;
  CHECK_FALSE(parse({"session", "create", "img:1", "--cpus", "2"}, &error));
  CHECK(error == "unknown option --cpus (did you mean --cpu?)");
  CHECK_FALSE(parse({"session", "ls", "--frobnicate"}, &error));
  CHECK(error == "unknown option --frobnicate");
  CHECK_FALSE(parse({"session", "create", "img:1", "--wait=yes"}, &error));
  CHECK(error == "--wait takes no value");
  REQUIRE(parse({"session", "create", "img:1", "--wait", "--keep"}));
}

TEST_CASE("ctl args: an option missing its value is an error naming it") {
  api_env env{nullptr, nullptr};
  std::string error;
  CHECK(!parse({"session", "create", "img", "--name"}, &error));
  CHECK(error == "--name needs a value");
  CHECK(!parse({"--token"}, &error));
  CHECK(error == "--token needs a value");
  CHECK(parse({"agents", "--token="}, &error)); // given, though empty
}

TEST_CASE("ctl args: the API address and token come from flags, else the environment, else "
          "the default address and no token") {
  {
    api_env env{nullptr, nullptr};
    auto a = parse({"agents"});
    CHECK(a->api_url == "http://127.0.0.1:8090");
    CHECK(a->token.empty());
  }
  {
    api_env env{"http://10.0.0.5:9000", "tok-env-123"};
    auto a = parse({"agents"});
    CHECK(a->api_url == "http://10.0.0.5:9000");
    CHECK(a->token == "tok-env-123");
    auto b = parse({"--api", "http://h:1", "agents", "--token=tok-flag"});
    CHECK(b->api_url == "http://h:1");
    CHECK(b->token == "tok-flag");
  }
  {
    api_env env{"", ""}; // set but empty counts as unset
    auto a = parse({"agents"});
    CHECK(a->api_url == "http://127.0.0.1:8090");
    CHECK(a->token.empty());
  }
}

TEST_CASE("ctl args: the usage names every command") {
  auto usage = ctl_usage();
  for (auto cmd :
       {"run IMAGE", "session create", "session ls", "session show", "session rm", "exec SESSION",
        "cp FILE SESSION:PATH", "cp SESSION:PATH DEST", "files SESSION", "logs SESSION", "agents",
        "agents drain AGENT", "agents undrain AGENT", "images purge", "events", "--json"})
    CHECK_MESSAGE(usage.find(cmd) != std::string::npos, cmd);
}

TEST_CASE("ctl args: session create takes --idle-timeout with its value, and the usage names "
          "it") {
  auto a = parse({"session", "create", "img:1", "--idle-timeout", "30"});
  REQUIRE(a);
  CHECK(a->option("--idle-timeout") == "30");
  CHECK(a->words == std::vector<std::string>{"session", "create", "img:1"});
  CHECK(ctl_usage().find("--idle-timeout S") != std::string::npos);
}

TEST_CASE("ctl args: run --batch takes the image, --batch-timeout with its value and the "
          "command after --, and the help names it") {
  auto args =
      parse({"run", "--batch", "python:3.9", "--batch-timeout", "30", "--", "make", "test"});
  REQUIRE(args);
  CHECK(args->flag("--batch"));
  CHECK(args->words == std::vector<std::string>{"run", "python:3.9"});
  CHECK(args->option("--batch-timeout") == "30");
  REQUIRE(args->code);
  CHECK(*args->code == "make test");
  CHECK(ctl_usage().find("run --batch IMAGE [--batch-timeout S]") != std::string::npos);
}
