// Retry delays: exponential, capped, jittered within [cap/2, cap].
#include "connector/jobs/backoff.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace opdesk::jobs {
namespace {

constexpr long long kBase = 1000;
constexpr long long kMax = 600000;

long long ExpectedCap(int attempt, long long base, long long max) {
  long long cap = base;
  for (int i = 1; i < attempt && cap < max; ++i) {
    cap *= 2;
  }
  return std::min(cap, max);
}

TEST(BackoffTest, UpperJitterIsTheCapDoublingPerAttempt) {
  EXPECT_EQ(BackoffMs(1, kBase, kMax, 1.0), 1000);
  EXPECT_EQ(BackoffMs(2, kBase, kMax, 1.0), 2000);
  EXPECT_EQ(BackoffMs(3, kBase, kMax, 1.0), 4000);
  EXPECT_EQ(BackoffMs(10, kBase, kMax, 1.0), 512000);
  EXPECT_EQ(BackoffMs(11, kBase, kMax, 1.0), kMax);
}

TEST(BackoffTest, LowerJitterIsHalfTheCap) {
  EXPECT_EQ(BackoffMs(1, kBase, kMax, 0.0), 500);
  EXPECT_EQ(BackoffMs(2, kBase, kMax, 0.0), 1000);
  EXPECT_EQ(BackoffMs(40, kBase, kMax, 0.0), kMax / 2);
}

TEST(BackoffTest, MidJitterIsBetweenHalfAndCap) {
  EXPECT_EQ(BackoffMs(3, kBase, kMax, 0.5), 3000);
  EXPECT_EQ(BackoffMs(1, kBase, kMax, 0.25), 625);
}

TEST(BackoffTest, CapsAreMonotoneAndNeverExceedMax) {
  long long previous = 0;
  for (int attempt = 1; attempt <= 40; ++attempt) {
    const long long cap = BackoffMs(attempt, kBase, kMax, 1.0);
    EXPECT_EQ(cap, ExpectedCap(attempt, kBase, kMax)) << "attempt " << attempt;
    EXPECT_GE(cap, previous) << "attempt " << attempt;
    EXPECT_LE(cap, kMax) << "attempt " << attempt;
    EXPECT_GT(cap, 0) << "attempt " << attempt;
    previous = cap;
  }
  EXPECT_EQ(BackoffMs(40, kBase, kMax, 1.0), kMax);
}

TEST(BackoffTest, JitterStaysWithinBoundsOverAttempts) {
  for (int attempt = 1; attempt <= 40; ++attempt) {
    const long long cap = ExpectedCap(attempt, kBase, kMax);
    for (double u : {0.0, 0.001, 0.1, 0.333, 0.5, 0.77, 0.999, 0.999999}) {
      const long long d = BackoffMs(attempt, kBase, kMax, u);
      EXPECT_GE(d, cap / 2) << "attempt " << attempt << " u " << u;
      EXPECT_LE(d, cap) << "attempt " << attempt << " u " << u;
    }
  }
}

TEST(BackoffTest, JitterIsMonotoneInRandomUnit) {
  long long previous = 0;
  for (int i = 0; i <= 100; ++i) {
    const long long d = BackoffMs(5, kBase, kMax, i / 100.0);
    EXPECT_GE(d, previous) << "u " << i / 100.0;
    previous = d;
  }
}

TEST(BackoffTest, AttemptBelowOneIsTreatedAsOne) {
  EXPECT_EQ(BackoffMs(0, kBase, kMax, 1.0), BackoffMs(1, kBase, kMax, 1.0));
  EXPECT_EQ(BackoffMs(-5, kBase, kMax, 0.0), BackoffMs(1, kBase, kMax, 0.0));
  EXPECT_EQ(BackoffMs(-2147483647 - 1, kBase, kMax, 1.0), kBase);
}

TEST(BackoffTest, RandomUnitIsClamped) {
  EXPECT_EQ(BackoffMs(3, kBase, kMax, -3.0), 2000);
  EXPECT_EQ(BackoffMs(3, kBase, kMax, 7.0), 4000);
}

TEST(BackoffTest, MaxBelowBaseCapsTheFirstAttempt) {
  EXPECT_EQ(BackoffMs(1, 5000, 3000, 1.0), 3000);
  EXPECT_EQ(BackoffMs(1, 5000, 3000, 0.0), 1500);
}

TEST(BackoffTest, HugeAttemptDoesNotOverflow) {
  EXPECT_EQ(BackoffMs(2147483647, kBase, kMax, 1.0), kMax);
  EXPECT_EQ(BackoffMs(2147483647, 1, 2147483647LL, 1.0), 2147483647LL);
}

}  // namespace
}  // namespace opdesk::jobs
