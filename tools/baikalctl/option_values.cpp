#include "tools/baikalctl/option_values.hpp"

#include <algorithm>
#include <cctype>

#include "runtime/checks/numbers.hpp"

namespace baikal::ctl {

std::string value_problem(const option_spec& spec, const std::string& text) {
  auto not_this = ", not \"" + text + "\"";
  switch (spec.kind) {
  case value_kind::flag:
  case value_kind::text:
    return {};
  case value_kind::number:
    return checks::parse_number(text) ? "" : spec.name + " needs a number" + not_this;
  case value_kind::seconds:
    return checks::parse_number(text) ? "" : spec.name + " needs a number of seconds" + not_this;
  case value_kind::count: {
    auto n = checks::parse_unsigned(text, 1u << 30);
    return n && *n >= 1 ? "" : spec.name + " needs a whole number of at least 1" + not_this;
  }
  case value_kind::size:
    return parse_size(text) ? ""
                            : spec.name + " needs a size such as 268435456, 256m or 2g" + not_this;
  case value_kind::key_value: {
    auto eq = text.find('=');
    return eq != std::string::npos && eq > 0 ? "" : spec.name + " needs KEY=VALUE" + not_this;
  }
  case value_kind::mount: {
    std::string error;
    return parse_mount_option(text, error) ? "" : error;
  }
  case value_kind::choice: {
    if (std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end())
      return {};
    std::string list;
    for (auto& c : spec.choices)
      list += (list.empty() ? "" : ", ") + c;
    return spec.name + " needs one of " + list + not_this;
  }
  }
  return {};
}

std::optional<mount_option> parse_mount_option(const std::string& text, std::string& error) {
  mount_option out;
  auto colon = text.rfind(':');
  out.folder = text.substr(0, colon);
  if (colon != std::string::npos)
    out.mode = text.substr(colon + 1);
  if (out.folder.empty() || (out.mode != "rw" && out.mode != "ro")) {
    error = "--mount needs NAME, NAME:rw or NAME:ro, not \"" + text + "\"";
    return std::nullopt;
  }
  return out;
}

std::optional<double> parse_size(const std::string& text) {
  auto digits = text;
  double scale = 1;
  if (!digits.empty()) {
    switch (std::tolower(static_cast<unsigned char>(digits.back()))) {
    case 'k':
      scale = 1024.0;
      break;
    case 'm':
      scale = 1024.0 * 1024;
      break;
    case 'g':
      scale = 1024.0 * 1024 * 1024;
      break;
    default:
      break;
    }
    if (scale != 1)
      digits.pop_back();
  }
  if (auto v = checks::parse_number(digits); v && *v > 0)
    return *v * scale;
  return std::nullopt;
}

std::string shell_word(const std::string& text) {
  static const std::string plain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=/.,:@%";
  if (!text.empty() && text.find_first_not_of(plain) == std::string::npos)
    return text;
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

} // namespace baikal::ctl
