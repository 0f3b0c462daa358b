#include "connector/campaigns/comment_job.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/json_read.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/campaign_repository.h"

namespace opdesk::campaigns {

std::string EncodeCommentJob(const CommentJob& job) {
  web::json::value out = web::json::value::object(true);
  out["key"] = web::json::value::string(job.key);
  out["phone"] = web::json::value::string(job.phone);
  out["operator_id"] = web::json::value::string(job.operator_id);
  out["text"] = web::json::value::string(job.text);
  return out.serialize();
}

CommentJob DecodeCommentJob(const std::string& payload) {
  web::json::value json;
  try {
    json = web::json::value::parse(payload);
  } catch (const std::exception&) {
    throw InvalidArgument("campaign.comment: the payload is not JSON");
  }
  CommentJob job;
  job.key = adapters::JsonText(json, "key");
  job.phone = adapters::JsonText(json, "phone");
  job.operator_id = adapters::JsonText(json, "operator_id");
  job.text = adapters::JsonText(json, "text");
  if (job.key.empty() || job.phone.empty()) {
    throw InvalidArgument("campaign.comment: the payload has no key or phone");
  }
  return job;
}

void CommentRunner::Run(const jobs::Job& job, const CommentJob& c) {
  const std::string& tenant = job.tenant_id;
  std::string state;
  storage::WithSession(db_, [&](storage::Session& s) {
    state = storage::CampaignCommentRepository::State(s, tenant, c.key);
  });
  if (!state.empty()) {
    if (state == "sending") {
      spdlog::warn("event=campaign_comment_not_resent tenant={} key={}", tenant, LogValue(c.key));
    }
    return;
  }
  adapters::RequestOptions options;
  options.as_user = c.operator_id;
  const std::optional<adapters::CrmRecord> client = crm_.FindClientByPhone(tenant, c.phone);
  bool fresh = false;
  storage::InTransaction(db_, [&](storage::Session& s) {
    fresh = storage::CampaignCommentRepository::Begin(s, tenant, c.key, clock_.NowMs());
    if (fresh && !client) {
      storage::CampaignCommentRepository::Finish(s, tenant, c.key, "no_client", "", "",
                                                 clock_.NowMs());
    }
  });
  if (!fresh || !client) {
    return;
  }
  std::string id;
  try {
    id = crm_.AddComment(tenant, *client, c.text, options);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kResourceExhausted) {
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::CampaignCommentRepository::Forget(s, tenant, c.key);
      });
      throw;  // not written: the outbox retries after the CRM's limit
    }
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::CampaignCommentRepository::Finish(
          s, tenant, c.key, "failed", adapters::StoredRecordKey(*client), "", clock_.NowMs());
    });
    spdlog::warn("event=campaign_comment_failed tenant={} key={} error={}", tenant, LogValue(c.key),
                 LogQuoted(e.what()));
    return;
  }
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::CampaignCommentRepository::Finish(
        s, tenant, c.key, "done", adapters::StoredRecordKey(*client), id, clock_.NowMs());
  });
}

}  // namespace opdesk::campaigns
