#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV19() {
  return {
      {19,
       "after a task's call: e-mail templates, e-mails, recordings, invoices",
       {
           // E-mail templates of dialing tasks (FEATURES F6), the managers'.
           "CREATE TABLE campaign_email_templates ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " name VARCHAR(255) NOT NULL,"
           " subject VARCHAR(1024) NOT NULL,"
           " body {text} NOT NULL,"
           " version BIGINT NOT NULL,"
           " created_by VARCHAR(64) NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "CREATE INDEX campaign_email_templates_tenant ON campaign_email_templates"
           " (tenant_id, id)",
           // A task's default template (optional; at most one per task).
           "CREATE TABLE campaign_task_templates ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " task_id BIGINT NOT NULL,"
           " template_id BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, task_id)){opts}",
           // What an operator asked for after a call, by its idempotency key: an e-mail, a
           // recording attached, an invoice. `state`: queued → sending → done | failed (an
           // invoice passes `rows` once the CRM has it and its products are being set).
           "CREATE TABLE campaign_after_actions ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " action_key VARCHAR(128) NOT NULL,"
           " kind VARCHAR(16) NOT NULL,"
           " task_id BIGINT NOT NULL,"
           " contact_id BIGINT NOT NULL,"
           " operator_id VARCHAR(64) NOT NULL,"
           " state VARCHAR(16) NOT NULL,"
           " crm_id VARCHAR(64) NOT NULL,"
           " error VARCHAR(1024) NOT NULL,"
           " detail {text} NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, action_key)){opts}",
           "CREATE INDEX campaign_after_actions_contact ON campaign_after_actions"
           " (tenant_id, task_id, contact_id, created_at_ms)",
           // Uploaded call recordings, kept until the CRM has them; their bytes in base64
           // chunks of at most 1 MB (within any server's packet limit).
           "CREATE TABLE campaign_recordings ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " task_id BIGINT NOT NULL,"
           " contact_id BIGINT NOT NULL,"
           " filename VARCHAR(255) NOT NULL,"
           " kind VARCHAR(8) NOT NULL,"
           " size_bytes BIGINT NOT NULL,"
           " chunks INT NOT NULL,"
           " created_at_ms BIGINT NOT NULL){opts}",
           "CREATE TABLE campaign_recording_chunks ("
           " recording_id BIGINT NOT NULL,"
           " seq INT NOT NULL,"
           " data {text} NOT NULL,"
           " PRIMARY KEY (recording_id, seq)){opts}",
       }},
  };
}

}  // namespace opdesk::storage
