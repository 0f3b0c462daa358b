// Plain records of the call card: a press of an action button and what became of each of its
// actions. The actions travel as a JSON document (see webhooks/callcard/press_codec.h) so that a
// press is read and updated as one row.
#pragma once

#include <string>
#include <vector>

#include "connector/domain/clock.h"

namespace opdesk {

// One action of a pressed button, with its templates already rendered for this call.
struct PressedAction {
  int index = 0;
  std::string kind;         // comment, callback, meeting, task, lead_status, deal_stage
  std::string text;         // comment, callback, meeting: the text; task: the description
  std::string title;        // task title, or the activity subject
  std::string deadline;     // ISO 8601 with offset (callback, meeting, task)
  std::string responsible;  // CRM user id
  std::string status_id;    // lead_status
  std::string category_id;  // deal_stage
  std::string stage_id;     // deal_stage
  // queued → sending → done | failed. "sending" marks a request that may have reached the CRM:
  // it is never sent again blindly (a second comment or to-do would be a duplicate).
  std::string state = "queued";
  std::string error;      // failed: the CRM's reason, or ours
  std::string result_id;  // done: the id the CRM gave (comment, activity, task)
};

struct ButtonPress {
  std::string tenant_id;
  std::string press_id;  // made by the page once per press dialog: a repeat is the same press
  std::string user_id;
  std::string button_id;
  std::string call_id;  // the CRM CALL_ID of the placement, may be empty
  std::string entity;   // lead, deal, contact, company
  std::string entity_id;
  std::string lang = "ru";  // of the operator: our own failure reasons are written in it
  std::vector<PressedAction> actions;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

}  // namespace opdesk
