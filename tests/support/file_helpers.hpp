#pragma once

/// Host-side file helpers for the file scenarios: write and read files directly in a kernel's
/// scratch work directory, as the spec's "Given" and "Then" do.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace baikal::test {

inline void write_host_file(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path{path}.parent_path());
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << data;
}

inline std::string read_host_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

} // namespace baikal::test
