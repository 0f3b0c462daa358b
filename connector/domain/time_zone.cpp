#include "connector/domain/time_zone.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "connector/domain/error.h"

namespace opdesk {
namespace {

constexpr long long kDay = 86'400;

long long FloorDiv(long long a, long long b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// 0 = Sunday.
int Weekday(long long days) {
  return static_cast<int>(((days % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool Has(std::size_t n) const { return pos_ + n <= data_.size(); }
  long long Int(std::size_t width) {
    if (!Has(width)) {
      throw InvalidArgument("truncated TZif data");
    }
    unsigned long long v = 0;
    for (std::size_t i = 0; i < width; ++i) {
      v = (v << 8) | static_cast<unsigned char>(data_[pos_ + i]);
    }
    pos_ += width;
    if (width == 4) {
      return static_cast<long long>(static_cast<int32_t>(static_cast<uint32_t>(v)));
    }
    return static_cast<long long>(v);
  }
  void Skip(std::size_t n) {
    if (!Has(n)) {
      throw InvalidArgument("truncated TZif data");
    }
    pos_ += n;
  }
  std::size_t pos() const { return pos_; }
  std::string_view Rest() const { return data_.substr(pos_); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  long long isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

Header ReadHeader(Reader& r) {
  if (!r.Has(44) || r.Rest().substr(0, 4) != "TZif") {
    throw InvalidArgument("not TZif data");
  }
  Header h;
  r.Skip(4);
  h.version = r.Rest()[0];
  r.Skip(16);
  h.isutcnt = r.Int(4);
  h.isstdcnt = r.Int(4);
  h.leapcnt = r.Int(4);
  h.timecnt = r.Int(4);
  h.typecnt = r.Int(4);
  h.charcnt = r.Int(4);
  if (h.typecnt <= 0 || h.timecnt < 0 || h.leapcnt < 0 || h.charcnt < 0 || h.isutcnt < 0 ||
      h.isstdcnt < 0 || h.timecnt > 100'000 || h.typecnt > 256) {
    throw InvalidArgument("TZif header out of range");
  }
  return h;
}

// A POSIX TZ string reader for the footer, e.g. "CET-1CEST,M3.5.0,M10.5.0/3" or "<+05>-5".
class PosixReader {
 public:
  explicit PosixReader(std::string_view s) : s_(s) {}
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[i_]; }
  bool Eat(char c) {
    if (Peek() == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Name() {
    if (Eat('<')) {
      while (!AtEnd() && s_[i_] != '>') {
        ++i_;
      }
      return Eat('>');
    }
    std::size_t start = i_;
    while (!AtEnd() && std::isalpha(static_cast<unsigned char>(s_[i_]))) {
      ++i_;
    }
    return i_ - start >= 3;
  }
  bool Number(int* out) {
    std::size_t start = i_;
    int v = 0;
    while (!AtEnd() && std::isdigit(static_cast<unsigned char>(s_[i_])) && i_ - start < 3) {
      v = v * 10 + (s_[i_] - '0');
      ++i_;
    }
    *out = v;
    return i_ > start;
  }
  // [+-]hh[:mm[:ss]] in seconds.
  bool Time(int* out) {
    int sign = 1;
    if (Eat('-')) {
      sign = -1;
    } else {
      Eat('+');
    }
    int h = 0, m = 0, sec = 0;
    if (!Number(&h)) {
      return false;
    }
    if (Eat(':') && (!Number(&m) || (Eat(':') && !Number(&sec)))) {
      return false;
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  // Mm.w.d[/time]; other rule forms are not used by current tzdata for our regions.
  bool Rule(int* month, int* week, int* day, int* time) {
    if (!Eat('M') || !Number(month) || !Eat('.') || !Number(week) || !Eat('.') || !Number(day)) {
      return false;
    }
    *time = 7200;
    if (Eat('/') && !Time(time)) {
      return false;
    }
    return *month >= 1 && *month <= 12 && *week >= 1 && *week <= 5 && *day >= 0 && *day <= 6;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

// Seconds since the epoch of local midnight of the rule's day in `year` (no offset applied).
long long RuleDay(int year, int month, int week, int day) {
  const long long first = DaysFromCivil(year, month, 1);
  int d = 1 + (day - Weekday(first) + 7) % 7 + (week - 1) * 7;
  while (d > DaysInMonth(year, month)) {
    d -= 7;
  }
  return (first + d - 1) * kDay;
}

std::mutex cache_mu;
std::map<std::string, TimeZone>& Cache() {
  static std::map<std::string, TimeZone> cache;  // guarded by cache_mu
  return cache;
}

bool ValidZoneName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '+' &&
        c != '/') {
      return false;
    }
  }
  std::stringstream parts(name);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part.empty() || part == "." || part == "..") {
      return false;
    }
  }
  return true;
}

}  // namespace

long long DaysFromCivil(int year, int month, int day) {
  // Howard Hinnant's days_from_civil.
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long long>(era) * 146097 + static_cast<long long>(doe) - 719468;
}

LocalDateTime CivilFromDays(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  LocalDateTime out;
  out.year = static_cast<int>(y + (m <= 2 ? 1 : 0));
  out.month = static_cast<int>(m);
  out.day = static_cast<int>(d);
  return out;
}

TimeZone TimeZone::Utc() {
  TimeZone z;
  z.name_ = "UTC";
  z.footer_.known = true;
  return z;
}

TimeZone TimeZone::FromTzif(std::string_view data, std::string name) {
  TimeZone z;
  z.name_ = std::move(name);
  Reader r(data);
  Header h = ReadHeader(r);
  std::size_t time_width = 4;
  if (h.version >= '2') {
    // Skip the 32-bit block; the 64-bit one after it covers every year.
    r.Skip(static_cast<std::size_t>(h.timecnt * 5 + h.typecnt * 6 + h.charcnt + h.leapcnt * 8 +
                                    h.isstdcnt + h.isutcnt));
    h = ReadHeader(r);
    time_width = 8;
  }
  std::vector<long long> times(static_cast<std::size_t>(h.timecnt));
  for (auto& t : times) {
    t = r.Int(time_width);
  }
  std::vector<int> type_of(static_cast<std::size_t>(h.timecnt));
  for (auto& t : type_of) {
    t = static_cast<int>(r.Int(1));
    if (t >= h.typecnt) {
      throw InvalidArgument("TZif transition names an unknown type");
    }
  }
  std::vector<int> offsets(static_cast<std::size_t>(h.typecnt));
  for (auto& o : offsets) {
    o = static_cast<int>(r.Int(4));
    r.Skip(2);  // isdst, abbreviation index
  }
  r.Skip(
      static_cast<std::size_t>(h.charcnt + h.leapcnt * (time_width + 4) + h.isstdcnt + h.isutcnt));
  z.initial_offset_ = offsets[0];
  z.transitions_ = times;
  for (int t : type_of) {
    z.transition_offsets_.push_back(offsets[static_cast<std::size_t>(t)]);
  }
  if (time_width == 8 && r.Rest().size() >= 2 && r.Rest()[0] == '\n') {
    std::string_view rest = r.Rest().substr(1);
    PosixReader p(rest.substr(0, rest.find('\n')));
    Footer f;
    int std_west = 0;
    if (p.Name() && p.Time(&std_west)) {
      f.known = true;
      f.std_offset = -std_west;
      if (!p.AtEnd()) {
        int dst_west = std_west - 3600;
        const bool named = p.Name();
        if (named && p.Peek() != ',' && !p.AtEnd() && !p.Time(&dst_west)) {
          f.known = false;
        }
        f.dst_offset = -dst_west;
        f.has_dst = named && p.Eat(',') &&
                    p.Rule(&f.start_month, &f.start_week, &f.start_day, &f.start_time) &&
                    p.Eat(',') && p.Rule(&f.end_month, &f.end_week, &f.end_day, &f.end_time);
      }
    }
    z.footer_ = f;
  }
  return z;
}

int TimeZone::FooterOffset(long long t) const {
  if (!footer_.has_dst) {
    return footer_.std_offset;
  }
  const int year = CivilFromDays(FloorDiv(t + footer_.std_offset, kDay)).year;
  const long long start =
      RuleDay(year, footer_.start_month, footer_.start_week, footer_.start_day) +
      footer_.start_time - footer_.std_offset;
  const long long end = RuleDay(year, footer_.end_month, footer_.end_week, footer_.end_day) +
                        footer_.end_time - footer_.dst_offset;
  const bool dst = start < end ? (t >= start && t < end) : (t < end || t >= start);
  return dst ? footer_.dst_offset : footer_.std_offset;
}

int TimeZone::OffsetAt(long long t) const {
  if (transitions_.empty() || t >= transitions_.back()) {
    if (footer_.known) {
      return FooterOffset(t);
    }
    return transitions_.empty() ? initial_offset_ : transition_offsets_.back();
  }
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), t);
  if (it == transitions_.begin()) {
    return initial_offset_;
  }
  return transition_offsets_[static_cast<std::size_t>(it - transitions_.begin() - 1)];
}

TimeZone LoadTimeZone(const std::string& name) {
  if (!ValidZoneName(name)) {
    throw NotFound("'" + name + "' is not a time zone name");
  }
  {
    std::lock_guard lock(cache_mu);
    auto it = Cache().find(name);
    if (it != Cache().end()) {
      return it->second;
    }
  }
  const char* dir = std::getenv("TZDIR");
  const std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name;
  std::ifstream in(path, std::ios::binary);
  std::stringstream data;
  data << in.rdbuf();
  if (!in) {
    throw NotFound("time zone '" + name + "' is not in the tz database");
  }
  TimeZone zone;
  try {
    zone = TimeZone::FromTzif(data.str(), name);
  } catch (const Error&) {
    throw NotFound("time zone '" + name + "' is not in the tz database");
  }
  std::lock_guard lock(cache_mu);
  Cache().emplace(name, zone);
  return zone;
}

LocalDateTime ToLocal(long long epoch_s, const TimeZone& zone) {
  const long long local = epoch_s + zone.OffsetAt(epoch_s);
  const long long days = FloorDiv(local, kDay);
  const long long secs = local - days * kDay;
  LocalDateTime out = CivilFromDays(days);
  out.hour = static_cast<int>(secs / 3600);
  out.minute = static_cast<int>(secs % 3600 / 60);
  out.second = static_cast<int>(secs % 60);
  return out;
}

}  // namespace opdesk
