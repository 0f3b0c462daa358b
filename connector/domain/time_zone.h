// Time zones for what people read and type: "tomorrow at 10:00" in a tenant's zone, dates in the
// vendor's `plan set --until`. Zones come from the system's tzdata (TZif files, RFC 8536), because
// GCC 12's standard library has the calendar but not the time zone database of C++20.
// NOTE: after the last transition in the file a zone keeps its last offset unless the file's
// footer rule is a plain offset; Debian's "fat" files list transitions up to 2037.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connector/domain/clock.h"

namespace opdesk {

// A wall-clock reading, without a zone.
struct LocalTime {
  int year = 1970;
  int month = 1;  // 1–12
  int day = 1;    // 1–31
  int hour = 0;
  int minute = 0;
  int second = 0;
};

class TimeZone {
 public:
  static TimeZone Utc();
  static TimeZone FixedOffset(std::string name, int seconds_east);
  // Parses a TZif file (versions 1–4). Throws InvalidArgument on malformed data.
  static TimeZone FromTzif(std::string name, std::string_view bytes);

  const std::string& name() const { return name_; }
  // Seconds east of UTC in force at `utc_ms`.
  int OffsetAt(EpochMs utc_ms) const;
  LocalTime ToLocal(EpochMs utc_ms) const;
  // The instant a wall clock in this zone shows `local`. A reading skipped by a clock change is
  // moved forward by the change; a repeated one gives the earlier instant.
  EpochMs FromLocal(const LocalTime& local) const;

 private:
  std::string name_;
  int initial_offset_ = 0;
  std::vector<long long> transitions_;  // UTC seconds, ascending
  std::vector<int> offsets_;            // the offset from each transition on
  bool has_tail_offset_ = false;        // the footer rule's fixed offset, after the last transition
  int tail_offset_ = 0;
};

// The zone named `name` ("Europe/Moscow") from the system's zoneinfo directory, cached for the
// process. Throws InvalidArgument for a name that is malformed or not installed.
std::shared_ptr<const TimeZone> LoadTimeZone(const std::string& name);

// Days since 1970-01-01 of a civil date, and back (proleptic Gregorian).
long long DaysFromCivil(int year, int month, int day);
LocalTime CivilFromDays(long long days);
// Whether year-month-day names a real date.
bool IsValidDate(int year, int month, int day);

}  // namespace opdesk
