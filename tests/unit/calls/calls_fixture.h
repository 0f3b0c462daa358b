// The call pipeline's runners on a fresh SQLite database with the in-memory CRM (FakeCrm), a
// fake clock and a Mango command client that reaches no VPBX (none is connected, so a command
// is refused as it would be for a disconnected tenant). One tenant with an installed portal
// whose installer is user 1.
#pragma once

#include <gtest/gtest.h>

#include <cpprest/json.h>

#include <memory>
#include <string>

#include "adapters/http_transport.h"
#include "adapters/mango/command_client.h"
#include "connector/calls/call_codec.h"
#include "connector/calls/employee_resolver.h"
#include "connector/calls/integration_settings.h"
#include "connector/jobs/job.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"
#include "oauth/secret_box.h"
#include "tests/support/fake_crm.h"
#include "tests/support/test_database.h"

namespace opdesk::testing {

class CallsTest : public ::testing::Test {
 protected:
  static constexpr const char* kTenant = "t1";

  void SetUp() override {
    test_db_ = std::make_unique<TestDatabase>("sqlite");
    db_ = test_db_->Open(true, 2);
    box_ = std::make_unique<crypto::SecretBox>(crypto::RandomBytes(32));
    mango_ = std::make_unique<mango::CommandClient>(*db_, *box_, clock_, http_,
                                                    "http://127.0.0.1:9/vpbx/");
    employees_ = std::make_unique<mango::EmployeeResolver>(*db_, crm_, clock_);
    storage::InTransaction(*db_, [&](storage::Session& s) {
      Tenant t;
      t.id = kTenant;
      t.domain = "t1.bitrix24.ru";
      t.time_zone = "UTC";
      t.created_at_ms = t.updated_at_ms = clock_.NowMs();
      storage::TenantRepository::Upsert(s, t);
      B24Portal p;
      p.tenant_id = kTenant;
      p.domain = t.domain;
      p.client_endpoint = "https://t1.bitrix24.ru/rest/";
      p.state = "installed";
      p.installer_user_id = "1";
      p.created_at_ms = p.updated_at_ms = clock_.NowMs();
      storage::B24PortalRepository::Upsert(s, p);
    });
  }

  // Links an extension to a CRM user in the employee map, as the settings page does.
  void Link(const std::string& extension, const std::string& user_id) {
    storage::InTransaction(*db_, [&](storage::Session& s) {
      storage::EmployeeMapRepository::Link(s,
                                           {kTenant, extension, user_id, "manual", clock_.NowMs()});
    });
  }

  void SaveSettings(const IntegrationSettings& settings) {
    storage::InTransaction(*db_, [&](storage::Session& s) {
      const auto row = storage::IntegrationSettingsRepository::Find(s, kTenant);
      storage::IntegrationSettingsRepository::Save(s, kTenant,
                                                   mango::EncodeIntegrationSettings(settings),
                                                   row ? row->version : 0, clock_.NowMs());
    });
  }

  // An incoming call from `client` on `line`, stored as the webhooks store it.
  calls::Call StoreCall(const std::string& entry_id, const std::string& client = "79001234567",
                        const std::string& line = "74950000000",
                        calls::Direction direction = calls::Direction::kInbound) {
    calls::Call call;
    call.entry_id = entry_id;
    call.direction = direction;
    call.client_number = client;
    call.line_number = line;
    call.started_at = 1'700'000'000;
    Save(call);
    return call;
  }

  void Save(const calls::Call& call) {
    storage::InTransaction(*db_, [&](storage::Session& s) {
      StoredCall row;
      row.tenant_id = kTenant;
      row.entry_id = call.entry_id;
      row.state_json = mango::EncodeCall(call);
      row.finished = call.finished;
      row.created_at_ms = row.updated_at_ms = clock_.NowMs();
      storage::CallRepository::Save(s, row);
    });
  }

  StoredCall Stored(const std::string& entry_id) {
    std::optional<StoredCall> row;
    storage::WithSession(*db_, [&](storage::Session& s) {
      row = storage::CallRepository::Find(s, kTenant, entry_id);
    });
    EXPECT_TRUE(row) << entry_id;
    return row.value_or(StoredCall{});
  }

  jobs::Job MakeJob(const std::string& kind, const web::json::value& payload, int attempts = 1) {
    jobs::Job job;
    job.id = ++next_job_id_;
    job.tenant_id = kTenant;
    job.kind = kind;
    job.payload = payload.serialize();
    job.attempts = attempts;
    job.max_attempts = 5;
    return job;
  }

  // The payload of a register/show/hide/finish intent.
  // The payload as the worker pool hands it to the runner: through the kind's codec.
  template <class Payload>
  static Payload Decoded(const jobs::JobKind<Payload>& kind, const web::json::value& payload) {
    return kind.decode(payload.serialize());
  }

  static web::json::value Intent(const std::string& entry_id, const std::string& extension,
                                 bool show_card = true) {
    web::json::value v = web::json::value::object();
    v["entry_id"] = web::json::value::string(entry_id);
    v["extension"] = web::json::value::string(extension);
    v["show_card"] = web::json::value::boolean(show_card);
    return v;
  }

  // The code of the opdesk::Error `fn` throws, "ok" when it throws none.
  static std::string CodeOf(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return std::string(ToString(e.code()));
    }
    return "ok";
  }

  FakeClock clock_;
  FakeCrm crm_;
  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<crypto::SecretBox> box_;
  adapters::HttpTransport http_{{true, 4, "opdesk-test"}};
  std::unique_ptr<mango::CommandClient> mango_;
  std::unique_ptr<mango::EmployeeResolver> employees_;
  long long next_job_id_ = 0;
};

}  // namespace opdesk::testing
