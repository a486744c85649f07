#include "runtime/checks/field_checks.hpp"

#include "messages/errors.hpp"

namespace baikal::checks {

namespace {

bool control(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

bool has_control(std::string_view s) {
  for (char c : s)
    if (control(c))
      return true;
  return false;
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

caf::error invalid(std::string text) {
  return make_error(errc::invalid_argument, std::move(text));
}

std::string entry_of(const std::string& field, std::string_view key) {
  return field + "[\"" + shown(key) + "\"]";
}

caf::error check_entries(const std::string& field, size_t size, const map_limits& limits) {
  if (size > limits.max_entries)
    return make_error(errc::too_large, field + " has " + std::to_string(size) +
                                           " entries; at most " +
                                           std::to_string(limits.max_entries) + " are accepted");
  return {};
}

caf::error check_sizes(const std::string& field, std::string_view key, std::string_view value,
                       const map_limits& limits) {
  if (key.size() > limits.max_key_bytes)
    return make_error(errc::too_large, "a key of " + field + " (\"" + shown(key) +
                                           "\") is longer than " +
                                           std::to_string(limits.max_key_bytes) + " bytes");
  if (value.size() > limits.max_value_bytes)
    return make_error(errc::too_large, entry_of(field, key) + " is longer than " +
                                           std::to_string(limits.max_value_bytes) + " bytes");
  if (value.find('\0') != std::string_view::npos)
    return invalid(entry_of(field, key) + " must not contain a NUL character");
  return {};
}

} // namespace

std::string shown(std::string_view value) {
  std::string out{value.substr(0, 80)};
  for (auto& c : out)
    if (control(c))
      c = '?';
  if (value.size() > 80)
    out += "...";
  return out;
}

caf::error check_name(const std::string& field, std::string_view value, size_t max_length) {
  bool ok = !value.empty() && value.size() <= max_length && value.front() != '-' &&
            value.front() != '.' && value.front() != '_';
  for (size_t i = 0; ok && i < value.size(); ++i)
    ok = name_char(value[i]);
  if (ok)
    return {};
  return invalid(field + " must be 1 to " + std::to_string(max_length) +
                 " letters, digits, '-', '_' or '.', starting with a letter or digit, not \"" +
                 shown(value) + "\"");
}

caf::error check_plain_file_name(const std::string& field, std::string_view value) {
  if (value.empty() || value.size() > 255 || value == "." || value == ".." ||
      value.find('/') != std::string_view::npos || value.find('\0') != std::string_view::npos)
    return invalid(field +
                   " must be a plain file name (1 to 255 bytes, no '/', not \".\" or "
                   "\"..\"), not \"" +
                   shown(value) + "\"");
  return {};
}

caf::error check_text(const std::string& field, std::string_view value, size_t max_bytes) {
  if (value.size() > max_bytes)
    return make_error(errc::too_large, field + " is " + std::to_string(value.size()) +
                                           " bytes; at most " + std::to_string(max_bytes) +
                                           " are accepted");
  if (value.find('\0') != std::string_view::npos)
    return invalid(field + " must not contain a NUL character");
  return {};
}

caf::error check_environ(const std::string& field, const std::map<std::string, std::string>& env,
                         const map_limits& limits) {
  if (auto err = check_entries(field, env.size(), limits))
    return err;
  for (auto& [key, value] : env) {
    if (key.empty())
      return invalid(field + " has an empty variable name");
    if (key.find('=') != std::string::npos || has_control(key))
      return invalid("the variable name \"" + shown(key) + "\" in " + field +
                     " must not contain '=', NUL or control characters");
    if (auto err = check_sizes(field, key, value, limits))
      return err;
  }
  return {};
}

caf::error check_string_map(const std::string& field,
                            const std::map<std::string, std::string>& values,
                            const map_limits& limits) {
  if (auto err = check_entries(field, values.size(), limits))
    return err;
  for (auto& [key, value] : values) {
    if (key.empty() || has_control(key))
      return invalid("the keys of " + field + " must not be empty or contain control characters");
    if (auto err = check_sizes(field, key, value, limits))
      return err;
  }
  return {};
}

} // namespace baikal::checks
