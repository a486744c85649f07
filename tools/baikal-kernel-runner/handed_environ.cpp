#include "handed_environ.hpp"

#include <stdlib.h>

#include <fstream>
#include <sstream>

namespace baikal::kernel_runner {

namespace {

std::string environ_path = "/home/config/environ";
bool adopted = false;

} // namespace

std::vector<std::pair<std::string, std::string>> parse_environ_entries(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    auto end = text.find('\0');
    auto entry = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0)
      continue;
    out.emplace_back(std::string{entry.substr(0, eq)}, std::string{entry.substr(eq + 1)});
  }
  return out;
}

void set_handed_environ_path(std::string path) {
  environ_path = std::move(path);
}

void adopt_handed_environ() {
  if (adopted)
    return;
  std::ifstream in{environ_path, std::ios::binary};
  if (!in)
    return;
  std::stringstream text;
  text << in.rdbuf();
  for (auto& [name, value] : parse_environ_entries(text.str()))
    ::setenv(name.c_str(), value.c_str(), 1);
  adopted = true;
}

} // namespace baikal::kernel_runner
