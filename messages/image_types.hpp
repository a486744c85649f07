#pragma once

/// Image-related value types: registries, image configs and references, purge requests.

#include <caf/optional.hpp>
#include <map>
#include <string>
#include <vector>

#include "messages/inspect.hpp"

namespace baikal {

/// A container registry and the credentials to reach it.
struct image_registry {
  std::string name; ///< e.g. "cr.backend.ai" or "127.0.0.1:5000"
  std::string url;  ///< e.g. "https://cr.backend.ai"
  std::string username;
  std::string password;
};

BAIKAL_INSPECT("", image_registry, x.name, x.url, x.username, x.password)

/// When the agent pulls an image that is already present.
enum class auto_pull_policy : uint8_t { digest = 1, tag, none };

std::string to_string(auto_pull_policy x);

/// What the manager knows of an image: the reference system's ImageConfig.
struct image_config {
  std::string canonical;    ///< full reference, "registry/project/name:tag"
  std::string architecture; ///< "x86_64", "aarch64"
  std::string project;
  std::string digest;      ///< config digest ("sha256:...") expected locally, may be empty
  std::string repo_digest; ///< manifest digest in the registry, may be empty
  bool is_local = false;   ///< built on the agent, never pulled
  auto_pull_policy auto_pull = auto_pull_policy::digest;
  std::map<std::string, std::string> labels;
  image_registry registry;
};

BAIKAL_INSPECT("", image_config, x.canonical, x.architecture, x.project, x.digest, x.repo_digest,
               x.is_local, x.auto_pull, x.labels, x.registry)

/// A parsed image reference: the reference system's ImageRef.
struct image_ref {
  std::string name;     ///< "myimage"
  std::string project;  ///< "myproject", empty when there is none
  std::string tag;      ///< "latest"
  std::string registry; ///< "myprivatereg.example.com", "local" for local images
  std::string architecture;
  bool is_local = false;
};

BAIKAL_INSPECT("", image_ref, x.name, x.project, x.tag, x.registry, x.architecture, x.is_local)

/// The canonical reference of `ref`: "registry/project/name:tag" (parts that are empty or
/// "local" left out).
std::string canonical_of(const image_ref& ref);

/// Images to delete from an agent's engine.
struct purge_images_req {
  std::vector<std::string> images;
  bool force = false;
  bool noprune = false;
};

BAIKAL_INSPECT("", purge_images_req, x.images, x.force, x.noprune)

/// The outcome for one image of a purge: `error` is Docker's own text when it failed.
struct purge_image_result {
  std::string image;
  caf::optional<std::string> error;
};

BAIKAL_INSPECT("", purge_image_result, x.image, x.error)

struct purge_images_resp {
  std::vector<purge_image_result> responses;
};

BAIKAL_INSPECT("", purge_images_resp, x.responses)

} // namespace baikal
