#include "identity.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace baikal::kernel_runner {

bool parse_groups(const std::string& text, std::vector<gid_t>& out) {
  out.clear();
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    auto comma = text.find(',', start);
    auto word = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    char* end = nullptr;
    errno = 0;
    auto value = std::strtoll(word.c_str(), &end, 10);
    if (word.empty() || *end != '\0' || errno != 0 || value < 0 || value > 0xFFFFFFFELL)
      return false;
    out.push_back(static_cast<gid_t>(value));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return true;
}

std::string drop_privileges(const identity& id) {
  if (id.gid >= 0) {
    // Without setgroups the runner would keep root's supplementary groups.
    if (::setgroups(id.groups.size(), id.groups.data()) != 0)
      return std::string("setgroups: ") + std::strerror(errno);
    if (::setgid(static_cast<gid_t>(id.gid)) != 0)
      return "setgid " + std::to_string(id.gid) + ": " + std::strerror(errno);
  }
  if (id.uid >= 0 && ::setuid(static_cast<uid_t>(id.uid)) != 0)
    return "setuid " + std::to_string(id.uid) + ": " + std::strerror(errno);
  if (id.uid >= 0) {
    // Leaving root clears the capabilities already; a kernel that runs as root must not keep
    // those the runner needed to change users either. capset only lowers them: no privilege.
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {};
    if (::syscall(SYS_capset, &header, none) != 0)
      return std::string("capset: ") + std::strerror(errno);
  }
  return {};
}

} // namespace baikal::kernel_runner
