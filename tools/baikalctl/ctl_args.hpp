#pragma once

/// baikalctl's command line: global options, the command words, flags with values, and the
/// code after "--".

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace baikal::ctl {

struct ctl_args {
  std::string api_url;            ///< --api URL, else $BAIKAL_API_URL, else http://127.0.0.1:8090
  std::string token;              ///< --token T, else $BAIKAL_TOKEN
  bool json = false;              ///< --json: print the API's JSON for scripts
  std::vector<std::string> words; ///< command words and positional arguments
  std::multimap<std::string, std::string> options; ///< --name VALUE (repeatable)
  std::vector<std::string> flags;                  ///< --keep, --force, ...
  std::optional<std::string> code;                 ///< everything after "--", joined by spaces

  bool flag(const std::string& name) const;
  std::string option(const std::string& name, const std::string& fallback = {}) const;
  std::vector<std::string> all(const std::string& name) const;
};

/// `--mount NAME[:ro|:rw]`: a storage folder to mount at /home/work/NAME.
struct mount_option {
  std::string folder;
  std::string mode = "rw";
};

/// The value of one --mount; nothing, and `error` filled, for anything but NAME, NAME:rw or
/// NAME:ro (the manager checks the name itself).
std::optional<mount_option> parse_mount_option(const std::string& text, std::string& error);

/// Parses argv. `value_options` lists the options that take a value ("--name"); any other
/// "--word" is a flag. Answers nothing and fills `error` on bad input.
std::optional<ctl_args> parse_ctl_args(int argc, char** argv, std::string& error);

std::string ctl_usage();

} // namespace baikal::ctl
