// The master key file: 32 random bytes on disk from which every other opdesk key (secret-box data
// keys, session signing keys) is derived. Created on first start with mode 0600, read on every
// later start; a file of any other size, or one open to group or others, is a configuration
// error, never silently replaced or used.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace opdesk::crypto {

inline constexpr std::size_t kMasterKeySize = 32;

// Returns the 32 raw bytes stored at `path`, creating the file (and missing parent directories)
// with fresh random bytes if it does not exist. Safe against concurrent starters: the file
// appears atomically and an existing one is never overwritten. Throws
// InvalidArgument(field "crypto.master_key_file") if the file is unreadable, not 32 bytes, or
// readable or writable by group or others (the message names the file and `chmod 600`).
std::string LoadOrCreateMasterKey(const std::string& path);

// The current key and the retired ones still needed during a rotation.
struct MasterKeys {
  std::string current;             // seals new secrets and signs new sessions
  std::vector<std::string> older;  // only open secrets and verify sessions made under them
};

// The current key as LoadOrCreateMasterKey, and each of `old_files`, which must exist and pass
// the same checks (errors name field "crypto.old_master_key_files").
MasterKeys LoadMasterKeys(const std::string& current_file,
                          const std::vector<std::string>& old_files);

// A stable, non-secret 8-character lowercase hex identifier for a key, for envelopes, tokens and
// logs. One-way, so it reveals nothing usable about the key.
std::string KeyId(std::string_view key);

}  // namespace opdesk::crypto
