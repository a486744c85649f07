#pragma once

/// Container log lines with the engine's timestamps (`docker logs --timestamps`: each line
/// starts with an RFC 3339 time with up to nine fraction digits, then a space), and the cursor
/// that follows a growing log by asking for the lines `since` the newest one seen. The engine
/// answers the lines at or after that time, so the lines at exactly that time come again: the
/// cursor drops the ones it has taken already.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baikal::docker {

/// A log time: seconds since the Unix epoch and nanoseconds.
struct log_time {
  int64_t seconds = 0;
  int32_t nanos = 0;

  friend bool operator<(const log_time& a, const log_time& b) {
    return a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos;
  }
  friend bool operator==(const log_time& a, const log_time& b) {
    return a.seconds == b.seconds && a.nanos == b.nanos;
  }
};

/// "2024-05-01T12:34:56.123456789Z" (or an offset such as "+02:00" instead of "Z").
std::optional<log_time> parse_log_time(std::string_view text);

/// The engine's `since` form of `t`: "SECONDS.NANOSECONDS".
std::string since_param(const log_time& t);

/// One line of a timestamped log.
struct stamped_line {
  log_time at;
  std::string stamp; ///< the time as the engine wrote it
  std::string text;  ///< without the time and without the newline
};

/// The lines of `text`; a line without a readable time (the rest of a line the engine split)
/// is kept with the time of the line before it, or dropped when it is the first.
std::vector<stamped_line> parse_stamped_lines(std::string_view text);

/// Both streams' lines in time order (stdout first among equal times), as "STAMP TEXT\n" lines.
std::string merge_stamped(std::string_view out, std::string_view err);

/// Follows a log across reads; see the top of this file.
class log_cursor {
public:
  /// The texts of the lines of `batch` (in time order) not taken before; they are taken now.
  std::vector<std::string> take(const std::vector<stamped_line>& batch);

  /// The `since` of the next read: the time of the newest line taken; empty before any.
  std::string since() const;

private:
  std::optional<log_time> last_;
  std::vector<std::string> at_last_; ///< the texts taken at exactly `last_`
};

} // namespace baikal::docker
