#pragma once

/// A small RapidJSON writer that fills a std::string: the one place the API and baikalctl
/// build JSON text.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace baikal::json {

class writer {
public:
  writer() : w_(buf_) {}

  void begin_object() { w_.StartObject(); }
  void end_object() { w_.EndObject(); }
  void begin_array() { w_.StartArray(); }
  void end_array() { w_.EndArray(); }
  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void string(std::string_view v) {
    w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  void integer(int64_t v) { w_.Int64(v); }
  void number(double v) { w_.Double(v); }
  void boolean(bool v) { w_.Bool(v); }
  void null() { w_.Null(); }
  /// Writes `text` as it is: it must already be one JSON value.
  void raw(std::string_view text) { w_.RawValue(text.data(), text.size(), rapidjson::kObjectType); }

  void field(std::string_view k, std::string_view v) { key(k), string(v); }
  void field(std::string_view k, const char* v) { key(k), string(v); }
  void field(std::string_view k, const std::string& v) { key(k), string(v); }
  void field(std::string_view k, int64_t v) { key(k), integer(v); }
  void field(std::string_view k, bool v) { key(k), boolean(v); }
  void field(std::string_view k, const std::vector<std::string>& values);
  void field(std::string_view k, const std::map<std::string, std::string>& values);
  /// Slots and other name-to-number maps; whole numbers are written as integers.
  void field(std::string_view k, const std::map<std::string, double>& values);

  /// A number that is written as an integer when it has no fraction.
  void amount(double v);

  std::string str() const { return {buf_.GetString(), buf_.GetSize()}; }

private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

/// Whether `text` is one well-formed JSON value (so it may be embedded with writer::raw).
bool is_json(std::string_view text);

} // namespace baikal::json
