#include <cstdio>
#include <iostream>

#include "runtime/http/target.hpp"
#include "runtime/json/json_writer.hpp"
#include "tools/baikalctl/commands.hpp"

namespace baikal::ctl {

namespace {

/// The folder NAME of `baikalctl folders VERB NAME`.
const std::string* folder_name(const ctl_args& args) {
  return args.words.size() < 3 ? nullptr : &args.words[2];
}

int print_reply(const ctl_args& args, const api_reply& reply, const std::string& text) {
  if (args.json)
    std::cout << reply.body << "\n";
  else
    std::cout << text << "\n";
  return 0;
}

} // namespace

int folders_create(const ctl_args& args, const ctl_client& api) {
  auto name = folder_name(args);
  if (!name)
    return fail("usage: baikalctl folders create NAME");
  json::writer w;
  w.begin_object();
  w.field("name", *name);
  w.end_object();
  auto res = api.call("POST", "/v1/folders", w.str());
  if (!res)
    return fail(res.error());
  return print_reply(args, *res, *name);
}

int folders_ls(const ctl_args& args, const ctl_client& api) {
  auto res = api.get("/v1/folders");
  if (!res)
    return fail(res.error());
  if (args.json) {
    std::cout << res->body << "\n";
    return 0;
  }
  if (args.wide())
    std::printf("%-64s  %s\n", "NAME", "MOUNTED AT (--mount NAME)");
  for (auto& f : array_member(res->json, "folders").GetArray())
    if (args.wide())
      std::printf("%-64s  /home/work/%s\n", str(f, "name").c_str(), str(f, "name").c_str());
    else
      std::printf("%s\n", str(f, "name").c_str());
  return 0;
}

int folders_rm(const ctl_args& args, const ctl_client& api) {
  auto name = folder_name(args);
  if (!name)
    return fail("usage: baikalctl folders rm NAME");
  auto res = api.call("DELETE", "/v1/folders/" + http::percent_encode(*name));
  if (!res)
    return fail(res.error());
  return print_reply(args, *res, "deleted " + *name);
}

} // namespace baikal::ctl
