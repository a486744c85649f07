#include "tools/baikalctl/pull_progress.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include <rapidjson/document.h>

namespace baikal::ctl {

namespace {

std::string text_of(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject())
    return {};
  auto i = v.FindMember(key);
  return i != v.MemberEnd() && i->value.IsString()
             ? std::string{i->value.GetString(), i->value.GetStringLength()}
             : std::string{};
}

uint64_t count_of(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject())
    return 0;
  auto i = v.FindMember(key);
  if (i == v.MemberEnd())
    return 0;
  if (i->value.IsUint64())
    return i->value.GetUint64();
  // A count past 2^64 (1e20) cannot be converted (undefined): it saturates.
  if (i->value.IsNumber() && i->value.GetDouble() > 0)
    return i->value.GetDouble() < 18446744073709551616.0
               ? static_cast<uint64_t>(i->value.GetDouble())
               : std::numeric_limits<uint64_t>::max();
  return 0;
}

/// The stream writes phases with the reference's event names ("ImagePullProgressEvent").
std::string short_phase(const std::string& phase) {
  if (phase == "ImagePullStartedEvent")
    return "started";
  if (phase == "ImagePullProgressEvent")
    return "progress";
  if (phase == "ImagePullFinishedEvent")
    return "finished";
  if (phase == "ImagePullFailedEvent")
    return "failed";
  return phase;
}

} // namespace

std::optional<pull_update> parse_pull_event(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json.c_str());
  if (doc.HasParseError() || !doc.IsObject() || text_of(doc, "type") != "image_pull")
    return std::nullopt;
  pull_update u;
  u.phase = short_phase(text_of(doc, "phase"));
  u.agent = text_of(doc, "agent");
  u.image = text_of(doc, "image");
  u.job_id = text_of(doc, "job_id");
  u.message = text_of(doc, "message");
  u.current = count_of(doc, "current");
  u.total = count_of(doc, "total");
  if (auto i = doc.FindMember("timestamp_ms"); i != doc.MemberEnd() && i->value.IsInt64())
    u.timestamp_ms = i->value.GetInt64();
  return u;
}

void pull_progress::apply(const pull_update& u) {
  auto key = u.job_id.empty() ? u.agent + "/" + u.image : u.job_id;
  auto [it, added] = jobs_.try_emplace(key);
  if (added)
    order_.push_back(key);
  auto& v = it->second;
  v.agent = u.agent;
  v.image = u.image;
  v.phase = u.phase;
  ++v.updates;
  if (u.phase != "progress")
    return;
  bool bytes = u.current > 0 || u.total > 0;
  if (!bytes) {
    v.status = u.message;
    return;
  }
  // A new status or a count that went back means another layer or step: measure afresh.
  if (!v.has_bytes || u.message != v.status || u.current < v.current) {
    v.rate_from_bytes = u.current;
    v.rate_from_ms = u.timestamp_ms;
    v.rate = 0;
  } else if (u.timestamp_ms > v.rate_from_ms) {
    v.rate = static_cast<double>(u.current - v.rate_from_bytes) * 1000.0 /
             static_cast<double>(u.timestamp_ms - v.rate_from_ms);
  }
  v.status = u.message;
  v.current = u.current;
  v.total = u.total;
  v.has_bytes = true;
  if (u.total > 0)
    v.layer_totals.insert(u.total);
}

std::vector<pull_view> pull_progress::pulling(const std::vector<std::string>& images) const {
  std::vector<pull_view> out;
  for (auto& key : order_) {
    auto& v = jobs_.at(key);
    auto wanted = std::any_of(images.begin(), images.end(),
                              [&](const std::string& img) { return same_image(img, v.image); });
    if (wanted)
      out.push_back(v);
  }
  return out;
}

bool same_image(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty())
    return false;
  return a == b || a + ":latest" == b || a == b + ":latest";
}

std::string format_bytes(double bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  char buf[32];
  if (unit == 0)
    std::snprintf(buf, sizeof buf, "%.0f B", bytes);
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", bytes, units[unit]);
  return buf;
}

std::string progress_bar(uint64_t current, uint64_t total, int width) {
  int filled = 0;
  if (total > 0)
    filled =
        static_cast<int>(std::min<uint64_t>(current, total) * static_cast<uint64_t>(width) / total);
  return "[" + std::string(static_cast<size_t>(filled), '#') +
         std::string(static_cast<size_t>(width - filled), '.') + "]";
}

std::string progress_summary(const pull_view& v, int bar_width) {
  if (v.phase == "finished") {
    uint64_t moved = 0;
    for (auto t : v.layer_totals)
      moved += t;
    return moved ? "pulled " + format_bytes(static_cast<double>(moved)) : "pulled";
  }
  if (v.phase == "failed")
    return "failed";
  auto status = v.status.empty() ? std::string{"started"} : v.status;
  if (!v.has_bytes)
    return status;
  auto line = status + " " + progress_bar(v.current, v.total, bar_width) + " " +
              format_bytes(static_cast<double>(v.current));
  if (v.total > 0) {
    line += " / " + format_bytes(static_cast<double>(v.total));
    line += " " + std::to_string(std::min<uint64_t>(v.current, v.total) * 100 / v.total) + "%";
  }
  if (v.rate > 0)
    line += " " + format_bytes(v.rate) + "/s";
  return line;
}

std::string progress_line(const pull_view& v, int bar_width) {
  return v.image + " on " + v.agent + ": " + progress_summary(v, bar_width);
}

} // namespace baikal::ctl
