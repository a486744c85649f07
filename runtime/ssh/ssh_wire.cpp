#include "runtime/ssh/ssh_wire.hpp"

#include <openssl/evp.h>

#include "messages/errors.hpp"

namespace baikal::ssh::wire {

void put_u32(bytes& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<unsigned char>((value >> shift) & 0xff));
}

void put_string(bytes& out, const unsigned char* data, size_t len) {
  put_u32(out, static_cast<uint32_t>(len));
  out.insert(out.end(), data, data + len);
}

void put_string(bytes& out, const std::string& text) {
  put_string(out, reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

// A positive number whose top bit is set gets a leading zero byte, or it would read as negative.
void put_mpint(bytes& out, const BIGNUM* bn) {
  bytes digits(static_cast<size_t>(BN_num_bytes(bn)) + 1, 0);
  BN_bn2bin(bn, digits.data() + 1);
  size_t skip = (digits.size() > 1 && (digits[1] & 0x80) == 0) ? 1 : 0;
  put_string(out, digits.data() + skip, digits.size() - skip);
}

bool get_string(const bytes& in, size_t& pos, bytes& out) {
  if (in.size() - pos < 4)
    return false;
  size_t len = 0;
  for (int i = 0; i < 4; ++i)
    len = (len << 8) | in[pos++];
  if (in.size() - pos < len)
    return false;
  out.assign(in.begin() + static_cast<long>(pos), in.begin() + static_cast<long>(pos + len));
  pos += len;
  return true;
}

std::string base64_encode(const bytes& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), in.data(),
                           static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

caf::expected<bytes> base64_decode(const std::string& in) {
  bytes out(3 * in.size() / 4 + 3);
  auto n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(in.data()),
                           static_cast<int>(in.size()));
  if (n < 0 || in.size() % 4 != 0)
    return make_error(errc::invalid_argument, "the public key is not valid base64");
  // EVP_DecodeBlock counts the padding as zero bytes: drop them.
  size_t pad = 0;
  for (auto i = in.rbegin(); i != in.rend() && *i == '='; ++i)
    ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

} // namespace baikal::ssh::wire
