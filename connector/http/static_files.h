// The built front end (settings-ui/dist) served from a directory: GET /ui/{path}. Fingerprinted
// assets (assets/name-HASH.ext) are cached for a year as immutable; anything else must be
// revalidated, and HTML shells are never stored. Each answer has an ETag; a gzip twin written at
// build time (name.gz) is sent to clients that accept gzip. Paths with "..", ".", empty segments,
// backslashes or NULs are refused before the file system is touched.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "connector/http/message.h"
#include "connector/http/router.h"

namespace opdesk::http {

// True for a relative path made only of ordinary segments (no "..", ".", empty, '\\', NUL).
bool IsSafeRelativePath(std::string_view path);
// The Content-Type for a file name, by extension; application/octet-stream when unknown.
std::string ContentTypeFor(std::string_view path);
// assets/…-HASH.ext as Vite names its output (a hash of at least 8 letters, digits, '_' or '-').
bool IsFingerprinted(std::string_view path);

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);

  const std::string& root() const { return root_; }
  // The file's bytes, or nothing when the path is unsafe or no regular file is there.
  std::optional<std::string> Read(std::string_view relative_path) const;
  // The answer for GET of `relative_path` (NotFound for a missing or unsafe path).
  Response Serve(const Request& request, std::string_view relative_path) const;

 private:
  std::string root_;
};

// GET /ui/{path*} → files.Serve.
void AddStaticRoutes(Router& router, const StaticFiles& files);

}  // namespace opdesk::http
