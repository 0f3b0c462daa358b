// The command results (result/<kind>) that are applied after they are stored, for the ingest
// (which marks them pending) and the applier (which queues their job): our callbacks
// (click-to-call and CRM callback requests) are finished with the reason when Mango could not
// carry them out, and a transfer's result is what the reception wizard shows. Others are only
// stored.
#pragma once

#include <string_view>

namespace opdesk::mango {

// `kind` is the path after result/, as CommandResult::kind holds it.
inline bool IsAppliedResult(std::string_view kind) {
  return kind == "callback" || kind == "callback_group" || kind == "transfer";
}

}  // namespace opdesk::mango
