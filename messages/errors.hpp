#pragma once

/// Baikal's error category: the codes of the external contract (architecture.md, "Errors").
/// Errors travel as caf::error whose category is the atom "baikal" and whose context holds
/// one std::string: the message a person can act on.

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace baikal {

enum class errc : uint8_t {
  // 0 is reserved by CAF for "no error".
  permission_denied = 1,
  not_found,
  invalid_argument,
  too_large,
  runtime_error,
  agent_error,
  timeout,
  conflict,
  unavailable,
};

/// The code's name as the HTTP API writes it ("permission_denied", ...).
std::string to_string(errc code);

/// The category atom of every Baikal error.
constexpr caf::atom_value error_category = caf::atom("baikal");

/// What an error's code alone does not tell, for the edges that answer it differently: the
/// agent spec calls a missing file a RuntimeError, the HTTP API answers it 404.
enum class error_detail : uint8_t {
  none = 0,
  missing_path, ///< the file or directory a request names does not exist
};

/// Makes a Baikal error carrying `message`.
caf::error make_error(errc code, std::string message);

/// Makes a Baikal error carrying `message` and `detail`.
caf::error make_error(errc code, std::string message, error_detail detail);

/// The detail `err` carries; none for errors made without one.
error_detail detail_of(const caf::error& err);

/// The Baikal code of `err`; CAF's own request timeouts map to errc::timeout and any other
/// foreign error to errc::runtime_error.
errc code_of(const caf::error& err);

/// The human message inside `err` (or CAF's rendering of a foreign error).
std::string message_of(const caf::error& err);

/// The HTTP status the API answers for `code`.
int http_status_of(errc code);

} // namespace baikal
