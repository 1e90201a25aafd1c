#include "base/hash.hpp"

#include <nettle/sha1.h>
#include <nettle/sha2.h>

namespace galley {

std::string to_hex(const std::uint8_t* bytes, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = digits[bytes[i] >> 4];
    s[2 * i + 1] = digits[bytes[i] & 15];
  }
  return s;
}

std::array<std::uint8_t, 20> sha1(std::string_view data) {
  sha1_ctx ctx;
  sha1_init(&ctx);
  sha1_update(&ctx, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
  std::array<std::uint8_t, 20> out{};
  sha1_digest(&ctx, out.size(), out.data());
  return out;
}

struct sha1_hasher::state {
  sha1_ctx ctx;
};

sha1_hasher::sha1_hasher() : s_(std::make_unique<state>()) { sha1_init(&s_->ctx); }
sha1_hasher::~sha1_hasher() = default;

void sha1_hasher::update(std::string_view data) {
  sha1_update(&s_->ctx, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
}

std::array<std::uint8_t, 20> sha1_hasher::digest() {
  static_assert(SHA1_DIGEST_SIZE == 20);
  std::array<std::uint8_t, 20> out{};
  sha1_digest(&s_->ctx, out.size(), out.data());
  return out;
}

std::string sha1_hex(std::string_view data) {
  const auto d = sha1(data);
  return to_hex(d.data(), d.size());
}

struct sha256::state {
  sha256_ctx ctx;
};

sha256::sha256() : s_(std::make_unique<state>()) { sha256_init(&s_->ctx); }
sha256::~sha256() = default;

void sha256::update(std::string_view data) {
  sha256_update(&s_->ctx, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
}

std::string sha256::hex() {
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> out{};
  sha256_digest(&s_->ctx, out.size(), out.data());
  return to_hex(out.data(), out.size());
}

std::string sha256_hex(std::string_view data) {
  sha256 h;
  h.update(data);
  return h.hex();
}

}  // namespace galley
