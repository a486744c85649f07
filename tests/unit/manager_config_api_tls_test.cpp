// manager.toml's [api.tls]: its files are loaded when the file is, so a wrong path, a file of
// the wrong kind or a key of another certificate stops the manager with the key named.

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "messages/errors.hpp"
#include "support/cluster_certs.hpp"
#include "support/temp_dir.hpp"
#include "support/why.hpp"
#include "tools/baikal-manager/manager_config.hpp"

using baikal::test::why;

using namespace baikal;

namespace {

struct api_certs {
  test::temp_dir dir{"api-tls"};
  std::string certs = (dir.path / "certs").string();

  api_certs() { REQUIRE(test::make_cluster_certs(certs, "client-1")); }

  std::string file(const std::string& name) const { return certs + "/" + name; }
};

std::string api_tls(const std::string& body) {
  return "[api]\nlisten = { host = \"127.0.0.1\", port = 0 }\n\n[api.tls]\n" + body;
}

std::string error_of(const std::string& text) {
  auto cfg = parse_manager_config(text, "bad.toml");
  return cfg ? std::string{} : message_of(cfg.error());
}

std::string toml_string(const std::string& path) {
  return "\"" + path + "\"";
}

} // namespace

TEST_CASE("manager config: without [api.tls] the API is plain HTTP") {
  auto cfg = parse_manager_config("[api]\nthreads = 2\n", "m.toml");
  REQUIRE_MESSAGE(cfg, why(cfg));
  CHECK_FALSE(cfg->api.tls.enabled());
}

TEST_CASE("manager config: [api.tls] takes the API's certificate and key and client CA") {
  api_certs c;
  auto cfg = parse_manager_config(api_tls("certificate = " + toml_string(c.file("api.crt")) +
                                          "\nkey = " + toml_string(c.file("api.key")) +
                                          "\nclient_ca = " + toml_string(c.file("ca.crt")) + "\n"),
                                  "m.toml");
  REQUIRE_MESSAGE(cfg, why(cfg));
  CHECK(cfg->api.tls.enabled());
  CHECK(cfg->api.tls.certificate == c.file("api.crt"));
  CHECK(cfg->api.tls.key == c.file("api.key"));
  CHECK(cfg->api.tls.client_ca == c.file("ca.crt"));
}

TEST_CASE("manager config: [api.tls] errors name the key to fix") {
  api_certs c;
  auto cert = "certificate = " + toml_string(c.file("api.crt")) + "\n";
  auto key = "key = " + toml_string(c.file("api.key")) + "\n";
  CHECK(error_of(api_tls(cert)) ==
        "Invalid bad.toml: TLS for the API needs a certificate and its key; missing: api.tls.key");
  CHECK(error_of(api_tls(key)).find("missing: api.tls.certificate") != std::string::npos);
  auto missing = c.file("nope.crt");
  CHECK(error_of(api_tls("certificate = " + toml_string(missing) + "\n" + key)) ==
        "Invalid bad.toml: api.tls.certificate " + missing +
            " cannot be read: No such file or directory");
  // A certificate where the key belongs, and the key of another certificate.
  CHECK(error_of(api_tls(cert + "key = " + toml_string(c.file("api.crt")) + "\n")) ==
        "Invalid bad.toml: api.tls.key " + c.file("api.crt") +
            " holds no unencrypted PEM private key");
  CHECK(error_of(api_tls(cert + "key = " + toml_string(c.file("client-1.key")) + "\n")) ==
        "Invalid bad.toml: api.tls.key " + c.file("client-1.key") +
            " does not belong to api.tls.certificate " + c.file("api.crt"));
  auto junk = c.file("junk.pem");
  std::ofstream{junk} << "not a certificate\n";
  CHECK(error_of(api_tls(cert + key + "client_ca = " + toml_string(junk) + "\n"))
            .find("api.tls.client_ca " + junk + " holds no PEM certificate") != std::string::npos);
  CHECK(error_of(api_tls(cert + key + "ca = \"x\"\n"))
            .find("unknown key api.tls.ca (known here: certificate, client_ca, key)") !=
        std::string::npos);
  CHECK(error_of("[api]\ntls = 1\n") == "Invalid bad.toml: api.tls must be a table ([api.tls])");
}
