#include "runtime/http/tls_files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <openssl/err.h>

#include "messages/errors.hpp"

namespace baikal::http {

caf::error tls_file_error(const std::string& what, const std::string& path,
                          const std::string& why) {
  ERR_clear_error();
  return make_error(errc::invalid_argument, what + " " + path + " " + why);
}

caf::error check_readable(const std::string& what, const std::string& path) {
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    std::fclose(f);
    return {};
  }
  return tls_file_error(what, path, "cannot be read: " + std::string{std::strerror(errno)});
}

} // namespace baikal::http
