#pragma once

/// A private copy of the harness's environment (tests/harness/test-env.sh) for a chaos test
/// that breaks it: its own Docker engine and registries under a state folder of its own, so
/// that killing them disturbs no other test. Up in the constructor, down in the destructor;
/// the faults are test-env.sh's engine-stop/-start and registry-stop/-start.

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "support/temp_dir.hpp"

namespace baikal::test {

class private_test_env {
public:
  private_test_env() {
    run("up");
    std::ifstream in{dir_.path / "env"};
    for (std::string line; std::getline(in, line);)
      if (auto eq = line.find('='); eq != std::string::npos)
        env_[line.substr(0, eq)] = line.substr(eq + 1);
    REQUIRE_MESSAGE(!socket().empty(), "test-env.sh up wrote no env file in " << dir_.path);
  }
  ~private_test_env() { run("down", false); }
  private_test_env(const private_test_env&) = delete;
  private_test_env& operator=(const private_test_env&) = delete;

  /// A value of the environment's env file (BAIKAL_TEST_REGISTRY, ...), empty when missing.
  std::string value(const std::string& key) const {
    auto i = env_.find(key);
    return i == env_.end() ? std::string{} : i->second;
  }
  std::string socket() const { return value("BAIKAL_TEST_DOCKER_SOCK"); }
  std::string image() const { return value("BAIKAL_TEST_IMAGE"); }

  /// The engine stops: `kill` is a crash (SIGKILL to dockerd, containerd and the shims: every
  /// container dies with them), otherwise a clean stop (the engine stops its containers).
  void stop_engine(bool kill) { run(kill ? "engine-stop --kill" : "engine-stop"); }
  /// The same engine starts again; returns once it answers.
  void start_engine() { run("engine-start"); }
  /// The open registry stops (`pause`: SIGSTOP, so connections hang) or starts again.
  void stop_registry(bool pause) {
    run(pause ? "registry-stop open --pause" : "registry-stop open");
  }
  void start_registry() { run("registry-start open"); }

private:
  /// The end of one of the environment's logs, for failure messages.
  std::string tail_of(const std::string& log) const {
    std::ifstream in{dir_.path / log};
    std::string text{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
    return text.size() > 3000 ? text.substr(text.size() - 3000) : text;
  }

  void run(const std::string& args, bool require = true) const {
    auto cmd = std::string{BAIKAL_SOURCE_DIR} + "/tests/harness/test-env.sh " +
               args.substr(0, args.find(' ')) + " " + dir_.path.string() +
               (args.find(' ') == std::string::npos ? "" : args.substr(args.find(' '))) + " >> " +
               (dir_.path / "test-env.log").string() + " 2>&1";
    int rc = std::system(cmd.c_str());
    if (require)
      REQUIRE_MESSAGE(rc == 0, "failed: " << cmd << "\n"
                                          << tail_of("test-env.log") << "\n"
                                          << tail_of("dockerd.log"));
  }

  temp_dir dir_{"bke"}; ///< short: the engine's socket lives in it
  std::map<std::string, std::string> env_;
};

} // namespace baikal::test
