#pragma once

/// What baikalctl knows of the image pulls a session waits for, from the manager's event
/// stream (`image_pull` events), and how it is drawn: bytes so far and in all, a bar, a rate.
///
/// The agent reports Docker's progress lines as they come, a few a second: `current` and
/// `total` are those of the layer Docker is working on and `message` its status
/// ("Downloading", "Extracting"), so a line shows one layer's progress at a time.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace baikal::ctl {

/// One `image_pull` event of the stream.
struct pull_update {
  std::string phase; ///< "started", "progress", "finished", "failed" (ImagePull*Event)
  std::string agent;
  std::string image;
  std::string job_id;
  std::string message;
  uint64_t current = 0;
  uint64_t total = 0;
  int64_t timestamp_ms = 0;
};

/// The `image_pull` event in an event's JSON; nothing for any other event or bad JSON.
std::optional<pull_update> parse_pull_event(const std::string& json);

/// One pull job as the events so far describe it.
struct pull_view {
  std::string agent;
  std::string image;
  std::string status;     ///< the last progress message ("Downloading", ...)
  std::string phase;      ///< the last phase
  uint64_t current = 0;   ///< bytes of the current layer so far
  uint64_t total = 0;     ///< bytes of the current layer, 0 when unknown
  double rate = 0;        ///< bytes a second since this layer's status began, 0 when unknown
  bool has_bytes = false; ///< some event carried byte counts
  int updates = 0;        ///< events applied, to notice news
  /// The layer sizes seen (a layer reports the same total downloading and extracting, so
  /// their sum is about the bytes the pull moved).
  std::set<uint64_t> layer_totals;
  // Where the rate is measured from: reset when the status changes or `current` goes back.
  uint64_t rate_from_bytes = 0;
  int64_t rate_from_ms = 0;
};

/// Pull jobs by job id. Not thread-safe: the caller locks.
class pull_progress {
public:
  void apply(const pull_update& u);

  /// The jobs pulling `image` (as the user wrote it or in canonical form), oldest first.
  std::vector<pull_view> pulling(const std::vector<std::string>& images) const;

private:
  std::map<std::string, pull_view> jobs_;
  std::vector<std::string> order_;
};

/// Whether two image references name the same image ("busybox" and "busybox:latest" do).
bool same_image(const std::string& a, const std::string& b);

/// "812 B", "12.3 KiB", "48.0 MiB", "1.2 GiB".
std::string format_bytes(double bytes);

/// "[#########...........]" of `width` cells; all dots when `total` is unknown.
std::string progress_bar(uint64_t current, uint64_t total, int width);

/// "Downloading [####....] 12.3 MiB / 48.0 MiB 26% 20.1 MiB/s", leaving out what is unknown;
/// "started" before the first progress, "pulled 64.0 MiB" (the layers' sizes seen) or
/// "failed" at the end.
std::string progress_summary(const pull_view& v, int bar_width = 24);

/// "IMAGE on AGENT: " and the summary: a line of its own in a log.
std::string progress_line(const pull_view& v, int bar_width = 24);

} // namespace baikal::ctl
