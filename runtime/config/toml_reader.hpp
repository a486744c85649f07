#pragma once

/// Reads typed values out of a parsed TOML table for the agent's and the manager's config
/// files, remembering the first key that was wrong so the error names it ("Invalid agent.toml:
/// container.port-range must be ..."). A missing key leaves its default.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "messages/kernel_types.hpp"
#include "runtime/config/toml.hpp"

namespace baikal {

class toml_reader {
public:
  /// The longest duration a `seconds` setting takes.
  static constexpr double max_seconds = 365.0 * 24 * 3600;

  /// `source` names the file in errors; it must outlive the reader.
  toml_reader(toml::node_view<const toml::node> root, const std::string& source)
      : root_(root), source_(source) {}

  void text(const char* path, std::string& out);
  void flag(const char* path, bool& out);
  /// A positive number.
  void number(const char* path, double& out);
  /// `{ host = "...", port = N }`.
  void address(const char* path, host_port& out);
  /// A non-empty array of addresses, each `{ host = "...", port = N }`.
  void addresses(const char* path, std::vector<host_port>& out);
  /// `[first, last]` with 1 <= first <= last <= 65535.
  void port_range(const char* path, uint16_t& first, uint16_t& last);

  template <class Int> void integer(const char* path, Int& out, int64_t lo, int64_t hi) {
    auto node = at(path);
    if (!node)
      return;
    auto v = node.value_exact<int64_t>();
    if (v && *v >= lo && *v <= hi)
      out = static_cast<Int>(*v);
    else
      fail(path, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }

  /// Seconds, written as a positive number, into a duration.
  template <class Duration> void seconds(const char* path, Duration& out) {
    auto node = at(path);
    if (!node)
      return;
    auto v = node.value<double>();
    // Past a year a setting is a mistake, and past ~292 years the conversion overflows.
    if (v && *v > 0 && *v <= max_seconds)
      out = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(*v));
    else if (v && *v > max_seconds)
      fail(path, "at most 31536000 seconds (a year)");
    else
      fail(path, "a positive number of seconds");
  }

  /// Whole seconds from `lo` to `hi`, into a duration (the nodes' [timeouts] tables).
  void whole_seconds(const char* path, std::chrono::seconds& out, int64_t lo, int64_t hi) {
    int64_t n = out.count();
    integer(path, n, lo, hi);
    out = std::chrono::seconds{n};
  }

  /// `[[path]]`: how many tables the array holds (0 when it is missing). Each table may hold
  /// only `keys` (read them as "path[N].key"); anything else is recorded as wrong.
  size_t table_array(const char* path, std::initializer_list<const char*> keys);

  /// Records `path` as wrong unless an earlier key already was.
  void fail(const std::string& path, const std::string& what);

  caf::error error() const { return error_; }

  /// The keys of the file (dotted paths, sorted) that no call above looked up: keys of
  /// another layout, or misspelt ones.
  std::vector<std::string> unread_keys() const;

private:
  toml::node_view<const toml::node> at(const char* path) {
    read_.insert(path);
    return root_.at_path(path);
  }

  std::set<std::string> read_;
  toml::node_view<const toml::node> root_;
  const std::string& source_;
  caf::error error_;
};

} // namespace baikal
