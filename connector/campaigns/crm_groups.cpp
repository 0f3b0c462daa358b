#include "connector/campaigns/crm_groups.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "adapters/crm_by_tenant.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/domain/text.h"
#include "connector/settings/access.h"
#include "connector/storage/records.h"
#include "connector/storage/repositories.h"

namespace opdesk::campaigns {
namespace {

using Json = web::json::value;
using storage::CampaignContactRepository;
using storage::CampaignContactRow;
using storage::CampaignCrmFilterRepository;
using storage::CampaignCrmFilterRow;
using storage::Session;

std::vector<adapters::CrmCondition> ToCrm(const std::vector<FilterCondition>& conditions) {
  std::vector<adapters::CrmCondition> out;
  for (const FilterCondition& c : conditions) {
    out.push_back({c.field, ToString(c.op), c.value});
  }
  return out;
}

std::vector<FilterField> ToDomain(const std::vector<adapters::CrmField>& fields) {
  std::vector<FilterField> out;
  for (const adapters::CrmField& f : fields) {
    out.push_back({f.id, f.type});
  }
  return out;
}

CrmFilterView ViewOf(const CampaignCrmFilterRow& row) {
  CrmFilterView v;
  v.exists = true;
  v.conditions = DecodeConditions(row.conditions_json);
  v.version = row.version;
  v.taken = row.taken;
  v.skipped = row.skipped;
  v.exhausted = row.exhausted;
  v.cursor_id = row.cursor_id;
  v.updated_at_ms = row.updated_at_ms;
  return v;
}

void Audit(Session& s, const Caller& caller, const std::string& action, long long task_id,
           const std::string& after, EpochMs now) {
  AuditEntry audit = MakeAuditEntry(caller.tenant_id, "user:" + caller.user_id, action,
                                    "campaign_task", std::to_string(task_id), now);
  audit.after_json = after;
  storage::AuditLogRepository::Append(s, audit);
}

}  // namespace

std::string EncodeConditions(const std::vector<FilterCondition>& conditions) {
  Json list = Json::array(conditions.size());
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    Json c = Json::object(true);
    c["field"] = Json::string(conditions[i].field);
    c["op"] = Json::string(ToString(conditions[i].op));
    c["value"] = Json::string(conditions[i].value);
    list[i] = c;
  }
  return list.serialize();
}

std::vector<FilterCondition> DecodeConditions(const std::string& json) {
  std::vector<FilterCondition> out;
  const Json list = Json::parse(json);
  if (!list.is_array()) {
    return out;
  }
  for (const Json& c : list.as_array()) {
    FilterCondition f;
    f.field = c.at("field").as_string();
    f.op = FilterOpFrom(c.at("op").as_string()).value_or(FilterOp::kEq);
    f.value = c.at("value").as_string();
    out.push_back(std::move(f));
  }
  return out;
}

adapters::CrmContacts& CrmGroups::Contacts(const std::string& tenant_id, const std::string& field) {
  if (adapters::IsMegaplanTenant(tenant_id)) {
    throw InvalidArgument(
        "для Мегаплана не поддерживается: CRM contacts and CRM filters in dialing tasks need a "
        "Bitrix24 portal; add numbers to the task instead",
        field);
  }
  if (contacts_ == nullptr) {
    throw Unavailable("no CRM is connected to read contacts from");
  }
  return *contacts_;
}

void CrmGroups::RequireManager(Session& s, const Caller& caller, long long task_id, bool lock) {
  settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
  if (task_id > 0 && !storage::CampaignTaskRepository::Find(s, caller.tenant_id, task_id, lock)) {
    throw NotFound("no dialing task " + std::to_string(task_id));
  }
}

std::vector<adapters::CrmContact> CrmGroups::Search(const Caller& caller,
                                                    const std::string& query) {
  const std::string q(TrimSpaces(query));
  CheckText(q, kMaxCrmQueryLength, true, "q");
  if (Utf8Length(q) < 2) {
    throw InvalidArgument("type at least 2 characters of a name or a number", "q");
  }
  storage::WithSession(db_, [&](Session& s) { RequireManager(s, caller, 0, false); });
  return Contacts(caller.tenant_id, "q").SearchContacts(caller.tenant_id, q, {});
}

std::vector<adapters::CrmField> CrmGroups::Fields(const Caller& caller) {
  storage::WithSession(db_, [&](Session& s) { RequireManager(s, caller, 0, false); });
  return Contacts(caller.tenant_id, "crm_filter").ContactFields(caller.tenant_id, {});
}

AddCrmOutcome CrmGroups::AddContacts(const Caller& caller, long long task_id,
                                     const std::vector<std::string>& ids) {
  if (ids.empty()) {
    throw InvalidArgument("choose the CRM contacts to add", "contact_ids");
  }
  if (ids.size() > kMaxChosenContacts) {
    throw InvalidArgument("at most 200 contacts at once", "contact_ids");
  }
  storage::WithSession(db_, [&](Session& s) { RequireManager(s, caller, task_id, false); });
  AddCrmOutcome out;
  std::vector<std::string> wanted;
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (!IsCrmId(id)) {
      out.refused.push_back({id, "bad_id"});
    } else if (!seen.insert(id).second) {
      out.refused.push_back({id, "duplicate_in_request"});
    } else {
      wanted.push_back(id);
    }
  }
  std::map<std::string, std::string> names;  // id → name, the ones the CRM has
  if (!wanted.empty()) {
    for (adapters::CrmContact& c :
         Contacts(caller.tenant_id, "contact_ids").ContactsByIds(caller.tenant_id, wanted, {})) {
      names[c.id] = c.name;
    }
  }
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](Session& s) {
    // The task row's lock orders this with imports, other adds and filter pages.
    RequireManager(s, caller, task_id, true);
    const std::set<std::string> known =
        CampaignContactRepository::CrmIds(s, caller.tenant_id, task_id);
    const long long total = CampaignContactRepository::Counts(s, caller.tenant_id, task_id).total;
    std::vector<Materialised> rows;
    for (const std::string& id : wanted) {
      const auto name = names.find(id);
      if (name == names.end()) {
        out.refused.push_back({id, "not_found"});
      } else if (known.count(id) > 0) {
        out.refused.push_back({id, "duplicate_in_task"});
      } else if (static_cast<std::size_t>(total) + rows.size() >= kMaxContactsPerTask) {
        out.refused.push_back({id, "task_full"});
      } else {
        rows.push_back({id, Utf8Prefix(name->second, kMaxContactNameLength), ""});
      }
    }
    CampaignContactRepository::InsertCrmContacts(s, caller.tenant_id, task_id,
                                                 ContactSource::kCrmContact, rows, now);
    if (!rows.empty()) {
      storage::CampaignContactFilter f;
      f.limit = 1000;
      std::map<std::string, long long> contact_ids;
      // The new rows are the task's last ones; read them back for their ids.
      for (;;) {
        const auto page = CampaignContactRepository::List(s, caller.tenant_id, task_id, f);
        for (const CampaignContactRow& r : page) {
          if (r.source == ContactSource::kCrmContact) {
            contact_ids[r.crm_contact_id] = r.id;
          }
        }
        if (page.size() < 1000) {
          break;
        }
        f.after_id = page.back().id;
      }
      for (const Materialised& r : rows) {
        out.added.push_back({r.crm_id, contact_ids[r.crm_id], r.name});
      }
    }
    Audit(s, caller, "campaign.crm_contacts_add", task_id,
          "{\"added\":" + std::to_string(out.added.size()) +
              ",\"refused\":" + std::to_string(out.refused.size()) + "}",
          now);
  });
  return out;
}

CrmFilterView CrmGroups::GetFilter(const Caller& caller, long long task_id) {
  CrmFilterView v;
  storage::WithSession(db_, [&](Session& s) {
    RequireManager(s, caller, task_id, false);
    if (auto row = CampaignCrmFilterRepository::Find(s, caller.tenant_id, task_id)) {
      v = ViewOf(*row);
    }
  });
  return v;
}

CrmFilterView CrmGroups::PutFilter(const Caller& caller, long long task_id,
                                   const std::vector<FilterCondition>& conditions,
                                   long long expected_version) {
  storage::WithSession(db_, [&](Session& s) { RequireManager(s, caller, task_id, false); });
  adapters::CrmContacts& crm = Contacts(caller.tenant_id, "crm_filter");
  ValidateFilter(conditions, ToDomain(crm.ContactFields(caller.tenant_id, {})));
  const EpochMs now = clock_.NowMs();
  CrmFilterView out;
  storage::InTransaction(db_, [&](Session& s) {
    RequireManager(s, caller, task_id, true);
    const auto stored = CampaignCrmFilterRepository::Find(s, caller.tenant_id, task_id, true);
    const long long stored_version = stored ? stored->version : 0;
    CampaignCrmFilterRow row;
    row.task_id = task_id;
    row.conditions_json = EncodeConditions(conditions);
    row.updated_at_ms = now;
    if (stored_version != expected_version ||
        !CampaignCrmFilterRepository::Put(s, caller.tenant_id, row, expected_version)) {
      throw Conflict("the CRM filter was changed by someone else (now version " +
                         std::to_string(stored_version) + "); reload and try again",
                     "version");
    }
    out = ViewOf(*CampaignCrmFilterRepository::Find(s, caller.tenant_id, task_id));
    Audit(s, caller, "campaign.crm_filter", task_id, row.conditions_json, now);
  });
  return out;
}

void CrmGroups::DeleteFilter(const Caller& caller, long long task_id, long long expected_version) {
  storage::InTransaction(db_, [&](Session& s) {
    RequireManager(s, caller, task_id, true);
    const auto stored = CampaignCrmFilterRepository::Find(s, caller.tenant_id, task_id, true);
    if (!stored) {
      throw NotFound("the task has no CRM filter");
    }
    if (!CampaignCrmFilterRepository::Delete(s, caller.tenant_id, task_id, expected_version)) {
      throw Conflict("the CRM filter was changed by someone else (now version " +
                         std::to_string(stored->version) + "); reload and try again",
                     "version");
    }
    Audit(s, caller, "campaign.crm_filter_delete", task_id, "", clock_.NowMs());
  });
}

long long CrmGroups::Count(const Caller& caller, const std::vector<FilterCondition>& conditions) {
  storage::WithSession(db_, [&](Session& s) { RequireManager(s, caller, 0, false); });
  adapters::CrmContacts& crm = Contacts(caller.tenant_id, "crm_filter");
  ValidateFilter(conditions, ToDomain(crm.ContactFields(caller.tenant_id, {})));
  return crm.ListContacts(caller.tenant_id, ToCrm(conditions), "", {}).total;
}

bool CrmGroups::ReadNumber(const std::string& tenant_id, CampaignContactRow& row) {
  if (row.source != ContactSource::kCrmContact || row.state.status != ContactStatus::kInWork) {
    return true;
  }
  const std::optional<adapters::CrmContact> found =
      Contacts(tenant_id, "contact").GetContact(tenant_id, row.crm_contact_id, {});
  const std::optional<std::string> phone =
      found ? FirstPhone(found->phones) : std::optional<std::string>();
  CampaignContactRow updated = row;
  if (found && !found->name.empty()) {
    updated.name = Utf8Prefix(found->name, kMaxContactNameLength);
  }
  if (phone) {
    updated.phone = *phone;
  } else {
    // Finished with the reason in its comment, so it is never handed out again silently.
    updated.state.status = ContactStatus::kDone;
    updated.state.opened = false;
    updated.state.due_at_ms = 0;
    updated.comment = found ? kNoPhoneReason : kDeletedReason;
  }
  const EpochMs now = clock_.NowMs();
  bool saved = false;
  storage::InTransaction(db_, [&](Session& s) {
    saved = CampaignContactRepository::Save(s, tenant_id, updated, row.version, now);
  });
  if (!saved) {
    return false;
  }
  updated.version = row.version + 1;
  updated.updated_at_ms = now;
  row = updated;
  if (!phone) {
    spdlog::info("event=campaign_crm_contact_finished tenant={} task={} contact={} reason={}",
                 LogValue(tenant_id), row.task_id, row.id, found ? "no_phone" : "deleted");
  }
  return phone.has_value();
}

bool CrmGroups::Refill(const std::string& tenant_id, long long task_id) {
  if (adapters::IsMegaplanTenant(tenant_id) || contacts_ == nullptr) {
    return false;
  }
  std::optional<CampaignCrmFilterRow> filter;
  bool pool_has_work = false;
  storage::WithSession(db_, [&](Session& s) {
    filter = CampaignCrmFilterRepository::Find(s, tenant_id, task_id);
    // Read after the filter: a page another operator added before that read shows here; one
    // added after it moves the cursor, and the page read below is then not added.
    pool_has_work = filter && !filter->exhausted &&
                    CampaignContactRepository::HasOpenDue(s, tenant_id, task_id, clock_.NowMs());
  });
  if (!filter || filter->exhausted) {
    return false;
  }
  if (pool_has_work) {
    return true;  // another operator refilled the pool since this one found it empty
  }
  // The CRM is asked outside any transaction: no row stays locked while the portal answers.
  const adapters::CrmContactPage page = contacts_->ListContacts(
      tenant_id, ToCrm(DecodeConditions(filter->conditions_json)), filter->cursor_id, {});
  std::vector<PageContact> offered;
  for (const adapters::CrmContact& c : page.contacts) {
    offered.push_back({c.id, c.name, c.phones});
  }
  const std::string to_cursor = page.contacts.empty() ? filter->cursor_id : page.contacts.back().id;
  const EpochMs now = clock_.NowMs();
  std::size_t added = 0;
  bool moved = false;
  storage::InTransaction(db_, [&](Session& s) {
    // The task row first (as imports and adds take it), then the filter's.
    storage::CampaignTaskRepository::Find(s, tenant_id, task_id, true);
    const auto current = CampaignCrmFilterRepository::Find(s, tenant_id, task_id, true);
    if (!current || current->version != filter->version ||
        current->cursor_id != filter->cursor_id || current->exhausted) {
      moved = true;  // another operator added this page, or the manager changed the filter
      return;
    }
    const MaterialisePlan plan =
        Materialise(offered, CampaignContactRepository::CrmIds(s, tenant_id, task_id),
                    CampaignContactRepository::AllNumbers(s, tenant_id, task_id));
    const long long total = CampaignContactRepository::Counts(s, tenant_id, task_id).total;
    std::vector<Materialised> rows = plan.add;
    long long skipped = static_cast<long long>(plan.duplicates + plan.without_phone);
    bool exhausted = !page.more;
    if (static_cast<std::size_t>(total) + rows.size() > kMaxContactsPerTask) {
      rows.clear();
      exhausted = true;  // the task is full: the filter gives no more
    }
    CampaignContactRepository::InsertCrmContacts(s, tenant_id, task_id, ContactSource::kCrmFilter,
                                                 rows, now);
    if (!CampaignCrmFilterRepository::Advance(s, tenant_id, task_id, filter->version,
                                              filter->cursor_id, to_cursor, exhausted,
                                              static_cast<long long>(rows.size()), skipped, now)) {
      throw Conflict("the CRM filter moved meanwhile", "crm_filter");
    }
    added = rows.size();
  });
  spdlog::info("event=campaign_crm_filter_page tenant={} task={} offered={} added={} more={}",
               LogValue(tenant_id), task_id, offered.size(), added, page.more);
  return added > 0 || moved;
}

}  // namespace opdesk::campaigns
