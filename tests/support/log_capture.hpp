#pragma once

/// Captures what one logger writes while it lives, for a test to wait for or count a line.

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/sinks/base_sink.h>

#include "runtime/logging/log.hpp"

namespace baikal::test {

/// Captures what one logger writes while it lives. Create it before the actors that log and
/// destroy it after them: a logger's sink list is not safe to change while it is in use.
class log_capture {
public:
  explicit log_capture(const std::string& component)
      : logger_(log::get(component)), sink_(std::make_shared<sink>()) {
    logger_->sinks().push_back(sink_);
  }
  ~log_capture() {
    auto& sinks = logger_->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  /// How many records of `level` contain `text`.
  size_t count(spdlog::level::level_enum level, const std::string& text) {
    std::lock_guard<std::mutex> guard{sink_->entries_mtx};
    size_t n = 0;
    for (auto& [lvl, msg] : sink_->entries)
      n += lvl == level && msg.find(text) != std::string::npos;
    return n;
  }

private:
  struct sink : spdlog::sinks::base_sink<std::mutex> {
    std::mutex entries_mtx;
    std::vector<std::pair<spdlog::level::level_enum, std::string>> entries;
    void sink_it_(const spdlog::details::log_msg& msg) override {
      std::lock_guard<std::mutex> guard{entries_mtx};
      entries.emplace_back(msg.level, std::string(msg.payload.begin(), msg.payload.end()));
    }
    void flush_() override {}
  };
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<sink> sink_;
};

} // namespace baikal::test
