#include "runtime/hwinfo/hardware_probe.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <sys/statvfs.h>

namespace baikal::hwinfo {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in{path};
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
}

/// Runs a command and returns its standard output, or nothing when it cannot run.
std::string run_command(const char* cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe{popen(cmd, "r"), pclose};
  if (!pipe)
    return {};
  std::string out;
  char buf[512];
  while (auto n = fread(buf, 1, sizeof buf, pipe.get()))
    out.append(buf, n);
  return out;
}

} // namespace

hardware_metadata parse_cpuinfo(const std::string& cpuinfo) {
  hardware_metadata out;
  std::istringstream in{cpuinfo};
  int cores = 0;
  for (std::string line; std::getline(in, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos)
      continue;
    auto key = trim(line.substr(0, colon));
    if (key == "processor")
      ++cores;
    else if (key == "model name" && !out.metadata.count("model"))
      out.metadata["model"] = trim(line.substr(colon + 1));
  }
  out.metadata["cores"] = std::to_string(cores);
  out.status = cores > 0 ? "healthy" : "unavailable";
  if (cores == 0)
    out.status_info = "no processor found in /proc/cpuinfo";
  return out;
}

hardware_metadata parse_meminfo(const std::string& meminfo) {
  hardware_metadata out;
  std::istringstream in{meminfo};
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields{line};
    std::string key;
    unsigned long long kib = 0;
    fields >> key >> kib;
    if (key == "MemTotal:")
      out.metadata["total_bytes"] = std::to_string(kib * 1024);
    else if (key == "MemAvailable:")
      out.metadata["available_bytes"] = std::to_string(kib * 1024);
  }
  out.status = out.metadata.count("total_bytes") ? "healthy" : "unavailable";
  if (out.status != "healthy")
    out.status_info = "no MemTotal in /proc/meminfo";
  return out;
}

hardware_metadata parse_nvidia_smi(const std::string& csv) {
  hardware_metadata out;
  std::istringstream in{csv};
  int count = 0;
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty())
      continue;
    auto comma = line.find(',');
    auto idx = std::to_string(count++);
    out.metadata["gpu" + idx + ".name"] = trim(line.substr(0, comma));
    if (comma != std::string::npos)
      out.metadata["gpu" + idx + ".memory"] = trim(line.substr(comma + 1));
  }
  out.metadata["count"] = std::to_string(count);
  out.status = count > 0 ? "healthy" : "unavailable";
  if (count == 0)
    out.status_info = "nvidia-smi did not answer; no GPU is reported";
  return out;
}

hardware_info probe_host(const std::string& scratch_root, bool with_gpus) {
  hardware_info out;
  out.kinds["cpu"] = parse_cpuinfo(read_file("/proc/cpuinfo"));
  out.kinds["memory"] = parse_meminfo(read_file("/proc/meminfo"));
  hardware_metadata disk;
  struct statvfs fs {};
  if (statvfs(scratch_root.c_str(), &fs) == 0) {
    disk.status = "healthy";
    disk.metadata["path"] = scratch_root;
    disk.metadata["total_bytes"] = std::to_string(uint64_t{fs.f_blocks} * fs.f_frsize);
    disk.metadata["free_bytes"] = std::to_string(uint64_t{fs.f_bavail} * fs.f_frsize);
  } else {
    disk.status = "unavailable";
    disk.status_info = "cannot stat the scratch root " + scratch_root;
  }
  out.kinds["disk"] = disk;
  if (with_gpus)
    out.kinds["gpu"] = parse_nvidia_smi(
        run_command("nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null"));
  return out;
}

} // namespace baikal::hwinfo
