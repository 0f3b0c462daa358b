#include "webhooks/mango/routes.h"

#include "connector/app/wiring.h"
#include "webhooks/mango/ingest.h"

namespace opdesk::mango {

void InstallWebhooks(app::Wiring& w) {
  auto& webhooks = w.Make<MangoWebhooks>(w.db, w.box, w.clock);
  webhooks.SetWake(w.Wake());
  // The applier runs beside the requests: what a killed process left pending is applied at
  // start, what arrives is applied as it is stored.
  w.timers.push_back(
      {[&webhooks] { webhooks.applier().Start(); }, [&webhooks] { webhooks.applier().Stop(); }});
  w.mango_reconnected = [&webhooks](const std::string& tenant_id) { webhooks.Forget(tenant_id); };
  w.metrics.AddProvider([&webhooks](std::string& out) {
    const storage::GroupCommitStats stats = webhooks.commit_stats();
    out += "# HELP opdesk_mango_commits_total Transactions that stored Mango notifications.\n";
    out += "# TYPE opdesk_mango_commits_total counter\n";
    out += "opdesk_mango_commits_total " + std::to_string(stats.batches) + "\n";
    out += "# HELP opdesk_mango_committed_total Notifications stored by those transactions.\n";
    out += "# TYPE opdesk_mango_committed_total counter\n";
    out += "opdesk_mango_committed_total " + std::to_string(stats.pieces) + "\n";
    out +=
        "# HELP opdesk_mango_commit_replays_total Shared transactions rolled back and replayed"
        " one notification at a time (one of them failed).\n";
    out += "# TYPE opdesk_mango_commit_replays_total counter\n";
    out += "opdesk_mango_commit_replays_total " + std::to_string(stats.replays) + "\n";
    const ApplierStats applied = webhooks.applier().stats();
    out +=
        "# HELP opdesk_mango_apply_batches_total Transactions that applied stored Mango"
        " notifications to their calls and jobs.\n";
    out += "# TYPE opdesk_mango_apply_batches_total counter\n";
    out += "opdesk_mango_apply_batches_total " + std::to_string(applied.batches) + "\n";
    out += "# HELP opdesk_mango_applied_total Notifications applied by those transactions.\n";
    out += "# TYPE opdesk_mango_applied_total counter\n";
    out += "opdesk_mango_applied_total " + std::to_string(applied.events) + "\n";
    out +=
        "# HELP opdesk_mango_apply_failures_total Notifications that could not be applied"
        " (logged, set aside).\n";
    out += "# TYPE opdesk_mango_apply_failures_total counter\n";
    out += "opdesk_mango_apply_failures_total " + std::to_string(applied.failures) + "\n";
  });
  // Mango's notifications are a few kilobytes; 64 KiB leaves room for long SIP headers.
  w.router.SetGuard(http::Guard::kMangoSignature,
                    [&webhooks](const http::Request& r) { return webhooks.Verify(r); });
  w.router.Add(
      "POST", "/mango/{tenant_key}/{suffix*}", http::Guard::kMangoSignature,
      [&webhooks](http::Request& r, const http::Caller& c) { return webhooks.Handle(r, c); },
      http::RouteOptions{64 * 1024, http::Lane::kIngest});
}

}  // namespace opdesk::mango
