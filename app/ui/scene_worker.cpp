#include "scene_worker.hpp"

#include <chrono>
#include <exception>
#include <utility>

namespace blackboard {

SceneWorker::SceneWorker() : thread_([this] { Run(); }) {}

SceneWorker::~SceneWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    waiting_.reset();
  }
  wake_.notify_all();
  thread_.join();
}

void SceneWorker::Submit(uint64_t seq, std::function<Scene()> build) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    waiting_.emplace(seq, std::move(build));
  }
  wake_.notify_all();
}

std::optional<SceneWorker::Finished> SceneWorker::TakeFinished() {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<Finished> out = std::move(finished_);
  finished_.reset();
  return out;
}

void SceneWorker::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || waiting_.has_value(); });
    if (stop_) return;
    auto [seq, build] = std::move(*waiting_);
    waiting_.reset();
    lock.unlock();
    std::optional<Finished> done;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      Scene scene = build();
      done = Finished{seq, std::move(scene),
                      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count()};
    } catch (const std::exception&) {  // a scenario the board cannot draw: nothing to show from it
    }
    lock.lock();
    if (done && (!finished_ || finished_->seq < done->seq)) finished_ = std::move(done);
  }
}

}  // namespace blackboard
