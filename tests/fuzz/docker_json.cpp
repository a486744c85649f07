// The Docker Engine's JSON answers as the agent reads them (images, containers, execs,
// networks, version, events, error bodies, pull progress lines, the container list of kernel
// recovery) and the base64 and reference splitting beside them. The first byte picks the
// parser; none may crash or read past the body, whatever the engine (or a proxy) sends.

#include "actors/agent/image_pull_job.hpp"
#include "actors/agent/kernel_recovery.hpp"
#include "runtime/docker/containers.hpp"
#include "runtime/docker/encoding.hpp"
#include "runtime/docker/errors.hpp"
#include "runtime/docker/images.hpp"
#include "runtime/docker/networks.hpp"
#include "runtime/docker/system.hpp"
#include "tests/fuzz/fuzz_input.hpp"

BAIKAL_FUZZ_TARGET {
  using namespace baikal;
  using namespace baikal::docker;
  fuzz::input in{data, size};
  auto which = in.byte();
  std::string_view body = in.rest();
  switch (which % 16) {
  case 0:
    if (auto info = parse_image_info(body))
      for (auto& d : info->repo_digests)
        (void)repo_digest_of(*info, split_reference(d).repository);
    break;
  case 1:
    (void)parse_image_delete(body);
    break;
  case 2:
    (void)parse_id(body);
    break;
  case 3:
    (void)parse_container_info(body);
    break;
  case 4:
    (void)parse_wait(body);
    break;
  case 5:
    (void)parse_exec_info(body);
    break;
  case 6:
    (void)parse_network_info(body);
    break;
  case 7:
    (void)parse_network_list(body);
    break;
  case 8:
    (void)parse_version(body);
    break;
  case 9:
    (void)parse_event(body);
    break;
  case 10:
    (void)message_of_body(body);
    (void)error_of_response(400u + which, body);
    break;
  case 11:
    (void)stream_line_error(body);
    break;
  case 12: {
    uint64_t current = 0;
    uint64_t total = 0;
    std::string status;
    (void)parse_pull_progress(std::string{body}, current, total, status);
    break;
  }
  case 13:
    (void)parse_kernel_containers(std::string{body});
    break;
  case 14: {
    (void)base64_decode(body);
    auto back = base64_decode(base64_encode(body, which & 16));
    if (!back || *back != body)
      fuzz::broken("base64_decode does not undo base64_encode");
    break;
  }
  default: {
    auto ref = split_reference(body);
    if (ref.repository.size() + ref.tag.size() + ref.digest.size() > body.size() + 7)
      fuzz::broken("a reference splits into more than it holds");
    break;
  }
  }
  return 0;
}
