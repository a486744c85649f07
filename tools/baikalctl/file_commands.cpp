#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "messages/errors.hpp"
#include "runtime/http/target.hpp"
#include "tools/baikalctl/commands.hpp"
#include "tools/baikalctl/transfer_progress.hpp"

namespace baikal::ctl {

namespace fs = std::filesystem;

namespace {

/// "SESSION:PATH" split at the first ':'; nothing when there is none (a local path).
bool split_remote(const std::string& text, std::string& session, std::string& path) {
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0)
    return false;
  session = text.substr(0, colon);
  path = text.substr(colon + 1);
  return true;
}

int upload(const ctl_args& args, const ctl_client& api, const std::string& local,
           const std::string& ref, std::string path) {
  std::ifstream in{local, std::ios::binary};
  if (!in)
    return fail("cannot read " + local);
  std::stringstream buf;
  buf << in.rdbuf();
  if (path.empty() || path.back() == '/')
    path += fs::path{local}.filename().string();
  auto id = api.resolve_session(ref);
  if (!id)
    return fail(id.error());
  http::client_request req;
  req.method = "PUT";
  req.target =
      "/v1/sessions/" + http::percent_encode(*id) + "/files?path=" + http::percent_encode(path);
  req.body = buf.str();
  req.content_type = "application/octet-stream";
  transfer_display display{"upload " + fs::path{local}.filename().string(), args.json};
  if (display.active())
    req.upload_progress = [&](uint64_t done, uint64_t total) { display.update(done, total); };
  auto res = api.send(std::move(req));
  display.finish();
  if (!res)
    return fail(res.error());
  if (args.json)
    std::cout << res->body << "\n";
  return 0;
}

int download(const ctl_args& args, const ctl_client& api, const std::string& ref,
             const std::string& path, std::string local) {
  auto id = api.resolve_session(ref);
  if (!id)
    return fail(id.error());
  bool tar = args.flag("--tar");
  http::client_request req;
  req.target = "/v1/sessions/" + http::percent_encode(*id) +
               (tar ? "/download?path=" : "/download-single?path=") + http::percent_encode(path);
  transfer_display display{"download " + fs::path{path}.filename().string(), args.json};
  if (display.active())
    req.download_progress = [&](uint64_t done, uint64_t total) { display.update(done, total); };
  auto res = api.send(std::move(req));
  display.finish();
  if (!res)
    return fail(res.error());
  std::error_code ec;
  if (fs::is_directory(local, ec))
    local = (fs::path{local} / (fs::path{path}.filename().string() + (tar ? ".tar" : ""))).string();
  std::ofstream out{local, std::ios::binary | std::ios::trunc};
  out.write(res->body.data(), static_cast<std::streamsize>(res->body.size()));
  if (!out)
    return fail("cannot write " + local);
  if (args.json)
    std::cout << R"({"path":")" << local << R"(","size":)" << res->body.size() << "}\n";
  return 0;
}

} // namespace

int cp(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() != 3)
    return fail("usage: baikalctl cp FILE SESSION:PATH | baikalctl cp SESSION:PATH DEST");
  std::string session;
  std::string path;
  std::error_code ec;
  auto& from = args.words[1];
  auto& to = args.words[2];
  // A local file that exists wins over a SESSION:PATH reading of the same text.
  if (!fs::exists(from, ec) && split_remote(from, session, path))
    return download(args, api, session, path, to);
  if (split_remote(to, session, path))
    return upload(args, api, from, session, path);
  return fail("one side of cp must be SESSION:PATH");
}

int files(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 2)
    return fail("usage: baikalctl files SESSION [PATH]");
  auto id = api.resolve_session(args.words[1]);
  if (!id)
    return fail(id.error());
  auto path = args.words.size() > 2 ? args.words[2] : std::string{"."};
  auto res = api.get("/v1/sessions/" + http::percent_encode(*id) +
                     "/files?path=" + http::percent_encode(path));
  if (!res)
    return fail(res.error());
  if (args.json) {
    std::cout << res->body << "\n";
    return 0;
  }
  auto& doc = res->json;
  if (args.wide())
    std::printf("%-11s %12s  %-20s  %s\n", "MODE", "SIZE", "MODIFIED", "NAME");
  for (auto& f : array_member(doc, "files").GetArray()) {
    auto& size_field = member(f, "size");
    auto size = size_field.IsUint64() ? size_field.GetUint64() : 0;
    if (args.wide())
      std::printf("%-11s %12llu  %-20s  %s\n", str(f, "mode").c_str(),
                  static_cast<unsigned long long>(size), str(f, "mtime").c_str(),
                  str(f, "filename").c_str());
    else
      std::printf("%-11s %12llu  %s\n", str(f, "mode").c_str(),
                  static_cast<unsigned long long>(size), str(f, "filename").c_str());
  }
  if (!str(doc, "errors").empty())
    std::cerr << str(doc, "errors") << "\n";
  return 0;
}

/// Prints the log's lines as the server streams them, until the session ends.
int follow_logs(const std::string& id, const ctl_client& api) {
  http::client_request req;
  req.target = "/v1/sessions/" + http::percent_encode(id) + "/logs?follow=true";
  req.headers["Authorization"] = "Bearer " + api.token();
  std::string body; // an error answer, which is not the log
  bool failed = false;
  auto status = api.http().stream(
      req, [&](int code) { failed = code >= 400; },
      [&](std::string_view piece) {
        if (!failed)
          std::cout << piece << std::flush;
        else if (body.size() < 4096)
          body.append(piece);
        return true;
      });
  if (!status)
    return fail(status.error());
  if (*status >= 400)
    return fail(describe_api_error(*status, body));
  return 0;
}

int logs(const ctl_args& args, const ctl_client& api) {
  if (args.words.size() < 2)
    return fail("usage: baikalctl logs SESSION [-f]");
  auto id = api.resolve_session(args.words[1]);
  if (!id)
    return fail(id.error());
  if (args.flag("--follow"))
    return follow_logs(*id, api);
  auto res = api.get("/v1/sessions/" + http::percent_encode(*id) + "/logs");
  if (!res)
    return fail(res.error());
  std::cout << (args.json ? res->body + "\n" : str(res->json, "logs"));
  return 0;
}

} // namespace baikal::ctl
