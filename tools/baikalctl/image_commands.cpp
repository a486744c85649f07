#include <cstdio>
#include <iostream>

#include "tools/baikalctl/commands.hpp"

/// `baikalctl images`: the manager's image catalogue, the references `run` and `session create`
/// take.

namespace baikal::ctl {

int images(const ctl_args& args, const ctl_client& api) {
  auto res = api.get("/v1/images");
  if (!res)
    return fail(res.error());
  if (args.json) {
    std::cout << res->body << "\n";
    return 0;
  }
  // Wide adds the canonical reference, which is long and mostly of interest to operators.
  const char* format = args.wide() ? "%-40s  %-8s  %-7s  %s\n" : "%-40s  %-8s  %s\n";
  std::printf(format, "REFERENCE", "ARCH", "LOCAL", "CANONICAL");
  for (auto& img : array_member(res->json, "items").GetArray()) {
    auto& local = member(img, "is_local");
    auto local_text = local.IsBool() && local.GetBool() ? "yes" : "-";
    std::printf(format, str(img, "reference").c_str(), str(img, "architecture").c_str(), local_text,
                str(img, "canonical").c_str());
  }
  return 0;
}

} // namespace baikal::ctl
