#include <doctest/doctest.h>

#include <fstream>

#include "messages/errors.hpp"
#include "runtime/cluster/tls_settings.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certs.hpp"

using namespace baikal;
using cluster::tls_settings;
using cluster::validate_tls;

namespace {

bool says(const caf::error& err, const std::string& text) {
  INFO(message_of(err));
  return message_of(err).find(text) != std::string::npos;
}

} // namespace

TEST_CASE("cluster: no TLS paths at all is plain TCP and valid") {
  CHECK_FALSE(tls_settings{}.enabled());
  CHECK_FALSE(validate_tls(tls_settings{}));
}

TEST_CASE("cluster: TLS with some paths missing names the missing ones") {
  tls_settings tls{"/x/node.crt", "", ""};
  CHECK(tls.enabled());
  auto err = validate_tls(tls);
  REQUIRE(err);
  CHECK(code_of(err) == errc::invalid_argument);
  CHECK(says(err, "missing: key, CA file"));
}

TEST_CASE("cluster: TLS files that are valid and belong together pass") {
  test::temp_dir dir;
  auto node = test::make_self_signed(dir.path, "agent-1");
  auto ca = test::make_self_signed(dir.path, "ca");
  CHECK_FALSE(validate_tls({node.certificate, node.key, ca.certificate}));
}

TEST_CASE("cluster: a missing TLS file is a clear error naming it") {
  test::temp_dir dir;
  auto node = test::make_self_signed(dir.path, "agent-1");
  auto missing = (dir.path / "nope.key").string();
  auto err = validate_tls({node.certificate, missing, node.certificate});
  REQUIRE(err);
  CHECK(code_of(err) == errc::invalid_argument);
  CHECK(says(err, "TLS key " + missing + " cannot be read"));
  err = validate_tls({node.certificate, node.key, (dir.path / "ca.crt").string()});
  REQUIRE(err);
  CHECK(says(err, "TLS CA file"));
}

TEST_CASE("cluster: a TLS file that is not PEM, or a key of another certificate, is refused") {
  test::temp_dir dir;
  auto node = test::make_self_signed(dir.path, "agent-1");
  auto other = test::make_self_signed(dir.path, "agent-2");
  auto junk = (dir.path / "junk.pem").string();
  std::ofstream{junk} << "not a certificate\n";
  auto err = validate_tls({junk, node.key, node.certificate});
  REQUIRE(err);
  CHECK(says(err, "holds no PEM certificate"));
  err = validate_tls({node.certificate, junk, node.certificate});
  REQUIRE(err);
  CHECK(says(err, "holds no unencrypted PEM private key"));
  err = validate_tls({node.certificate, other.key, node.certificate});
  REQUIRE(err);
  CHECK(says(err, "does not belong to the certificate"));
  // A certificate where the key belongs is not a key.
  err = validate_tls({node.certificate, node.certificate, node.certificate});
  REQUIRE(err);
  CHECK(says(err, "holds no unencrypted PEM private key"));
}
