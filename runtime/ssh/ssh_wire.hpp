#pragma once

/// The SSH wire encoding (RFC 4253, section 6.6) and the base64 that OpenSSH's key files wrap
/// it in: what the cluster keypairs' public lines and private key files are made of.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <openssl/bn.h>

namespace baikal::ssh::wire {

using bytes = std::vector<unsigned char>;

void put_u32(bytes& out, uint32_t value);
void put_string(bytes& out, const unsigned char* data, size_t len);
void put_string(bytes& out, const std::string& text);
/// A positive number as an mpint (big-endian two's complement).
void put_mpint(bytes& out, const BIGNUM* bn);

/// The string at `pos`, which moves past it; false when `in` ends before it does.
bool get_string(const bytes& in, size_t& pos, bytes& out);

std::string base64_encode(const bytes& in);
caf::expected<bytes> base64_decode(const std::string& in);

} // namespace baikal::ssh::wire
