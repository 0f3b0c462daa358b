// The CRM as the features see it: one interface that Bitrix24 implements now
// (adapters/bitrix24/bitrix24_crm.h) and Megaplan next. It speaks plain values; no JSON, no
// method names, no portal quirks. Cut along what the features do: the call pipeline (a line, a
// call registered, shown, hidden, finished, its recording), clients for new numbers, the call
// card's button actions, the employee map, and the checks and catalog of the settings.
//
// Every method is blocking (outbox workers, the blocking executor) and throws opdesk::Error:
// Unavailable / ResourceExhausted / DeadlineExceeded while the CRM cannot be reached or is over
// its budget (the outbox retries), NotFound when the tenant has no CRM connected or the object is
// gone, InvalidArgument / PermissionDenied when the CRM refuses on the merits.
//
// NOTE: methods that create something (a call finish, a client, a comment, a to-do, a task) are
// never resent by the implementation after a transport failure, since the CRM may have done
// them; the error then says "outcome unknown" (see IsOutcomeUnknown). Those that carry an
// idempotency key (RegisterCall's external_id, NewClient's origin) are safe for the caller to
// rerun.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connector/domain/crm_catalog.h"
#include "connector/domain/error.h"

namespace opdesk::adapters {

// Per-call options of the requests that have them.
struct RequestOptions {
  // Run with this user's token and rights (the call card's operator); empty: the integration's
  // own user (for Bitrix24 the installing admin).
  std::string as_user;
  std::chrono::milliseconds deadline{30'000};
};

// A CRM record: `entity` is one of kCrmEntities (lead, deal, contact, company).
struct CrmRecord {
  std::string entity;
  std::string id;
  bool operator==(const CrmRecord&) const = default;
};
// "CONTACT:7": how calls and call_clients store a record.
std::string StoredRecordKey(const CrmRecord& record);
// The record of a stored key; none for "" or a malformed key.
std::optional<CrmRecord> RecordFromStoredKey(const std::string& key);

// Whether an error says the request may have reached the CRM although no answer came back.
bool IsOutcomeUnknown(const Error& error);

// ---- users (the settings' directory, the employee map) ----

struct CrmUser {
  std::string id;
  std::string name;
  std::string email;
  bool active = true;       // false: deactivated (fired) in the CRM
  std::string extension{};  // the internal number the CRM keeps for them; "" none or not read
};

// The app's subscription as the marketplace sees it (Bitrix24 app.info, reference bitrix24.md
// §6.6): STATUS F free, D demo, T trial, P paid, L local, S subscription; DAYS is negative
// during the grace period after expiry.
struct MarketplaceStatus {
  std::string status;
  bool payment_expired = false;
  long long days = 0;
  std::string license;
  EpochMs fetched_at_ms = 0;
  std::string app_id{};  // the app's id in the marketplace; "" unknown
};

// What the settings read from the CRM: the catalog (lead statuses, deal pipelines and stages,
// entity fields), its users, the app's subscription. A part of Crm of its own because the
// settings service needs no more, and its tests script just these answers.
class CrmDirectory {
 public:
  virtual ~CrmDirectory() = default;
  virtual CrmCatalog FetchCatalog(const std::string& tenant_id) = 0;
  // The users who can take calls (employees), active or not.
  virtual std::vector<CrmUser> FetchUsers(const std::string& tenant_id) = 0;
  virtual MarketplaceStatus FetchMarketplaceStatus(const std::string& tenant_id) = 0;
};

// ---- calls ----

enum class CallType { kOutgoing, kIncoming, kCallback };

struct CallRegistration {
  std::string user_id;  // whose call it is
  std::string phone;    // the outside party as the PBX gave it; no digits: a hidden number
  CallType type = CallType::kIncoming;
  long long started_at_s = 0;  // 0: unknown
  bool show_card = false;      // pop the card for `user_id` now
  std::string line_number;
  // The idempotency key: a rerun with the same key (and parameters) gets the same call back.
  std::string external_id;
  std::optional<CrmRecord> record;  // bind the call to this record rather than by the number
};

struct RegisteredCall {
  std::string call_id;
  std::optional<CrmRecord> bound;  // what the CRM bound the call to; none for a new number
};

struct CallFinish {
  std::string call_id;
  std::string user_id;
  long long duration_s = 0;
  std::string status_code;    // "200", "304", "486", …, "OTHER" (calls::Outcome::status_code)
  std::string failed_reason;  // "" none; else shown to the operator in the CRM
};

// ---- clients for new numbers ----

// The mark every record opdesk creates for a call carries, so that a rerun finds what an
// earlier attempt added: its idempotency key.
struct ClientOrigin {
  std::string originator;  // "opdesk"
  std::string origin;      // "mango:<entry_id>"
};

struct ClientLookup {
  ClientOrigin origin;
  bool lead = false;
  bool company = false;
  bool contact = false;
  bool deal = false;
  std::string phone;
};

struct FoundClient {
  // What an earlier attempt created under the origin ("" when nothing).
  std::string lead_id;
  std::string company_id;
  std::string contact_id;
  std::string deal_id;
  std::optional<CrmRecord> known;  // a client the number has anyway
};

// Added in this order: a lead; or a company, a contact (of that company when both are added) and
// a deal (of that contact and company).
struct NewClient {
  ClientOrigin origin;
  bool lead = false;
  bool company = false;
  bool contact = false;
  bool deal = false;
  std::string name;  // also the title of a lead, company or deal
  std::string phone;
  std::string source_id;
  std::string source_description;
  std::string responsible_user_id;  // "" the CRM's default
  // The creator (seed 004: the employee who answered). The adds run with this user's rights when
  // the user has authorised the app; otherwise with the integration's own user, naming the
  // creator where the CRM lets a record's creator be set (Bitrix24 does not: CREATED_BY_ID is
  // read-only, so the installer is the creator there). "" the integration's own user.
  std::string creator_user_id{};
  std::string deal_category_id;
  std::string deal_stage_id;  // "" the pipeline's first stage
  // The deal's contact when `contact` is false (it exists already); else the one added with it.
  std::string deal_contact_id;
  // The deal's company when `company` is false and the client is a company (a repeated call).
  std::string deal_company_id{};
  // B6: the user field that records the line the call came in on, and the line ("" none).
  std::string line_field{};
  std::string line_number{};
};

struct CreatedClient {
  std::string lead_id;
  std::string company_id;
  std::string contact_id;
  std::string deal_id;
  // Set when the CRM refused one of the adds; what it did add is in the ids above. Unavailable
  // when a later retry may succeed (limits, the CRM's own failure), InvalidArgument otherwise.
  std::optional<Error> error;
};

// ---- routing a caller to the client's responsible (B5) ----

// Who may be a client's responsible: an employee, or (Megaplan allows it) another client.
enum class ResponsibleKind { kEmployee, kClient };

struct Responsible {
  std::string id;
  ResponsibleKind kind = ResponsibleKind::kEmployee;
  // Whether their working day is open now, when the CRM keeps working time; none: unknown.
  std::optional<bool> at_work;
  std::string extension;  // the internal number the CRM keeps for them; "" none or not read
};

// A client a phone number belongs to and its responsibles, the main one first.
struct ClientResponsibles {
  CrmRecord client;
  std::vector<Responsible> responsibles;
};

// ---- the call card's button actions ----

struct ActivityRequest {  // a to-do: a callback or a meeting
  std::string title;
  std::string description;
  std::string deadline;  // ISO 8601
  std::string responsible_user_id;
};

struct TaskRequest {
  std::string title;
  std::string description;
  std::string deadline;  // ISO 8601; "" none
  std::string responsible_user_id;
  std::optional<CrmRecord> record;  // bound to it when set
};

// ---- the settings' checks ----

struct ChoicesQuery {
  bool sources = false;
  std::optional<std::string> pipeline;  // the pipelines, and the stages of this one
};

struct CrmChoices {
  std::set<std::string> sources;
  std::vector<std::string> pipelines;
  std::set<std::string> stages;
  bool leads = true;  // whether the CRM has leads at all (Megaplan has none)
};

// ---- the call card's client history (the Client tab) ----

// What happened with a client, a page at a time, newest first in each list. Times are as the
// CRM gave them (ISO 8601). Lists hold up to kHistoryPageSize items each; `more` says a later
// page has something in at least one of them.
inline constexpr int kHistoryPageSize = 50;

struct HistoryCall {
  std::string id;  // the call's activity
  std::string at;
  std::string direction;  // "incoming", "outgoing" or ""
  std::string subject;
  std::string responsible_user_id;
  // The outcome: the call's status code ("200" talked, "304" missed, "486" busy, …); "" when
  // the CRM would not say (the operator may lack the right to read call statistics).
  std::string status_code;
  long long duration_s = -1;  // -1 unknown
  std::string recording_url;  // "" none
};

struct HistoryActivity {
  std::string id;
  std::string at;    // when it was created
  std::string kind;  // "todo", "meeting", "task", "email", "other"
  std::string subject;
  std::string deadline;  // "" none
  std::string responsible_user_id;
  bool completed = false;
};

struct HistoryComment {
  std::string id;
  std::string at;
  std::string author_user_id;
  std::string text;
};

struct HistoryDeal {
  std::string id;
  std::string at;  // created
  std::string title;
  std::string category_id;  // the pipeline ("0" default)
  std::string stage_id;
  std::string opportunity;  // as the CRM gave it, e.g. "15000.00"
  std::string currency;
  bool closed = false;
};

struct ClientHistory {
  std::vector<HistoryCall> calls;
  std::vector<HistoryActivity> activities;
  std::vector<HistoryComment> comments;
  std::vector<HistoryDeal> deals;  // a contact's or company's; none for leads and deals
  bool more = false;
};

class Crm : public CrmDirectory {
 public:
  // Makes a PBX line known to the CRM; a line it has already is no error.
  virtual void AddLine(const std::string& tenant_id, const std::string& number,
                       const std::string& name) = 0;
  virtual RegisteredCall RegisterCall(const std::string& tenant_id,
                                      const CallRegistration& call) = 0;
  virtual void ShowCall(const std::string& tenant_id, const std::string& call_id,
                        const std::string& user_id) = 0;
  virtual void HideCall(const std::string& tenant_id, const std::string& call_id,
                        const std::string& user_id) = 0;
  // Never resent. NotFound when the CRM has no such open call (a repeat after a lost answer).
  virtual void FinishCall(const std::string& tenant_id, const CallFinish& finish) = 0;
  // Attaches the MP3 file at `path` (streamed, never held in memory) as the call's recording;
  // a repeat replaces it. Unavailable while the CRM has not finished the call.
  virtual void AttachRecording(const std::string& tenant_id, const std::string& call_id,
                               const std::string& filename, const std::string& path) = 0;

  // The client a phone number belongs to (a contact first, then a company, then a lead).
  virtual std::optional<CrmRecord> FindClientByPhone(const std::string& tenant_id,
                                                     const std::string& phone) = 0;
  // In one request: what an earlier attempt created under `origin`, and the number's client.
  virtual FoundClient FindCreatedClient(const std::string& tenant_id,
                                        const ClientLookup& lookup) = 0;
  // Adds what `client` asks for in one request that stops at the first refusal; never resent.
  virtual CreatedClient CreateClient(const std::string& tenant_id, const NewClient& client) = 0;
  // The clients a number belongs to, in the CRM's order (the first found first), each with its
  // responsibles; empty when the CRM knows none. One request, within `options.deadline`.
  virtual std::vector<ClientResponsibles> FindResponsibles(const std::string& tenant_id,
                                                           const std::string& phone,
                                                           const RequestOptions& options) = 0;
  // The open deals (not in a final stage of their pipeline) of a contact or company in a
  // pipeline, newest first; `pipeline` "" means in any pipeline.
  virtual std::vector<std::string> OpenDeals(const std::string& tenant_id, const CrmRecord& client,
                                             const std::string& pipeline,
                                             const RequestOptions& options) = 0;
  // F2: writes `value` into the string field `code` of a contact or deal with the options'
  // rights. Writing the same value again changes nothing, so a rerun is safe. A CRM that
  // cannot throws InvalidArgument (the default).
  virtual void SetFieldValue(const std::string& tenant_id, const CrmRecord& record,
                             const std::string& code, const std::string& value,
                             const RequestOptions& options);
  // The pipeline a deal is in ("0": the default one).
  virtual std::string DealPipeline(const std::string& tenant_id, const std::string& deal_id,
                                   const RequestOptions& options) = 0;

  // Each returns the id the CRM gave ("" when it gave none); never resent.
  virtual std::string AddComment(const std::string& tenant_id, const CrmRecord& record,
                                 const std::string& text, const RequestOptions& options) = 0;
  virtual std::string AddActivity(const std::string& tenant_id, const CrmRecord& record,
                                  const ActivityRequest& activity,
                                  const RequestOptions& options) = 0;
  virtual std::string AddTask(const std::string& tenant_id, const TaskRequest& task,
                              const RequestOptions& options) = 0;
  // Safe to repeat.
  virtual void SetLeadStatus(const std::string& tenant_id, const std::string& lead_id,
                             const std::string& status_id, const RequestOptions& options) = 0;
  virtual void SetDealStage(const std::string& tenant_id, const std::string& deal_id,
                            const std::string& stage_id, const RequestOptions& options) = 0;

  // The active user with this internal number; "" when nobody has it.
  virtual std::string FindUserByExtension(const std::string& tenant_id,
                                          const std::string& extension) = 0;
  // The internal number the CRM keeps for a user; "" when none (or no such user).
  virtual std::string UserExtension(const std::string& tenant_id, const std::string& user_id) = 0;
  virtual bool IsActiveUser(const std::string& tenant_id, const std::string& user_id,
                            const RequestOptions& options) = 0;
  // Every active user with e-mail and internal number (for the employee map).
  virtual std::vector<CrmUser> ListActiveUsers(const std::string& tenant_id) = 0;

  // Page `page` (1-based) of the client's history: calls with their outcome and recording,
  // other activities, timeline comments, and a contact's or company's deals, read in one
  // request within the portal's limits, with the rights of options.as_user.
  virtual ClientHistory ReadClientHistory(const std::string& tenant_id, const CrmRecord& client,
                                          int page, const RequestOptions& options) = 0;

  // Lead sources, pipelines and a pipeline's stages, in one request, for checking settings.
  virtual CrmChoices ListChoices(const std::string& tenant_id, const ChoicesQuery& query,
                                 const RequestOptions& options) = 0;
};

// ---- the reception wizard (G1–G4): the portal's structure, presence, inquiries ----
// Parts of their own rather than more of Crm: a CRM without departments or time tracking
// simply does not implement them, and the wiring leaves the wizard without them.

struct CrmDepartment {
  std::string id;
  std::string name;
  int sort = 0;
  std::string parent_id;  // "" the top
  std::string head_user_id;
};

// What the CRM says about a user being at work now.
struct CrmPresence {
  std::string user_id;
  // The working day: "OPENED", "PAUSED", "CLOSED", "EXPIRED"; "" when the CRM keeps no working
  // time for the user or would not tell (not an error).
  std::string work_day;
  std::optional<bool> online;  // none: unknown
};

class CrmOrgChart {
 public:
  virtual ~CrmOrgChart() = default;
  // Every department, in the CRM's order (read page by page).
  virtual std::vector<CrmDepartment> ListDepartments(const std::string& tenant_id) = 0;
  // The active employees of one department.
  virtual std::vector<CrmUser> DepartmentUsers(const std::string& tenant_id,
                                               const std::string& department_id) = 0;
  // Presence of each user, in one request; a user the CRM says nothing of comes back unknown.
  virtual std::vector<CrmPresence> Presence(const std::string& tenant_id,
                                            const std::vector<std::string>& user_ids) = 0;
};

// An inquiry for a manager (G4): a lead, or a deal, assigned to them.
struct InquiryRecord {
  bool deal = false;  // false: a lead
  std::string title;
  std::string comments;  // what to do, and what is known of the caller
  std::string name;
  std::string company;
  std::string email;
  std::string phone;
  std::string responsible_user_id;
  ClientOrigin origin;  // the idempotency mark, as for clients
};

class CrmInquiries {
 public:
  virtual ~CrmInquiries() = default;
  // Adds the lead or deal; returns it. Never resent (see IsOutcomeUnknown).
  virtual CrmRecord AddInquiry(const std::string& tenant_id, const InquiryRecord& inquiry,
                               const RequestOptions& options) = 0;
};

// ---- dialing tasks' CRM contacts (F3): chosen contacts and a contact filter ----
// A part of its own: only Bitrix24 implements it (Megaplan tenants are refused by the service).

struct CrmContact {
  std::string id;
  std::string name;                 // name and last name as the CRM shows them
  std::vector<std::string> phones;  // as stored, in the CRM's order
};

// One field of the CRM's contacts as its field list describes it.
struct CrmField {
  std::string id;     // "NAME", "UF_CRM_…"
  std::string title;  // «Имя»
  std::string type;   // "string", "date", "datetime", "integer", "crm_multifield", …
  bool multiple = false;
};

// One condition of a contact filter. `op`: "eq", "contains", "empty", "not_empty", "before"
// (on or before), "after" (on or after); the value as the CRM compares it.
struct CrmCondition {
  std::string field;
  std::string op;
  std::string value;
  bool operator==(const CrmCondition&) const = default;
};

inline constexpr int kContactPageSize = 50;

struct CrmContactPage {
  std::vector<CrmContact> contacts;  // by id, ascending
  bool more = false;                 // contacts with greater ids match as well
  long long total = 0;               // how many match (from `after_id` on)
};

class CrmContacts {
 public:
  virtual ~CrmContacts() = default;
  // Up to one page of contacts whose name, last name or number holds `query`.
  virtual std::vector<CrmContact> SearchContacts(const std::string& tenant_id,
                                                 const std::string& query,
                                                 const RequestOptions& options) = 0;
  // The contact, or none when the CRM has no such contact (deleted).
  virtual std::optional<CrmContact> GetContact(const std::string& tenant_id,
                                               const std::string& contact_id,
                                               const RequestOptions& options) = 0;
  // The contacts among `ids` the CRM has (deleted ones are missing), 50 ids a request.
  virtual std::vector<CrmContact> ContactsByIds(const std::string& tenant_id,
                                                const std::vector<std::string>& ids,
                                                const RequestOptions& options) = 0;
  virtual std::vector<CrmField> ContactFields(const std::string& tenant_id,
                                              const RequestOptions& options) = 0;
  // One page (kContactPageSize) of the contacts matching every condition with an id above
  // `after_id`, by id: the cursor is the last id taken, so contacts added or changed meanwhile
  // neither shift nor repeat the pages. One request.
  virtual CrmContactPage ListContacts(const std::string& tenant_id,
                                      const std::vector<CrmCondition>& conditions,
                                      const std::string& after_id,
                                      const RequestOptions& options) = 0;
};

// ---- after a dialing task's call (F6, F7): e-mail, a recording, an invoice with products ----
// A part of its own, like the reception wizard's: Megaplan does not implement it, and the
// dialing tasks refuse these actions for its tenants.

struct CrmProduct {
  std::string id;
  std::string name;
  std::string price;  // as the CRM gave it, e.g. "1500.00"; "" none
  std::string currency;
};

struct CrmProductPage {
  std::vector<CrmProduct> products;
  long long next = -1;  // the start of the next page; -1 on the last
};

struct EmailMessage {
  std::string to;       // the client's address
  std::string copy_to;  // "" none: the operator's own address for a copy
  std::string subject;
  std::string body;  // plain text
  std::string responsible_user_id;
};

struct InvoiceRow {
  std::string product_id;
  std::string name;
  std::string price;  // per unit, "1500.50"
  long long quantity = 1;
};

struct NewInvoice {
  CrmRecord client;  // a contact or a company
  std::string title;
  std::string cancel_date;  // "" none, else YYYY-MM-DD
  std::string responsible_user_id;
};

class CrmAfterCall {
 public:
  virtual ~CrmAfterCall() = default;
  // A page (the CRM's size) of the product catalog from `start`, by id.
  virtual CrmProductPage ListProducts(const std::string& tenant_id, long long start,
                                      const RequestOptions& options) = 0;
  // The client's first e-mail address; "" when it has none.
  virtual std::string ClientEmail(const std::string& tenant_id, const CrmRecord& client,
                                  const RequestOptions& options) = 0;
  // Sends the e-mail as the client's e-mail activity (in its timeline); returns its id. Never
  // resent.
  virtual std::string SendEmail(const std::string& tenant_id, const CrmRecord& client,
                                const EmailMessage& message, const RequestOptions& options) = 0;
  // A timeline comment on the client with the file attached; returns its id. Never resent.
  virtual std::string AttachFile(const std::string& tenant_id, const CrmRecord& client,
                                 const std::string& text, const std::string& filename,
                                 const std::string& content, const RequestOptions& options) = 0;
  // Adds the invoice (no products yet); returns its id. Never resent.
  virtual std::string AddInvoice(const std::string& tenant_id, const NewInvoice& invoice,
                                 const RequestOptions& options) = 0;
  // Replaces the invoice's product rows; safe to repeat.
  virtual void SetInvoiceRows(const std::string& tenant_id, const std::string& invoice_id,
                              const std::vector<InvoiceRow>& rows,
                              const RequestOptions& options) = 0;
};

}  // namespace opdesk::adapters
