#pragma once

/// Image operations of the Docker Engine API: request builders and response parsers.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "messages/docker_interface.hpp"

namespace baikal::docker {

/// Credentials for a registry (empty user and password for an open one).
struct registry_credentials {
  std::string username;
  std::string password;
  std::string server; ///< "127.0.0.1:5000", "cr.backend.ai"
};

/// X-Registry-Auth: URL-safe base64 *with* padding of {"username","password","serveraddress"}.
/// Anything else (standard alphabet, stripped padding) silently means "no credentials".
std::string registry_auth_header(const registry_credentials& creds);

/// A reference split for the API: "127.0.0.1:5000/a/b:1" -> {"127.0.0.1:5000/a/b", "1", ""}.
struct image_reference {
  std::string repository;
  std::string tag;    ///< "latest" when neither tag nor digest is given
  std::string digest; ///< "sha256:..." for "repo@sha256:..."
};

image_reference split_reference(std::string_view ref);

docker_call image_inspect(const std::string& name);

/// A streamed pull (progress lines); `creds` adds X-Registry-Auth.
docker_call image_pull(const std::string& ref, const std::optional<registry_credentials>& creds);

/// A streamed push of `ref` (tag it first); Docker requires X-Registry-Auth even when empty.
docker_call image_push(const std::string& ref, const registry_credentials& creds);

/// Tags `source` as `target` ("repo:tag").
docker_call image_tag(const std::string& source, const std::string& target);

docker_call image_delete(const std::string& name, bool force, bool noprune);

/// `GET /images/{name}/get`: a tar (legacy save layout); stream it in raw mode for big images.
docker_call image_export(const std::string& name);

/// Imports a root file system tar as `ref`, with Dockerfile-like `changes` ("CMD [\"sh\"]").
docker_call image_import(std::string tar, const std::string& ref,
                         const std::vector<std::string>& changes);

/// Loads an exported tar (.tar or .tar.gz); failures arrive inside the 200 stream.
docker_call image_load(std::string tar);

/// What `POST /commit` needs; `labels` and `cmd` go in the config body.
struct commit_spec {
  std::string container;
  std::string ref; ///< "repo:tag", lowercase repository
  std::string comment;
  std::string author;
  std::map<std::string, std::string> labels;
  std::vector<std::string> changes;
  std::optional<std::vector<std::string>> cmd;
};

docker_call container_commit(const commit_spec& spec);

/// The parts of `GET /images/{name}/json` the agent uses.
struct image_info {
  std::string id; ///< config digest, "sha256:..."
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  std::map<std::string, std::string> labels;
  int64_t size = 0;
  std::string architecture;
};

caf::expected<image_info> parse_image_info(std::string_view body);

/// `DELETE /images/...` as lines "Untagged: R:T" / "Deleted: sha256:..".
caf::expected<std::vector<std::string>> parse_image_delete(std::string_view body);

/// The "Id" of a create or commit answer.
caf::expected<std::string> parse_id(std::string_view body);

/// The manifest digest of `repository` in `info.repo_digests` ("" if never pushed or pulled).
std::string repo_digest_of(const image_info& info, std::string_view repository);

} // namespace baikal::docker
