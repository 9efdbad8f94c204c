// A background thread that builds board scenes, so that a board whose build takes longer than a
// frame (the plans board searches thousands of training plans per scenario) does not stall the
// window while a slider is dragged: the window keeps drawing the last scene that finished and
// takes the next one when it is ready.
//
// Use: worker.Submit(seq, [scenario copy, ...] { return BuildBoard(...); }); then, each frame,
// `if (auto done = worker.TakeFinished()) show(done->scene)`. Only the newest submitted job runs
// next: a job submitted while another waits replaces it (a drag outruns the builds; its in-between
// values need not all be built). Jobs must not touch the GUI's state: they get copies.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "scene/scene.hpp"

namespace blackboard {

class SceneWorker {
 public:
  struct Finished {
    uint64_t seq = 0;  // the number the job was submitted with
    Scene scene;
    double build_ms = 0;
  };

  SceneWorker();
  ~SceneWorker();  // waits for the running job, drops the waiting one
  SceneWorker(const SceneWorker&) = delete;
  SceneWorker& operator=(const SceneWorker&) = delete;

  void Submit(uint64_t seq, std::function<Scene()> build);
  // The newest finished job not yet taken, if any. A job that throws finishes with no scene (it is
  // dropped; the caller keeps what it shows and builds synchronously when the hand lets go).
  std::optional<Finished> TakeFinished();

 private:
  void Run();
  std::mutex mu_;
  std::condition_variable wake_;
  std::optional<std::pair<uint64_t, std::function<Scene()>>> waiting_;
  std::optional<Finished> finished_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace blackboard
