#include "messages/kernel_types.hpp"

namespace baikal {

std::string to_string(cluster_mode x) {
  return x == cluster_mode::multi_node ? "multi-node" : "single-node";
}

std::string to_string(network_type x) {
  switch (x) {
  case network_type::volatile_:
    return "volatile";
  case network_type::persistent:
    return "persistent";
  case network_type::host:
    return "host";
  }
  return "volatile";
}

std::string to_string(session_type x) {
  switch (x) {
  case session_type::interactive:
    return "interactive";
  case session_type::batch:
    return "batch";
  case session_type::inference:
    return "inference";
  }
  return "interactive";
}

} // namespace baikal
