#include "connector/domain/buttons.h"

#include <algorithm>
#include <cctype>

#include "connector/domain/error.h"
#include "connector/domain/templates.h"
#include "connector/domain/text.h"

namespace opdesk {
namespace {

constexpr std::pair<ActionKind, std::string_view> kKinds[] = {
    {ActionKind::kComment, "comment"},        {ActionKind::kCallback, "callback"},
    {ActionKind::kMeeting, "meeting"},        {ActionKind::kTask, "task"},
    {ActionKind::kLeadStatus, "lead_status"}, {ActionKind::kDealStage, "deal_stage"},
};

bool IsDigits(std::string_view s, std::size_t max) {
  return !s.empty() && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Status and stage ids as Bitrix24 writes them: "IN_PROCESS", "C1:NEW", "UC_AB12CD".
bool IsStatusId(std::string_view s) {
  return !s.empty() && s.size() <= 50 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == ':' || c == '-';
  });
}

void Require(bool ok, const std::string& field, const std::string& why) {
  if (!ok) {
    throw InvalidArgument(field + " " + why, field);
  }
}

void ValidateAction(const ButtonAction& a, const std::string& at) {
  using templates::Kind;
  switch (a.kind) {
    case ActionKind::kComment:
      templates::Validate(a.text, Kind::kText, at + ".text");
      break;
    case ActionKind::kCallback:
    case ActionKind::kMeeting:
      Require(!TrimSpaces(a.deadline).empty(), at + ".deadline",
              "is required, e.g. {now+1d 10:00}");
      templates::Validate(a.deadline, Kind::kDeadline, at + ".deadline");
      templates::Validate(a.text, Kind::kText, at + ".text");
      break;
    case ActionKind::kTask:
      CheckText(a.title, kMaxTaskTitle, true, at + ".title");
      templates::Validate(a.title, Kind::kText, at + ".title");
      templates::Validate(a.description, Kind::kText, at + ".description");
      templates::Validate(a.deadline, Kind::kDeadline, at + ".deadline");
      Require(a.responsible == kResponsibleOperator || a.responsible == kResponsibleClientOwner ||
                  IsDigits(a.responsible, 20),
              at + ".responsible", "must be operator, client_responsible or a portal user id");
      break;
    case ActionKind::kLeadStatus:
      Require(IsStatusId(a.status_id), at + ".status_id", "must be a lead status id");
      break;
    case ActionKind::kDealStage:
      Require(IsDigits(a.category_id, 10), at + ".category_id", "must be a pipeline id");
      Require(IsStatusId(a.stage_id), at + ".stage_id", "must be a deal stage id");
      break;
  }
}

}  // namespace

std::string_view ToString(ActionKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) {
      return name;
    }
  }
  return "?";
}

std::optional<ActionKind> ActionKindFromString(std::string_view text) {
  for (const auto& [k, name] : kKinds) {
    if (name == text) {
      return k;
    }
  }
  return std::nullopt;
}

void ValidateButton(const Button& b) {
  CheckText(b.name, kMaxButtonName, true, "name");
  const bool color_ok = b.color.size() == 7 && b.color[0] == '#' &&
                        std::all_of(b.color.begin() + 1, b.color.end(),
                                    [](unsigned char c) { return std::isxdigit(c); });
  Require(color_ok, "color", "must be #rrggbb");
  Require(!b.actions.empty(), "actions", "must have at least one action");
  Require(b.actions.size() <= kMaxButtonActions, "actions",
          "may have at most " + std::to_string(kMaxButtonActions) + " actions");
  int lead_changes = 0;
  int deal_changes = 0;
  for (std::size_t i = 0; i < b.actions.size(); ++i) {
    const std::string at = "actions[" + std::to_string(i) + "]";
    ValidateAction(b.actions[i], at);
    lead_changes += b.actions[i].kind == ActionKind::kLeadStatus ? 1 : 0;
    deal_changes += b.actions[i].kind == ActionKind::kDealStage ? 1 : 0;
    // One target per entity: two status changes in one press would only leave the last one.
    Require(lead_changes <= 1, at + ".kind", "repeats lead_status; a button sets one status");
    Require(deal_changes <= 1, at + ".kind", "repeats deal_stage; a button sets one stage");
  }
}

void CheckCrmTargets(const Button& b, const CrmCatalog& catalog) {
  for (std::size_t i = 0; i < b.actions.size(); ++i) {
    const ButtonAction& a = b.actions[i];
    const std::string at = "actions[" + std::to_string(i) + "]";
    if (a.kind == ActionKind::kLeadStatus) {
      Require(catalog.HasLeadStatus(a.status_id), at + ".status_id",
              "names a lead status the CRM does not have: " + a.status_id);
    } else if (a.kind == ActionKind::kDealStage) {
      const DealCategory* category = catalog.FindCategory(a.category_id);
      Require(category != nullptr, at + ".category_id",
              "names a pipeline the CRM does not have: " + a.category_id);
      const bool has_stage = std::any_of(category->stages.begin(), category->stages.end(),
                                         [&](const CrmStatus& s) { return s.id == a.stage_id; });
      Require(has_stage, at + ".stage_id",
              "names a stage that pipeline " + a.category_id + " does not have: " + a.stage_id);
    }
  }
}

std::vector<std::string> ResponsibleUserIds(const Button& b) {
  std::vector<std::string> ids;
  for (const ButtonAction& a : b.actions) {
    if (a.kind == ActionKind::kTask && IsDigits(a.responsible, 20)) {
      ids.push_back(a.responsible);
    }
  }
  return ids;
}

}  // namespace opdesk
