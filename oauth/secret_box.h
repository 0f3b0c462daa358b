// Authenticated encryption for secrets at rest (OAuth tokens, salts) with AES-256-GCM.
// Envelopes name the master key they were sealed under, so the master key can rotate: the box
// seals with its primary key and opens anything sealed under the primary or an older key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opdesk::crypto {

// Envelope: "v1.<keyid>.<base64url(nonce[12] || ciphertext || tag[16])>", where keyid is
// KeyId() of the master key. Each master key yields its own data key via HKDF-SHA256 (info
// "opdesk-secretbox-v1"), so the master key never touches AES directly.
//
// Seal and Open are const and create their OpenSSL contexts per call, so one box may be shared
// by any number of threads.
class SecretBox {
 public:
  // Keys are 32 raw bytes each; throws InvalidArgument otherwise, or if two different keys
  // share a key id. Duplicates of the same key are ignored.
  explicit SecretBox(std::string_view primary_key, const std::vector<std::string>& older_keys = {});
  ~SecretBox();

  SecretBox(const SecretBox&) = default;
  SecretBox& operator=(const SecretBox&) = default;
  SecretBox(SecretBox&&) = default;
  SecretBox& operator=(SecretBox&&) = default;

  // Encrypts under the primary key with a fresh random nonce. `associated_data` is
  // authenticated but not stored; Open must be given the same bytes (bind a secret to its row,
  // e.g. "tenant:<id>/oauth_token", so a sealed value cannot be moved to another row).
  std::string Seal(std::string_view plaintext, std::string_view associated_data = {}) const;

  // Decrypts an envelope produced by Seal under any configured key. Throws
  // Error(kInternal) if the envelope is malformed, names a key that is not configured, or fails
  // authentication (tampered, or wrong associated data). Messages never contain plaintext or keys.
  std::string Open(std::string_view sealed, std::string_view associated_data = {}) const;

  // Key id of the primary key, which every new envelope carries.
  const std::string& primary_key_id() const { return keys_.front().key_id; }

 private:
  struct DataKey {
    std::string key_id;
    std::string key;  // 32-byte AES key derived from the master key
  };

  const DataKey* FindKey(std::string_view key_id) const;

  std::vector<DataKey> keys_;  // primary first
};

}  // namespace opdesk::crypto
