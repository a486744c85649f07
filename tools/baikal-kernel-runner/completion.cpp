#include "completion.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

namespace baikal::kernel_runner {

namespace {

// The builtins of busybox ash and bash that a user would type first on a line.
constexpr const char* shell_builtins[] = {
    "alias",  "bg",     "break",  "cd",      "command", "continue", "echo", "eval",
    "exec",   "exit",   "export", "false",   "fg",      "getopts",  "hash", "help",
    "jobs",   "kill",   "let",    "local",   "printf",  "pwd",      "read", "readonly",
    "return", "set",    "shift",  "source",  "test",    "times",    "trap", "true",
    "type",   "ulimit", "umask",  "unalias", "unset",   "wait"};

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Adds entries of `dir` starting with `prefix`; each added as `shown_dir + name`.
void add_entries(const std::string& dir, const std::string& shown_dir, const std::string& prefix,
                 bool executables_only, std::set<std::string>& out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d)
    return;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == ".." || !starts_with(name, prefix))
      continue;
    // Hidden files only when the user typed the dot, as shells do.
    if (name[0] == '.' && (prefix.empty() || prefix[0] != '.'))
      continue;
    struct stat st {};
    std::string full = dir + "/" + name;
    bool is_dir = ::stat(full.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    if (executables_only) {
      if (!is_dir && ::access(full.c_str(), X_OK) == 0)
        out.insert(name);
      continue;
    }
    out.insert(shown_dir + name + (is_dir ? "/" : ""));
  }
  ::closedir(d);
}

} // namespace

std::vector<std::string> complete_text(const std::string& text, const std::string& workdir,
                                       bool shell_runtime, size_t limit) {
  auto word_start = text.find_last_of(" \t\n;|&(");
  std::string word = word_start == std::string::npos ? text : text.substr(word_start + 1);
  std::string before = word_start == std::string::npos ? "" : text.substr(0, word_start + 1);
  bool first_word = before.find_first_not_of(" \t") == std::string::npos ||
                    before.find_last_not_of(" \t") == before.find_last_of(";|&(");
  std::set<std::string> found;
  auto slash = word.rfind('/');
  std::string shown_dir = slash == std::string::npos ? "" : word.substr(0, slash + 1);
  std::string prefix = slash == std::string::npos ? word : word.substr(slash + 1);
  std::string dir = shown_dir.empty()     ? workdir
                    : shown_dir[0] == '/' ? shown_dir
                                          : workdir + "/" + shown_dir;
  add_entries(dir, shown_dir, prefix, false, found);
  if (shell_runtime && first_word && slash == std::string::npos && !word.empty()) {
    for (const char* builtin : shell_builtins)
      if (starts_with(builtin, word))
        found.insert(builtin);
    std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
    for (std::string entry; std::getline(path, entry, ':');)
      if (!entry.empty())
        add_entries(entry, "", word, true, found);
  }
  std::vector<std::string> out(found.begin(), found.end());
  if (out.size() > limit)
    out.resize(limit);
  return out;
}

} // namespace baikal::kernel_runner
