// Cryptographic digests, from nettle: SHA-1 for name-based UUIDs (RFC 4122
// version 5), SHA-256 for the content hashes of incremental builds.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace galley {

std::array<std::uint8_t, 20> sha1(std::string_view data);
std::string sha1_hex(std::string_view data);

// SHA-1 over data given in pieces (a document hashed part by part, without
// first gathering it into one string).
class sha1_hasher {
 public:
  sha1_hasher();
  ~sha1_hasher();
  sha1_hasher(const sha1_hasher&) = delete;
  sha1_hasher& operator=(const sha1_hasher&) = delete;
  void update(std::string_view data);
  std::array<std::uint8_t, 20> digest();  // ends the hash

 private:
  struct state;
  std::unique_ptr<state> s_;
};

// SHA-256 over data given in pieces (a file read in blocks).
class sha256 {
 public:
  sha256();
  ~sha256();
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;
  void update(std::string_view data);
  std::string hex();  // ends the hash

 private:
  struct state;
  std::unique_ptr<state> s_;
};

std::string sha256_hex(std::string_view data);

// Lower-case hex digits of bytes.
std::string to_hex(const std::uint8_t* bytes, std::size_t n);

}  // namespace galley
