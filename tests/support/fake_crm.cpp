// FakeCrm: seeding, what happened, the directory, users and the settings' choices.
#include "tests/support/fake_crm.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace opdesk::testing {
namespace {

std::string Digits(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string FakeCrm::Call::Arg(const std::string& name) const {
  auto it = args.find(name);
  return it == args.end() ? "" : it->second;
}

// ---- seeding and inspection ----

std::string FakeCrm::NextId() {
  return std::to_string(next_id_++);
}

std::string FakeCrm::SeedClient(const std::string& entity, const std::string& phone,
                                const std::string& name) {
  std::lock_guard lock(mu_);
  Record r;
  r.entity = entity;
  r.id = NextId();
  r.name = name;
  r.phone = phone;
  records_.push_back(r);
  return r.id;
}

std::string FakeCrm::SeedDeal(const adapters::CrmRecord& owner, const std::string& pipeline,
                              const std::string& stage, bool closed) {
  std::lock_guard lock(mu_);
  Record r;
  r.entity = "deal";
  r.id = NextId();
  r.owner = owner.entity + ":" + owner.id;
  r.pipeline = pipeline;
  r.stage = stage;
  r.closed = closed;
  records_.push_back(r);
  return r.id;
}

void FakeCrm::SeedUser(adapters::CrmUser user) {
  std::lock_guard lock(mu_);
  users_.push_back(std::move(user));
}

void FakeCrm::SeedResponsibles(const adapters::CrmRecord& record,
                               std::vector<adapters::Responsible> responsibles) {
  std::lock_guard lock(mu_);
  for (Record& r : records_) {
    if (r.entity == record.entity && r.id == record.id) {
      r.responsibles = std::move(responsibles);
      if (!r.responsibles.empty()) {
        r.responsible = r.responsibles.front().id;
      }
    }
  }
}

void FakeCrm::SeedChoices(std::vector<std::string> sources,
                          std::map<std::string, std::vector<std::string>> stages_by_pipeline) {
  std::lock_guard lock(mu_);
  sources_ = std::move(sources);
  stages_ = std::move(stages_by_pipeline);
}

void FakeCrm::Fail(const std::string& method, const Error& error, int times, bool after) {
  std::lock_guard lock(mu_);
  failures_[method].push_back({error, times, after});
}

void FakeCrm::RefuseAdd(const std::string& entity, const Error& error) {
  std::lock_guard lock(mu_);
  refused_adds_.insert_or_assign(entity, error);
}

std::vector<FakeCrm::Call> FakeCrm::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

std::vector<std::string> FakeCrm::methods() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const Call& c : calls_) {
    out.push_back(c.method);
  }
  return out;
}

int FakeCrm::Count(const std::string& method) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::count_if(calls_.begin(), calls_.end(),
                                        [&](const Call& c) { return c.method == method; }));
}

std::optional<FakeCrm::CrmCallState> FakeCrm::FindCall(const std::string& call_id) const {
  std::lock_guard lock(mu_);
  auto it = crm_calls_.find(call_id);
  if (it == crm_calls_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::vector<FakeCrm::Record> FakeCrm::records(const std::string& entity) const {
  std::lock_guard lock(mu_);
  std::vector<Record> out;
  for (const Record& r : records_) {
    if (r.entity == entity) {
      out.push_back(r);
    }
  }
  return out;
}

std::optional<FakeCrm::Record> FakeCrm::FindRecord(const std::string& entity,
                                                   const std::string& id) const {
  std::lock_guard lock(mu_);
  for (const Record& r : records_) {
    if (r.entity == entity && r.id == id) {
      return r;
    }
  }
  return std::nullopt;
}

std::vector<FakeCrm::Timeline> FakeCrm::timeline() const {
  std::lock_guard lock(mu_);
  return timeline_;
}

std::vector<std::string> FakeCrm::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

void FakeCrm::ClearCalls() {
  std::lock_guard lock(mu_);
  calls_.clear();
}

std::optional<Error> FakeCrm::Enter(Call call) {
  const std::string method = call.method;
  calls_.push_back(std::move(call));
  auto it = failures_.find(method);
  if (it == failures_.end() || it->second.empty()) {
    return std::nullopt;
  }
  Failure& f = it->second.front();
  const Error error = f.error;
  const bool after = f.after;
  if (--f.times <= 0) {
    it->second.erase(it->second.begin());
  }
  if (!after) {
    throw error;
  }
  return error;
}

std::optional<adapters::CrmRecord> FakeCrm::FindByPhoneLocked(const std::string& phone) const {
  const std::string wanted = Digits(phone);
  if (wanted.empty()) {
    return std::nullopt;
  }
  for (const char* entity : {"contact", "company", "lead"}) {
    for (const Record& r : records_) {
      if (r.entity == entity && Digits(r.phone) == wanted) {
        return adapters::CrmRecord{r.entity, r.id};
      }
    }
  }
  return std::nullopt;
}

// ---- the directory ----

CrmCatalog FakeCrm::FetchCatalog(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  auto after = Enter({"FetchCatalog", tenant_id, "", {}});
  if (after) {
    throw *after;
  }
  return catalog;
}

std::vector<adapters::CrmUser> FakeCrm::FetchUsers(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  auto after = Enter({"FetchUsers", tenant_id, "", {}});
  if (after) {
    throw *after;
  }
  return users_;
}

adapters::MarketplaceStatus FakeCrm::FetchMarketplaceStatus(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  auto after = Enter({"FetchMarketplaceStatus", tenant_id, "", {}});
  if (after) {
    throw *after;
  }
  return marketplace;
}

// ---- users and choices ----

std::string FakeCrm::FindUserByExtension(const std::string& tenant_id,
                                         const std::string& extension) {
  std::lock_guard lock(mu_);
  auto after = Enter({"FindUserByExtension", tenant_id, "", {{"extension", extension}}});
  if (after) {
    throw *after;
  }
  for (const adapters::CrmUser& u : users_) {
    if (u.active && u.extension == extension) {
      return u.id;
    }
  }
  return "";
}

std::string FakeCrm::UserExtension(const std::string& tenant_id, const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto after = Enter({"UserExtension", tenant_id, "", {{"user", user_id}}});
  if (after) {
    throw *after;
  }
  for (const adapters::CrmUser& u : users_) {
    if (u.id == user_id) {
      return u.extension;
    }
  }
  return "";
}

bool FakeCrm::IsActiveUser(const std::string& tenant_id, const std::string& user_id,
                           const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after = Enter({"IsActiveUser", tenant_id, options.as_user, {{"user", user_id}}});
  if (after) {
    throw *after;
  }
  return std::any_of(users_.begin(), users_.end(),
                     [&](const adapters::CrmUser& u) { return u.id == user_id && u.active; });
}

std::vector<adapters::CrmUser> FakeCrm::ListActiveUsers(const std::string& tenant_id) {
  std::lock_guard lock(mu_);
  auto after = Enter({"ListActiveUsers", tenant_id, "", {}});
  if (after) {
    throw *after;
  }
  std::vector<adapters::CrmUser> out;
  std::copy_if(users_.begin(), users_.end(), std::back_inserter(out),
               [](const adapters::CrmUser& u) { return u.active; });
  return out;
}

adapters::CrmChoices FakeCrm::ListChoices(const std::string& tenant_id,
                                          const adapters::ChoicesQuery& query,
                                          const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after =
      Enter({"ListChoices",
             tenant_id,
             options.as_user,
             {{"sources", query.sources ? "1" : "0"}, {"pipeline", query.pipeline.value_or("")}}});
  if (after) {
    throw *after;
  }
  adapters::CrmChoices out;
  if (query.sources) {
    out.sources.insert(sources_.begin(), sources_.end());
  }
  if (query.pipeline) {
    for (const auto& [pipeline, stages] : stages_) {
      out.pipelines.push_back(pipeline);
    }
    auto it = stages_.find(*query.pipeline);
    if (it != stages_.end()) {
      out.stages.insert(it->second.begin(), it->second.end());
    }
  }
  return out;
}

}  // namespace opdesk::testing
