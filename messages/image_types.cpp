#include "messages/image_types.hpp"

namespace baikal {

std::string to_string(auto_pull_policy x) {
  switch (x) {
  case auto_pull_policy::digest:
    return "digest";
  case auto_pull_policy::tag:
    return "tag";
  case auto_pull_policy::none:
    return "none";
  }
  return "digest";
}

std::string canonical_of(const image_ref& ref) {
  std::string out;
  if (!ref.registry.empty() && ref.registry != "local")
    out += ref.registry + "/";
  if (!ref.project.empty())
    out += ref.project + "/";
  out += ref.name;
  out += ":" + (ref.tag.empty() ? std::string{"latest"} : ref.tag);
  return out;
}

} // namespace baikal
