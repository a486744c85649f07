#include "request.hpp"

#include <algorithm>
#include <cmath>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace baikal::kernel_runner {

namespace {

std::string text_field(const rapidjson::Value& obj, const char* key) {
  if (obj.IsObject() && obj.HasMember(key) && obj[key].IsString())
    return std::string(obj[key].GetString(), obj[key].GetStringLength());
  return {};
}

std::optional<double> number_field(const rapidjson::Value& obj, const char* key) {
  if (obj.IsObject() && obj.HasMember(key) && obj[key].IsNumber())
    return obj[key].GetDouble();
  return std::nullopt;
}

const rapidjson::Value& object_field(const rapidjson::Value& obj, const char* key) {
  static const rapidjson::Value empty(rapidjson::kObjectType);
  if (obj.IsObject() && obj.HasMember(key) && obj[key].IsObject())
    return obj[key];
  return empty;
}

} // namespace

std::optional<request> parse_request(std::string_view payload) {
  rapidjson::Document doc;
  doc.Parse(payload.data(), payload.size());
  if (doc.HasParseError() || !doc.IsObject())
    return std::nullopt;
  request req;
  if (doc.HasMember("id")) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    doc["id"].Accept(w);
    req.id_json.assign(buf.GetString(), buf.GetSize());
  }
  req.op = text_field(doc, "op");
  req.mode = text_field(doc, "mode");
  req.code = text_field(doc, "code");
  req.run_id = text_field(doc, "run_id");
  req.text = text_field(doc, "text");
  req.name = text_field(doc, "name");
  req.flush_timeout =
      std::clamp(number_field(doc, "flush_timeout").value_or(1.0), 0.0, max_flush_timeout);
  const auto& opts = object_field(doc, "opts");
  // Seconds past what the clock holds would overflow the deadline's conversion (undefined).
  if (auto t = number_field(opts, "exec_timeout"))
    req.exec_timeout = std::min(*t, max_exec_timeout);
  req.build = text_field(opts, "build");
  req.exec = text_field(opts, "exec");
  // Converting a number outside int's range is undefined, and no port lies outside 1..65535.
  if (auto p = number_field(opts, "port")) {
    if (*p >= 1 && *p <= 65535 && std::floor(*p) == *p)
      req.port = static_cast<int>(*p);
    else
      req.bad_port = true;
  }
  if (doc.HasMember("stream") && doc["stream"].IsBool())
    req.stream = doc["stream"].GetBool();
  for (auto [key, out] : {std::pair{"rows", &req.rows}, std::pair{"cols", &req.cols}}) {
    auto n = number_field(opts, key);
    if (!n)
      continue;
    if (*n >= 1 && *n <= max_terminal_side && std::floor(*n) == *n)
      *out = static_cast<int>(*n);
    else
      req.bad_size = true;
  }
  req.term = text_field(opts, "term");
  return req;
}

std::chrono::steady_clock::time_point after_seconds(std::chrono::steady_clock::time_point now,
                                                    double seconds) {
  using clock = std::chrono::steady_clock;
  return now + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
}

} // namespace baikal::kernel_runner
