#pragma once

/// Command-line and config-file settings of baikal-kernel-runner.

#include <optional>
#include <string>
#include <vector>

#include "identity.hpp"

namespace baikal::kernel_runner {

/// Where the runner listens and how it runs code.
struct options {
  std::string socket_path = "/home/config/runner.sock";
  /// The runtime prefix; the code is appended as the last argument ("/bin/sh" "-c" CODE).
  std::vector<std::string> runtime = {"/bin/sh", "-c"};
  /// Per-image service table (JSON object: name -> {command, port, protocol}); optional.
  std::string services_path = "/home/config/services.json";
  std::string workdir = "/home/work";
  /// A warm container's session environment, written when it is handed over (handed_environ.hpp).
  std::string environ_path = "/home/config/environ";
  /// Seconds between SIGTERM and SIGKILL when a service or the runner itself stops.
  double kill_grace = 2.0;
  /// Who the code runs as; the runner drops to it once its socket is bound.
  identity user;
};

/// Parses argv (and a JSON config file given by --config, or /home/config/runner.json when it
/// exists); flags win over the file. Returns nothing and fills `error` on bad input; `error`
/// stays empty and nothing is returned when --help was asked.
std::optional<options> parse_options(int argc, char** argv, std::string& error);

/// The usage text for --help and errors.
std::string usage_text();

/// Splits a runtime such as "/bin/sh -c" on blanks (no quoting: runtimes are simple prefixes).
std::vector<std::string> split_words(const std::string& text);

} // namespace baikal::kernel_runner
