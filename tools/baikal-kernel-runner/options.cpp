#include "options.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <rapidjson/document.h>

namespace baikal::kernel_runner {

namespace {

constexpr const char* default_config_path = "/home/config/runner.json";

bool apply_config_file(const std::string& path, options& opts, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read config file " + path;
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  if (doc.HasParseError() || !doc.IsObject()) {
    error = "config file " + path + " is not a JSON object";
    return false;
  }
  auto str = [&](const char* key, std::string& out) {
    if (doc.HasMember(key) && doc[key].IsString())
      out = doc[key].GetString();
  };
  str("socket", opts.socket_path);
  str("services", opts.services_path);
  str("workdir", opts.workdir);
  str("environ", opts.environ_path);
  if (doc.HasMember("runtime")) {
    const auto& rt = doc["runtime"];
    if (rt.IsString()) {
      opts.runtime = split_words(rt.GetString());
    } else if (rt.IsArray()) {
      opts.runtime.clear();
      for (const auto& word : rt.GetArray())
        if (word.IsString())
          opts.runtime.emplace_back(word.GetString());
    }
  }
  if (doc.HasMember("kill_grace") && doc["kill_grace"].IsNumber())
    opts.kill_grace = doc["kill_grace"].GetDouble();
  return true;
}

} // namespace

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;)
    words.push_back(word);
  return words;
}

std::string usage_text() {
  return "usage: baikal-kernel-runner [--socket PATH] [--runtime \"/bin/sh -c\"]\n"
         "                            [--services FILE] [--workdir DIR] [--kill-grace SECONDS]\n"
         "                            [--uid N] [--gid N] [--groups N,N]\n"
         "                            [--config FILE]\n"
         "Serves the kernel runner protocol (4-byte big-endian length + JSON) on a Unix socket.\n"
         "Defaults: --socket /home/config/runner.sock --runtime \"/bin/sh -c\"\n"
         "          --services /home/config/services.json --workdir /home/work\n"
         "A JSON config (--config, else /home/config/runner.json if present) may set socket,\n"
         "runtime (string or array), services, workdir, kill_grace; flags override it.\n";
}

std::optional<options> parse_options(int argc, char** argv, std::string& error) {
  // Two passes: the config file first, so flags given in any order override it.
  std::string config_path;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--config")
      config_path = argv[i + 1];
  options opts;
  if (config_path.empty() && ::access(default_config_path, R_OK) == 0)
    config_path = default_config_path;
  if (!config_path.empty() && !apply_config_file(config_path, opts, error))
    return std::nullopt;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h")
      return std::nullopt;
    if (i + 1 >= argc) {
      error = "missing value after " + flag;
      return std::nullopt;
    }
    std::string value = argv[++i];
    if (flag == "--socket")
      opts.socket_path = value;
    else if (flag == "--runtime")
      opts.runtime = split_words(value);
    else if (flag == "--services")
      opts.services_path = value;
    else if (flag == "--workdir")
      opts.workdir = value;
    else if (flag == "--kill-grace")
      opts.kill_grace = std::atof(value.c_str());
    else if (flag == "--uid" || flag == "--gid") {
      char* end = nullptr;
      auto id = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || id < -1 || id > 0xFFFFFFFELL) {
        error = flag + " wants a number, not " + value;
        return std::nullopt;
      }
      (flag == "--uid" ? opts.user.uid : opts.user.gid) = id;
    } else if (flag == "--groups") {
      if (!parse_groups(value, opts.user.groups)) {
        error = "--groups wants comma-separated numbers, not " + value;
        return std::nullopt;
      }
    } else if (flag != "--config") {
      error = "unknown flag " + flag;
      return std::nullopt;
    }
  }
  if (opts.runtime.empty()) {
    error = "the runtime is empty";
    return std::nullopt;
  }
  return opts;
}

} // namespace baikal::kernel_runner
