#pragma once

/// The API's users and bearer-token authentication. Tokens come from the manager's config
/// (`[[users]]` with name, uuid, token, and `admin` for operators).

#include <optional>
#include <string>
#include <vector>

#include "messages/ids.hpp"
#include "runtime/http/http_message.hpp"

namespace baikal {

struct api_user {
  std::string name;
  user_id uuid;
  std::string token;
  /// May act on the cluster itself (drain agents), not only on its own sessions.
  bool admin = false;
};

/// The user whose token the `Authorization: Bearer <token>` header carries; nothing for a
/// missing header, another scheme or an unknown token. Every user's token is compared, each in
/// constant time (CRYPTO_memcmp over digests), so timing tells nothing about a token.
std::optional<api_user> authenticate(const std::vector<api_user>& users,
                                     const std::string& authorization);

/// The token a WebSocket upgrade offers as the subprotocol "bearer.<token>" in
/// `Sec-WebSocket-Protocol` (a comma-separated list); empty when none. Browsers cannot set
/// headers on a WebSocket, only offer subprotocols.
std::string subprotocol_token(const std::string& offered);

/// The user of `req`: from its Authorization header, or when it has none and is a WebSocket
/// upgrade, from the token it offers as a subprotocol (subprotocol_token).
std::optional<api_user> authenticate_request(const std::vector<api_user>& users,
                                             const http::http_request& req);

} // namespace baikal
