// A file under the system's temporary directory that is removed when the object goes, on every
// path out: large bodies (recordings) pass through disk instead of memory.
#pragma once

#include <filesystem>
#include <string>
#include <system_error>

namespace opdesk::adapters {

class TempFile {
 public:
  // `name` must be unique among the files the process has open at once (a job id, say).
  explicit TempFile(const std::string& name)
      : path_((std::filesystem::temp_directory_path() / ("opdesk-" + name)).string()) {}
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace opdesk::adapters
