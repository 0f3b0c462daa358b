#include "oauth/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "connector/domain/error.h"
#include "oauth/crypto.h"

namespace opdesk::crypto {
namespace {

constexpr const char* kField = "crypto.master_key_file";
constexpr const char* kOldField = "crypto.old_master_key_files";
// Bounded so that a pathological race (files appearing and vanishing) cannot loop forever.
constexpr int kMaxAttempts = 5;

Error FileError(const std::string& path, const std::string& what, int err,
                const char* field = kField) {
  return InvalidArgument("crypto master key file " + path + ": " + what + ": " + std::strerror(err),
                         field);
}

// Closes the descriptor on every path out of a scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads the key from an open descriptor; reads one byte more than needed to detect long files.
std::string ReadKey(const std::string& path, int fd) {
  std::string buf(kMasterKeySize + 1, '\0');
  std::size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = ::read(fd, buf.data() + got, buf.size() - got);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw FileError(path, "cannot read", errno);
    }
    if (n == 0) {
      break;
    }
    got += static_cast<std::size_t>(n);
  }
  if (got != kMasterKeySize) {
    throw InvalidArgument("crypto master key file " + path + " must hold exactly 32 bytes, found " +
                              (got > kMasterKeySize ? "more" : std::to_string(got)),
                          kField);
  }
  buf.resize(kMasterKeySize);
  return buf;
}

void WriteAll(const std::string& path, int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw FileError(path, "cannot write", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Makes the directory entry durable; best effort, since not every file system supports it.
void SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Writes a fresh key to a private temporary file and links it into place. link() fails with
// EEXIST instead of replacing, so two starters racing here end up sharing whichever key landed
// first, and a reader never sees a half-written file.
void TryCreate(const std::string& path) {
  const std::filesystem::path target(path);
  const std::filesystem::path dir = target.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      throw FileError(path, "cannot create directory " + dir.string(), ec.value());
    }
  }
  const std::string tmp = path + ".tmp." + RandomToken(8);
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) {
      throw FileError(path, "cannot create " + tmp, errno);
    }
    try {
      // The umask may have stripped bits we want or kept ones we do not; be exact.
      if (::fchmod(fd.get(), 0600) != 0) {
        throw FileError(path, "cannot set mode 0600", errno);
      }
      WriteAll(path, fd.get(), RandomBytes(kMasterKeySize));
      if (::fsync(fd.get()) != 0) {
        throw FileError(path, "cannot fsync", errno);
      }
    } catch (...) {
      ::unlink(tmp.c_str());
      throw;
    }
  }
  const int rc = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (rc != 0) {
    if (link_errno == EEXIST) {
      return;
    }
    throw FileError(path, "cannot create", link_errno);
  }
  SyncDirectory(dir);
}

// The key decrypts every stored token: a file that others may read (or replace) is refused rather
// than used, with the command that fixes it.
void CheckPrivate(const std::string& path, int fd, const char* field) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw FileError(path, "cannot stat", errno, field);
  }
  if (S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw InvalidArgument("crypto master key file " + path + " is open to group or others (mode " +
                              mode + "); run: chmod 600 " + path,
                          field);
  }
}

std::string ReadPrivateKey(const std::string& path, int fd, const char* field) {
  CheckPrivate(path, fd, field);
  try {
    return ReadKey(path, fd);
  } catch (const Error& e) {
    throw InvalidArgument(e.what(), field);
  }
}

}  // namespace

std::string LoadOrCreateMasterKey(const std::string& path) {
  if (path.empty()) {
    throw InvalidArgument("crypto master key file path must not be empty", kField);
  }
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() >= 0) {
      return ReadPrivateKey(path, fd.get(), kField);
    }
    if (errno != ENOENT) {
      throw FileError(path, "cannot open", errno);
    }
    // Whether we created it or lost the race to another starter, the next pass reads the file,
    // so every process returns the bytes that are actually on disk.
    TryCreate(path);
  }
  throw InvalidArgument("crypto master key file " + path + " keeps disappearing", kField);
}

MasterKeys LoadMasterKeys(const std::string& current_file,
                          const std::vector<std::string>& old_files) {
  MasterKeys keys;
  keys.current = LoadOrCreateMasterKey(current_file);
  for (const std::string& path : old_files) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      throw FileError(path, "cannot open", errno, kOldField);
    }
    keys.older.push_back(ReadPrivateKey(path, fd.get(), kOldField));
  }
  return keys;
}

std::string KeyId(std::string_view key) {
  std::string input = "opdesk-key-id";
  input.append(key);
  return Sha256Hex(input).substr(0, 8);
}

}  // namespace opdesk::crypto
