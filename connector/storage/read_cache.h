// Rows that the call path reads for every CRM request but that change a few times a day (the
// Bitrix24 portal, the extension → CRM user links, the tenant's known CRM lines), kept in memory
// for a moment. Each Database owns one ReadCache, so two databases in one process never share
// rows. A write through the repositories drops what is kept of that table at once; a write by
// another process (a second instance, the `opdesk` command line) is seen within kTtl. Writes
// that race a read are bounded by the same kTtl: the read keeps its row only if no write of its
// table started since the read began.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "connector/storage/bitrix24_records.h"
#include "connector/storage/mango_records.h"

namespace opdesk::storage {

// Values by key, each kept for `ttl` after it was read; Clear() drops them all. Thread-safe.
template <typename Value>
class KeptRows {
 public:
  using Clock = std::chrono::steady_clock;
  explicit KeptRows(Clock::duration ttl) : ttl_(ttl) {}

  // What `Put` is given with: the table's write count when the read began.
  std::uint64_t generation() const {
    std::lock_guard lock(mu_);
    return generation_;
  }
  std::optional<Value> Get(const std::string& key) const {
    std::lock_guard lock(mu_);
    auto it = rows_.find(key);
    if (it == rows_.end() || Clock::now() - it->second.read_at > ttl_) {
      return std::nullopt;
    }
    return it->second.value;
  }
  // Keeps `value` unless the table was written since `generation` was taken.
  void Put(const std::string& key, Value value, std::uint64_t generation) {
    std::lock_guard lock(mu_);
    if (generation != generation_) {
      return;
    }
    if (rows_.size() >= kMaxRows) {
      rows_.clear();  // many tenants: a full map starts over rather than grow without bound
    }
    rows_[key] = {std::move(value), Clock::now()};
  }
  void Clear() {
    std::lock_guard lock(mu_);
    ++generation_;
    rows_.clear();
  }

 private:
  static constexpr std::size_t kMaxRows = 100'000;
  struct Row {
    Value value;
    Clock::time_point read_at;
  };
  const Clock::duration ttl_;
  mutable std::mutex mu_;
  std::uint64_t generation_ = 0;     // guarded by mu_
  std::map<std::string, Row> rows_;  // guarded by mu_
};

struct ReadCache {
  static constexpr std::chrono::seconds kTtl{2};
  KeptRows<std::optional<B24Portal>> portals{kTtl};  // by tenant; nullopt: none
  // By tenant "\n" extension and by tenant "\n" CRM user; nullopt: not linked.
  KeptRows<std::optional<EmployeeLink>> employees_by_extension{kTtl};
  KeptRows<std::optional<EmployeeLink>> employees_by_user{kTtl};
  KeptRows<bool> crm_lines{kTtl};  // by tenant "\n" line; only lines known to be registered

  // A tenant's data was deleted.
  void ClearAll() {
    portals.Clear();
    employees_by_extension.Clear();
    employees_by_user.Clear();
    crm_lines.Clear();
  }
};

}  // namespace opdesk::storage
