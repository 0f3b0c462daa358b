// Storage of the call card's button presses. A press is one row; its actions (with their states)
// are a JSON document encoded by the call card module, so the row is read and updated whole.
#pragma once

#include <optional>
#include <string>

#include "connector/domain/clock.h"
#include "connector/storage/database.h"

namespace opdesk::storage {

struct PressRow {
  std::string tenant_id;
  std::string press_id;
  std::string user_id;
  std::string button_id;
  std::string call_id;
  std::string entity;
  std::string entity_id;
  std::string actions_json;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

class ButtonPressRepository {
 public:
  // Inserts unless the tenant has a press with this id; true if inserted.
  static bool Insert(Session& s, const PressRow& row);
  static std::optional<PressRow> Find(Session& s, const std::string& tenant_id,
                                      const std::string& press_id);
  // The row locked for update on MySQL (SQLite's write transaction serialises writers).
  static std::optional<PressRow> Lock(Session& s, const std::string& tenant_id,
                                      const std::string& press_id);
  static void SaveActions(Session& s, const std::string& tenant_id, const std::string& press_id,
                          const std::string& actions_json, EpochMs now);
};

}  // namespace opdesk::storage
