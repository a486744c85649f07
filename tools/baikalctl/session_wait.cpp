// Following a session until it runs (or its images are ready), drawing its status and the
// pull progress on stderr: one redrawn line on a terminal, a line now and then otherwise
// (logs and pipes get no escape codes).

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <thread>

#include <sys/ioctl.h>
#include <unistd.h>

#include "messages/errors.hpp"
#include "runtime/http/target.hpp"
#include "tools/baikalctl/commands.hpp"
#include "tools/baikalctl/wait_status.hpp"

namespace baikal::ctl {

namespace {

using clock_type = std::chrono::steady_clock;

/// How often a non-terminal gets a new progress line for the same pull.
constexpr auto line_interval = std::chrono::seconds{2};

bool ended_badly(session_status status) {
  return is_terminal(status) || status == session_status::terminating;
}

size_t terminal_width() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
    return ws.ws_col;
  return 80;
}

/// Draws the wait on stderr.
class wait_display {
public:
  explicit wait_display(bool quiet) : quiet_(quiet), tty_(!quiet && ::isatty(STDERR_FILENO)) {}

  /// `reason` is the session's status_reason, shown when it says why the session waits
  /// (wait_status.hpp): "PENDING" alone does not say whether it will ever run.
  void show(const std::string& id, const std::string& status, const std::string& reason,
            double waited, const std::vector<pull_view>& pulls) {
    if (quiet_)
      return;
    auto shown = wait_status_line(status, reason);
    if (tty_)
      return redraw(shown, waited, pulls);
    if (shown != last_status_)
      std::cerr << "session " << id << ": " << shown << "\n";
    last_status_ = shown;
    for (auto& v : pulls)
      print_pull(v);
  }

  void clear() {
    if (tty_)
      std::cerr << "\r\033[K" << std::flush;
  }

private:
  void redraw(const std::string& status, double waited, const std::vector<pull_view>& pulls) {
    static const char spinner[] = "|/-\\";
    std::string line = std::string(1, spinner[tick_++ % 4]) + " " + status + " " +
                       std::to_string(static_cast<int>(waited)) + "s";
    // The pull still going, else the last one: one line, cut to the terminal's width.
    const pull_view* shown = nullptr;
    for (auto& v : pulls)
      if (!shown || (v.phase != "finished" && v.phase != "failed"))
        shown = &v;
    // The bar first: a long image name is what a narrow terminal cuts.
    if (shown)
      line += "  " + progress_summary(*shown, 20) + "  " + shown->image;
    auto width = terminal_width() - 1;
    if (line.size() > width)
      line.resize(width);
    std::cerr << "\r\033[K" << line << std::flush;
  }

  /// A line when a pull first shows bytes, then every few seconds, and when it ends.
  void print_pull(const pull_view& v) {
    auto key = v.agent + " " + v.image;
    auto& seen = printed_[key];
    if (v.updates == seen.updates)
      return;
    bool ended = v.phase == "finished" || v.phase == "failed";
    bool first_bytes = v.has_bytes && !seen.had_bytes;
    auto now = clock_type::now();
    if (!ended && !first_bytes && seen.updates > 0 && now - seen.at < line_interval)
      return;
    std::cerr << "pull " << progress_line(v) << "\n";
    seen = {v.updates, v.has_bytes, now};
  }

  struct printed {
    int updates = 0;
    bool had_bytes = false;
    clock_type::time_point at{};
  };

  bool quiet_;
  bool tty_;
  int tick_ = 0;
  std::string last_status_;
  std::map<std::string, printed> printed_;
};

} // namespace

caf::expected<std::string> follow_session(const ctl_args& args, const ctl_client& api,
                                          const std::string& id, const pull_watcher* pulls,
                                          std::vector<std::string> images,
                                          const std::function<bool(session_status)>& done) {
  double limit = 600;
  if (!args.option("--timeout").empty()) {
    auto t = number_option(args, "--timeout");
    if (!t)
      return t.error();
    limit = *t;
  }
  wait_display display{args.json};
  auto start = clock_type::now();
  uint64_t news = 0;
  for (int tick = 0;; ++tick) {
    auto res = api.get("/v1/sessions/" + http::percent_encode(id));
    if (!res) {
      display.clear();
      return res.error();
    }
    auto status = str(res->json, "status");
    auto reason = str(res->json, "status_reason");
    // A status this client does not know (a newer manager's) is neither done nor an end.
    auto known = session_status_from(status);
    bool finished = known && done(*known);
    bool failed = known && ended_badly(*known);
    auto image = str(res->json, "image");
    if (!image.empty() && std::find(images.begin(), images.end(), image) == images.end())
      images.push_back(image);
    double waited = std::chrono::duration<double>(clock_type::now() - start).count();
    auto seen = pulls ? pulls->pulling(images) : std::vector<pull_view>{};
    if (finished || failed) {
      // The pulls' last word (finished) often lands just before the status moves on.
      display.show(id, status, reason, waited, seen);
      display.clear();
    }
    if (finished)
      return res->body;
    if (failed) {
      std::string info;
      if (!member(res->json, "status_data").IsNull())
        info = ": " + to_json(member(res->json, "status_data"));
      else if (!reason.empty())
        info = ": " + reason;
      return make_error(errc::runtime_error, "session " + id + " is " + status + info);
    }
    display.show(id, status, reason, waited, seen);
    if (waited > limit) {
      display.clear();
      return make_error(errc::timeout, "session " + id + " is still " + status + " after " +
                                           std::to_string(static_cast<int>(limit)) + "s" +
                                           (reason.empty() ? "" : ": " + reason));
    }
    // The next poll comes at once when the event stream says something changed.
    auto interval = std::chrono::milliseconds(tick < 10 ? 200 : 500);
    if (pulls)
      news = pulls->wait_news(news, interval);
    else
      std::this_thread::sleep_for(interval);
  }
}

std::unique_ptr<pull_watcher> watch_pulls(const ctl_args& args, const ctl_client& api,
                                          bool will_wait) {
  // A script's create that answers at once needs no stream; a wait does, with --json too: its
  // events wake the wait when the status moves (only the drawing is left out).
  if (args.json && !will_wait)
    return nullptr;
  auto watcher = std::make_unique<pull_watcher>(api);
  // Without the subscription (an older manager, a slow one) only the progress is missing.
  watcher->wait_subscribed(std::chrono::seconds{3});
  return watcher;
}

caf::expected<std::string> wait_running(const ctl_args& args, const ctl_client& api,
                                        const std::string& id, const pull_watcher* pulls,
                                        const std::string& image) {
  return follow_session(args, api, id, pulls, {image},
                        [](session_status status) { return status == session_status::running; });
}

caf::expected<std::string> wait_images_ready(const ctl_args& args, const ctl_client& api,
                                             const std::string& id, const pull_watcher* pulls,
                                             const std::string& image) {
  return follow_session(args, api, id, pulls, {image}, [](session_status status) {
    return status != session_status::pending && status != session_status::scheduled &&
           status != session_status::preparing && status != session_status::pulling;
  });
}

} // namespace baikal::ctl
