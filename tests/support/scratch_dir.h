// A temp directory a test owns: removed when it goes out of scope, kept (its path printed) when
// the running test has failed so that its logs and files can be read.
#pragma once

#include <string>

namespace opdesk::testing {

class ScratchDir {
 public:
  // Creates <tmp>/<prefix>-XXXXXX.
  explicit ScratchDir(const std::string& prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace opdesk::testing
