#include "runtime/docker/images.hpp"

#include "messages/errors.hpp"
#include "runtime/docker/encoding.hpp"
#include "runtime/docker/json.hpp"

namespace baikal::docker {

std::string registry_auth_header(const registry_credentials& creds) {
  json::writer w;
  w.raw().StartObject();
  w.field("username", creds.username);
  w.field("password", creds.password);
  w.field("serveraddress", creds.server);
  w.raw().EndObject();
  return base64_encode(w.str(), true);
}

image_reference split_reference(std::string_view ref) {
  image_reference out;
  if (auto at = ref.find('@'); at != std::string_view::npos) {
    out.repository = std::string{ref.substr(0, at)};
    out.digest = std::string{ref.substr(at + 1)};
    return out;
  }
  // A ':' after the last '/' is a tag; one before it belongs to a registry's port.
  auto slash = ref.rfind('/');
  auto colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    out.repository = std::string{ref.substr(0, colon)};
    out.tag = std::string{ref.substr(colon + 1)};
  } else {
    out.repository = std::string{ref};
    out.tag = "latest";
  }
  return out;
}

docker_call image_inspect(const std::string& name) {
  docker_call c;
  c.target = "/images/" + name + "/json";
  return c;
}

docker_call image_pull(const std::string& ref, const std::optional<registry_credentials>& creds) {
  auto parts = split_reference(ref);
  docker_call c;
  c.method = "POST";
  c.target = "/images/create";
  add_query(c.target, "fromImage", parts.digest.empty() ? parts.repository : std::string{ref});
  if (parts.digest.empty())
    add_query(c.target, "tag", parts.tag);
  if (creds)
    c.headers["X-Registry-Auth"] = registry_auth_header(*creds);
  c.long_running = true;
  return c;
}

docker_call image_push(const std::string& ref, const registry_credentials& creds) {
  auto parts = split_reference(ref);
  docker_call c;
  c.method = "POST";
  // The repository goes in raw (slashes and the registry's port included).
  c.target = "/images/" + parts.repository + "/push";
  add_query(c.target, "tag", parts.tag);
  c.headers["X-Registry-Auth"] = registry_auth_header(creds);
  c.long_running = true;
  return c;
}

docker_call image_tag(const std::string& source, const std::string& target) {
  auto parts = split_reference(target);
  docker_call c;
  c.method = "POST";
  c.target = "/images/" + source + "/tag";
  add_query(c.target, "repo", parts.repository);
  add_query(c.target, "tag", parts.tag);
  return c;
}

docker_call image_delete(const std::string& name, bool force, bool noprune) {
  docker_call c;
  c.method = "DELETE";
  c.target = "/images/" + name;
  add_query(c.target, "force", force ? "true" : "false");
  add_query(c.target, "noprune", noprune ? "true" : "false");
  return c;
}

docker_call image_export(const std::string& name) {
  docker_call c;
  c.target = "/images/" + name + "/get";
  c.long_running = true;
  return c;
}

docker_call image_import(std::string tar, const std::string& ref,
                         const std::vector<std::string>& changes) {
  auto parts = split_reference(ref);
  docker_call c;
  c.method = "POST";
  c.target = "/images/create?fromSrc=-";
  add_query(c.target, "repo", parts.repository);
  add_query(c.target, "tag", parts.tag);
  for (auto& change : changes)
    add_query(c.target, "changes", change);
  c.body = std::move(tar);
  c.content_type = "application/x-tar";
  c.long_running = true;
  return c;
}

docker_call image_load(std::string tar) {
  docker_call c;
  c.method = "POST";
  c.target = "/images/load?quiet=1";
  c.body = std::move(tar);
  c.content_type = "application/x-tar";
  c.long_running = true;
  return c;
}

docker_call container_commit(const commit_spec& spec) {
  auto parts = split_reference(spec.ref);
  docker_call c;
  c.method = "POST";
  c.target = "/commit";
  add_query(c.target, "container", spec.container);
  if (!spec.ref.empty()) { // no reference: an untagged image
    add_query(c.target, "repo", parts.repository);
    add_query(c.target, "tag", parts.tag);
  }
  if (!spec.comment.empty())
    add_query(c.target, "comment", spec.comment);
  if (!spec.author.empty())
    add_query(c.target, "author", spec.author);
  for (auto& change : spec.changes)
    add_query(c.target, "changes", change);
  json::writer w;
  w.raw().StartObject();
  w.field("Labels", spec.labels);
  if (spec.cmd)
    w.field("Cmd", *spec.cmd);
  w.raw().EndObject();
  c.body = w.str();
  c.content_type = "application/json";
  c.long_running = true; // a commit copies the container's layer: it can take minutes
  return c;
}

caf::expected<image_info> parse_image_info(std::string_view body) {
  auto doc = json::parse_object(body, "image description");
  if (!doc)
    return doc.error();
  image_info out;
  out.id = json::string_of(*doc, "Id");
  out.repo_tags = json::strings_of(*doc, "RepoTags");
  out.repo_digests = json::strings_of(*doc, "RepoDigests");
  out.size = json::int_of(*doc, "Size");
  out.architecture = json::string_of(*doc, "Architecture");
  if (auto cfg = doc->FindMember("Config"); cfg != doc->MemberEnd())
    out.labels = json::string_map_of(cfg->value, "Labels");
  return out;
}

caf::expected<std::vector<std::string>> parse_image_delete(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsArray())
    return make_error(errc::runtime_error, "the Docker engine sent an unreadable delete report");
  std::vector<std::string> out;
  for (auto& item : doc.GetArray()) {
    if (auto u = json::string_of(item, "Untagged"); !u.empty())
      out.push_back("Untagged: " + u);
    if (auto d = json::string_of(item, "Deleted"); !d.empty())
      out.push_back("Deleted: " + d);
  }
  return out;
}

caf::expected<std::string> parse_id(std::string_view body) {
  auto doc = json::parse_object(body, "answer");
  if (!doc)
    return doc.error();
  auto id = json::string_of(*doc, "Id");
  if (id.empty())
    return make_error(errc::runtime_error, "the Docker engine's answer has no Id");
  return id;
}

std::string repo_digest_of(const image_info& info, std::string_view repository) {
  std::string prefix = std::string{repository} + "@";
  for (auto& entry : info.repo_digests)
    if (entry.compare(0, prefix.size(), prefix) == 0)
      return entry.substr(prefix.size());
  return {};
}

} // namespace baikal::docker
