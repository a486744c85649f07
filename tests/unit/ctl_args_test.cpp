// baikalctl's command line: commands and their words, options with values in both spellings,
// typed values refused with the option named, unknown options and commands named, the code
// after "--", and the help of each command.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/text_search.hpp"
#include "tools/baikalctl/command_table.hpp"
#include "tools/baikalctl/ctl_app.hpp"
#include "tools/baikalctl/ctl_args.hpp"

using namespace baikal::ctl;
using baikal::test::contains;

namespace {

/// Parses `words` as baikalctl's arguments; the error, if any, in `error`.
std::optional<ctl_args> parse(const std::vector<std::string>& words, std::string* error = nullptr,
                              int* exit_code = nullptr) {
  auto out = parse_ctl_args(words);
  if (error)
    *error = out.err;
  if (exit_code)
    *exit_code = out.exit_code;
  return out.args;
}

} // namespace

TEST_CASE("ctl args: words, options with values in both spellings, flags and --json") {
  auto a = parse({"session", "create", "img:1", "--name", "n1", "--env", "A=1", "--env=B=2",
                  "--cpu=2", "--wait", "--json"});
  REQUIRE(a);
  CHECK(a->command == "session create");
  CHECK(a->words == std::vector<std::string>{"session", "create", "img:1"});
  CHECK(a->option("--name") == "n1");
  CHECK(a->option("--cpu") == "2");
  CHECK(a->all("--env") == std::vector<std::string>{"A=1", "B=2"}); // in order, "=" kept
  CHECK(a->option("--mem", "none") == "none");
  CHECK(a->flag("--wait"));
  CHECK(!a->flag("--keep"));
  CHECK(a->json);
  CHECK(!a->code);
}

TEST_CASE("ctl args: aliases name the same command, global options go anywhere") {
  auto a = parse({"session", "list", "--api", "http://h:1", "--status", "RUNNING"});
  REQUIRE(a);
  CHECK(a->command == "session ls");
  CHECK(a->option("--api") == "http://h:1");
  CHECK(a->option("--status") == "RUNNING");
  auto b = parse({"--token", "t", "ls", "s1", "sub/dir"});
  REQUIRE(b);
  CHECK(b->command == "files");
  CHECK(b->words == std::vector<std::string>{"files", "s1", "sub/dir"});
  auto c = parse({"agents", "--token="}); // given, though empty
  REQUIRE(c);
  CHECK(c->options.count("--token") == 1);
  CHECK(c->option("--token", "unset").empty());
  auto d = parse({"agents", "drain", "a1"});
  REQUIRE(d);
  CHECK(d->command == "agents drain");
  CHECK(d->words == std::vector<std::string>{"agents", "drain", "a1"});
}

TEST_CASE("ctl args: everything after -- is the code, options included, each argument kept") {
  auto a = parse({"exec", "s1", "--mode", "batch", "--", "echo", "--json", "hi;", "exit 3"});
  REQUIRE(a);
  CHECK(a->words == std::vector<std::string>{"exec", "s1"});
  CHECK(a->option("--mode") == "batch");
  CHECK(a->code_args == std::vector<std::string>{"echo", "--json", "hi;", "exit 3"});
  REQUIRE(a->code);
  // Several arguments each stay one word, as the shell that ran baikalctl split them.
  CHECK(*a->code == "echo --json 'hi;' 'exit 3'");
  CHECK(!a->json); // after "--" it belongs to the code
  auto empty = parse({"run", "img", "--"});
  REQUIRE(empty);
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
  CHECK(several->code_args.size() == 6);
}

TEST_CASE("ctl args: a command that runs code needs it, one that does not refuses it") {
  std::string error;
  int rc = 0;
  CHECK_FALSE(parse({"run", "img"}, &error, &rc));
  CHECK(rc == 2);
  CHECK(contains(error, "usage: baikalctl run"));
  CHECK_FALSE(parse({"agents", "--", "x"}, &error));
  CHECK(contains(error, "agents takes no code"));
}

TEST_CASE("ctl args: an unknown option is an error naming it and the likely one meant") {
  std::string error;
  int rc = 0;
  CHECK_FALSE(parse({"session", "create", "img:1", "--cpus", "2"}, &error, &rc));
  CHECK(error == "unknown option --cpus (did you mean --cpu?)");
  CHECK(rc == 2);
  CHECK_FALSE(parse({"session", "ls", "--frobnicate"}, &error));
  CHECK(error == "unknown option --frobnicate");
  CHECK_FALSE(parse({"session", "ls", "--tokn", "x"}, &error)); // global options count
  CHECK(error == "unknown option --tokn (did you mean --token?)");
  CHECK_FALSE(parse({"session", "create", "img:1", "--wait=yes"}, &error));
  CHECK(error == "--wait takes no value");
  CHECK_FALSE(parse({"agents", "--wait"}, &error)); // an option of another command
  CHECK(error == "unknown option --wait");
  REQUIRE(parse({"session", "create", "img:1", "--wait", "--timeout", "5"}));
}

TEST_CASE("ctl args: unknown commands, missing arguments and extra ones are named") {
  std::string error;
  int rc = 0;
  CHECK_FALSE(parse({"frobnicate"}, &error, &rc));
  CHECK(error == "unknown command \"frobnicate\"");
  CHECK(rc == 2);
  CHECK_FALSE(parse({"session", "frob"}, &error));
  CHECK(error == "unknown command \"session frob\"");
  CHECK_FALSE(parse({"session", "show"}, &error));
  CHECK(contains(error, "missing SESSION"));
  CHECK(contains(error, "baikalctl session show [OPTIONS] SESSION"));
  CHECK_FALSE(parse({"logs", "s1", "s2"}, &error));
  CHECK(contains(error, "unexpected argument \"s2\""));
  CHECK_FALSE(parse({"session"}, &error, &rc));
  CHECK(rc == 2);
  CHECK(contains(error, "\"session\" needs one of its commands"));
  CHECK(contains(error, "create"));
  CHECK_FALSE(parse({}, &error, &rc));
  CHECK(rc == 2);
}

TEST_CASE("ctl args: an option missing its value is an error naming it") {
  std::string error;
  CHECK(!parse({"session", "create", "img", "--name"}, &error));
  CHECK(error == "--name needs a value");
  CHECK(!parse({"agents", "--token"}, &error));
  CHECK(error == "--token needs a value");
}

TEST_CASE("ctl args: typed values are checked, and a bad one is refused naming its option") {
  auto ok = parse({"session", "create", "img", "--cpu", "0.5", "--mem", "2g", "--cluster-size", "2",
                   "--idle-timeout", "0", "--mount", "data:ro", "--mount", "scratch",
                   "--cluster-mode", "multi-node", "--scaling-group", "gpu"});
  REQUIRE(ok);
  CHECK(ok->option("--cpu") == "0.5");
  CHECK(ok->option("--mem") == "2g");
  CHECK(ok->all("--mount") == std::vector<std::string>{"data:ro", "scratch"});
  CHECK(ok->option("--scaling-group") == "gpu");
  struct bad_value {
    std::vector<std::string> args;
    std::string message;
  };
  for (auto& bad : std::vector<bad_value>{
           {{"--cpu", "lots"}, "--cpu needs a number, not \"lots\""},
           {{"--mem", "2x"}, "--mem needs a size such as 268435456, 256m or 2g, not \"2x\""},
           {{"--mem", "0"}, "--mem needs a size"},
           {{"--cluster-size", "0"}, "--cluster-size needs a whole number of at least 1"},
           {{"--cluster-size", "1.5"}, "--cluster-size needs a whole number of at least 1"},
           {{"--env", "=1"}, "--env needs KEY=VALUE, not \"=1\""},
           {{"--env", "A=1", "--env", "B"}, "--env needs KEY=VALUE, not \"B\""},
           {{"--mount", "data:rx"}, "--mount needs NAME, NAME:rw or NAME:ro"},
           {{"--cluster-mode", "both"}, "--cluster-mode needs one of single-node, multi-node"},
           {{"--idle-timeout", "soon"}, "--idle-timeout needs a number of seconds"},
       }) {
    std::vector<std::string> words{"session", "create", "img"};
    words.insert(words.end(), bad.args.begin(), bad.args.end());
    std::string error;
    int rc = 0;
    CHECK_FALSE(parse(words, &error, &rc));
    CHECK_MESSAGE(contains(error, bad.message), error);
    CHECK_MESSAGE(contains(error, "(invalid_argument)"), error);
    CHECK(rc == 1);
  }
  std::string error;
  CHECK_FALSE(parse({"exec", "s1", "--mode", "fast", "--", "x"}, &error));
  CHECK(contains(error, "--mode needs one of query, batch"));
  CHECK_FALSE(parse({"session", "ls", "--limit", "-1"}, &error));
  CHECK(contains(error, "--limit needs a whole number"));
}

TEST_CASE("ctl args: --output json is --json, wide is kept, table is the default") {
  auto table = parse({"session", "ls"});
  REQUIRE(table);
  CHECK(table->output == "table");
  CHECK(!table->json);
  auto json = parse({"session", "ls", "--output", "json"});
  REQUIRE(json);
  CHECK(json->json);
  CHECK(json->output == "json");
  auto wide = parse({"agents", "--output=wide"});
  REQUIRE(wide);
  CHECK(wide->wide());
  CHECK(!wide->json);
  for (auto listing : {"folders ls", "files", "agents", "images", "session ls"})
    CHECK_MESSAGE(find_option(find_command(listing), "--output") != nullptr, listing);
  std::string error;
  CHECK_FALSE(parse({"session", "ls", "--output", "yaml"}, &error));
  CHECK(contains(error, "--output needs one of table, wide, json"));
}

TEST_CASE("ctl args: run --batch takes the image, --batch-timeout and the command after --") {
  auto args =
      parse({"run", "--batch", "python:3.9", "--batch-timeout", "30", "--", "make", "test"});
  REQUIRE(args);
  CHECK(args->flag("--batch"));
  CHECK(args->words == std::vector<std::string>{"run", "python:3.9"});
  CHECK(args->option("--batch-timeout") == "30");
  REQUIRE(args->code);
  CHECK(*args->code == "make test");
}

TEST_CASE("ctl args: --help prints the help of the command it follows, --version the version") {
  auto global = parse_ctl_args({"--help"});
  CHECK(!global.args);
  CHECK(global.exit_code == 0);
  CHECK(contains(global.out, "usage: baikalctl"));
  for (auto& c : command_table())
    CHECK_MESSAGE(contains(global.out, "  " + c.path + " "), c.path);
  auto create = parse_ctl_args({"session", "create", "--help"});
  CHECK(create.exit_code == 0);
  CHECK(contains(create.out, "usage: baikalctl session create [OPTIONS] IMAGE"));
  CHECK(!contains(create.out, "--status")); // another command's
  auto short_help = parse_ctl_args({"exec", "-h"});
  CHECK(contains(short_help.out, "usage: baikalctl exec"));
  auto version = parse_ctl_args({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(contains(version.out, "baikalctl " BAIKAL_TEST_VERSION));
}

TEST_CASE("ctl args: each command's help names each of its options with its description") {
  for (auto& c : command_table()) {
    auto help = ctl_help(c.path);
    CHECK_MESSAGE(contains(help, "usage: baikalctl " + c.path), c.path);
    CHECK_MESSAGE(contains(help, command_usage(c)), c.path); // in the usage line or the footer
    for (auto& o : c.options) {
      CHECK_MESSAGE(contains(help, o.name), c.path << " " << o.name);
      CHECK_MESSAGE(contains(help, o.help), c.path << " " << o.name);
    }
    for (auto& p : c.positionals)
      CHECK_MESSAGE(contains(help, p.name), c.path << " " << p.name);
  }
}

TEST_CASE("ctl args: size values with their suffixes") {
  CHECK(parse_size("1048576") == 1048576.0);
  CHECK(parse_size("1k") == 1024.0);
  CHECK(parse_size("256m") == 256.0 * 1024 * 1024);
  CHECK(parse_size("2G") == 2.0 * 1024 * 1024 * 1024);
  CHECK(parse_size("0.5g") == 512.0 * 1024 * 1024);
  CHECK_FALSE(parse_size(""));
  CHECK_FALSE(parse_size("g"));
  CHECK_FALSE(parse_size("-1m"));
  CHECK_FALSE(parse_size("2 g"));
}
