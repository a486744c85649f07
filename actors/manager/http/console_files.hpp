#pragma once

/// The web console's files (the repository's ui/ folder), built into the manager by
/// cmake/embed_files.cmake so that /ui/ works wherever the binary is installed and needs
/// nothing from the internet.

#include <string_view>
#include <vector>

namespace baikal {

/// One file: its path under ui/ ("index.html", "js/api.js") and its text.
struct embedded_file {
  std::string_view path;
  std::string_view text;
};

/// Every file of ui/, sorted by path.
const std::vector<embedded_file>& console_files();

} // namespace baikal
