#pragma once

/// Reading JSON request bodies with checks: each accessor validates the field's type and the
/// reader keeps the first problem as an `invalid_argument` error naming the field, so a
/// handler reads every field and then asks `error()` once.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <rapidjson/document.h>

namespace baikal::json {

/// Parses `body` as one JSON object; an empty body is an empty object.
caf::expected<rapidjson::Document> parse_object(std::string_view body);

class object_reader {
public:
  explicit object_reader(const rapidjson::Value& obj) : obj_(obj) {}

  /// Fails on any member whose name is not in `known`.
  void only(std::initializer_list<std::string_view> known);

  void required_string(const char* key, std::string& out);
  void optional_string(const char* key, std::string& out);
  /// Stays empty when the key is absent or null.
  void optional_string(const char* key, caf::optional<std::string>& out);
  void optional_bool(const char* key, bool& out);
  void optional_number(const char* key, double& out);
  /// A whole number in [min, max].
  void optional_integer(const char* key, int64_t& out, int64_t min, int64_t max);
  void optional_string_list(const char* key, std::vector<std::string>& out);
  /// An object whose values are strings, numbers or booleans (kept as their text).
  void optional_string_map(const char* key, std::map<std::string, std::string>& out);
  /// An object whose values are numbers.
  void optional_number_map(const char* key, std::map<std::string, double>& out);

  bool has(const char* key) const;
  void fail(std::string message);
  const caf::error& error() const { return err_; }

private:
  const rapidjson::Value* find(const char* key) const;

  const rapidjson::Value& obj_;
  caf::error err_;
};

/// A scalar JSON value as text: strings as they are, numbers and booleans as written.
bool scalar_text(const rapidjson::Value& v, std::string& out);

} // namespace baikal::json
