#pragma once

/// What a benchmark run prints: rows that set one of Baikal's figures against its baseline
/// (the engine's own API, the docker CLI, a plain file copy), as a plain table or as JSON.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace baikal::bench {

/// One figure measured on both sides. `ratio` is always ours / baseline; the target, when the
/// issue sets one, says which way it must go.
struct figure_row {
  std::string what;       ///< "echo hi, median"
  std::string unit;       ///< "ms", "s", "MB/s", "sessions/s"
  std::string ours_label; ///< "agent op::execute"
  double ours = 0;
  std::string base_label; ///< "docker exec (CLI)"; empty for a figure without a baseline
  double base = 0;
  std::string target; ///< "ours/base <= 1.10"; empty when the issue sets none
  std::optional<bool> met;
};

/// A benchmark's whole output.
struct report {
  std::string benchmark;                         ///< "execute", "create", ...
  std::map<std::string, std::string> parameters; ///< "n" -> "500"
  std::map<std::string, std::string> machine;    ///< cpus, load, kernel, date
  std::vector<figure_row> rows;
  std::vector<std::string> notes; ///< what the reader should know (setup, caveats)
};

/// What the machine looks like now: date (UTC), CPU count and model, load average, kernel.
std::map<std::string, std::string> describe_machine();

/// The report as an aligned plain-text table with its parameters and notes.
std::string render_table(const report& r);

/// The report as one JSON object.
std::string render_json(const report& r);

/// A number with `digits` significant figures, without exponent for ordinary magnitudes.
std::string format_number(double x, int digits = 4);

} // namespace baikal::bench
