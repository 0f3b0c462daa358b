#include "webhooks/mango/routes.h"

#include "connector/app/wiring.h"
#include "webhooks/mango/ingest.h"

namespace opdesk::mango {

void InstallWebhooks(app::Wiring& w) {
  auto& webhooks = w.Make<MangoWebhooks>(w.db, w.box, w.clock);
  webhooks.SetWake(w.Wake());
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
