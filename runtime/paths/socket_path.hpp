#pragma once

/// Reaching a Unix socket whatever the length of its path.
///
/// bind and connect take the path in sockaddr_un::sun_path: 108 bytes with the final NUL, so a
/// socket under a deep directory (a checkout in a home directory, a scratch root named by a
/// commit id) cannot be named there. A longer path is reached through its directory instead:
/// opened here (O_PATH) and named /proc/self/fd/N/NAME for as long as the socket_path lives.
/// The kernel resolves the directory from the descriptor, so only NAME has to be short.
///
/// Plain C++ without CAF: the static kernel runner binds its socket with it too.

#include <sys/socket.h>
#include <sys/un.h>

#include <cstddef>
#include <optional>
#include <string>

#include "runtime/paths/unique_fd.hpp"

namespace baikal::paths {

/// The longest path sun_path holds.
constexpr size_t max_socket_path = sizeof(sockaddr_un::sun_path) - 1;

/// The longest socket file name that is reachable under any directory (through
/// /proc/self/fd/N/, whatever N).
constexpr size_t max_socket_name = max_socket_path - sizeof("/proc/self/fd/4294967295/") + 1;

class socket_path {
public:
  /// What to bind or connect a socket at `path` by: `path` itself when it fits, else the name
  /// through its opened directory. Nothing when neither works; `error` then says why (the
  /// directory cannot be opened, the file name is too long, /proc is not mounted).
  static std::optional<socket_path> reach(const std::string& path, std::string& error);

  /// The name to give bind or connect; valid while this object lives.
  const std::string& name() const { return name_; }

  /// The sockaddr_un of name(), with the length to pass along with it.
  sockaddr_un address() const;
  socklen_t address_size() const;

private:
  unique_fd dir_;
  std::string name_;
};

/// Why no socket could ever be reached at `path`, whatever exists there when it is used; empty
/// when it can. For checks when a program starts: a path that fits always can; a longer one
/// needs a short enough file name and /proc.
std::string unreachable_socket_path(const std::string& path);

} // namespace baikal::paths
