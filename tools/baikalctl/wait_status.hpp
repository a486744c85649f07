#pragma once

/// What `baikalctl` shows of a session it waits for: its status, and the status's reason when
/// the reason says why the session waits (PENDING: what placement lacks; CREATING: a start
/// waiting for its SSH keypair). Other reasons only repeat the status ("creating 1 kernel(s)").

#include <string>

namespace baikal::ctl {

std::string wait_status_line(const std::string& status, const std::string& reason);

} // namespace baikal::ctl
