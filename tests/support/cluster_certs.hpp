#pragma once

/// The cluster's TLS material made as operators make it, with deploy/make-certs.sh: DIR/ca.crt
/// and DIR/NODE.{crt,key} for each node (the CN and DNS subjectAltName are the node's name).

#include <cstdlib>
#include <filesystem>
#include <string>

#include "runtime/cluster/tls_settings.hpp"

namespace baikal::test {

/// Runs the script for `nodes` ("manager agent-1 ..."); answers whether it succeeded (its
/// output goes to DIR.log).
inline bool make_cluster_certs(const std::filesystem::path& dir, const std::string& nodes) {
  auto cmd = std::string{BAIKAL_SOURCE_DIR} + "/deploy/make-certs.sh " + dir.string() + " " +
             nodes + " > " + dir.string() + ".log 2>&1";
  return std::system(cmd.c_str()) == 0;
}

/// NODE's certificate and key in `dir`, trusting the CA of `ca_dir`.
inline cluster::tls_settings node_tls(const std::filesystem::path& dir, const std::string& node,
                                      const std::filesystem::path& ca_dir) {
  return {(dir / (node + ".crt")).string(), (dir / (node + ".key")).string(),
          (ca_dir / "ca.crt").string()};
}

} // namespace baikal::test
