// Action buttons of the call card (FEATURES C4, D1): a name, a color and ordered actions that run
// when the operator presses the button. Templates are checked here (connector/domain/templates.h);
// lead statuses and deal stages are checked against the portal's catalog, since a button that
// names a stage the CRM does not have would only fail when an operator presses it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/domain/crm_catalog.h"

namespace opdesk {

enum class ActionKind { kComment, kCallback, kMeeting, kTask, kLeadStatus, kDealStage };
std::string_view ToString(ActionKind kind);  // "comment", "callback", …, "lead_status"
std::optional<ActionKind> ActionKindFromString(std::string_view text);

// Who a task is for: the operator, the client's responsible employee, or a portal user by id.
inline constexpr std::string_view kResponsibleOperator = "operator";
inline constexpr std::string_view kResponsibleClientOwner = "client_responsible";

// One action; which fields apply depends on the kind (docs/API.md, Button).
struct ButtonAction {
  ActionKind kind = ActionKind::kComment;
  std::string text;         // comment, callback, meeting: template ("" = the operator types it)
  std::string deadline;     // callback, meeting (required), task (optional): a time expression
  std::string title;        // task: template (required)
  std::string description;  // task: template
  std::string responsible;  // task: operator | client_responsible | portal user id
  std::string status_id;    // lead_status: the fixed target
  std::string category_id;  // deal_stage: the pipeline ("0" the default one)
  std::string stage_id;     // deal_stage: the fixed target within that pipeline
};

struct Button {
  long long id = 0;
  std::string name;
  std::string color;  // "#2fc6f6"
  std::vector<ButtonAction> actions;
  long long version = 0;
  EpochMs updated_at_ms = 0;
};

inline constexpr std::size_t kMaxButtonName = 64;
inline constexpr std::size_t kMaxButtonActions = 10;
inline constexpr std::size_t kMaxTaskTitle = 255;
inline constexpr std::size_t kMaxButtonsPerTenant = 200;

// Everything that needs no portal: name, color, action fields and templates. Throws
// InvalidArgument naming the field ("actions[1].deadline").
void ValidateButton(const Button& button);
// Lead statuses and deal stages named by the actions exist in the portal. Throws InvalidArgument
// naming the field of the first unknown target.
void CheckCrmTargets(const Button& button, const CrmCatalog& catalog);
// The portal user ids the actions name as responsible (to be checked against the portal).
std::vector<std::string> ResponsibleUserIds(const Button& button);

}  // namespace opdesk
