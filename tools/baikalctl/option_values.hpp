#pragma once

/// The values baikalctl's options take, read without exceptions: sizes, mounts, and whether a
/// text is a value of the kind an option is declared with (command_table.hpp).

#include <optional>
#include <string>

#include "tools/baikalctl/command_table.hpp"

namespace baikal::ctl {

/// `--mount NAME[:ro|:rw]`: a storage folder to mount at /home/work/NAME.
struct mount_option {
  std::string folder;
  std::string mode = "rw";
};

/// The value of one --mount; nothing, and `error` filled, for anything but NAME, NAME:rw or
/// NAME:ro (the manager checks the name itself).
std::optional<mount_option> parse_mount_option(const std::string& text, std::string& error);

/// "512m", "2g", "1k", "1048576" as bytes; nothing for anything else or 0.
std::optional<double> parse_size(const std::string& text);

/// `text` as one word of a POSIX shell: as is when nothing in it is special, else in single
/// quotes.
std::string shell_word(const std::string& text);

/// Why `text` is no value of the option `spec` ("--cpu needs a number, not \"x\""); empty
/// when it is one.
std::string value_problem(const option_spec& spec, const std::string& text);

} // namespace baikal::ctl
