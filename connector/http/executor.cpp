#include "connector/http/executor.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

namespace opdesk::http {

BlockingExecutor::BlockingExecutor(int threads, std::size_t max_queue, std::string name)
    : max_queue_(max_queue), name_(std::move(name)) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      // Named for top -H and perf (Linux keeps 15 characters).
      pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
      Loop();
    });
  }
}

BlockingExecutor::~BlockingExecutor() {
  Shutdown();
}

bool BlockingExecutor::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queue_) {
      return false;
    }
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

std::size_t BlockingExecutor::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void BlockingExecutor::Loop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;
      }
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      task();
    } catch (const std::exception& e) {
      // Tasks handle their own errors; reaching here is a bug, but one task must not end the
      // thread that serves all the others.
      spdlog::error("event=executor_task_escaped executor={} error=\"{}\"", name_, e.what());
    } catch (...) {
      spdlog::error("event=executor_task_escaped executor={} error=unknown", name_);
    }
  }
}

void BlockingExecutor::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) {
      t.join();
    }
  }
}

}  // namespace opdesk::http
