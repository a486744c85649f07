#include "runtime/docker/reference_check.hpp"

#include "messages/errors.hpp"

namespace baikal::docker {

namespace {

constexpr size_t max_name_length = 255;
constexpr size_t max_tag_length = 128;

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool alnum(char c) {
  return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

bool hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool word(char c) {
  return alnum(c) || c == '_';
}

/// [a-z0-9]+ (("." | "_" | "__" | "-"+) [a-z0-9]+)*
bool path_component(std::string_view s) {
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && lower_alnum(s[i]))
      ++i;
    if (i == start)
      return false;
    if (i == s.size())
      return true;
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      ++i;
      if (i < s.size() && s[i] == '_')
        ++i;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-')
        ++i;
    } else {
      return false;
    }
  }
}

/// [A-Za-z0-9] | [A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]
bool host_component(std::string_view s) {
  if (s.empty() || !alnum(s.front()) || !alnum(s.back()))
    return false;
  for (char c : s)
    if (!alnum(c) && c != '-')
      return false;
  return true;
}

bool port(std::string_view s) {
  if (s.empty() || s.size() > 5)
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

bool domain(std::string_view s) {
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos || close < 3)
      return false;
    for (char c : s.substr(1, close - 1))
      if (!hex(c) && c != ':')
        return false;
    auto rest = s.substr(close + 1);
    return rest.empty() || (rest.front() == ':' && port(rest.substr(1)));
  }
  auto colon = s.find(':');
  if (colon != std::string_view::npos && !port(s.substr(colon + 1)))
    return false;
  auto host = s.substr(0, colon);
  while (true) {
    auto dot = host.find('.');
    if (!host_component(host.substr(0, dot)))
      return false;
    if (dot == std::string_view::npos)
      return true;
    host.remove_prefix(dot + 1);
  }
}

bool looks_like_domain(std::string_view first) {
  if (first.find_first_of(".:") != std::string_view::npos || first == "localhost")
    return true;
  for (char c : first)
    if (c >= 'A' && c <= 'Z')
      return true;
  return false;
}

std::optional<std::string> tag_problem(std::string_view tag) {
  if (tag.empty() || tag.size() > max_tag_length || !word(tag.front()))
    return "the tag after ':' must be 1 to 128 letters, digits, '_', '.' or '-', not starting "
           "with '.' or '-'";
  for (char c : tag)
    if (!word(c) && c != '.' && c != '-')
      return "the tag after ':' must be 1 to 128 letters, digits, '_', '.' or '-', not starting "
             "with '.' or '-'";
  return std::nullopt;
}

std::optional<std::string> digest_problem(std::string_view digest) {
  static const std::string what = "the digest after '@' must be ALGORITHM:HEX, such as "
                                  "sha256: and 64 hexadecimal digits";
  auto colon = digest.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return what;
  auto algorithm = digest.substr(0, colon);
  bool component_start = true;
  for (char c : algorithm) {
    bool sep = c == '+' || c == '.' || c == '-' || c == '_';
    if (component_start ? !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) : !(alnum(c) || sep))
      return what;
    component_start = sep;
  }
  if (component_start)
    return what;
  auto digits = digest.substr(colon + 1);
  if (digits.size() < 32)
    return what;
  for (char c : digits)
    if (!hex(c))
      return what;
  return std::nullopt;
}

std::optional<std::string> name_problem(std::string_view name) {
  if (name.empty())
    return "the repository name is empty";
  if (name.size() > max_name_length)
    return "the repository name is longer than 255 characters";
  auto slash = name.find('/');
  std::string_view path = name;
  if (slash != std::string_view::npos && looks_like_domain(name.substr(0, slash))) {
    if (!domain(name.substr(0, slash)))
      return "the registry host \"" + std::string{name.substr(0, slash)} +
             "\" is not a host name or address with an optional :PORT";
    path = name.substr(slash + 1);
  }
  while (true) {
    auto next = path.find('/');
    auto component = path.substr(0, next);
    if (!path_component(component)) {
      for (char c : component)
        if (c >= 'A' && c <= 'Z')
          return "the repository name must be lower case";
      return "each part of the repository name between '/' must be lower-case letters and "
             "digits, separated by '.', '_', '__' or '-'";
    }
    if (next == std::string_view::npos)
      return std::nullopt;
    path.remove_prefix(next + 1);
  }
}

} // namespace

std::optional<std::string> reference_problem(std::string_view ref) {
  if (ref.empty())
    return "it is empty";
  std::string_view name = ref;
  auto at = ref.find('@');
  if (at != std::string_view::npos) {
    if (auto p = digest_problem(ref.substr(at + 1)))
      return p;
    name = ref.substr(0, at);
  }
  auto colon = name.rfind(':');
  auto slash = name.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    if (auto p = tag_problem(name.substr(colon + 1)))
      return p;
    name = name.substr(0, colon);
  }
  return name_problem(name);
}

caf::error check_image_reference(std::string_view ref, const std::string& field) {
  auto problem = reference_problem(ref);
  if (!problem)
    return {};
  std::string shown{ref.substr(0, 80)};
  if (ref.size() > 80)
    shown += "...";
  for (auto& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = '?';
  return make_error(errc::invalid_argument,
                    field +
                        " must be an image reference such as "
                        "\"registry.example.com/project/python:3.9\", not \"" +
                        shown + "\": " + *problem);
}

} // namespace baikal::docker
