#pragma once

/// Runs the real baikalctl binary as a user would: its own process, its stdout and stderr
/// captured apart, the environment the test chooses for BAIKAL_API_URL and BAIKAL_TOKEN
/// (inherited values of those are dropped so that every test says what it means).

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include "support/temp_dir.hpp"

extern char** environ;

namespace baikal::test {

struct ctl_result {
  int exit_code = -1;
  std::string out; ///< stdout
  std::string err; ///< stderr
};

inline std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs `baikalctl ARGS...` with `env` added to the test's environment (minus BAIKAL_API_URL
/// and BAIKAL_TOKEN), stdin from /dev/null; waits for it to end.
inline ctl_result run_ctl(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env = {}) {
  temp_dir dir{"baikalctl-run"};
  auto out_path = (dir.path / "stdout").string();
  auto err_path = (dir.path / "stderr").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<std::string> argv_text{BAIKALCTL_PATH};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) {
    std::string entry{*e};
    if (entry.rfind("BAIKAL_API_URL=", 0) != 0 && entry.rfind("BAIKAL_TOKEN=", 0) != 0)
      env_text.push_back(entry);
  }
  for (auto& [k, v] : env)
    env_text.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_text)
    envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE_MESSAGE(rc == 0, "cannot start " << BAIKALCTL_PATH);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ctl_result out;
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  out.out = read_whole_file(out_path);
  out.err = read_whole_file(err_path);
  return out;
}

/// What a failed check prints: the exit code and both streams.
inline std::string describe(const ctl_result& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

/// The API address and alice's token as baikalctl's environment.
inline std::map<std::string, std::string> ctl_env(uint16_t port, const std::string& token) {
  return {{"BAIKAL_API_URL", "http://127.0.0.1:" + std::to_string(port)}, {"BAIKAL_TOKEN", token}};
}

/// Whether `text` (one document, surrounding whitespace allowed) parses as JSON.
inline bool parses_as_json(const std::string& text, rapidjson::Document& doc) {
  doc.Parse(text.c_str());
  return !doc.HasParseError();
}

} // namespace baikal::test
