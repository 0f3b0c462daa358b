#include "connector/http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "connector/domain/error.h"

namespace opdesk::http {
namespace {

namespace fs = std::filesystem;

std::string_view Extension(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  const std::size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return {};
  }
  return path.substr(dot + 1);
}

bool Compressible(std::string_view path) {
  const std::string_view ext = Extension(path);
  return ext == "js" || ext == "mjs" || ext == "css" || ext == "html" || ext == "svg" ||
         ext == "json" || ext == "txt" || ext == "map";
}

bool AcceptsGzip(const Request& request) {
  // Good enough for real clients: they list "gzip" (perhaps with a q-value); "gzip;q=0" is rare
  // and only costs them a compressed answer they asked not to get.
  const std::string accept = request.Header("Accept-Encoding");
  return accept.find("gzip") != std::string::npos && accept.find("gzip;q=0") == std::string::npos;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

// Changes whenever the file is rebuilt: size and modification time, in hex.
std::string ETagOf(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  const auto mtime = fs::last_write_time(path, ec).time_since_epoch().count();
  std::ostringstream tag;
  tag << '"' << std::hex << size << '-' << static_cast<long long>(mtime) << '"';
  return tag.str();
}

bool IsHashChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

bool IsSafeRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/') {
    return false;
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return false;
    }
    start = end + 1;
  }
  return path.find('\\') == std::string_view::npos && path.find('\0') == std::string_view::npos;
}

std::string ContentTypeFor(std::string_view path) {
  const std::string_view ext = Extension(path);
  if (ext == "html") {
    return "text/html; charset=utf-8";
  }
  if (ext == "js" || ext == "mjs") {
    return "text/javascript; charset=utf-8";
  }
  if (ext == "css") {
    return "text/css; charset=utf-8";
  }
  if (ext == "json" || ext == "map") {
    return "application/json; charset=utf-8";
  }
  if (ext == "svg") {
    return "image/svg+xml";
  }
  if (ext == "png") {
    return "image/png";
  }
  if (ext == "jpg" || ext == "jpeg") {
    return "image/jpeg";
  }
  if (ext == "webp") {
    return "image/webp";
  }
  if (ext == "ico") {
    return "image/x-icon";
  }
  if (ext == "woff2") {
    return "font/woff2";
  }
  if (ext == "woff") {
    return "font/woff";
  }
  if (ext == "txt") {
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

bool IsFingerprinted(std::string_view path) {
  if (!path.starts_with("assets/")) {
    return false;
  }
  const std::size_t slash = path.rfind('/');
  std::string_view name = path.substr(slash + 1);
  const std::size_t dot = name.find('.');
  if (dot == std::string_view::npos) {
    return false;
  }
  name = name.substr(0, dot);
  // Vite names its output name-HASH with an 8-character hash of [A-Za-z0-9_-] (which may itself
  // hold a '-'); the build leaves nothing else under assets/.
  constexpr std::size_t kHash = 8;
  if (name.size() < kHash + 2 || name[name.size() - kHash - 1] != '-') {
    return false;
  }
  for (char c : name.substr(name.size() - kHash)) {
    if (!IsHashChar(c)) {
      return false;
    }
  }
  return true;
}

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {}

std::optional<std::string> StaticFiles::Read(std::string_view relative_path) const {
  if (root_.empty() || !IsSafeRelativePath(relative_path)) {
    return std::nullopt;
  }
  return ReadFile(fs::path(root_) / std::string(relative_path));
}

Response StaticFiles::Serve(const Request& request, std::string_view relative_path) const {
  if (root_.empty() || !IsSafeRelativePath(relative_path)) {
    throw NotFound("no such file");
  }
  const fs::path path = fs::path(root_) / std::string(relative_path);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw NotFound("no such file");
  }
  Response r;
  r.status = 200;
  r.content_type = ContentTypeFor(relative_path);
  const std::string etag = ETagOf(path);
  r.headers.emplace_back("ETag", etag);
  if (IsFingerprinted(relative_path)) {
    r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  } else if (Extension(relative_path) == "html") {
    r.headers.emplace_back("Cache-Control", "no-store");
  } else {
    r.headers.emplace_back("Cache-Control", "no-cache");
  }
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  const bool compressible = Compressible(relative_path);
  if (compressible) {
    r.headers.emplace_back("Vary", "Accept-Encoding");
  }
  if (request.Header("If-None-Match") == etag) {
    r.status = 304;
    return r;
  }
  if (compressible && AcceptsGzip(request)) {
    if (std::optional<std::string> packed = ReadFile(fs::path(path.string() + ".gz"))) {
      r.body = std::move(*packed);
      r.headers.emplace_back("Content-Encoding", "gzip");
      return r;
    }
  }
  std::optional<std::string> body = ReadFile(path);
  if (!body) {
    throw NotFound("no such file");
  }
  r.body = std::move(*body);
  return r;
}

void AddStaticRoutes(Router& router, const StaticFiles& files) {
  router.Add("GET", "/ui/{path*}", [&files](Request& request) {
    return files.Serve(request, request.PathParam("path"));
  });
}

}  // namespace opdesk::http
