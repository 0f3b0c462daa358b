// The portal budget model: a burst goes out at once, the rest at the drain rate, never more than
// the portal's bucket holds; 429 pauses one method only.
#include <gtest/gtest.h>

#include "adapters/bitrix24/rate_limiter.h"

namespace opdesk::bitrix24 {
namespace {

// Replays the portal's leaky bucket over the send times and returns its highest level.
double SimulatePortalLevel(const std::vector<long long>& send_at_ms, double rate_per_s) {
  std::vector<long long> times = send_at_ms;
  std::sort(times.begin(), times.end());
  double level = 0;
  double max_level = 0;
  long long last = times.empty() ? 0 : times.front();
  for (long long t : times) {
    level = std::max(0.0, level - (t - last) * rate_per_s / 1000.0);
    last = t;
    level += 1;
    max_level = std::max(max_level, level);
  }
  return max_level;
}

TEST(PortalRateLimiterTest, ARefusedReservationSpendsNothing) {
  FakeClock clock;
  PortalRateLimiter limiter(clock);
  for (int i = 0; i < 48; ++i) {
    ASSERT_EQ(limiter.TryReserve("p", 2, 50, 100), 0);
  }
  // The bucket is full: a caller who will not wait 500 ms is refused, a hundred times...
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(limiter.TryReserve("p", 2, 50, 100), -1);
  }
  // ...and none of that moved the next real request back.
  EXPECT_EQ(limiter.Reserve("p", 2, 50), 500);
}

TEST(PortalRateLimiterTest, BurstGoesAtOnceThenTheDrainRate) {
  FakeClock clock;
  PortalRateLimiter limiter(clock);
  std::vector<long long> waits;
  for (int i = 0; i < 60; ++i) {
    waits.push_back(limiter.Reserve("p", 2, 50));
  }
  for (int i = 0; i < 48; ++i) {
    EXPECT_EQ(waits[i], 0) << i;
  }
  EXPECT_EQ(waits[48], 500);
  EXPECT_EQ(waits[49], 1000);
  EXPECT_EQ(waits[59], 6000);
}

TEST(PortalRateLimiterTest, NeverExceedsThePortalBucket) {
  FakeClock clock;
  PortalRateLimiter limiter(clock);
  std::vector<long long> sends;
  for (int i = 0; i < 500; ++i) {
    if (i % 7 == 0) {
      clock.Advance(37);
    }
    sends.push_back(clock.NowMs() + limiter.Reserve("p", 2, 50));
  }
  EXPECT_LE(SimulatePortalLevel(sends, 2), 50.0);
}

TEST(PortalRateLimiterTest, AFastPortalKeepsMoreSlotsForBunchedArrivals) {
  FakeClock clock;
  PortalRateLimiter limiter(clock);
  // 100/s drains 5 requests in 50 ms: 45 of a burst of 50 go at once, the next waits.
  for (int i = 0; i < 45; ++i) {
    ASSERT_EQ(limiter.Reserve("p", 100, 50), 0) << i;
  }
  EXPECT_EQ(limiter.Reserve("p", 100, 50), 10);
}

TEST(PortalRateLimiterTest, PortalsHaveSeparateBudgets) {
  FakeClock clock;
  PortalRateLimiter limiter(clock);
  for (int i = 0; i < 48; ++i) {
    limiter.Reserve("a", 2, 50);
  }
  EXPECT_GT(limiter.Reserve("a", 2, 50), 0);
  EXPECT_EQ(limiter.Reserve("b", 2, 50), 0);
}

TEST(PortalRateLimiterTest, IdleTimeRefillsTheBudget) {
  FakeClock clock;
  PortalRateLimiter limiter(clock);
  for (int i = 0; i < 48; ++i) {
    limiter.Reserve("p", 2, 50);
  }
  clock.Advance(60'000);
  EXPECT_EQ(limiter.Reserve("p", 2, 50), 0);
}

TEST(PortalRateLimiterTest, PortalSayingFullLeavesOnlyTheDrainRate) {
  FakeClock clock;
  PortalRateLimiter limiter(clock);
  limiter.MarkFull("p", 2, 50);
  EXPECT_EQ(limiter.Reserve("p", 2, 50), 500);
  EXPECT_EQ(limiter.Reserve("p", 2, 50), 1000);
  EXPECT_EQ(limiter.Reserve("p", 2, 50), 1500);
}

TEST(PortalRateLimiterTest, RaisedBudgetTakesEffectAtOnce) {
  FakeClock clock;
  PortalRateLimiter limiter(clock);
  for (int i = 0; i < 58; ++i) {
    limiter.Reserve("p", 2, 50);  // 10 requests beyond the burst: the queue reaches 5 s ahead
  }
  EXPECT_GE(limiter.Reserve("p", 2, 50), 5'000);
  // An Enterprise portal drains 5/s with a burst of 250: the same level is well inside it.
  EXPECT_EQ(limiter.Reserve("p", 5, 250), 0);
  // And back down: the level carries over, now drained at the slower rate.
  EXPECT_GT(limiter.Reserve("p", 2, 50), 0);
}

TEST(PortalRateLimiterTest, OperationLimitPausesOnlyThatMethod) {
  FakeClock clock;
  PortalRateLimiter limiter(clock);
  limiter.PauseMethod("p", "crm.lead.add", clock.NowMs() + 60'000);
  EXPECT_EQ(limiter.MethodPausedUntil("p", "crm.lead.add"), clock.NowMs() + 60'000);
  EXPECT_EQ(limiter.MethodPausedUntil("p", "crm.contact.list"), 0);
  EXPECT_EQ(limiter.MethodPausedUntil("other", "crm.lead.add"), 0);
  clock.Advance(60'001);
  EXPECT_EQ(limiter.MethodPausedUntil("p", "crm.lead.add"), 0);
}

}  // namespace
}  // namespace opdesk::bitrix24
