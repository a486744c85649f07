#pragma once

/// What the test harness (tests/harness/test-env.sh) started: the private Docker engine's
/// socket, the local registries and the test image, read from the file BAIKAL_TEST_ENV_FILE
/// names (CTest sets it for every docker test).

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

namespace baikal::test {

inline const std::map<std::string, std::string>& test_env() {
  static const std::map<std::string, std::string> values = [] {
    std::map<std::string, std::string> out;
    const char* file = std::getenv("BAIKAL_TEST_ENV_FILE");
    if (!file)
      throw std::runtime_error("BAIKAL_TEST_ENV_FILE is not set: run docker tests through ctest");
    std::ifstream in{file};
    if (!in)
      throw std::runtime_error(std::string{"cannot read "} + file +
                               ": did the docker_env_up fixture run?");
    for (std::string line; std::getline(in, line);) {
      auto eq = line.find('=');
      if (eq != std::string::npos)
        out.emplace(line.substr(0, eq), line.substr(eq + 1));
    }
    return out;
  }();
  return values;
}

/// The value of `key` in the harness's env file; throws when it is missing.
inline std::string env_value(const std::string& key) {
  auto& values = test_env();
  auto i = values.find(key);
  if (i == values.end())
    throw std::runtime_error("the test environment has no " + key);
  return i->second;
}

/// Runs the docker CLI against the harness's engine; answers its exit code.
inline int engine_cli(const std::string& args) {
  auto cmd = "DOCKER_HOST=unix://" + env_value("BAIKAL_TEST_DOCKER_SOCK") + " docker " + args +
             " >/dev/null 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

} // namespace baikal::test
