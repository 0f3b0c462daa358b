#include "connector/app/commands.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "connector/app/allocator.h"
#include "connector/app/config.h"
#include "connector/app/logging.h"
#include "connector/app/plan_commands.h"
#include "connector/app/service.h"
#include "connector/app/tenant_commands.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/migrations.h"

namespace opdesk::app {
namespace {

constexpr const char* kUsage =
    "usage: opdesk <command> [--config PATH]\n"
    "\n"
    "commands:\n"
    "  serve     run the HTTP service and the outbox workers\n"
    "  migrate   bring the database schema up to date\n"
    "  version   print the version and the schema version this build expects\n"
    "  tenant list | tenant show ID\n"
    "            the connected portals and accounts\n"
    "  tenant mango --tenant ID --api-key KEY --api-salt SALT\n"
    "            connect a Mango VPBX; prints the webhook address for the Mango account\n"
    "  tenant integration --tenant ID [--set KEY=VALUE ...]\n"
    "            print the integration settings (one JSON line); --set changes keys as the\n"
    "            settings API does (exit 2 naming a bad key or value)\n"
    "  plan set --tenant ID --plan free|standard|unlimited [--until YYYY-MM-DD]\n"
    "            set what a tenant paid for; --until is the last paid day (paid plans)\n"
    "  plan show --tenant ID\n"
    "            the tenant's plan, paid-until date and seats in use\n"
    "  help      this text, and the configuration keys\n"
    "\n"
    "The config file is JSON; every key can be set by an environment variable OPDESK_<KEY>\n"
    "(dots become underscores). OPDESK_CONFIG names a config file when --config is absent.\n";

void PrintHelp() {
  std::cout << kUsage << "\nconfiguration keys:\n";
  for (const KeyInfo& key : ConfigKeys()) {
    std::cout << "  " << key.path << " (" << key.env_name << ", default \"" << key.default_value
              << "\")\n      " << key.help << "\n";
  }
}

int Migrate(const Config& config) {
  SystemClock clock;
  storage::DatabaseOptions options;
  options.url = config.database.url;
  options.pool_size = 1;
  storage::Database db(options);
  storage::MigrateResult result = storage::Migrate(db, clock);
  if (result.applied.empty()) {
    std::cout << "schema is up to date at version " << result.to << "\n";
  } else {
    std::cout << "schema migrated from version " << result.from << " to " << result.to << " ("
              << result.applied.size() << " migration(s) applied)\n";
  }
  return 0;
}

}  // namespace

int RunCommand(const std::vector<std::string>& args) {
  std::string command;
  std::string config_path;
  std::vector<std::string> rest;  // the subcommand's own arguments (tenant …)
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--config" && i + 1 < args.size()) {
      config_path = args[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      config_path = a.substr(9);
    } else if (command.empty() && (a == "-h" || a == "--help")) {
      command = "help";
    } else if (command.empty() && !a.empty() && a[0] != '-') {
      command = a;
    } else if (command == "tenant" || command == "plan") {
      rest.push_back(a);
    } else {
      std::cerr << "opdesk: unexpected argument '" << a << "'\n\n" << kUsage;
      return 2;
    }
  }
  if (command.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  if (command == "help") {
    PrintHelp();
    return 0;
  }
  if (command == "version") {
    std::cout << "opdesk " << OPDESK_VERSION << " (schema " << storage::LatestSchemaVersion()
              << ", allocator " << AllocatorName() << ")\n";
    return 0;
  }
  if (command != "serve" && command != "migrate" && command != "tenant" && command != "plan") {
    std::cerr << "opdesk: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
  }

  std::map<std::string, std::string> env = ProcessEnvironment();
  if (config_path.empty() && env.count("OPDESK_CONFIG")) {
    config_path = env["OPDESK_CONFIG"];
  }
  Config config;
  try {
    config = LoadConfig(config_path, env);
  } catch (const Error& e) {
    std::cerr << "opdesk: configuration error: " << e.what();
    if (!e.field().empty()) {
      std::cerr << " (key: " << e.field() << ")";
    }
    std::cerr << "\n";
    return 2;
  }
  SetupLogging(config.log.level, config.log.format);
  int status = 1;
  try {
    status = command == "serve"    ? Serve(config)
             : command == "tenant" ? RunTenantCommand(config, rest)
             : command == "plan"   ? RunPlanCommand(config, rest)
                                   : Migrate(config);
  } catch (const Error& e) {
    spdlog::critical("event=fatal command={} code={} error={}", command, ToString(e.code()),
                     LogQuoted(e.what()));
    std::cerr << "opdesk " << command << ": " << e.what() << "\n";
    status = e.code() == ErrorCode::kInvalidArgument ? 2 : 1;
  } catch (const std::exception& e) {
    spdlog::critical("event=fatal command={} error={}", command, LogQuoted(e.what()));
    std::cerr << "opdesk " << command << ": " << e.what() << "\n";
    status = 1;
  }
  ShutdownLogging();
  return status;
}

}  // namespace opdesk::app
