// Local time in a tz database zone ("Europe/Moscow"), read from the system's tzdata (TZif files
// under /usr/share/zoneinfo, RFC 8536), so names shown to people follow the tenant's clock
// (FEATURES B13). The standard library of our compiler has no time zones yet (GCC 14 brings
// std::chrono::zoned_time); this is the small part of it opdesk needs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opdesk {

class TimeZone {
 public:
  static TimeZone Utc();
  // Parses TZif data (versions 1–4). Times past the last transition follow the footer's POSIX
  // rule (standard offset, and daylight saving in the common "Mm.w.d" form). Throws
  // InvalidArgument when the data is not TZif.
  static TimeZone FromTzif(std::string_view data, std::string name);

  const std::string& name() const { return name_; }
  // Seconds east of UTC in effect at `epoch_s`.
  int OffsetAt(long long epoch_s) const;

 private:
  struct Footer {
    bool known = false;
    int std_offset = 0;
    bool has_dst = false;
    int dst_offset = 0;
    // Mm.w.d start and end, each with the local time of the change (seconds after midnight).
    int start_month = 0, start_week = 0, start_day = 0, start_time = 7200;
    int end_month = 0, end_week = 0, end_day = 0, end_time = 7200;
  };
  int FooterOffset(long long epoch_s) const;

  std::string name_;
  std::vector<long long> transitions_;   // epoch seconds, ascending
  std::vector<int> transition_offsets_;  // offset from each transition on
  int initial_offset_ = 0;               // before the first transition
  Footer footer_;
};

// The zone `name` from the system tz database, cached per name. NotFound for a name that is not
// a zone there (including anything that tries to leave the database directory).
TimeZone LoadTimeZone(const std::string& name);

struct LocalDateTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

LocalDateTime ToLocal(long long epoch_s, const TimeZone& zone);

// Days since 1970-01-01 of a civil date, and back (proleptic Gregorian calendar).
long long DaysFromCivil(int year, int month, int day);
LocalDateTime CivilFromDays(long long days);

}  // namespace opdesk
