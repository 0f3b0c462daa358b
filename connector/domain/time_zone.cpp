#include "connector/domain/time_zone.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "connector/domain/error.h"

namespace opdesk {
namespace {

constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";

long long FloorDiv(long long a, long long b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool Has(std::size_t n) const { return pos_ + n <= bytes_.size(); }
  void Need(std::size_t n) const {
    if (!Has(n)) {
      throw InvalidArgument("the time zone file is truncated");
    }
  }
  long long Signed(std::size_t width) {
    Need(width);
    unsigned long long v = 0;
    for (std::size_t i = 0; i < width; ++i) {
      v = (v << 8) | static_cast<unsigned char>(bytes_[pos_ + i]);
    }
    pos_ += width;
    if (width == 4) {
      return static_cast<int32_t>(static_cast<uint32_t>(v));
    }
    return static_cast<long long>(v);
  }
  unsigned char Byte() {
    Need(1);
    return static_cast<unsigned char>(bytes_[pos_++]);
  }
  void Skip(std::size_t n) {
    Need(n);
    pos_ += n;
  }
  std::string_view Rest() const { return bytes_.substr(pos_); }
  std::size_t pos() const { return pos_; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct Counts {
  long long isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

Counts ReadHeader(Reader& r, char* version) {
  r.Need(44);
  if (r.Rest().substr(0, 4) != "TZif") {
    throw InvalidArgument("not a TZif time zone file");
  }
  r.Skip(4);
  *version = static_cast<char>(r.Byte());
  r.Skip(15);
  Counts c;
  c.isut = r.Signed(4);
  c.isstd = r.Signed(4);
  c.leap = r.Signed(4);
  c.time = r.Signed(4);
  c.type = r.Signed(4);
  c.chars = r.Signed(4);
  if (c.type < 1 || c.time < 0 || c.chars < 0 || c.leap < 0 || c.isut < 0 || c.isstd < 0 ||
      c.type > 256 || c.time > 100000) {
    throw InvalidArgument("the time zone file has impossible counts");
  }
  return c;
}

// The standard offset of a POSIX TZ rule without daylight saving ("MSK-3", "<+05>-5"); false when
// the rule has a daylight-saving part or cannot be read.
bool PlainOffsetOfRule(std::string_view rule, int* seconds_east) {
  std::size_t i = 0;
  if (i < rule.size() && rule[i] == '<') {
    const std::size_t close = rule.find('>');
    if (close == std::string_view::npos) {
      return false;
    }
    i = close + 1;
  } else {
    while (i < rule.size() && std::isalpha(static_cast<unsigned char>(rule[i]))) {
      ++i;
    }
  }
  if (i == 0 || i >= rule.size()) {
    return false;
  }
  int sign = 1;
  if (rule[i] == '+' || rule[i] == '-') {
    sign = rule[i] == '-' ? -1 : 1;
    ++i;
  }
  int parts[3] = {0, 0, 0};
  int part = 0;
  bool digits = false;
  for (; i < rule.size(); ++i) {
    const char c = rule[i];
    if (c >= '0' && c <= '9') {
      parts[part] = parts[part] * 10 + (c - '0');
      digits = true;
    } else if (c == ':' && part < 2) {
      ++part;
    } else {
      return false;  // a daylight-saving part follows
    }
  }
  if (!digits) {
    return false;
  }
  // POSIX offsets are west of Greenwich: "MSK-3" is three hours east.
  *seconds_east = -sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

}  // namespace

long long DaysFromCivil(int year, int month, int day) {
  using namespace std::chrono;
  return sys_days(std::chrono::year(year) / std::chrono::month(static_cast<unsigned>(month)) /
                  std::chrono::day(static_cast<unsigned>(day)))
      .time_since_epoch()
      .count();
}

LocalTime CivilFromDays(long long days) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  LocalTime t;
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return t;
}

bool IsValidDate(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 9999) {
    return false;
  }
  using namespace std::chrono;
  return year_month_day(std::chrono::year(year) / std::chrono::month(static_cast<unsigned>(month)) /
                        std::chrono::day(static_cast<unsigned>(day)))
      .ok();
}

TimeZone TimeZone::Utc() {
  return FixedOffset("UTC", 0);
}

TimeZone TimeZone::FixedOffset(std::string name, int seconds_east) {
  TimeZone z;
  z.name_ = std::move(name);
  z.initial_offset_ = seconds_east;
  return z;
}

TimeZone TimeZone::FromTzif(std::string name, std::string_view bytes) {
  Reader r(bytes);
  char version = 0;
  Counts c = ReadHeader(r, &version);
  std::size_t time_width = 4;
  if (version >= '2') {
    // Skip the 32-bit block; the 64-bit one after it is complete.
    r.Skip(static_cast<std::size_t>(c.time * 5 + c.type * 6 + c.chars + c.leap * 8 + c.isstd +
                                    c.isut));
    c = ReadHeader(r, &version);
    time_width = 8;
  }
  std::vector<long long> times(static_cast<std::size_t>(c.time));
  for (auto& t : times) {
    t = r.Signed(time_width);
  }
  std::vector<unsigned char> type_of(static_cast<std::size_t>(c.time));
  for (auto& t : type_of) {
    t = r.Byte();
    if (t >= c.type) {
      throw InvalidArgument("the time zone file refers to a missing type");
    }
  }
  std::vector<int> type_offsets(static_cast<std::size_t>(c.type));
  for (auto& o : type_offsets) {
    o = static_cast<int>(r.Signed(4));
    r.Skip(2);  // isdst, abbreviation index
  }
  r.Skip(static_cast<std::size_t>(c.chars + c.leap * (time_width + 4) + c.isstd + c.isut));

  TimeZone z;
  z.name_ = std::move(name);
  z.initial_offset_ = type_offsets[0];
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (i > 0 && times[i] <= times[i - 1]) {
      throw InvalidArgument("the time zone file's transitions are out of order");
    }
    z.transitions_.push_back(times[i]);
    z.offsets_.push_back(type_offsets[type_of[i]]);
  }
  if (time_width == 8) {
    const std::string_view rest = r.Rest();
    if (rest.size() >= 2 && rest[0] == '\n') {
      const std::size_t end = rest.find('\n', 1);
      if (end != std::string_view::npos) {
        z.has_tail_offset_ = PlainOffsetOfRule(rest.substr(1, end - 1), &z.tail_offset_);
      }
    }
  }
  return z;
}

int TimeZone::OffsetAt(EpochMs utc_ms) const {
  const long long seconds = FloorDiv(utc_ms, 1000);
  if (transitions_.empty() || seconds < transitions_.front()) {
    return transitions_.empty() && has_tail_offset_ ? tail_offset_ : initial_offset_;
  }
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), seconds);
  const std::size_t index = static_cast<std::size_t>(it - transitions_.begin()) - 1;
  if (it == transitions_.end() && has_tail_offset_) {
    return tail_offset_;
  }
  return offsets_[index];
}

LocalTime TimeZone::ToLocal(EpochMs utc_ms) const {
  const long long local = FloorDiv(utc_ms, 1000) + OffsetAt(utc_ms);
  const long long days = FloorDiv(local, 86400);
  const long long of_day = local - days * 86400;
  LocalTime t = CivilFromDays(days);
  t.hour = static_cast<int>(of_day / 3600);
  t.minute = static_cast<int>(of_day % 3600 / 60);
  t.second = static_cast<int>(of_day % 60);
  return t;
}

EpochMs TimeZone::FromLocal(const LocalTime& l) const {
  const long long as_utc =
      DaysFromCivil(l.year, l.month, l.day) * 86400 + l.hour * 3600LL + l.minute * 60LL + l.second;
  // Clock changes are far more than a day apart, so the offsets a day either side are the only
  // candidates.
  const int before = OffsetAt((as_utc - 86400) * 1000);
  const int after = OffsetAt((as_utc + 86400) * 1000);
  long long best = 0;
  bool found = false;
  for (int offset : {before, after}) {
    const long long t = as_utc - offset;
    if (OffsetAt(t * 1000) == offset && (!found || t < best)) {
      best = t;
      found = true;
    }
  }
  if (!found) {
    best = as_utc - before;  // skipped by a jump forward: lands after it, shifted by the jump
  }
  return best * 1000;
}

std::shared_ptr<const TimeZone> LoadTimeZone(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const TimeZone>> cache;  // guarded by mu
  // A canonical name only: no empty, "." or ".." segment, so one zone has one spelling.
  const bool well_formed = !name.empty() && name.size() <= 64 && name.front() != '/' &&
                           name.back() != '/' && name.find("..") == std::string::npos &&
                           name.find("//") == std::string::npos &&
                           std::all_of(name.begin(), name.end(), [](char c) {
                             return std::isalnum(static_cast<unsigned char>(c)) || c == '/' ||
                                    c == '_' || c == '-' || c == '+';
                           });
  if (!well_formed) {
    throw InvalidArgument("'" + name + "' is not a time zone name", "time_zone");
  }
  {
    std::lock_guard lock(mu);
    if (auto it = cache.find(name); it != cache.end()) {
      return it->second;
    }
  }
  std::shared_ptr<const TimeZone> zone;
  if (name == "UTC" || name == "Etc/UTC") {
    zone = std::make_shared<const TimeZone>(TimeZone::Utc());
  } else {
    std::ifstream in(kZoneInfoDir + name, std::ios::binary);
    if (!in) {
      throw InvalidArgument("unknown time zone '" + name + "'", "time_zone");
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    zone = std::make_shared<const TimeZone>(TimeZone::FromTzif(name, bytes.str()));
  }
  std::lock_guard lock(mu);
  cache.emplace(name, zone);
  return zone;
}

}  // namespace opdesk
