#pragma once

/// Building one response object of the runner protocol.

#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace baikal::kernel_runner {

/// Writes {"id": <the request's id, verbatim>, ...fields}. Fields are streamed straight into
/// the text; the request id is kept as its JSON text so any id type round-trips.
class json_reply {
public:
  explicit json_reply(const std::string& id_json) : writer_(buffer_) {
    writer_.StartObject();
    writer_.Key("id");
    writer_.RawValue(id_json.data(), id_json.size(), rapidjson::kStringType);
  }

  json_reply& str(const char* key, std::string_view value) {
    writer_.Key(key);
    writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return *this;
  }
  json_reply& num(const char* key, int64_t value) {
    writer_.Key(key);
    writer_.Int64(value);
    return *this;
  }
  json_reply& real(const char* key, double value) {
    writer_.Key(key);
    writer_.Double(value);
    return *this;
  }
  /// For nested arrays and objects.
  rapidjson::Writer<rapidjson::StringBuffer>& writer() { return writer_; }

  std::string finish() {
    writer_.EndObject();
    return std::string(buffer_.GetString(), buffer_.GetSize());
  }

private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

/// {"id":..., "error": code, "message": text}: code is one of invalid_json, frame_too_large,
/// invalid_argument, unknown_op, not_found, conflict.
inline std::string error_reply(const std::string& id_json, std::string_view code,
                               std::string_view message) {
  return json_reply(id_json).str("error", code).str("message", message).finish();
}

} // namespace baikal::kernel_runner
