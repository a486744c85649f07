#pragma once

/// RapidJSON helpers shared by the request builders and response parsers of runtime/docker/.
/// Internal to this folder.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace baikal::docker::json {

/// Parses an object; a body that is not one is a runtime_error naming `what`.
caf::expected<rapidjson::Document> parse_object(std::string_view body, const char* what);

std::string string_of(const rapidjson::Value& obj, const char* key);
int64_t int_of(const rapidjson::Value& obj, const char* key);
bool bool_of(const rapidjson::Value& obj, const char* key);
std::vector<std::string> strings_of(const rapidjson::Value& obj, const char* key);
std::map<std::string, std::string> string_map_of(const rapidjson::Value& obj, const char* key);

/// A writer that fills a std::string.
class writer {
public:
  writer() : w_(buf_) {}

  rapidjson::Writer<rapidjson::StringBuffer>& raw() { return w_; }
  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void string(std::string_view v) {
    w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  void field(std::string_view k, std::string_view v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, const std::vector<std::string>& values);
  void field(std::string_view k, const std::map<std::string, std::string>& values);
  std::string str() const { return buf_.GetString(); }

private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

} // namespace baikal::docker::json
