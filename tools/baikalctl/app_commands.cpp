#include <iostream>

#include "runtime/http/target.hpp"
#include "runtime/json/json_writer.hpp"
#include "tools/baikalctl/commands.hpp"

namespace baikal::ctl {

int app(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 3)
    return fail("usage: baikalctl app SESSION SERVICE");
  auto id = api.resolve_session(args.words[1]);
  if (!id)
    return fail(id.error());
  auto& service = args.words[2];
  // Started now rather than at the first request through the proxy: a service that cannot
  // start is reported here, with the runner's reason.
  auto started = api.call("POST",
                          "/v1/sessions/" + http::percent_encode(*id) + "/services/" +
                              http::percent_encode(service),
                          "{}");
  if (!started)
    return fail(started.error());
  if (str(started->json, "status") == "failed")
    return fail("the service " + service + " did not start: " + str(started->json, "error"));
  auto base = args.api_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  auto url = base + "/v1/sessions/" + http::percent_encode(*id) + "/apps/" +
             http::percent_encode(service) + "/";
  if (args.json) {
    json::writer w;
    w.begin_object();
    w.field("session", *id);
    w.field("service", service);
    w.field("url", url);
    w.end_object();
    std::cout << w.str() << "\n";
    return 0;
  }
  std::cout << url << "\n";
  return 0;
}

} // namespace baikal::ctl
