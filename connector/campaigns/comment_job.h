// The comment a dialing task's result leaves in the CRM client's timeline (FEATURES F6): queued
// as a typed outbox job in the transaction that stores the result, run with the operator's
// rights. The number's client is looked up when the job runs; a number the CRM does not know
// gets no comment (recorded as "no_client").
#pragma once

#include <string>

#include "adapters/crm.h"
#include "connector/domain/clock.h"
#include "connector/jobs/job.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/database.h"

namespace opdesk::campaigns {

struct CommentJob {
  std::string key;          // "<task>:<contact>:<version>": one comment per stored result
  std::string phone;        // the contact's number ("+digits")
  std::string operator_id;  // whose rights write it
  std::string text;
};

std::string EncodeCommentJob(const CommentJob& job);
CommentJob DecodeCommentJob(const std::string& payload);
inline constexpr jobs::JobKind<CommentJob> kCommentJob{"campaign.comment", EncodeCommentJob,
                                                       DecodeCommentJob};

class CommentRunner {
 public:
  CommentRunner(storage::Database& db, adapters::Crm& crm, const Clock& clock)
      : db_(db), crm_(crm), clock_(clock) {}

  // Marked "sending" before the CRM is asked: a rerun after that (a lost answer, a killed
  // process) does not write it again. A rate limit forgets the mark and retries.
  void Run(const jobs::Job& job, const CommentJob& comment);

 private:
  storage::Database& db_;
  adapters::Crm& crm_;
  const Clock& clock_;
};

}  // namespace opdesk::campaigns
