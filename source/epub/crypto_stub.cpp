// galley-nocrypto.so: the ten entry points of libcrypto that libzip
// links to, under libcrypto's name (SONAME libcrypto.so.3, version
// OPENSSL_3.0.0), each answering "not available".
//
// libzip uses them only for WinZip AES encryption, which galley never
// writes or reads, and for random salts, where it falls back to random().
// Loaded before the zip module (base/module.hpp, companion), this object
// stands in for libcrypto when libzip's dependency is resolved: an EPUB
// run then does not map and relocate the 4.5 MB library (about 1.2 ms, a
// fifth of converting one interview). If libzip ever needs more of
// libcrypto, loading fails and galley loads the real one instead;
// tests/cli/cases/convert-epub-no-libcrypto.case fails when that happens.
#include <cstddef>

#define GALLEY_STUB extern "C" __attribute__((visibility("default")))

GALLEY_STUB void AES_encrypt(const unsigned char*, unsigned char*, const void*) {}
GALLEY_STUB int AES_set_encrypt_key(const unsigned char*, int, void*) { return -1; }
GALLEY_STUB const void* EVP_sha1() { return nullptr; }
GALLEY_STUB void* HMAC_CTX_new() { return nullptr; }
GALLEY_STUB void HMAC_CTX_free(void*) {}
GALLEY_STUB int HMAC_Init_ex(void*, const void*, int, const void*, void*) { return 0; }
GALLEY_STUB int HMAC_Update(void*, const unsigned char*, std::size_t) { return 0; }
GALLEY_STUB int HMAC_Final(void*, unsigned char*, unsigned int*) { return 0; }
GALLEY_STUB int PKCS5_PBKDF2_HMAC_SHA1(const char*, int, const unsigned char*, int, int, int, unsigned char*) {
  return 0;
}
GALLEY_STUB int RAND_bytes(unsigned char*, int) { return 0; }
