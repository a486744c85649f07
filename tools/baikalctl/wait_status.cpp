#include "tools/baikalctl/wait_status.hpp"

namespace baikal::ctl {

std::string wait_status_line(const std::string& status, const std::string& reason) {
  if (reason.empty())
    return status;
  // The manager starts every reason that names a wait with "waiting ".
  if (status == "PENDING" || reason.rfind("waiting ", 0) == 0)
    return status + " (" + reason + ")";
  return status;
}

} // namespace baikal::ctl
