// Typed jobs: a job kind names its payload type and the one codec that writes and reads it, so
// the fields a job carries (an entry_id, a press id) cross the outbox as typed values and each
// payload format is defined in one place. A feature declares its kinds next to the code that
// runs them:
//
//   inline constexpr jobs::JobKind<RecordJob> kRecordCall{"call.record", EncodeRecordJob,
//                                                         DecodeRecordJob};
//   jobs::Enqueue(s, kRecordCall, RecordJob{entry_id, recording_id}, options, now);
//   workers.Register(kRecordCall, [&](const jobs::Job& job, const RecordJob& p) { ... });
//
// The name and the encoded form are what the jobs table stores: changing either needs a
// migration of the rows already queued.
#pragma once

#include <functional>
#include <string>
#include <type_traits>

#include "connector/jobs/job.h"

namespace opdesk::storage {
class Session;
}

namespace opdesk::jobs {

template <class Payload>
struct JobKind {
  const char* name;
  std::string (*encode)(const Payload&);
  // Throws opdesk::Error (InvalidArgument) when the stored text is not this kind's payload.
  Payload (*decode)(const std::string&);
};

// Defined in job_store.cpp; the typed overload below fills kind and payload.
long long EnqueueJob(storage::Session& s, const NewJob& job, EpochMs now);

// Enqueues `payload` as a job of `kind`. `options` carries the tenant, ordering key,
// idempotency key, lane, run time and deadline; its kind and payload are ignored.
template <class Payload>
long long Enqueue(storage::Session& s, const JobKind<Payload>& kind, const Payload& payload,
                  NewJob options, EpochMs now) {
  options.kind = kind.name;
  options.payload = kind.encode(payload);
  return EnqueueJob(s, options, now);
}

// A handler that receives the decoded payload; registered with WorkerPool::Register.
template <class Payload>
using TypedHandler = std::function<void(const Job&, const Payload&)>;

template <class Payload>
std::function<void(const Job&)> Decoding(const JobKind<Payload>& kind,
                                         std::type_identity_t<TypedHandler<Payload>> handler) {
  return [decode = kind.decode, handler = std::move(handler)](const Job& job) {
    handler(job, decode(job.payload));
  };
}

}  // namespace opdesk::jobs
