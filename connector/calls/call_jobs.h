// The outbox jobs of the call pipeline, each kind with its payload type and codec
// (connector/jobs/job_kind.h). Ingest enqueues them in the transaction that stores the event;
// the runners in this folder receive the decoded payload.
#pragma once

#include <string>

#include "connector/jobs/job_kind.h"

namespace opdesk::mango {

// One step of a call in the CRM (register, show, hide, finish, create a client): the call is
// the row of `entry_id`; `extension` is the operator's leg the step is for.
struct CallStepJob {
  std::string entry_id;
  std::string extension;
  bool show_card = false;
  std::string client_action;    // call.client only: ToString(ClientAction)
  std::string repeated_deal{};  // call.client only: ToString(RepeatedCallDeal) ("" never)
  // call.finish only: the outcome the call ended with, which Mango's summary sets once, so the
  // finish needs no read of the call. Empty status_code: a job queued without it (read the call).
  std::string status_code{};
  long long duration_s = 0;
};
// Route the leg `call_id` of the call `entry_id`, waiting in the greeting, to the responsible of
// the caller's client (FEATURES B5). Urgent, with the greeting's deadline.
struct RouteJob {
  std::string entry_id;
  std::string call_id;
  std::string phone;
};
// A recording Mango announced for the call `entry_id`.
struct RecordJob {
  std::string entry_id;
  std::string recording_id;
};
// Mango's answer to a command opdesk sent (click-to-call, CRM callback).
struct CommandResultJob {
  std::string command_id;
  int result = 0;
};
// Fetch the Mango directory (the employee map); `periodic` reschedules itself.
struct DirectorySyncJob {
  bool periodic = false;
};
// A portal event the calls act on (ONEXTERNALCALLSTART, ONEXTERNALCALLBACKSTART): `data_json`
// is the event's data object as JSON text.
struct PortalEventJob {
  std::string event;
  std::string data_json;
  std::string ts;
};

std::string EncodeCallStepJob(const CallStepJob& job);
CallStepJob DecodeCallStepJob(const std::string& payload);
std::string EncodeRouteJob(const RouteJob& job);
RouteJob DecodeRouteJob(const std::string& payload);
std::string EncodeRecordJob(const RecordJob& job);
RecordJob DecodeRecordJob(const std::string& payload);
std::string EncodeCommandResultJob(const CommandResultJob& job);
CommandResultJob DecodeCommandResultJob(const std::string& payload);
std::string EncodeDirectorySyncJob(const DirectorySyncJob& job);
DirectorySyncJob DecodeDirectorySyncJob(const std::string& payload);
std::string EncodePortalEventJob(const PortalEventJob& job);
PortalEventJob DecodePortalEventJob(const std::string& payload);

inline constexpr jobs::JobKind<CallStepJob> kRegisterJob{"call.register", EncodeCallStepJob,
                                                         DecodeCallStepJob};
inline constexpr jobs::JobKind<CallStepJob> kShowJob{"call.show", EncodeCallStepJob,
                                                     DecodeCallStepJob};
inline constexpr jobs::JobKind<CallStepJob> kHideJob{"call.hide", EncodeCallStepJob,
                                                     DecodeCallStepJob};
inline constexpr jobs::JobKind<CallStepJob> kCreateClientJob{"call.client", EncodeCallStepJob,
                                                             DecodeCallStepJob};
inline constexpr jobs::JobKind<CallStepJob> kFinishJob{"call.finish", EncodeCallStepJob,
                                                       DecodeCallStepJob};
inline constexpr jobs::JobKind<RouteJob> kRouteJob{"call.route", EncodeRouteJob, DecodeRouteJob};
inline constexpr jobs::JobKind<RecordJob> kRecordJob{"call.record", EncodeRecordJob,
                                                     DecodeRecordJob};
inline constexpr jobs::JobKind<CommandResultJob> kCommandResultJob{
    "call.command_result", EncodeCommandResultJob, DecodeCommandResultJob};
inline constexpr jobs::JobKind<DirectorySyncJob> kDirectorySyncJob{
    "mango.directory", EncodeDirectorySyncJob, DecodeDirectorySyncJob};
inline constexpr jobs::JobKind<PortalEventJob> kPortalEventJob{"b24.event", EncodePortalEventJob,
                                                               DecodePortalEventJob};

}  // namespace opdesk::mango
