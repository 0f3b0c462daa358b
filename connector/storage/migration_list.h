// The statements of each schema version, one file per range of versions (migrations_v*.cpp);
// migrations.cpp applies them. Internal to storage.
#pragma once

#include <string>
#include <vector>

namespace opdesk::storage {

// A migration is a list of statements written once for both dialects; the placeholders
// {id} {text} {opts} expand per dialect. Never edit a released migration: add a new one.
struct Migration {
  int version;
  const char* name;
  std::vector<std::string> statements;
};

// Versions 1 to 7: tenants, jobs, events, Bitrix24 portals and tokens, Mango connections,
// calls and commands, integration settings, clients created for calls.
std::vector<Migration> MigrationsV1ToV7();
// Versions 8 to 10: the settings objects, call card button presses, the events retention index.
std::vector<Migration> MigrationsV8ToV10();
// Version 11: the VPBX command slots shared by every process (routes to the responsible).
std::vector<Migration> MigrationsV11();
// Version 12: Megaplan accounts (sealed tokens), its calls and what opdesk created there.
std::vector<Migration> MigrationsV12();
// Version 13: the reception wizard's settings and inquiries, call look-ups by CRM call id.
std::vector<Migration> MigrationsV13();
// Version 15: Megaplan accounts connected as a marketplace application; the phone index's
// generation shared by every process.
std::vector<Migration> MigrationsV15();
// Version 16: events stored pending, applied after the acknowledgement; the applier's lock row.
std::vector<Migration> MigrationsV16();
// Version 17: dialing tasks, their employees and contacts, calls placed for a task's contact.
std::vector<Migration> MigrationsV17();
// Version 18: dialing tasks' CRM filters with their paging cursor.
std::vector<Migration> MigrationsV18();
// Version 19: after a task's call — e-mail templates, e-mails, recordings, invoices.
std::vector<Migration> MigrationsV19();
// Version 20: the numbers of calls saved into a script's CRM field (FEATURES F2).
std::vector<Migration> MigrationsV20();
// Version 21: the callback reminders of dialing tasks (the due time last notified).
std::vector<Migration> MigrationsV21();

}  // namespace opdesk::storage
