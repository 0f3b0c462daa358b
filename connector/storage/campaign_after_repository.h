// The rows of what follows a dialing task's call (FEATURES F6, F7): e-mail templates and a
// task's default one, the actions an operator asked for (an e-mail, a recording attached, an
// invoice) by their idempotency key with their state in the CRM, and uploaded recordings kept
// (in base64 chunks) until the CRM has them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connector/domain/after_call.h"
#include "connector/domain/clock.h"
#include "connector/storage/database.h"

namespace opdesk::storage {

class EmailTemplateRepository {
 public:
  // Returns the id; the version stored is 1.
  static long long Insert(Session& s, const std::string& tenant_id,
                          const campaigns::EmailTemplate& t, const std::string& created_by,
                          EpochMs now);
  // Name, subject and body if the stored version is `expected_version`; bumps it.
  static bool Update(Session& s, const std::string& tenant_id, const campaigns::EmailTemplate& t,
                     long long expected_version, EpochMs now);
  static std::optional<campaigns::EmailTemplate> Find(Session& s, const std::string& tenant_id,
                                                      long long id);
  static std::vector<campaigns::EmailTemplate> List(Session& s, const std::string& tenant_id);
  static long long Count(Session& s, const std::string& tenant_id);
  // Also clears it as any task's default. False when the version moved on (or no row).
  static bool Delete(Session& s, const std::string& tenant_id, long long id,
                     long long expected_version);

  // A task's default template (0: none).
  static long long TaskDefault(Session& s, const std::string& tenant_id, long long task_id);
  static void SetTaskDefault(Session& s, const std::string& tenant_id, long long task_id,
                             long long template_id);
};

struct AfterActionRow {
  std::string key;
  std::string kind;  // "email", "recording", "invoice"
  long long task_id = 0;
  long long contact_id = 0;
  std::string operator_id;
  std::string state;   // "queued", "sending", "rows" (invoice), "done", "failed"
  std::string crm_id;  // the CRM's activity, comment or invoice id
  std::string error;
  std::string detail;  // JSON the API shows (recipient and subject, file, lines and total)
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

class AfterActionRepository {
 public:
  // False (nothing written) when the key is taken already.
  static bool Insert(Session& s, const std::string& tenant_id, const AfterActionRow& row);
  static std::optional<AfterActionRow> Find(Session& s, const std::string& tenant_id,
                                            const std::string& key);
  // The contact's actions, newest first (at most 50).
  static std::vector<AfterActionRow> ForContact(Session& s, const std::string& tenant_id,
                                                long long task_id, long long contact_id);
  // Moves the row from `from` to `to` (with the CRM id and error given); false when it was not
  // in `from` — another run has it, so this one does nothing.
  static bool Move(Session& s, const std::string& tenant_id, const std::string& key,
                   const std::string& from, const std::string& to, const std::string& crm_id,
                   const std::string& error, EpochMs now);
};

struct RecordingRow {
  long long id = 0;
  long long task_id = 0;
  long long contact_id = 0;
  std::string filename;
  std::string kind;  // "mp3", "wav", "ogg"
  long long size_bytes = 0;
  EpochMs created_at_ms = 0;
};

class RecordingRepository {
 public:
  // Stores the file's bytes as `chunks` (base64 text, each at most 1 MB, in order); returns the
  // recording's id.
  static long long Insert(Session& s, const std::string& tenant_id, const RecordingRow& row,
                          const std::vector<std::string>& chunks);
  static std::optional<RecordingRow> Find(Session& s, const std::string& tenant_id, long long id);
  // The chunks as stored, in order; none once dropped.
  static std::vector<std::string> Chunks(Session& s, const std::string& tenant_id, long long id);
  // Drops the bytes once the CRM has them (the row stays, for the history).
  static void DropContent(Session& s, const std::string& tenant_id, long long id);
};

}  // namespace opdesk::storage
