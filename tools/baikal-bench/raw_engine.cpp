#include "tools/baikal-bench/raw_engine.hpp"

#include <future>

#include <rapidjson/document.h>

#include "runtime/docker/encoding.hpp"

#include "runtime/docker/errors.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/docker/streams.hpp"

namespace baikal::bench {

namespace {

docker::engine_options options_for(const std::string& socket_path) {
  docker::engine_options opts;
  opts.socket_path = socket_path;
  return opts;
}

} // namespace

raw_engine::raw_engine(const std::string& socket_path) : engine_(options_for(socket_path)) {}

caf::expected<docker_reply> raw_engine::call(docker_call c) {
  std::promise<caf::expected<docker_reply>> done;
  auto answer = done.get_future();
  engine_.submit(++next_id_, std::move(c), nullptr,
                 [&done](caf::expected<docker_reply> r) { done.set_value(std::move(r)); });
  auto reply = answer.get();
  if (reply && !docker::is_success(reply->status))
    return docker::error_of_response(reply->status, reply->body);
  return reply;
}

caf::expected<docker_reply> raw_engine::progress_call(docker_call c) {
  docker::progress_stream progress;
  auto ignore = [](std::string) {};
  std::promise<caf::expected<docker_reply>> done;
  auto answer = done.get_future();
  // on_data and on_done run on the same engine thread, one after the other.
  engine_.submit(
      ++next_id_, std::move(c),
      [&progress, &ignore](std::string_view chunk) { progress.feed(chunk, ignore); },
      [&done](caf::expected<docker_reply> r) { done.set_value(std::move(r)); });
  auto reply = answer.get();
  if (!reply)
    return reply;
  if (!docker::is_success(reply->status))
    return docker::error_of_response(reply->status, reply->body);
  return progress.finish(std::move(*reply), ignore);
}

caf::expected<std::string> raw_engine::create_and_start(const docker::container_spec& spec) {
  auto created = call(docker::container_create(spec));
  if (!created)
    return created.error();
  auto id = docker::parse_id(created->body);
  if (!id)
    return id.error();
  if (auto started = call(docker::container_start(*id)); !started)
    return started.error();
  return *id;
}

caf::expected<std::string> raw_engine::exec(const std::string& container,
                                            const std::vector<std::string>& cmd) {
  docker::exec_spec spec;
  spec.cmd = cmd;
  auto created = call(docker::exec_create(container, spec));
  if (!created)
    return created.error();
  auto id = docker::parse_id(created->body);
  if (!id)
    return id.error();
  auto started = call(docker::exec_start(*id, false));
  if (!started)
    return started.error();
  auto inspected = call(docker::exec_inspect(*id));
  if (!inspected)
    return inspected.error();
  auto info = docker::parse_exec_info(inspected->body);
  if (!info)
    return info.error();
  return docker::demux_frames(started->body).out;
}

void raw_engine::remove_container(const std::string& id) {
  (void)call(docker::container_remove(id, true, true));
}

size_t raw_engine::remove_labelled(const std::string& label) {
  docker_call list;
  list.target = "/containers/json?all=1";
  docker::add_query(list.target, "filters", R"({"label":[")" + label + R"("]})");
  auto reply = call(list);
  if (!reply)
    return 0;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(reply->body.c_str());
  if (doc.HasParseError() || !doc.IsArray())
    return 0;
  size_t removed = 0;
  for (auto& c : doc.GetArray())
    if (c.IsObject() && c.HasMember("Id") && c["Id"].IsString()) {
      remove_container(c["Id"].GetString());
      ++removed;
    }
  return removed;
}

void raw_engine::remove_image(const std::string& name) {
  (void)call(docker::image_delete(name, true, false));
}

} // namespace baikal::bench
