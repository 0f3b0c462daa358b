#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV17() {
  return {
      {17,
       "dialing tasks",
       {
           // A dialing task (FEATURES F3): its script and the version pinned at start, retry
           // rules, state, and a version for optimistic concurrency.
           "CREATE TABLE campaign_tasks ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " name VARCHAR(255) NOT NULL,"
           " description {text} NOT NULL,"
           " script_id BIGINT NOT NULL DEFAULT 0,"
           " script_version BIGINT NOT NULL DEFAULT 0,"
           " max_attempts INT NOT NULL,"
           " spacing_minutes INT NOT NULL,"
           " state VARCHAR(16) NOT NULL,"
           " created_by VARCHAR(64) NOT NULL,"
           " version BIGINT NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "CREATE INDEX campaign_tasks_tenant ON campaign_tasks (tenant_id, id)",
           // Who works a task, in the order the manager chose; by user for "my tasks".
           "CREATE TABLE campaign_task_employees ("
           " task_id BIGINT NOT NULL,"
           " tenant_id VARCHAR(191) NOT NULL,"
           " user_id VARCHAR(64) NOT NULL,"
           " position INT NOT NULL,"
           " PRIMARY KEY (task_id, user_id)){opts}",
           "CREATE INDEX campaign_task_employees_user ON campaign_task_employees"
           " (tenant_id, user_id)",
           // The contacts of a task (F3–F5): a number, or a CRM contact read at call time;
           // `dedupe_key` (the number, or "contact:<id>") keeps one row per contact and task.
           "CREATE TABLE campaign_contacts ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " task_id BIGINT NOT NULL,"
           " source VARCHAR(16) NOT NULL,"
           " dedupe_key VARCHAR(64) NOT NULL,"
           " phone VARCHAR(32) NOT NULL,"
           " crm_contact_id VARCHAR(32) NOT NULL,"
           " name VARCHAR(255) NOT NULL,"
           " status VARCHAR(16) NOT NULL,"
           " result VARCHAR(16) NOT NULL,"
           " attempts INT NOT NULL,"
           " operator_id VARCHAR(64) NOT NULL,"
           " due_at_ms BIGINT NOT NULL,"
           " opened INT NOT NULL,"
           " comment {text} NOT NULL,"
           " last_call_at_ms BIGINT NOT NULL,"
           " version BIGINT NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "CREATE UNIQUE INDEX campaign_contacts_key ON campaign_contacts (task_id, dedupe_key)",
           // The claim: the pool of a task by status and due time, and an operator's own.
           "CREATE INDEX campaign_contacts_pool ON campaign_contacts"
           " (task_id, status, attempts, due_at_ms)",
           "CREATE INDEX campaign_contacts_operator ON campaign_contacts"
           " (task_id, operator_id, status, due_at_ms)",
           // Click-to-call of a task's contact: Mango's command id → the task and contact.
           "CREATE TABLE campaign_calls ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " command_id VARCHAR(64) NOT NULL,"
           " task_id BIGINT NOT NULL,"
           " contact_id BIGINT NOT NULL,"
           " user_id VARCHAR(64) NOT NULL,"
           " phone VARCHAR(32) NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, command_id)){opts}",
           "CREATE INDEX campaign_calls_contact ON campaign_calls (task_id, contact_id)",
           // The timeline comment of each result (F6), by the job's key: marked "sending"
           // before the CRM is asked, so a rerun after a lost answer never writes it twice.
           "CREATE TABLE campaign_comments ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " comment_key VARCHAR(64) NOT NULL,"
           " state VARCHAR(16) NOT NULL,"
           " crm_record VARCHAR(64) NOT NULL,"
           " crm_comment_id VARCHAR(64) NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, comment_key)){opts}",
       }},
  };
}

}  // namespace opdesk::storage
