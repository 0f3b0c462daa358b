#include "connector/storage/writer_turn.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace opdesk::storage {
namespace {

using std::chrono::milliseconds;

// Polls `done` for up to 10 s.
bool WaitUntil(const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) {
      return false;
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

// Takes the turn on a thread of its own, first-rank or not, and records its name once it has it.
class Writer {
 public:
  Writer(WriterTurn& turn, std::string name, bool first, std::vector<std::string>& order,
         std::mutex& order_mu)
      : thread_([&turn, name, first, &order, &order_mu] {
          auto write = [&] {
            std::unique_lock lock(turn);
            std::lock_guard guard(order_mu);
            order.push_back(name);
          };
          if (first) {
            WritesFirst scope;
            write();
          } else {
            write();
          }
        }) {}
  ~Writer() { thread_.join(); }

 private:
  std::thread thread_;
};

TEST(WriterTurnTest, AWaitingFirstRankWriterGoesBeforeOthersThatWaitedLonger) {
  WriterTurn turn;
  std::vector<std::string> order;
  std::mutex order_mu;
  {
    // Declared before the turn is taken: on a failed assertion the turn is given back before
    // the writers are joined.
    std::vector<std::unique_ptr<Writer>> writers;
    std::unique_lock held(turn);
    writers.push_back(std::make_unique<Writer>(turn, "outbox 1", false, order, order_mu));
    writers.push_back(std::make_unique<Writer>(turn, "outbox 2", false, order, order_mu));
    ASSERT_TRUE(WaitUntil([&] { return turn.waiting().rest == 2; }));
    writers.push_back(std::make_unique<Writer>(turn, "ingest", true, order, order_mu));
    ASSERT_TRUE(WaitUntil([&] { return turn.waiting().first == 1; }));
    writers.push_back(std::make_unique<Writer>(turn, "applier", true, order, order_mu));
    ASSERT_TRUE(WaitUntil([&] { return turn.waiting().first == 2; }));
  }
  ASSERT_EQ(order.size(), 4u);
  EXPECT_TRUE((order[0] == "ingest" && order[1] == "applier") ||
              (order[0] == "applier" && order[1] == "ingest"))
      << order[0] << ", " << order[1];
  EXPECT_TRUE((order[2] == "outbox 1" && order[3] == "outbox 2") ||
              (order[2] == "outbox 2" && order[3] == "outbox 1"))
      << order[2] << ", " << order[3];
  EXPECT_EQ(turn.waiting().first, 0);
  EXPECT_EQ(turn.waiting().rest, 0);
}

TEST(WriterTurnTest, OtherWritersTakeTheTurnWhenNoFirstRankWriterWaits) {
  WriterTurn turn;
  std::unique_lock held(turn);
  EXPECT_FALSE(turn.try_lock()) << "held";
  {
    WritesFirst first;
    EXPECT_FALSE(turn.try_lock_for(milliseconds(20))) << "a first-rank writer waits too";
  }
  EXPECT_EQ(turn.waiting().first, 0) << "one that gave up no longer holds the others back";
  held.unlock();
  EXPECT_TRUE(turn.try_lock());
  turn.unlock();
  // Many writers of both ranks at once: each gets the turn, one at a time.
  int inside = 0;
  int most_inside = 0;
  int writes = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      std::optional<WritesFirst> first;
      if (t % 2 == 0) {
        first.emplace();
      }
      for (int i = 0; i < 200; ++i) {
        std::unique_lock lock(turn);
        most_inside = std::max(most_inside, ++inside);
        ++writes;
        --inside;
      }
    });
  }
  for (std::thread& th : threads) {
    th.join();
  }
  EXPECT_EQ(writes, 1200);
  EXPECT_EQ(most_inside, 1);
}

TEST(WriterTurnTest, ScopesNestAndEndWithTheOutermost) {
  EXPECT_FALSE(WritesFirst::Here());
  {
    WritesFirst outer;
    {
      WritesFirst inner;
      EXPECT_TRUE(WritesFirst::Here());
    }
    EXPECT_TRUE(WritesFirst::Here()) << "the inner scope's end leaves the outer one";
  }
  EXPECT_FALSE(WritesFirst::Here());
  bool other_thread = true;
  WritesFirst here;
  std::thread([&] { other_thread = WritesFirst::Here(); }).join();
  EXPECT_FALSE(other_thread) << "per thread";
}

}  // namespace
}  // namespace opdesk::storage
