// baikalctl's completion scripts: bash accepts them, and they complete commands, subcommands,
// options and choices when bash calls the function as it would on TAB.

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "support/temp_dir.hpp"
#include "tools/baikalctl/completion.hpp"

using namespace baikal;
using namespace baikal::ctl;

namespace {

/// Runs `command` with sh; answers its stdout.
std::string output_of(const std::string& command, int& exit_code) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
    out.append(buf, n);
  int status = ::pclose(p);
  exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

/// What the bash script offers for the words typed (the last one being completed).
std::string complete(const std::string& script_path, const std::string& typed) {
  auto cmd = "bash -c 'source " + script_path + "; COMP_WORDS=(" + typed +
             "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _baikalctl; echo \"${COMPREPLY[*]}\"'";
  int rc = 0;
  auto out = output_of(cmd, rc);
  CHECK(rc == 0);
  if (!out.empty() && out.back() == '\n')
    out.pop_back();
  return out;
}

} // namespace

TEST_CASE("ctl completion: bash accepts the scripts, and they complete commands and options") {
  test::temp_dir dir{"baikalctl-completion"};
  auto path = (dir.path / "baikalctl.bash").string();
  std::ofstream{path} << completion_script("bash");
  int rc = -1;
  output_of("bash -n " + path, rc);
  CHECK(rc == 0);
  CHECK(complete(path, "baikalctl sess") == "session");
  CHECK(complete(path, "baikalctl session cr") == "create");
  CHECK(complete(path, "baikalctl session l") == "ls list");
  CHECK(complete(path, "baikalctl --api http://x:1 session create img --cl") ==
        "--cluster-size --cluster-mode");
  CHECK(complete(path, "baikalctl session create --cluster-mode \"\"") == "single-node multi-node");
  CHECK(complete(path, "baikalctl agents --output w") == "wide");
  CHECK(complete(path, "baikalctl session ls --to") == "--token --token-file");
  CHECK(complete(path, "baikalctl completion \"\"") == "bash zsh");
  CHECK(complete(path, "baikalctl exec s1 -- sess").empty()); // code, not a command
  CHECK(completion_script("zsh").find("bashcompinit") != std::string::npos);
  CHECK(completion_script("fish").empty());
}
