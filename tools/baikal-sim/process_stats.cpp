#include "tools/baikal-sim/process_stats.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "runtime/checks/numbers.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define BAIKAL_SANITIZER_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BAIKAL_SANITIZER_ALLOCATOR 1
#endif
#ifdef BAIKAL_SANITIZER_ALLOCATOR
#include <sanitizer/allocator_interface.h>
#endif

// jemalloc's statistics, when the program links it (tools/allocator) or has it preloaded; null
// otherwise, and glibc's count is the one to read.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace baikal::sim {

namespace {

/// Bytes jemalloc has handed out and not had back; its statistics are refreshed per epoch.
uint64_t jemalloc_allocated_bytes() {
  uint64_t epoch = 1;
  size_t len = sizeof(epoch);
  mallctl("epoch", &epoch, &len, &epoch, len);
  size_t allocated = 0;
  len = sizeof(allocated);
  if (mallctl("stats.allocated", &allocated, &len, nullptr, 0) != 0)
    return 0;
  return allocated;
}

uint64_t status_field_bytes(const std::string& field) {
  std::ifstream in{"/proc/self/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) {
      // "VmHWM:\t   1234 kB"
      auto value = line.substr(field.size() + 1);
      auto first = value.find_first_of("0123456789");
      auto last = value.find_first_not_of("0123456789", first);
      if (first == std::string::npos)
        return 0;
      auto kb = checks::parse_unsigned(value.substr(first, last - first),
                                       std::numeric_limits<uint64_t>::max() / 1024);
      return kb ? *kb * 1024 : 0;
    }
  return 0;
}

} // namespace

uint64_t resident_bytes() {
  return status_field_bytes("VmRSS");
}

uint64_t peak_resident_bytes() {
  return status_field_bytes("VmHWM");
}

bool dump_heap_profile(const std::string& path) {
  if (!mallctl)
    return false;
  const char* name = path.c_str();
  return mallctl("prof.dump", nullptr, nullptr, &name, sizeof(name)) == 0;
}

uint64_t heap_in_use_bytes() {
#ifdef BAIKAL_SANITIZER_ALLOCATOR
  // A sanitizer replaces malloc, and glibc's statistics then read zero.
  return __sanitizer_get_current_allocated_bytes();
#else
  if (mallctl)
    return jemalloc_allocated_bytes();
  auto m = mallinfo2();
  return m.uordblks + m.hblkhd;
#endif
}

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

process_figures this_process(std::string role, size_t agents) {
  return {std::move(role), static_cast<int64_t>(::getpid()), agents, peak_resident_bytes(),
          process_cpu_seconds()};
}

} // namespace baikal::sim
