#include "tools/baikalctl/ctl_client.hpp"

#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "messages/errors.hpp"
#include "messages/status_types.hpp"
#include "runtime/http/target.hpp"
#include "tools/baikalctl/redirect_trust.hpp"

namespace baikal::ctl {

namespace {

std::vector<std::string> split_urls(const std::string& list) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from <= list.size()) {
    auto comma = list.find(',', from);
    auto item = list.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (!item.empty())
      out.push_back(item);
    if (comma == std::string::npos)
      break;
    from = comma + 1;
  }
  return out;
}

/// Of several managers, the one that leads (GET /v1/ready answers 200); else the first that
/// answers at all (a standby serves reads and sends the rest to the leader).
caf::expected<http::blocking_client> pick_manager(const std::vector<std::string>& urls,
                                                  const http::client_tls& tls) {
  caf::optional<http::blocking_client> answering;
  std::string why;
  for (auto& url : urls) {
    auto client = http::blocking_client::make(url, tls);
    if (!client)
      return client.error();
    http::client_request ready;
    ready.target = "/v1/ready";
    auto res = client->send(ready, std::chrono::seconds{5});
    if (res && res->status == 200)
      return client;
    if (res && !answering)
      answering = std::move(*client);
    if (!res)
      why += (why.empty() ? "" : "; ") + url + ": " + message_of(res.error());
  }
  if (answering)
    return std::move(*answering);
  return make_error(errc::unavailable, "none of the managers answers (" + why + ")");
}

/// "https://host:port/path?q" as its origin and its target.
bool split_location(const std::string& url, std::string& origin, std::string& target) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos ||
      (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0))
    return false;
  auto slash = url.find('/', scheme + 3);
  origin = url.substr(0, slash);
  target = slash == std::string::npos ? "/" : url.substr(slash);
  return true;
}

} // namespace

caf::expected<ctl_client> ctl_client::make(const ctl_args& args) {
  http::client_tls tls;
  tls.cacert = args.cacert;
  tls.certificate = args.cert;
  tls.key = args.key;
  tls.untrusted_hint = "pass the cluster CA with --cacert or BAIKAL_CACERT";
  auto urls = split_urls(args.api_url);
  if (urls.empty())
    return make_error(errc::invalid_argument, "no API URL: pass --api URL[,URL...]");
  auto http =
      urls.size() == 1 ? http::blocking_client::make(urls.front(), tls) : pick_manager(urls, tls);
  if (!http)
    return http.error();
  if (args.token.empty())
    return make_error(errc::invalid_argument,
                      "no API token: set BAIKAL_TOKEN or pass --token TOKEN");
  ctl_client out;
  out.http_ = std::move(*http);
  out.token_ = args.token;
  out.tls_ = std::move(tls);
  out.api_urls_ = std::move(urls);
  return out;
}

std::string str(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject())
    return {};
  auto i = v.FindMember(key);
  if (i == v.MemberEnd() || !i->value.IsString())
    return {};
  return {i->value.GetString(), i->value.GetStringLength()};
}

int64_t integer(const rapidjson::Value& v, const char* key) {
  auto& m = member(v, key);
  return m.IsInt64() ? m.GetInt64() : 0;
}

const rapidjson::Value& member(const rapidjson::Value& v, const char* key) {
  static const rapidjson::Value null_value;
  if (!v.IsObject())
    return null_value;
  auto i = v.FindMember(key);
  return i == v.MemberEnd() ? null_value : i->value;
}

const rapidjson::Value& array_member(const rapidjson::Value& v, const char* key) {
  static const rapidjson::Value empty_array{rapidjson::kArrayType};
  auto& m = member(v, key);
  return m.IsArray() ? m : empty_array;
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

std::string describe_api_error(int status, const std::string& body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.c_str());
  if (!doc.HasParseError() && doc.IsObject() && !str(doc, "message").empty())
    return str(doc, "message") + " (" + str(doc, "error") + ", HTTP " + std::to_string(status) +
           ")";
  return "the API answered HTTP " + std::to_string(status) + (body.empty() ? "" : ": " + body);
}

caf::expected<api_reply> ctl_client::call(const std::string& method, const std::string& target,
                                          std::string body, const std::string& content_type) const {
  http::client_request req;
  req.method = method;
  req.target = target;
  req.body = std::move(body);
  req.content_type = content_type;
  return send(std::move(req));
}

caf::expected<api_reply> ctl_client::send(http::client_request req) const {
  req.headers["Authorization"] = "Bearer " + token_;
  auto res = http_.send(req);
  // A standby sends what it does not serve to the manager that leads (307, same method and
  // body); the token goes along to a host named in --api only.
  std::string origin;
  std::string tokenless; ///< where a redirect led without the token
  for (int hops = 0; res && (res->status == 307 || res->status == 308) && hops < 3; ++hops) {
    if (!split_location(res->location, origin, req.target))
      break;
    if (!redirect_keeps_token(api_urls_, origin)) {
      req.headers.erase("Authorization");
      tokenless = origin;
    }
    auto leader = http::blocking_client::make(origin, tls_);
    if (!leader)
      return leader.error();
    res = leader->send(req);
  }
  if (!res)
    return res.error();
  if (res->status == 401 && !tokenless.empty())
    return make_error(errc::permission_denied,
                      "a manager sent this request on to " + tokenless +
                          ", whose host is not named in --api (or BAIKAL_API_URL), so the token "
                          "was not sent there; if it is one of this cluster's managers, add it "
                          "to --api");
  if (res->status >= 400) {
    auto code = res->status == 404   ? errc::not_found
                : res->status == 401 ? errc::permission_denied
                : res->status < 500  ? errc::invalid_argument
                                     : errc::runtime_error;
    return make_error(code, describe_api_error(res->status, res->body));
  }
  api_reply out;
  out.status = res->status;
  out.body = std::move(res->body);
  if (res->content_type.rfind("application/json", 0) == 0)
    out.json.Parse<rapidjson::kParseIterativeFlag>(out.body.c_str());
  return out;
}

caf::expected<std::string> ctl_client::resolve_session(const std::string& ref) const {
  auto direct = get("/v1/sessions/" + http::percent_encode(ref));
  if (direct)
    return str(direct->json, "id");
  if (code_of(direct.error()) != errc::not_found)
    return direct.error();
  auto all = get("/v1/sessions");
  if (!all)
    return all.error();
  std::string found;
  for (auto& s : array_member(all->json, "sessions").GetArray())
    if (str(s, "name") == ref &&
        session_status_from(str(s, "status")) != session_status::terminated)
      found = str(s, "id");
  if (found.empty())
    return make_error(errc::not_found, "no session with the id or name \"" + ref + "\"");
  return found;
}

} // namespace baikal::ctl
