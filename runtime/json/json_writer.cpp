#include "runtime/json/json_writer.hpp"

#include <cmath>

#include <rapidjson/document.h>

namespace baikal::json {

void writer::field(std::string_view k, const std::vector<std::string>& values) {
  key(k);
  begin_array();
  for (auto& v : values)
    string(v);
  end_array();
}

void writer::field(std::string_view k, const std::map<std::string, std::string>& values) {
  key(k);
  begin_object();
  for (auto& [name, value] : values)
    field(name, value);
  end_object();
}

void writer::field(std::string_view k, const std::map<std::string, double>& values) {
  key(k);
  begin_object();
  for (auto& [name, value] : values) {
    key(name);
    amount(value);
  }
  end_object();
}

void writer::amount(double v) {
  // Memory in bytes must not come out as 1.34217728e8.
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9.0e15)
    integer(static_cast<int64_t>(v));
  else
    number(v);
}

bool is_json(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  return !doc.HasParseError();
}

} // namespace baikal::json
