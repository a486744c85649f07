#include "runtime/json/json_reader.hpp"

#include <cmath>

#include <rapidjson/error/en.h>

#include "messages/errors.hpp"
#include "runtime/json/json_writer.hpp"

namespace baikal::json {

caf::expected<rapidjson::Document> parse_object(std::string_view body) {
  rapidjson::Document doc;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    doc.SetObject();
    return doc;
  }
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError())
    return make_error(errc::invalid_argument, std::string{"the request body is not valid JSON: "} +
                                                  rapidjson::GetParseError_En(doc.GetParseError()) +
                                                  " at offset " +
                                                  std::to_string(doc.GetErrorOffset()));
  if (!doc.IsObject())
    return make_error(errc::invalid_argument, "the request body must be a JSON object");
  return doc;
}

bool scalar_text(const rapidjson::Value& v, std::string& out) {
  if (v.IsString()) {
    out.assign(v.GetString(), v.GetStringLength());
    return true;
  }
  if (v.IsBool()) {
    out = v.GetBool() ? "true" : "false";
    return true;
  }
  if (v.IsNumber()) {
    writer w;
    if (v.IsInt64())
      w.integer(v.GetInt64());
    else
      w.amount(v.GetDouble());
    out = w.str();
    return true;
  }
  return false;
}

void object_reader::only(std::initializer_list<std::string_view> known) {
  for (auto& m : obj_.GetObject()) {
    std::string_view name{m.name.GetString(), m.name.GetStringLength()};
    bool ok = false;
    for (auto k : known)
      ok = ok || k == name;
    if (!ok)
      fail("unknown field \"" + std::string{name} + "\"");
  }
}

const rapidjson::Value* object_reader::find(const char* key) const {
  auto i = obj_.FindMember(key);
  if (i == obj_.MemberEnd() || i->value.IsNull())
    return nullptr;
  return &i->value;
}

bool object_reader::has(const char* key) const {
  return find(key) != nullptr;
}

void object_reader::fail(std::string message) {
  if (!err_)
    err_ = make_error(errc::invalid_argument, std::move(message));
}

void object_reader::required_string(const char* key, std::string& out) {
  if (!find(key))
    return fail(std::string{"the field \""} + key + "\" is required");
  optional_string(key, out);
}

void object_reader::optional_string(const char* key, std::string& out) {
  auto v = find(key);
  if (!v)
    return;
  if (!v->IsString())
    return fail(std::string{"the field \""} + key + "\" must be a string");
  out.assign(v->GetString(), v->GetStringLength());
}

void object_reader::optional_string(const char* key, caf::optional<std::string>& out) {
  if (!find(key))
    return;
  std::string value;
  optional_string(key, value);
  out = std::move(value);
}

void object_reader::optional_bool(const char* key, bool& out) {
  auto v = find(key);
  if (!v)
    return;
  if (!v->IsBool())
    return fail(std::string{"the field \""} + key + "\" must be true or false");
  out = v->GetBool();
}

void object_reader::optional_number(const char* key, double& out) {
  auto v = find(key);
  if (!v)
    return;
  if (!v->IsNumber())
    return fail(std::string{"the field \""} + key + "\" must be a number");
  out = v->GetDouble();
}

void object_reader::optional_integer(const char* key, int64_t& out, int64_t min, int64_t max) {
  auto v = find(key);
  if (!v)
    return;
  double d = v->IsNumber() ? v->GetDouble() : NAN;
  if (!v->IsNumber() || std::floor(d) != d || d < static_cast<double>(min) ||
      d > static_cast<double>(max))
    return fail(std::string{"the field \""} + key + "\" must be a whole number from " +
                std::to_string(min) + " to " + std::to_string(max));
  out = static_cast<int64_t>(d);
}

void object_reader::optional_string_list(const char* key, std::vector<std::string>& out) {
  auto v = find(key);
  if (!v)
    return;
  if (!v->IsArray())
    return fail(std::string{"the field \""} + key + "\" must be a list of strings");
  for (auto& item : v->GetArray()) {
    if (!item.IsString())
      return fail(std::string{"the field \""} + key + "\" must be a list of strings");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
}

void object_reader::optional_string_map(const char* key, std::map<std::string, std::string>& out) {
  auto v = find(key);
  if (!v)
    return;
  if (!v->IsObject())
    return fail(std::string{"the field \""} + key + "\" must be an object");
  for (auto& m : v->GetObject()) {
    std::string text;
    if (!scalar_text(m.value, text))
      return fail(std::string{"the values of \""} + key +
                  "\" must be strings, numbers or booleans");
    out[std::string{m.name.GetString(), m.name.GetStringLength()}] = std::move(text);
  }
}

void object_reader::optional_number_map(const char* key, std::map<std::string, double>& out) {
  auto v = find(key);
  if (!v)
    return;
  if (!v->IsObject())
    return fail(std::string{"the field \""} + key + "\" must be an object");
  for (auto& m : v->GetObject()) {
    if (!m.value.IsNumber())
      return fail(std::string{"the values of \""} + key + "\" must be numbers");
    out[std::string{m.name.GetString(), m.name.GetStringLength()}] = m.value.GetDouble();
  }
}

} // namespace baikal::json
