#pragma once

/// The image catalogue users may pick from: what `GET /v1/images` shows of [[images]].

#include <string>
#include <vector>

namespace baikal {

/// One [[images]] entry as users see it. It holds no registry, so no credential can leak
/// into an answer.
struct catalogue_image {
  std::string reference; ///< what users give, e.g. "python:3.9"
  std::string canonical; ///< "registry/project/name:tag"
  std::string architecture;
  bool is_local = false;
};

/// `{"items":[{"reference","canonical","architecture","is_local"}...]}`, in the order given.
std::string render_image_catalogue(const std::vector<catalogue_image>& images);

} // namespace baikal
