#include "oauth/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>
#include <memory>

#include "connector/domain/error.h"
#include "oauth/crypto.h"
#include "oauth/master_key.h"

namespace opdesk::crypto {
namespace {

constexpr std::string_view kVersion = "v1";
constexpr std::string_view kInfo = "opdesk-secretbox-v1";
constexpr std::size_t kKeyIdSize = 8;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;
// EVP_*Update takes an int length; larger inputs are fed in slices of this size.
constexpr std::size_t kChunk = 1 << 20;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* MutableBytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

Error Malformed(std::string_view why) {
  return Error(ErrorCode::kInternal, "sealed secret is malformed: " + std::string(why));
}

bool IsKeyId(std::string_view s) {
  if (s.size() != kKeyIdSize) {
    return false;
  }
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

CipherCtx NewContext() {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) {
    throw Internal("cannot create an AES-GCM context");
  }
  return ctx;
}

}  // namespace

SecretBox::SecretBox(std::string_view primary_key, const std::vector<std::string>& older_keys) {
  auto add = [this](std::string_view master) {
    if (master.size() != kMasterKeySize) {
      throw InvalidArgument("secret box keys must be exactly 32 bytes, got " +
                            std::to_string(master.size()));
    }
    DataKey entry{KeyId(master), HkdfSha256(master, {}, kInfo, 32)};
    if (const DataKey* existing = FindKey(entry.key_id)) {
      if (existing->key == entry.key) {
        return;  // the same key listed twice, e.g. the primary also left among the older keys
      }
      throw InvalidArgument("two different secret box keys share key id " + entry.key_id);
    }
    keys_.push_back(std::move(entry));
  };
  add(primary_key);
  for (const std::string& key : older_keys) {
    add(key);
  }
}

SecretBox::~SecretBox() {
  // Best effort: scrub derived keys before the memory returns to the allocator.
  for (DataKey& k : keys_) {
    OPENSSL_cleanse(k.key.data(), k.key.size());
  }
}

const SecretBox::DataKey* SecretBox::FindKey(std::string_view key_id) const {
  for (const DataKey& k : keys_) {
    if (k.key_id == key_id) {
      return &k;
    }
  }
  return nullptr;
}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated_data) const {
  const DataKey& key = keys_.front();
  const std::string nonce = RandomBytes(kNonceSize);

  CipherCtx ctx = NewContext();
  // AES-GCM's default IV length is 12 bytes, which is exactly our nonce size.
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key.key), Bytes(nonce)) !=
      1) {
    throw Internal("AES-GCM encryption setup failed");
  }
  int len = 0;
  for (std::size_t off = 0; off < associated_data.size(); off += kChunk) {
    const std::string_view part = associated_data.substr(off, kChunk);
    if (EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(part), static_cast<int>(part.size())) !=
        1) {
      throw Internal("AES-GCM associated data failed");
    }
  }

  // blob = nonce || ciphertext || tag; GCM ciphertext is exactly as long as the plaintext.
  std::string blob(kNonceSize + plaintext.size() + kTagSize, '\0');
  blob.replace(0, kNonceSize, nonce);
  std::size_t out = kNonceSize;
  for (std::size_t off = 0; off < plaintext.size(); off += kChunk) {
    const std::string_view part = plaintext.substr(off, kChunk);
    if (EVP_EncryptUpdate(ctx.get(), MutableBytes(blob) + out, &len, Bytes(part),
                          static_cast<int>(part.size())) != 1) {
      throw Internal("AES-GCM encryption failed");
    }
    out += static_cast<std::size_t>(len);
  }
  if (EVP_EncryptFinal_ex(ctx.get(), MutableBytes(blob) + out, &len) != 1) {
    throw Internal("AES-GCM encryption failed");
  }
  out += static_cast<std::size_t>(len);
  if (out != kNonceSize + plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                          MutableBytes(blob) + out) != 1) {
    throw Internal("AES-GCM tag computation failed");
  }

  std::string sealed;
  sealed.reserve(kVersion.size() + 1 + kKeyIdSize + 1 + (blob.size() + 2) / 3 * 4);
  sealed.append(kVersion).append(".").append(key.key_id).append(".");
  sealed.append(Base64UrlEncode(blob));
  return sealed;
}

std::string SecretBox::Open(std::string_view sealed, std::string_view associated_data) const {
  const std::size_t first_dot = sealed.find('.');
  if (first_dot == std::string_view::npos) {
    throw Malformed("no version prefix");
  }
  if (sealed.substr(0, first_dot) != kVersion) {
    throw Malformed("unsupported envelope version");
  }
  const std::string_view rest = sealed.substr(first_dot + 1);
  const std::size_t second_dot = rest.find('.');
  if (second_dot == std::string_view::npos) {
    throw Malformed("no key id");
  }
  const std::string_view key_id = rest.substr(0, second_dot);
  if (!IsKeyId(key_id)) {
    throw Malformed("invalid key id");
  }
  std::string blob;
  try {
    blob = Base64UrlDecode(rest.substr(second_dot + 1));
  } catch (const Error&) {
    throw Malformed("payload is not valid base64url");
  }
  if (blob.size() < kNonceSize + kTagSize) {
    throw Malformed("payload is too short");
  }
  const DataKey* key = FindKey(key_id);
  if (key == nullptr) {
    throw Error(ErrorCode::kInternal,
                "secret was sealed with key " + std::string(key_id) + ", which is not configured");
  }

  const std::string_view view(blob);
  const std::string_view nonce = view.substr(0, kNonceSize);
  const std::string_view ciphertext = view.substr(kNonceSize, blob.size() - kNonceSize - kTagSize);
  std::string tag(view.substr(blob.size() - kTagSize));

  CipherCtx ctx = NewContext();
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key->key), Bytes(nonce)) !=
      1) {
    throw Internal("AES-GCM decryption setup failed");
  }
  int len = 0;
  for (std::size_t off = 0; off < associated_data.size(); off += kChunk) {
    const std::string_view part = associated_data.substr(off, kChunk);
    if (EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(part), static_cast<int>(part.size())) !=
        1) {
      throw Internal("AES-GCM associated data failed");
    }
  }
  std::string plaintext(ciphertext.size(), '\0');
  std::size_t out = 0;
  for (std::size_t off = 0; off < ciphertext.size(); off += kChunk) {
    const std::string_view part = ciphertext.substr(off, kChunk);
    if (EVP_DecryptUpdate(ctx.get(), MutableBytes(plaintext) + out, &len, Bytes(part),
                          static_cast<int>(part.size())) != 1) {
      throw Internal("AES-GCM decryption failed");
    }
    out += static_cast<std::size_t>(len);
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                          MutableBytes(tag)) != 1) {
    throw Internal("AES-GCM tag setup failed");
  }
  // The tag is checked here; until it passes, the decrypted bytes are unauthenticated and must
  // not escape, so they are scrubbed on failure.
  if (EVP_DecryptFinal_ex(ctx.get(), MutableBytes(plaintext) + out, &len) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    throw Error(ErrorCode::kInternal,
                "sealed secret failed authentication (tampered, or wrong associated data)");
  }
  return plaintext;
}

}  // namespace opdesk::crypto
