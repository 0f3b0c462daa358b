// A fixed pool of threads for blocking work (database, outbound calls made synchronously), so the
// cpprestsdk I/O pool never blocks. Sized like the database pool. The queue is bounded: when it is
// full, Post refuses and the caller answers 503 instead of letting latency grow without limit.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace opdesk::http {

class BlockingExecutor {
 public:
  BlockingExecutor(int threads, std::size_t max_queue, std::string name);
  ~BlockingExecutor();
  BlockingExecutor(const BlockingExecutor&) = delete;
  BlockingExecutor& operator=(const BlockingExecutor&) = delete;

  // False if the queue is full or the executor is shutting down; `task` is then not run.
  bool Post(std::function<void()> task);
  // Runs what is queued, then joins the threads.
  void Shutdown();
  std::size_t queued() const;

 private:
  void Loop();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::size_t max_queue_;
  std::string name_;
  std::vector<std::thread> threads_;
};

}  // namespace opdesk::http
