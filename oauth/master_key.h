// The master key file: 32 random bytes on disk from which every other opdesk key (secret-box data
// keys, session signing keys) is derived. Created on first start with mode 0600, read on every
// later start; a file of any other size is a configuration error, never silently replaced.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace opdesk::crypto {

inline constexpr std::size_t kMasterKeySize = 32;

// Returns the 32 raw bytes stored at `path`, creating the file (and missing parent directories)
// with fresh random bytes if it does not exist. Safe against concurrent starters: the file
// appears atomically and an existing one is never overwritten. Throws
// InvalidArgument(field "crypto.master_key_file") if the file is unreadable or not 32 bytes.
std::string LoadOrCreateMasterKey(const std::string& path);

// A stable, non-secret 8-character lowercase hex identifier for a key, for envelopes, tokens and
// logs. One-way, so it reveals nothing usable about the key.
std::string KeyId(std::string_view key);

}  // namespace opdesk::crypto
