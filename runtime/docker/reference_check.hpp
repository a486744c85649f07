#pragma once

/// Checking an image reference against the grammar the Docker engine parses it with
/// (distribution/reference, normalized as `docker pull` does), so a reference the engine would
/// refuse ("invalid reference format") is refused at the edge with a message naming the field.
///
///   reference := name [":" tag] ["@" digest]
///   name      := [domain "/"] path-component ["/" path-component]*   (at most 255 characters)
///   domain    := host-component ["." host-component]* [":" port] | "[" ipv6 "]" [":" port]
///   path-component := [a-z0-9]+ (("." | "_" | "__" | "-"+) [a-z0-9]+)*
///   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
///   digest    := algorithm ":" hex{32,}
///
/// As in Docker, the first component is the registry host when it has a '.', a ':' or an
/// upper-case letter, or is "localhost"; everything after it must be lower case.

#include <optional>
#include <string>
#include <string_view>

#include <caf/error.hpp>

namespace baikal::docker {

/// What is wrong with `ref` as an image reference, or nothing when the engine accepts it.
std::optional<std::string> reference_problem(std::string_view ref);

/// invalid_argument naming `field` when `ref` is not an image reference; none otherwise.
caf::error check_image_reference(std::string_view ref, const std::string& field);

} // namespace baikal::docker
