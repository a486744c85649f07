#include "tools/baikal-bench/report.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <sstream>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "tools/baikal-bench/stats.hpp"

namespace baikal::bench {

namespace {

std::string first_line_of(const std::string& path) {
  std::ifstream in{path};
  std::string line;
  std::getline(in, line);
  return line;
}

std::string cpu_model() {
  std::ifstream in{"/proc/cpuinfo"};
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0)
      if (auto colon = line.find(':'); colon != std::string::npos)
        return line.substr(std::min(colon + 2, line.size()));
  return "unknown";
}

std::string utc_now() {
  char buf[32];
  auto now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string ratio_text(const figure_row& row) {
  if (row.base_label.empty())
    return "";
  return format_number(ratio(row.ours, row.base), 3);
}

std::string target_text(const figure_row& row) {
  if (row.target.empty())
    return "";
  if (!row.met)
    return row.target;
  return row.target + (*row.met ? ": met" : ": NOT met");
}

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

} // namespace

std::map<std::string, std::string> describe_machine() {
  std::map<std::string, std::string> out;
  out["date"] = utc_now();
  out["cpus"] = std::to_string(::sysconf(_SC_NPROCESSORS_ONLN));
  out["cpu_model"] = cpu_model();
  out["loadavg"] = first_line_of("/proc/loadavg");
  utsname u{};
  if (::uname(&u) == 0)
    out["kernel"] = std::string{u.sysname} + " " + u.release;
  return out;
}

std::string format_number(double x, int digits) {
  if (x == 0 || !std::isfinite(x))
    return x == 0 ? "0" : "n/a";
  auto magnitude = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  int decimals = std::max(0, digits - 1 - magnitude);
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(decimals);
  out << x;
  return out.str();
}

std::string render_table(const report& r) {
  std::ostringstream out;
  out << "baikal-bench " << r.benchmark;
  for (auto& [key, value] : r.parameters)
    out << "  " << key << "=" << value;
  out << "\n";
  for (auto& [key, value] : r.machine)
    out << "  " << key << ": " << value << "\n";
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"figure", "unit", "ours", "value", "baseline", "value", "ours/base", "target"});
  for (auto& row : r.rows)
    cells.push_back({row.what, row.unit, row.ours_label, format_number(row.ours), row.base_label,
                     row.base_label.empty() ? "" : format_number(row.base), ratio_text(row),
                     target_text(row)});
  std::vector<size_t> width(cells.front().size(), 0);
  for (auto& line : cells)
    for (size_t i = 0; i < line.size(); ++i)
      width[i] = std::max(width[i], line[i].size());
  out << "\n";
  for (auto& line : cells) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i)
      text += pad(line[i], width[i] + 2);
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << "\n";
  }
  if (!r.notes.empty())
    out << "\n";
  for (auto& note : r.notes)
    out << "note: " << note << "\n";
  return out.str();
}

std::string render_json(const report& r) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w{buf};
  auto map = [&](const char* name, const std::map<std::string, std::string>& m) {
    w.Key(name);
    w.StartObject();
    for (auto& [key, value] : m) {
      w.Key(key.c_str());
      w.String(value.c_str());
    }
    w.EndObject();
  };
  w.StartObject();
  w.Key("benchmark");
  w.String(r.benchmark.c_str());
  map("parameters", r.parameters);
  map("machine", r.machine);
  w.Key("rows");
  w.StartArray();
  for (auto& row : r.rows) {
    w.StartObject();
    w.Key("what");
    w.String(row.what.c_str());
    w.Key("unit");
    w.String(row.unit.c_str());
    w.Key("ours_label");
    w.String(row.ours_label.c_str());
    w.Key("ours");
    w.Double(row.ours);
    if (!row.base_label.empty()) {
      w.Key("base_label");
      w.String(row.base_label.c_str());
      w.Key("base");
      w.Double(row.base);
      w.Key("ratio");
      w.Double(ratio(row.ours, row.base));
    }
    if (!row.target.empty()) {
      w.Key("target");
      w.String(row.target.c_str());
    }
    if (row.met) {
      w.Key("met");
      w.Bool(*row.met);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("notes");
  w.StartArray();
  for (auto& note : r.notes)
    w.String(note.c_str());
  w.EndArray();
  w.EndObject();
  return std::string{buf.GetString(), buf.GetSize()} + "\n";
}

} // namespace baikal::bench
