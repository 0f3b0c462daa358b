#include "connector/app/plan_commands.h"

#include <algorithm>
#include <iostream>
#include <map>

#include "connector/domain/error.h"
#include "connector/settings/service.h"

namespace opdesk::app {
namespace {

std::map<std::string, std::string> PlanFlags(const std::vector<std::string>& args,
                                             const std::vector<std::string>& allowed) {
  std::map<std::string, std::string> out;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (std::find(allowed.begin(), allowed.end(), a) == allowed.end() || i + 1 >= args.size()) {
      throw InvalidArgument("unexpected argument '" + a + "'", a);
    }
    out[a] = args[++i];
  }
  return out;
}

void Print(const std::string& tenant_id, const settings::TariffView& t) {
  const std::string limit =
      t.status.max_users > 0 ? std::to_string(t.status.max_users) : std::string("unlimited");
  std::cout << "tenant:     " << tenant_id << "\n"
            << "plan:       " << t.status.plan << " (" << limit << " users)\n";
  if (t.status.paid_until_ms > 0) {
    std::string day = "?";
    try {
      day = LastPaidDate(t.status.paid_until_ms, *LoadTimeZone(t.time_zone));
    } catch (const Error&) {
    }
    std::cout << "paid until: " << day << " (" << t.time_zone << ")"
              << (t.status.lapsed ? ", ended: the free plan's limit applies" : "") << "\n";
  }
  std::cout << "seats:      " << t.seats_used << " of " << limit << " in use\n";
}

}  // namespace

PlanCatalog PlansFromConfig(const Config& config) {
  return PlanCatalog(config.plans.free_max_users, config.plans.standard_max_users);
}

int RunPlanCommand(const Config& config, const std::vector<std::string>& args) {
  const std::string sub = args.empty() ? "" : args[0];
  if (sub != "set" && sub != "show") {
    throw InvalidArgument(
        "usage: opdesk plan set --tenant ID --plan NAME [--until YYYY-MM-DD] | plan show "
        "--tenant ID",
        "plan");
  }
  const auto flags = sub == "set" ? PlanFlags(args, {"--tenant", "--plan", "--until"})
                                  : PlanFlags(args, {"--tenant"});
  if (!flags.count("--tenant") || flags.at("--tenant").empty()) {
    throw InvalidArgument("--tenant is required", "--tenant");
  }
  if (sub == "set" && (!flags.count("--plan") || flags.at("--plan").empty())) {
    throw InvalidArgument("--plan is required (free, standard or unlimited)", "--plan");
  }
  storage::DatabaseOptions options;
  options.url = config.database.url;
  options.pool_size = 2;
  storage::Database db(options);
  SystemClock clock;
  settings::SettingsOptions settings_options;
  settings_options.plans = PlansFromConfig(config);
  settings::SettingsService service(db, clock, nullptr, settings_options,
                                    settings::SystemRandomPick());
  const std::string& tenant_id = flags.at("--tenant");
  if (sub == "show") {
    Print(tenant_id, service.Tariff(tenant_id, false));
    return 0;
  }
  const settings::TariffView t = service.SetPlan(
      tenant_id, flags.at("--plan"), flags.count("--until") ? flags.at("--until") : "", "vendor");
  Print(tenant_id, t);
  return 0;
}

}  // namespace opdesk::app
