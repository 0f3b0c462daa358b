#include "connector/app/ui_dist.h"

#include <filesystem>
#include <system_error>

namespace opdesk::app {

std::string ResolveUiDistDir(const std::string& configured, const std::string& executable_path,
                             const std::string& source_dir) {
  if (!configured.empty()) {
    return configured;
  }
  namespace fs = std::filesystem;
  std::string installed;
  if (!executable_path.empty()) {
    installed = (fs::path(executable_path).parent_path() / ".." / "share" / "opdesk" / "ui")
                    .lexically_normal()
                    .string();
  }
  std::error_code ec;
  for (const std::string& candidate :
       {installed, source_dir.empty() ? std::string() : source_dir + "/settings-ui/dist"}) {
    if (!candidate.empty() && fs::is_regular_file(fs::path(candidate) / "callcard.html", ec)) {
      return candidate;
    }
  }
  return installed.empty() ? source_dir + "/settings-ui/dist" : installed;
}

std::string ExecutablePath() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : path.string();
}

}  // namespace opdesk::app
