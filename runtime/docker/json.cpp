#include "runtime/docker/json.hpp"

#include <limits>

#include "messages/errors.hpp"

namespace baikal::docker::json {

caf::expected<rapidjson::Document> parse_object(std::string_view body, const char* what) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return make_error(errc::runtime_error,
                      std::string{"the Docker engine sent an unreadable "} + what);
  return doc;
}

std::string string_of(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject())
    return {};
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsString())
    return {};
  return {i->value.GetString(), i->value.GetStringLength()};
}

int64_t int_of(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject())
    return 0;
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd())
    return 0;
  if (i->value.IsInt64())
    return i->value.GetInt64();
  if (i->value.IsUint64())
    return static_cast<int64_t>(i->value.GetUint64());
  // A double outside int64_t's range cannot be converted (undefined): it saturates.
  if (i->value.IsDouble()) {
    double d = i->value.GetDouble();
    if (d >= 9223372036854775808.0)
      return std::numeric_limits<int64_t>::max();
    if (d < -9223372036854775808.0)
      return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(d);
  }
  return 0;
}

bool bool_of(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject())
    return false;
  auto i = obj.FindMember(key);
  return i != obj.MemberEnd() && i->value.IsBool() && i->value.GetBool();
}

std::vector<std::string> strings_of(const rapidjson::Value& obj, const char* key) {
  std::vector<std::string> out;
  if (!obj.IsObject())
    return out;
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsArray())
    return out; // Docker writes null for an empty list
  for (auto& v : i->value.GetArray())
    if (v.IsString())
      out.emplace_back(v.GetString(), v.GetStringLength());
  return out;
}

std::map<std::string, std::string> string_map_of(const rapidjson::Value& obj, const char* key) {
  std::map<std::string, std::string> out;
  if (!obj.IsObject())
    return out;
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsObject())
    return out;
  for (auto& m : i->value.GetObject())
    if (m.value.IsString())
      out.emplace(std::string{m.name.GetString(), m.name.GetStringLength()},
                  std::string{m.value.GetString(), m.value.GetStringLength()});
  return out;
}

void writer::field(std::string_view k, const std::vector<std::string>& values) {
  key(k);
  w_.StartArray();
  for (auto& v : values)
    string(v);
  w_.EndArray();
}

void writer::field(std::string_view k, const std::map<std::string, std::string>& values) {
  key(k);
  w_.StartObject();
  for (auto& [name, value] : values)
    field(name, value);
  w_.EndObject();
}

} // namespace baikal::docker::json
