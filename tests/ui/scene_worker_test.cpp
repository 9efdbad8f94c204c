// The background scene builder: a finished build comes back once, with the number it was submitted
// with; a job submitted while another waits replaces it; a job that throws finishes with nothing.
#include "ui/scene_worker.hpp"

#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace blackboard {
namespace {

// Polls until a build comes back (each test's builds take microseconds; 5 s means something hangs).
std::optional<SceneWorker::Finished> WaitFinished(SceneWorker& w) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    if (auto done = w.TakeFinished()) return done;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::nullopt;
}

Scene Titled(const char* title) {
  Scene s(10, 10);
  s.title = title;
  return s;
}

TEST(SceneWorker, ABuildComesBackOnceWithItsNumber) {
  SceneWorker w;
  w.Submit(7, [] { return Titled("seven"); });
  const auto done = WaitFinished(w);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->seq, 7u);
  EXPECT_EQ(done->scene.title, "seven");
  EXPECT_GE(done->build_ms, 0);
  EXPECT_FALSE(w.TakeFinished());  // taken: not handed out twice
}

// While a build runs, two more are submitted: the second replaces the first, which never runs.
TEST(SceneWorker, TheNewestWaitingJobReplacesTheOneBeforeIt) {
  SceneWorker w;
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  w.Submit(1, [gate, &started] {
    started.set_value();
    gate.wait();
    return Titled("one");
  });
  started.get_future().wait();  // job 1 is running
  bool two_ran = false;
  w.Submit(2, [&two_ran] {
    two_ran = true;
    return Titled("two");
  });
  w.Submit(3, [] { return Titled("three"); });
  release.set_value();
  std::optional<SceneWorker::Finished> last;
  while (auto done = WaitFinished(w)) {
    last = std::move(done);
    if (last->seq == 3) break;
  }
  ASSERT_TRUE(last);
  EXPECT_EQ(last->seq, 3u);
  EXPECT_EQ(last->scene.title, "three");
  EXPECT_FALSE(two_ran);
}

TEST(SceneWorker, AJobThatThrowsFinishesWithNothing) {
  SceneWorker w;
  std::promise<void> ran;
  w.Submit(1, [&ran]() -> Scene {
    ran.set_value();
    throw std::invalid_argument("a scenario the board cannot draw");
  });
  ran.get_future().wait();
  w.Submit(2, [] { return Titled("after"); });  // the worker carries on
  const auto done = WaitFinished(w);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->seq, 2u);
}

}  // namespace
}  // namespace blackboard
