#include "actors/agent/network_names.hpp"

#include <cctype>

#include "messages/errors.hpp"

namespace baikal {

namespace {

bool is_name_char(char c, bool first) {
  auto u = static_cast<unsigned char>(c);
  if (std::isalnum(u))
    return true;
  return !first && (c == '_' || c == '.' || c == '-');
}

} // namespace

caf::error validate_network_name(const std::string& name) {
  if (name.empty() || name.size() > 64)
    return make_error(errc::invalid_argument,
                      "invalid network name \"" + name + "\": it must have 1 to 64 characters");
  for (size_t i = 0; i < name.size(); ++i)
    if (!is_name_char(name[i], i == 0))
      return make_error(errc::invalid_argument,
                        "invalid network name \"" + name +
                            "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
  return caf::none;
}

std::string singlenode_network_name(const std::string& session_id) {
  return "bai-singlenode-" + session_id;
}

} // namespace baikal
