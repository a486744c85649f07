#include "messages/execution_types.hpp"

namespace baikal {

std::string to_string(commit_status x) {
  return x == commit_status::ongoing ? "ongoing" : "ready";
}

} // namespace baikal
