// The GUI application. Index: AppState + commands | lecture stepping | canvas (scene, background
// shader, transitions, hover formulas, drag handles, chalk drawing, laser) | panels (lecture, boards,
// controls, numbers, live strip) | keyboard | main loop (GLFW + OpenGL3) with autosave.
#include "app.hpp"

#include "gfx/gl.hpp"  // before GLFW: glad replaces <GL/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>  // ErrorCheckEndWindowRecover: a panel that threw closes cleanly
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "blackboard/assets.hpp"
#include "blackboard/json_input.hpp"
#include "blackboard/lecture.hpp"
#include "blackboard/output_file.hpp"
#include "blackboard/report.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"
#include "damage.hpp"
#include "export/image.hpp"
#include "export/svg.hpp"
#include "fonts.hpp"
#include "gfx/background.hpp"
#include "gfx/chalk.hpp"
#include "scene/annotations.hpp"
#include "scene/board.hpp"
#include "scene/compare.hpp"
#include "scene/strip.hpp"
#include "scene_draw.hpp"
#include "scene_worker.hpp"
#include "session.hpp"

namespace blackboard {

namespace {

constexpr float kBoardW = kDesignWidth, kBoardH = kDesignHeight;
constexpr double kTransitionS = 0.35;
constexpr double kMorphS = 0.6;  // a board that morphs (pipeline-training) moves its blocks this long

// ---------------------------------------------------------------- state and commands

struct AppState {
  Scenario scenario;
  std::string scenario_path;
  int board = 0;
  std::string theme = "blackboard";
  double time_s = 0;
  bool playing = true;
  float speed = 1;
  Lecture lecture;  // empty steps = no lecture
  int step = 0;
  std::vector<std::vector<Annotation>> drawn;  // per step: the lecturer's chalk
  bool presenting = false, show_controls = false, show_formulas = false;
  int export_scale = 2;            // PNG export: 1x, 2x or 4x
  bool export_transparent = false; // PNG export without the board background
  std::optional<Scenario> pinned;  // A of an A/B comparison (the current scenario is B)
  bool comparing = false;
  std::string status;
  bool status_is_error = false;
  unsigned version = 1;  // bumps whenever what the canvas shows changes (scene caches key on it)
};

struct Command {
  enum Kind { kSet, kBoard, kTheme, kStep, kExportPng, kExportSvg, kExportVideo, kSaveLecture, kUndo, kClear, kOpen } kind = kSet;
  std::string text;
  int number = 0;
};

std::vector<std::string> BoardNames() {
  std::vector<std::string> n;
  for (const auto& b : AllBoards()) n.push_back(b.name);
  return n;
}

int BoardIndex(const std::string& name) {
  for (size_t i = 0; i < AllBoards().size(); ++i)
    if (AllBoards()[i].name == name) return static_cast<int>(i);
  return -1;
}

// Every chalk point held: the lecture's and the ones drawn (capped at kMaxChalkPoints).
size_t ChalkPoints(const AppState& st) {
  size_t n = 0;
  for (const auto& step : st.lecture.steps)
    for (const auto& a : step.annotations) n += a.points.size();
  for (const auto& list : st.drawn)
    for (const auto& a : list) n += a.points.size();
  return n;
}

std::vector<Annotation>& Drawn(AppState& st) {
  const size_t n = std::max<size_t>(1, st.lecture.steps.size());
  if (st.drawn.size() != n) st.drawn.resize(n);
  return st.drawn[static_cast<size_t>(std::clamp(st.step, 0, static_cast<int>(n) - 1))];
}

void GoToStep(AppState& st, int step) {
  if (st.lecture.steps.empty()) return;
  st.step = std::clamp(step, 0, static_cast<int>(st.lecture.steps.size()) - 1);
  const LectureStep& s = st.lecture.steps[static_cast<size_t>(st.step)];
  st.scenario = s.scenario;  // returning to a step restores its scenario, whatever was dragged
  st.board = std::max(0, BoardIndex(s.board));
  st.time_s = s.time_s;
  st.playing = s.play;
  ++st.version;
}

// A board picked (ScenarioForPickedBoard says from which scenario), from its first moment.
void StartBoard(AppState& st, int board) {
  st.scenario = ScenarioForPickedBoard(st.lecture, st.step, st.scenario, AllBoards()[static_cast<size_t>(board)].name);
  st.board = board;
  st.time_s = 0;
}

std::string SelfExe() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "blackboard" : p.string();
}

// Export through the headless CLI (same bytes as `blackboard render`), with the scenario and the
// current chalk written beside the image as a one-step lecture so the figure can be reproduced.
void Export(AppState& st, const std::string& ext) {
  const BoardInfo& board = AllBoards()[static_cast<size_t>(st.board)];
  const std::string out = board.name + (st.lecture.steps.empty() ? "" : "-step" + std::to_string(st.step + 1)) + "." + ext;
  nlohmann::json step = {{"board", board.name}, {"scenario", ToJson(st.scenario)}, {"time", st.time_s}};
  std::vector<Annotation> all;
  if (!st.lecture.steps.empty()) all = st.lecture.steps[static_cast<size_t>(st.step)].annotations;
  for (const auto& a : Drawn(st)) all.push_back(a);
  nlohmann::json anns = nlohmann::json::array();
  for (const auto& a : all) anns.push_back(AnnotationToJson(a));
  if (!anns.empty()) step["annotations"] = anns;
  const std::string beside = out + ".lecture.json";
  WriteFileAtomic(beside, nlohmann::json{{"steps", nlohmann::json::array({step})}}.dump(1) + "\n");
  char t[32];
  std::snprintf(t, sizeof t, "%.3f", st.time_s);
  const std::string png_options =
      " --scale " + std::to_string(st.export_scale) + (st.export_transparent ? " --transparent" : "");
  // A video: the board's animation (4 s if it has none) at 1920 x 1080, 30 frames per second.
  char video_options[96];
  std::snprintf(video_options, sizeof video_options, " --duration %.3f --fps 30 --scale 1.2",
                board.duration_s > 0 ? board.duration_s : 4.0);
  const bool video = ext == "mp4" || ext == "webm";
  const std::string cmd = "\"" + SelfExe() + "\" render step \"" + beside + "\" --step 1 --time " + t + " --theme " +
                          st.theme + (ext == "png" ? png_options : video ? video_options : "") + " --out \"" + out + "\"";
  const int rc = std::system(cmd.c_str());
  st.status = rc == 0 ? "exported " + out + " (and " + beside + " to reproduce it)" : "export failed: " + out;
  st.status_is_error = rc != 0;
}

void Apply(AppState& st, const Command& c) {
  try {
    switch (c.kind) {
      case Command::kSet: {
        Scenario next = st.scenario;
        ApplySet(next, c.text, "slider " + c.text);
        ValidateScenario(next, "slider " + c.text);
        st.scenario = std::move(next);
        break;
      }
      case Command::kBoard:
        if (BoardIndex(c.text) >= 0) StartBoard(st, BoardIndex(c.text));
        break;
      case Command::kTheme:
        GetTheme(c.text);
        st.theme = c.text;
        break;
      case Command::kStep:
        GoToStep(st, c.number);
        break;
      case Command::kExportPng:
        Export(st, "png");
        return;
      case Command::kExportSvg:
        Export(st, "svg");
        return;
      case Command::kExportVideo:  // text: mp4 or webm
        Export(st, c.text);
        return;
      case Command::kSaveLecture: {
        if (st.lecture.steps.empty()) throw std::runtime_error("no lecture to save annotations into");
        if (st.lecture.path.empty()) throw std::runtime_error("the lecture has no file");
        // The chalk leaves the session only once a file holds it: the lecture's own file, or when that
        // cannot be written (a read-only install), a copy in the user's data folder.
        Lecture next = st.lecture;
        for (size_t i = 0; i < next.steps.size() && i < st.drawn.size(); ++i) {
          auto& anns = next.steps[i].annotations;
          anns.insert(anns.end(), st.drawn[i].begin(), st.drawn[i].end());
        }
        std::string status = "annotations saved into " + next.path;
        try {
          SaveLectureFile(next, next.path);
        } catch (const std::exception& e) {
          const std::string instead = FallbackLecturePath(next.path);
          SaveLectureFile(next, instead);  // if this fails too, the chalk stays in the session
          status = std::string(e.what()) + "; saved instead to " + instead;
          next = LoadLectureFile(instead, BoardNames());  // its scenario files, as named from there
          next.path = instead;
        }
        st.lecture = std::move(next);
        for (auto& drawn : st.drawn) drawn.clear();
        st.status = status;
        st.status_is_error = false;
        ++st.version;
        return;
      }
      case Command::kUndo:
        if (!Drawn(st).empty()) Drawn(st).pop_back();
        break;
      case Command::kClear:
        Drawn(st).clear();
        break;
      case Command::kOpen: {
        // A lecture or a scenario dropped on the window. Everything is loaded first; only a file that
        // loads completely replaces the current state, otherwise the status bar says why.
        const nlohmann::json doc = ReadJsonFile(c.text);
        if (IsLectureJson(doc)) {
          Lecture lec = LoadLectureFile(c.text, BoardNames());
          st.lecture = std::move(lec);
          st.drawn.clear();
          GoToStep(st, 0);
        } else {
          Scenario next = LoadScenarioFile(c.text);
          st.scenario = std::move(next);
          st.scenario_path = c.text;
        }
        ++st.version;
        st.status = "opened " + c.text;
        st.status_is_error = false;
        return;
      }
    }
    ++st.version;
    st.status.clear();
    st.status_is_error = false;
  } catch (const std::exception& e) {
    st.status = e.what();  // the last good state stays
    st.status_is_error = true;
  }
}

nlohmann::json FieldJson(const Scenario& s, const std::string& field) {
  const nlohmann::json j = ToJson(s);
  const auto dot = field.find('.');
  if (dot == std::string::npos) return j[field]["name"];
  return j[field.substr(0, dot)][field.substr(dot + 1)];
}

// ---------------------------------------------------------------- canvas

// What a board's scene is built from, apart from the scenario (whose changes bump `version`).
struct SceneKey {
  unsigned version = 0;
  int board = -1;
  double time_s = -1;
  double morph = 1;
  std::string theme;
  float width = 0, height = 0;  // the canvas the board is laid out for
  bool operator==(const SceneKey&) const = default;
};

// The numbers panel's rows: the serving report, or the training report for a board about training
// (cached: the training report simulates the pipeline schedule).
struct NumberRows {
  SceneKey key;
  std::vector<std::pair<std::string, std::string>> rows;
};

struct SceneCache {
  SceneKey key;
  float w = 0, h = 0;
  Scene scene;
};

// The board's scene as shown, and the build under way in the background (SceneWorker).
struct BoardSceneCache {
  SceneKey key;          // what `scene` was built from
  uint64_t seq = 0;      // bumped each time `scene` is replaced: the canvas cache keys on it
  Scene scene;
  // Background builds asked for and not yet shown, oldest first: any that finishes after the shown
  // scene is shown (a hand that keeps moving would otherwise outrun every build).
  std::deque<std::pair<uint64_t, SceneKey>> requests;
  double last_submit_s = -1e9;  // when the last background build was asked for (GUI clock)
  bool behind = false;          // `scene` is older than the scenario (a background build is due or running)
};

// A board whose build took longer than this is built in the background while a slider drags.
constexpr double kBackgroundBuildMs = 4;
// At most this many background builds a second: each new build of such a board redraws most of it,
// and the window keeps its frame rate only if most frames show the same build (the board follows
// the hand at 20 Hz; the hand's final value is built when it lets go).
constexpr double kBackgroundBuildsPerS = 20;

struct Laser {
  Vec2 p;
  double t;
};

struct Gui {
  AppState st;
  std::deque<Command> queue;
  FontSet fonts;
  BoardBackground background;
  ChalkInk chalk;
  BoardSceneCache board_cache;
  SceneCache strip_cache;
  NumberRows number_rows;
  SceneWorker worker;
  std::vector<double> build_ms;  // per board: its last build's time
  uint64_t next_seq = 0;
  int behind_frames = 0;  // measured frames (--frames) that showed an older build than the scenario's
  int background_builds = 0;  // background builds shown
  Scene previous;          // the scene we are transitioning away from
  double transition_t0 = -1;
  int transition_dir = 1;
  std::optional<Scenario> morph_from;  // the scenario a morphing board is moving away from
  double morph_t0 = -1;
  std::string drag_id;
  double drag_start_value = 0;
  float drag_start_x = 0;
  bool drawing = false;
  Annotation stroke;       // the stroke being drawn
  std::deque<Laser> laser;
  // The board as last drawn, kept in a texture: while the scene does not change (no drag, no
  // animation) a redraw of the board (all of it when full redraws, or the part under a tooltip or
  // the laser) is one blit instead of the shader passes and every shape (software GL is fill-rate
  // bound).
  struct CanvasCache {
    unsigned fbo = 0, tex = 0;
    int w = 0, h = 0;
    int x = 0, y = 0;       // framebuffer region it was copied from
    uint64_t pending = 0;   // key of the board drawn this frame, for StoreCanvasCallback to store
    uint64_t stored = 0;    // key of the board the texture holds; 0 = none
    ImVec4 whole;           // clip rectangle of the whole board when the store was queued
  } canvas;
  GLFWwindow* window = nullptr;
  double now = 0;
  bool dragging = false;  // a slider or canvas handle is moving: the board changes every frame
  DamageTracker damage;
  bool damage_tracking = false;  // the back buffer survives a swap: redraw only what changed
  bool fullscreen = false;
  int windowed[4] = {100, 100, 1600, 960};
  // After the framebuffer changes size (full screen on or off, a resize) the GL drawable can lag a
  // frame or two behind the window (Mesa under X: the first frames draw into the old, smaller
  // buffer). Until it settles every frame redraws everything and nothing is kept in the canvas
  // cache (a copy then would keep the old size's black margins: the lecturer's view cut off).
  int settle_frames = 0;
  int last_fb[2] = {0, 0};
  bool hide_panels = false;  // Tab or the board's corner button: the board takes the whole window
  ImVec2 canvas_size{kBoardW, kBoardH};  // the board's area in the window, what boards are laid out for
};

Gui* g_gui = nullptr;

// The window's pixels were lost (uncovered, restored): the next frame redraws everything.
void RefreshCallback(GLFWwindow*) { g_gui->damage.Invalidate(); }

// Whether redrawing only what changed is safe: a software renderer (what damage tracking is for)
// whose back buffer keeps its pixels across a swap (Mesa's software GLX copies it to the window; a
// GPU driver may flip or discard it, and there every frame redraws everything, as before). Checked
// by clearing to two shades of the panel colour a swap apart and reading the second one back.
// BLACKBOARD_FULL_REDRAW=1 turns it off.
bool BackBufferSurvivesSwap(GLFWwindow* window) {
  if (const char* off = std::getenv("BLACKBOARD_FULL_REDRAW"); off && *off && std::string(off) != "0") return false;
  const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  const std::string r = renderer ? renderer : "";
  if (r.find("llvmpipe") == std::string::npos && r.find("softpipe") == std::string::npos &&
      r.find("swrast") == std::string::npos)
    return false;
  auto back_pixel = [] {
    unsigned char px[4] = {0, 0, 0, 0};
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
    return static_cast<int>(px[0]);
  };
  bool kept = true;
  for (int shade : {30, 31, 32}) {
    glClearColor(static_cast<float>(shade) / 255, 0.1f, 0.1f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    glfwSwapBuffers(window);
    kept = kept && back_pixel() == shade;
  }
  glfwSwapBuffers(window);  // and once more without drawing
  return kept && back_pixel() == 32;
}

void DropCallback(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) g_gui->queue.push_back({Command::kOpen, paths[i], 0});
}

struct BackgroundJob {
  Color color;
  float strength;
  float chalk;
  ImVec2 origin;  // the board's top-left, its size and display pixels per board pixel
  ImVec2 size;
  float scale;
  std::vector<BackdropRect> panels;
};

// The framebuffer region (pixels from the top-left, clipped to the framebuffer) that an ImDrawList
// callback's clip rectangle covers, shared by the background, chalk and canvas-cache callbacks.
struct FbRegion {
  int x = 0, y = 0, w = 0, h = 0, fb_h = 0;
};

FbRegion CallbackRegion(const ImDrawCmd* cmd) {
  const ImDrawData* dd = ImGui::GetDrawData();
  const float sx = dd->FramebufferScale.x, sy = dd->FramebufferScale.y;
  // The pixels the renderer's scissor lets through for this clip rectangle (BackendScissor), so that
  // a callback paints exactly where the draws around it do, in full and partial redraws alike.
  const ImVec4 c = cmd->ClipRect;
  const DamageRect r = BackendScissor(*dd, c.x, c.y, c.z, c.w);
  // The framebuffer's size as the renderer sees it (asking GLFW is a round trip to the X server).
  const int fb_w = static_cast<int>(dd->DisplaySize.x * sx), fb_h = static_cast<int>(dd->DisplaySize.y * sy);
  FbRegion g;
  g.fb_h = fb_h;
  g.x = static_cast<int>(std::lround((r.x0 - dd->DisplayPos.x) * sx));
  g.y = static_cast<int>(std::lround((r.y0 - dd->DisplayPos.y) * sy));
  g.w = std::min(fb_w - g.x, static_cast<int>(std::lround((r.x1 - r.x0) * sx)));
  g.h = std::min(fb_h - g.y, static_cast<int>(std::lround((r.y1 - r.y0) * sy)));
  return g;
}

// Scissors to the callback's clip rectangle (framebuffer pixels); false when it is empty.
bool ScissorToClip(const FbRegion& g) {
  if (g.w <= 0 || g.h <= 0) return false;
  glEnable(GL_SCISSOR_TEST);
  glScissor(g.x, g.fb_h - g.y - g.h, g.w, g.h);
  return true;
}

// The board's background where the clip rectangle lets it: the board's place and scale come from
// the job, so a partial redraw (a damaged region, a board sliding in) paints the same pixels.
void DrawBackgroundCallback(const ImDrawList*, const ImDrawCmd* cmd) {
  const auto* job = static_cast<const BackgroundJob*>(cmd->UserCallbackData);
  const FbRegion g = CallbackRegion(cmd);
  if (!ScissorToClip(g)) return;
  const ImDrawData* dd = ImGui::GetDrawData();
  const float sx = dd->FramebufferScale.x;
  const float rgba[4] = {job->color.r / 255.0f, job->color.g / 255.0f, job->color.b / 255.0f, 1};
  g_gui->background.Draw((job->origin.x - dd->DisplayPos.x) * sx, (job->origin.y - dd->DisplayPos.y) * sx,
                         std::round(job->size.x * sx), std::round(job->size.y * sx), static_cast<float>(g.fb_h), rgba,
                         job->strength, job->scale * sx, job->panels);
}

// Before the board's shapes: they are drawn in chalk (chalk.frag) until the next render-state reset.
void ChalkCallback(const ImDrawList*, const ImDrawCmd* cmd) {
  const auto* job = static_cast<const BackgroundJob*>(cmd->UserCallbackData);
  g_gui->chalk.Begin(job->origin.x, job->origin.y, job->scale, job->chalk);
}

// The board window's area, black behind the canvas (a scissored clear instead of a blended fill).
void ClearToBlackCallback(const ImDrawList*, const ImDrawCmd* cmd) {
  if (!ScissorToClip(CallbackRegion(cmd))) return;
  glClearColor(0, 0, 0, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_SCISSOR_TEST);
}

// Copies the freshly drawn board region of the back buffer into the cache texture, only when the
// whole board was drawn (a partial redraw leaves the cache as it was).
void StoreCanvasCallback(const ImDrawList*, const ImDrawCmd* cmd) {
  Gui::CanvasCache& c = g_gui->canvas;
  const FbRegion g = CallbackRegion(cmd);
  const int x = g.x, y = g.y, w = g.w, h = g.h, fb_h = g.fb_h;
  if (w <= 0 || h <= 0) return;
  if (cmd->ClipRect.x != c.whole.x || cmd->ClipRect.y != c.whole.y || cmd->ClipRect.z != c.whole.z ||
      cmd->ClipRect.w != c.whole.w)
    return;
  if (!c.fbo) {
    glGenFramebuffers(1, &c.fbo);
    glGenTextures(1, &c.tex);
  }
  glBindTexture(GL_TEXTURE_2D, c.tex);
  if (w != c.w || h != c.h) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    c.w = w, c.h = h;
  }
  glCopyTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, x, fb_h - y - h, w, h);
  c.x = x, c.y = y;
  c.stored = c.pending;
}

void BlitCanvasCallback(const ImDrawList*, const ImDrawCmd* cmd) {
  Gui::CanvasCache& c = g_gui->canvas;
  const FbRegion g = CallbackRegion(cmd);
  if (!ScissorToClip(g)) return;  // the blit is scissored: a partial redraw copies only its part
  const int fb_h = g.fb_h;
  GLint draw_fb = 0;
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_fb);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, c.fbo);
  glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, c.tex, 0);
  const int gy = fb_h - c.y - c.h;
  glBlitFramebuffer(0, 0, c.w, c.h, c.x, gy, c.x + c.w, gy + c.h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(draw_fb));
}

// What a draw callback draws, for damage tracking: a hash of its inputs (DamageTracker).
uint64_t CallbackVersion(const ImDrawCmd& cmd) {
  if (cmd.UserCallback == &DrawBackgroundCallback || cmd.UserCallback == &ChalkCallback) {
    const auto& job = *static_cast<const BackgroundJob*>(cmd.UserCallbackData);
    const float f[] = {job.strength, job.chalk, job.origin.x, job.origin.y, job.size.x, job.size.y, job.scale};
    uint64_t h = HashBytes(f, sizeof f, HashBytes(&job.color, sizeof job.color, 2));
    return HashBytes(job.panels.data(), job.panels.size() * sizeof(BackdropRect), h);
  }
  if (cmd.UserCallback == &BlitCanvasCallback) return g_gui->canvas.stored;
  // The store draws nothing, but the frame that queues it must redraw the whole board (it stores
  // only a whole board): its version is the key it will store.
  if (cmd.UserCallback == &StoreCanvasCallback) return g_gui->canvas.pending;
  return 0;  // the clear behind the canvas: the same pixels for the same clip rectangle
}

// ---------------------------------------------------------------- schedule morph

// How far the running morph is (0..1); 1 when none runs (and the finished one is dropped).
double MorphProgress(Gui& gui) {
  if (!gui.morph_from) return 1;
  const double t = (gui.now - gui.morph_t0) / kMorphS;
  if (t < 1) return std::max(0.0, t);
  gui.morph_from.reset();
  return 1;
}

// After the frame's commands: a scenario change on a board that morphs (pipeline-training) moves its
// blocks from the old layout to the new one over kMorphS instead of jumping; that is how a lecture
// step from GPipe to 1F1B to zero bubble shows the bubble shrinking. Any scenario change counts
// (drop-downs, lecture steps, a click on a slider, an opened file). Changes made while a slider or a
// canvas handle is being dragged follow the pointer directly and drop a running morph: a morph per
// drag step would trail behind the pointer. A change during a morph restarts it from whichever of
// the running morph's two layouts is nearer the one on screen, so morphs never queue up.
void StartMorph(Gui& gui, const Scenario& before, int board_before, bool dragging) {
  const AppState& st = gui.st;
  if (ToJson(before) == ToJson(st.scenario)) return;  // chalk, theme or status: nothing moves
  const BoardInfo& board = AllBoards()[static_cast<size_t>(st.board)];
  if (!board.morphs || st.board != board_before || st.comparing || dragging) {
    gui.morph_from.reset();
    return;
  }
  if (!gui.morph_from || MorphProgress(gui) >= 0.5) gui.morph_from = before;
  gui.morph_t0 = gui.now;
}

// The board's scene as the scenario, the lecture step's annotations and the chalk drawn on it make
// it. Pure: it runs on the GUI thread or on the SceneWorker (with copies).
Scene BuildBoardScene(const BoardInfo& board, const Scenario& scenario, const std::string& theme_name, double time_s,
                      const Scenario* morph_from, double morph, const std::vector<Annotation>& annotations,
                      ImVec2 canvas) {
  const Theme& theme = GetTheme(theme_name);
  BoardContext ctx{scenario, theme, time_s, canvas.x, canvas.y};
  if (morph_from && morph < 1) {
    ctx.morph_from = morph_from;
    ctx.morph = morph;
  }
  return BuildAnnotatedBoard(board, ctx, annotations);  // as `render` builds it
}

// The scene to show. Built here when the scenario changed, except while a slider drags a board
// whose build takes longer than kBackgroundBuildMs: then the SceneWorker builds it and the last
// finished scene stays on screen until it is ready (the window keeps its frame rate; the board
// follows a frame or two behind the hand). When the hand lets go the final value is built here.
const Scene& BoardScene(Gui& gui) {
  AppState& st = gui.st;
  BoardSceneCache& c = gui.board_cache;
  const double morph = MorphProgress(gui);
  const SceneKey key{st.version, st.board, st.time_s, morph, st.theme, gui.canvas_size.x, gui.canvas_size.y};
  if (gui.build_ms.size() != AllBoards().size()) gui.build_ms.assign(AllBoards().size(), 0);
  if (auto done = gui.worker.TakeFinished(); done && done->seq > c.seq) {
    const auto it = std::find_if(c.requests.begin(), c.requests.end(), [&](const auto& r) { return r.first == done->seq; });
    if (it != c.requests.end()) {
      c.scene = std::move(done->scene);
      c.key = it->second;
      c.seq = done->seq;
      c.requests.erase(c.requests.begin(), it + 1);
      gui.build_ms[static_cast<size_t>(c.key.board)] = done->build_ms;
      ++gui.background_builds;
    }
  }
  c.behind = false;
  if (c.key == key) return c.scene;
  const BoardInfo& board = AllBoards()[static_cast<size_t>(st.board)];
  std::vector<Annotation> annotations;
  if (!st.lecture.steps.empty() && st.lecture.steps[static_cast<size_t>(st.step)].board == board.name)
    annotations = st.lecture.steps[static_cast<size_t>(st.step)].annotations;
  for (const Annotation& a : Drawn(st)) annotations.push_back(a);
  const bool comparing = st.comparing && st.pinned;
  if (gui.dragging && !comparing && c.key.board == st.board &&
      gui.build_ms[static_cast<size_t>(st.board)] > kBackgroundBuildMs) {
    const bool due = gui.now - c.last_submit_s >= 1.0 / kBackgroundBuildsPerS;
    if (due && (c.requests.empty() || !(c.requests.back().second == key))) {
      c.last_submit_s = gui.now;
      c.requests.emplace_back(++gui.next_seq, key);
      // A request replaced while it waited never finishes; it goes when a newer one is shown.
      if (c.requests.size() > 64) c.requests.pop_front();
      gui.worker.Submit(gui.next_seq, [&board, scenario = st.scenario, theme = st.theme, time_s = st.time_s,
                                       annotations = std::move(annotations), canvas = gui.canvas_size] {
        return BuildBoardScene(board, scenario, theme, time_s, nullptr, 1, annotations, canvas);
      });
    }
    c.behind = true;
    return c.scene;  // the last finished build, until the background one is ready
  }
  const auto t0 = std::chrono::steady_clock::now();
  if (comparing)
    c.scene = BuildComparison(board, *st.pinned, st.scenario, GetTheme(st.theme), st.time_s);
  else
    c.scene = BuildBoardScene(board, st.scenario, st.theme, st.time_s, gui.morph_from ? &*gui.morph_from : nullptr,
                              morph, annotations, gui.canvas_size);
  gui.build_ms[static_cast<size_t>(st.board)] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  c.key = key;
  c.seq = ++gui.next_seq;
  c.requests.clear();  // a background build still running is older: it will be dropped
  return c.scene;
}

// Whether the scene on screen is the scenario's (not an older one while a background build runs).
bool BoardIsCurrent(const Gui& gui) { return !gui.board_cache.behind; }

void DrawBoardAt(Gui& gui, ImDrawList* dl, const Scene& scene, ImVec2 origin, float scale, float alpha) {
  const float board_w = scene.width, board_h = scene.height;  // a comparison is two boards wide
  static BackgroundJob jobs[2];
  static int next = 0;
  BackgroundJob& job = jobs[next++ % 2];
  job.color = scene.background.WithAlpha(alpha);
  job.strength = scene.board_texture;
  job.chalk = scene.chalk;
  job.origin = origin;
  job.size = {board_w * scale, board_h * scale};
  job.scale = scale;
  job.panels = BackdropPanels(scene);
  dl->PushClipRect(origin, {origin.x + board_w * scale, origin.y + board_h * scale}, true);
  if (alpha >= 1) {
    dl->AddCallback(&DrawBackgroundCallback, &job);
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  }
  const bool chalk = alpha >= 1 && scene.chalk > 0;
  if (chalk) dl->AddCallback(&ChalkCallback, &job);
  DrawScene(dl, scene, {origin.x, origin.y}, scale, gui.fonts, /*backdrop_painted=*/alpha >= 1);
  if (chalk) dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  dl->PopClipRect();
}

void Canvas(Gui& gui, ImVec2 pos, ImVec2 size) {
  AppState& st = gui.st;
  // The board is laid out for the area it gets, at its real size (never smaller than 640 x 360: a
  // smaller area shows that board scaled down).
  gui.canvas_size = {std::max(std::floor(size.x), 640.0f), std::max(std::floor(size.y), 360.0f)};
  const Scene& scene = BoardScene(gui);
  const float board_w = scene.width, board_h = scene.height;
  const float scale = std::min(size.x / board_w, size.y / board_h);
  const ImVec2 origin{std::floor(pos.x + (size.x - board_w * scale) / 2), std::floor(pos.y + (size.y - board_h * scale) / 2)};
  ImDrawList* dl = ImGui::GetWindowDrawList();

  // Step transitions: the old board slides out while the new one slides in.
  const double tt = gui.transition_t0 < 0 ? 1 : (gui.now - gui.transition_t0) / kTransitionS;
  if (tt < 1) {
    const float e = static_cast<float>(1 - std::pow(1 - tt, 3));
    const float shift = board_w * scale * (1 - e) * static_cast<float>(gui.transition_dir);
    DrawBoardAt(gui, dl, scene, {origin.x + shift, origin.y}, scale, 1);
    DrawBoardAt(gui, dl, gui.previous, {origin.x + shift - board_w * scale * static_cast<float>(gui.transition_dir), origin.y},
                scale, 1);
  } else {
    Gui::CanvasCache& cc = gui.canvas;
    const ImVec2 end{origin.x + board_w * scale, origin.y + board_h * scale};
    const float fb_scale = ImGui::GetIO().DisplayFramebufferScale.x;
    const int laid_x = static_cast<int>(origin.x * fb_scale), laid_w = static_cast<int>((end.x - origin.x) * fb_scale);
    // The cache key: what the board shows and where it was laid out (framebuffer pixels; not the
    // copied region, which the window's clip rectangle can trim by a pixel).
    const int laid_y = static_cast<int>(origin.y * fb_scale), laid_h = static_cast<int>((end.y - origin.y) * fb_scale);
    const struct {
      uint64_t scene;
      int laid_x, laid_w, laid_y, laid_h;
    } what{gui.board_cache.seq, laid_x, laid_w, laid_y, laid_h};
    const uint64_t key = HashBytes(&what, sizeof what, 1) | 1;
    dl->PushClipRect(origin, end, true);
    if (cc.stored == key) {
      dl->AddCallback(&BlitCanvasCallback, &cc);
      dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
      dl->PopClipRect();
    } else if (gui.dragging || gui.settle_frames > 0) {
      // The next frame changes it again (or the drawable is still taking its new size): no copy
      // into the cache until the hand lets go.
      dl->PopClipRect();
      DrawBoardAt(gui, dl, scene, origin, scale, 1);
    } else {
      dl->PopClipRect();
      DrawBoardAt(gui, dl, scene, origin, scale, 1);
      dl->PushClipRect(origin, end, true);
      cc.pending = key;
      cc.whole = dl->_ClipRectStack.back();  // the store checks that it got all of the board
      dl->AddCallback(&StoreCanvasCallback, &cc);
      dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
      dl->PopClipRect();
    }
  }

  // Laser pointer: a fading trail.
  while (!gui.laser.empty() && gui.now - gui.laser.front().t > 0.8) gui.laser.pop_front();
  const Theme& th = GetTheme(st.theme);
  for (size_t i = 0; i < gui.laser.size(); ++i) {
    const float a = static_cast<float>(1 - (gui.now - gui.laser[i].t) / 0.8);
    const ImVec2 p{origin.x + gui.laser[i].p.x * scale, origin.y + gui.laser[i].p.y * scale};
    dl->AddCircleFilled(p, (4 + 6 * a) * scale * 1.5f, IM_COL32(255, 40, 40, static_cast<int>(200 * a)));
  }
  // The stroke being drawn.
  if (gui.drawing && gui.stroke.points.size() >= 2) {
    Scene live(board_w, board_h);
    AddAnnotations(live, {gui.stroke}, th);
    DrawScene(dl, live, {origin.x, origin.y}, scale, gui.fonts);
  }

  const ImVec2 m = ImGui::GetIO().MousePos;
  const Vec2 p{(m.x - origin.x) / scale, (m.y - origin.y) / scale};
  // Chalk is kept in design-canvas coordinates (as lecture files write it): AddAnnotations places it
  // in proportion to the board's canvas.
  const Vec2 chalk_p{p.x * kDesignWidth / board_w, p.y * kDesignHeight / board_h};
  ImGui::SetCursorScreenPos(origin);
  ImGui::InvisibleButton("canvas", {board_w * scale, board_h * scale},
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  const ImGuiIO& io = ImGui::GetIO();

  // Press: a drag handle if one is under the mouse, otherwise chalk (Shift: an arrow).
  if (hovered && ImGui::IsMouseClicked(0) && gui.drag_id.empty() && !gui.drawing) {
    // A "plan:" handle (plans board) loads that plan into the scenario with one click.
    for (const DragHandle& h : scene.handles)
      if (h.id.rfind("plan:", 0) == 0 && h.track.Contains(p)) {
        const std::string sets = h.id.substr(5);
        for (size_t a = 0, b; a < sets.size(); a = b + 1) {
          b = sets.find(';', a);
          if (b == std::string::npos) b = sets.size();
          gui.queue.push_back({Command::kSet, sets.substr(a, b - a), 0});
        }
        gui.drag_id = "plan";  // swallow this press: no chalk stroke
        break;
      }
    for (const DragHandle& h : scene.handles)
      if (gui.drag_id.empty() && h.id.rfind("plan:", 0) != 0 && std::hypot(h.pos.x - p.x, h.pos.y - p.y) < 16) {
        gui.drag_id = h.id;
        const auto v = FieldJson(st.scenario, h.id);
        gui.drag_start_value = v.is_number() ? v.get<double>() : 1;
        gui.drag_start_x = p.x;
      }
    if (gui.drag_id.empty()) {
      gui.drawing = true;
      gui.stroke = Annotation{};
      gui.stroke.kind = io.KeyShift ? "arrow" : "stroke";
      gui.stroke.color = io.KeyCtrl ? "ink" : "accent";
      gui.stroke.points = {{chalk_p.x, chalk_p.y}};
    }
  }
  if (gui.drawing) {
    const auto last = gui.stroke.points.back();
    if (gui.stroke.kind == "arrow") {
      gui.stroke.points.resize(1);
      gui.stroke.points.push_back({chalk_p.x, chalk_p.y});
    } else if (std::hypot(last.first - chalk_p.x, last.second - chalk_p.y) > 2.5f &&
               gui.stroke.points.size() < 100000) {
      gui.stroke.points.push_back({chalk_p.x, chalk_p.y});  // (a lecture file's limit for one stroke)
    }
    if (!ImGui::IsMouseDown(0)) {
      gui.drawing = false;
      if (gui.stroke.points.size() >= 2 && ChalkPoints(st) + gui.stroke.points.size() > kMaxChalkPoints) {
        st.status = "chalk limit reached (" + std::to_string(kMaxChalkPoints) +
                    " points in a lecture): save (Ctrl+S) or clear some before drawing more";
        st.status_is_error = true;
      } else if (gui.stroke.points.size() >= 2) {
        Drawn(st).push_back(gui.stroke);
        ++st.version;
      }
    }
  }
  if (!gui.drag_id.empty()) {
    if (!ImGui::IsMouseDown(0)) {
      gui.drag_id.clear();
    } else {
      for (const DragHandle& h : scene.handles) {
        if (h.id != gui.drag_id) continue;
        const double decades = (p.x - gui.drag_start_x) / h.track.Width() * h.decades_across_track;
        const double v = std::clamp(std::round(gui.drag_start_value * std::pow(10.0, decades)), h.value_min, h.value_max);
        char buf[128];
        std::snprintf(buf, sizeof buf, "%s=%.0f", h.id.c_str(), v);
        gui.queue.push_back({Command::kSet, buf});
      }
    }
  }
  if (hovered && ImGui::IsMouseDown(1)) gui.laser.push_back({p, gui.now});
  // Hover: the formula with the current numbers.
  if (hovered && !gui.drawing && gui.drag_id.empty() && !ImGui::IsMouseDown(1)) {
    for (const HoverRegion& h : scene.hovers) {
      if (!h.box.Contains(p)) continue;
      ImGui::BeginTooltip();
      ImGui::TextUnformatted(h.title.c_str());
      ImGui::Separator();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
      ImGui::TextUnformatted(h.formula.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
      break;
    }
  }
  // "Show the formula" overlay: every formula of the board with its numbers, in a panel.
  if (st.show_formulas && !scene.hovers.empty()) {
    ImGui::SetNextWindowPos({origin.x + 20, origin.y + board_h * scale - 20}, ImGuiCond_Always, {0, 1});
    ImGui::SetNextWindowBgAlpha(0.85f);
    ImGui::Begin("Formulas", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
    for (const HoverRegion& h : scene.hovers) {
      ImGui::TextColored({1, 0.85f, 0.3f, 1}, "%s", h.title.c_str());
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 50);
      ImGui::TextUnformatted(h.formula.c_str());
      ImGui::PopTextWrapPos();
    }
    ImGui::End();
  }
}

// ---------------------------------------------------------------- panels

void ControlWidget(Gui& gui, const Control& c) {
  const Scenario& s = gui.st.scenario;
  ImGui::PushID(c.field.c_str());
  std::vector<std::string> choices = c.choices;
  if (!c.choices_kind.empty()) choices = ListAssets(c.choices_kind);
  const nlohmann::json value = FieldJson(s, c.field);
  if (!choices.empty()) {
    const std::string current = value.is_string() ? value.get<std::string>() : value.dump();
    if (ImGui::BeginCombo(c.label.c_str(), current.c_str())) {
      for (const auto& v : choices)
        if (ImGui::Selectable(v.c_str(), v == current)) gui.queue.push_back({Command::kSet, c.field + "=" + v});
      ImGui::EndCombo();
    }
  } else {
    double v = value.is_number() ? value.get<double>() : 0;
    const double lo = c.min, hi = c.max;
    const ImGuiSliderFlags flags = (c.log ? ImGuiSliderFlags_Logarithmic : 0) | ImGuiSliderFlags_AlwaysClamp;
    bool changed;
    if (c.integer) {
      int iv = static_cast<int>(v);
      changed = ImGui::SliderInt(c.label.c_str(), &iv, static_cast<int>(lo), static_cast<int>(hi), "%d", flags);
      v = iv;
    } else {
      changed = ImGui::SliderScalar(c.label.c_str(), ImGuiDataType_Double, &v, &lo, &hi, "%.3g", flags);
    }
    if (changed) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "%s=%.17g", c.field.c_str(), v);
      gui.queue.push_back({Command::kSet, buf});
    }
  }
  ImGui::PopID();
}

void BoardControls(Gui& gui) {
  AppState& st = gui.st;
  const BoardInfo& board = AllBoards()[static_cast<size_t>(st.board)];
  ImGui::TextDisabled("CONTROLS");
  ImGui::PushItemWidth(-ImGui::GetFontSize() * 9);
  for (const Control& c : board.controls) ControlWidget(gui, c);
  ImGui::PopItemWidth();
  if (board.duration_s > 0) {
    if (ImGui::Button(st.playing ? "Pause" : "Play")) st.playing = !st.playing;
    ImGui::SameLine();
    float t = static_cast<float>(st.time_s);
    ImGui::PushItemWidth(-ImGui::GetFontSize() * 3);
    if (ImGui::SliderFloat("time", &t, 0, static_cast<float>(board.duration_s), "%.2f s")) st.time_s = t, st.playing = false;
    ImGui::SliderFloat("speed", &st.speed, 0.1f, 4.0f, "%.1fx");
    ImGui::PopItemWidth();
  }
}

void ControlsPanel(Gui& gui) {
  AppState& st = gui.st;
  if (!st.lecture.steps.empty()) {
    ImGui::TextDisabled("LECTURE  (Right/Left, 1-9; F5 present)");
    ImGui::BeginChild("steps", {0, ImGui::GetTextLineHeightWithSpacing() * 8}, true);
    for (size_t i = 0; i < st.lecture.steps.size(); ++i) {
      const auto& s = st.lecture.steps[i];
      // The step's number (keys 1-9), then its title; a title's own chapter number ("4. ZeRO-3 ...")
      // goes after it, so the list is not numbered twice.
      std::string title = s.title.empty() ? s.board : s.title, chapter;
      if (const size_t dot = title.find(". "); dot > 0 && dot <= 3 && dot != std::string::npos &&
                                                title.find_first_not_of("0123456789") == dot) {
        chapter = "  (part " + title.substr(0, dot) + ")";
        title = title.substr(dot + 2);
      }
      const std::string label = std::to_string(i + 1) + "  " + title + chapter;
      if (ImGui::Selectable(label.c_str(), st.step == static_cast<int>(i)))
        gui.queue.push_back({Command::kStep, "", static_cast<int>(i)});
    }
    ImGui::EndChild();
  }
  ImGui::TextDisabled("BOARDS");
  for (size_t i = 0; i < AllBoards().size(); ++i)
    if (ImGui::Selectable(AllBoards()[i].title.c_str(), st.board == static_cast<int>(i)))
      gui.queue.push_back({Command::kBoard, AllBoards()[i].name});
  ImGui::Separator();
  BoardControls(gui);
  ImGui::Separator();
  ImGui::TextDisabled("THEME");
  for (const auto& t : ThemeNames()) {
    if (ImGui::RadioButton(t.c_str(), st.theme == t)) gui.queue.push_back({Command::kTheme, t});
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::Separator();
  ImGui::TextDisabled("CHALK: drag to draw, Shift arrow, right-drag laser");
  if (ImGui::Button("Undo")) gui.queue.push_back({Command::kUndo, "", 0});
  ImGui::SameLine();
  if (ImGui::Button("Clear")) gui.queue.push_back({Command::kClear, "", 0});
  ImGui::SameLine();
  if (ImGui::Button("Save to lecture")) gui.queue.push_back({Command::kSaveLecture, "", 0});
  ImGui::Checkbox("show formulas (F)", &st.show_formulas);
  ImGui::Separator();
  ImGui::TextDisabled("A/B COMPARE");
  if (ImGui::Button("Pin as A")) {
    st.pinned = st.scenario;
    st.status = "pinned A; change sliders, then tick compare";
    ++st.version;
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!st.pinned);
  if (ImGui::Checkbox("compare A | B", &st.comparing)) ++st.version;
  ImGui::EndDisabled();
  ImGui::Separator();
  ImGui::TextDisabled("EXPORT (canvas only, with chalk)");
  ImGui::RadioButton("1x", &st.export_scale, 1);
  ImGui::SameLine();
  ImGui::RadioButton("2x", &st.export_scale, 2);
  ImGui::SameLine();
  ImGui::RadioButton("4x", &st.export_scale, 4);
  ImGui::SameLine();
  ImGui::Checkbox("transparent", &st.export_transparent);
  if (ImGui::Button("PNG (Ctrl+E)")) gui.queue.push_back({Command::kExportPng, "", 0});
  ImGui::SameLine();
  if (ImGui::Button("SVG (Ctrl+Shift+E)")) gui.queue.push_back({Command::kExportSvg, "", 0});
  if (ImGui::Button("MP4")) gui.queue.push_back({Command::kExportVideo, "mp4", 0});
  ImGui::SameLine();
  if (ImGui::Button("WebM")) gui.queue.push_back({Command::kExportVideo, "webm", 0});
  ImGui::SameLine();
  ImGui::TextDisabled("the animation at 1080p");
}

std::vector<std::pair<std::string, std::string>> ServingRows(const Scenario& s) {
  const ServingReport r = EvaluateServing(s);
  char batch[32], crit[32];
  std::snprintf(crit, sizeof crit, "%.0f", r.critical_batch);
  std::snprintf(batch, sizeof batch, "%.0f", r.max_batch);
  return {{"decode step", FormatSeconds(r.decode.step_s) + " (" + BoundName(r.decode.bound) + ")"},
          {"  compute", FormatSeconds(r.decode.compute_s)},
          {"  memory", FormatSeconds(r.decode.memory_s)},
          {"  network", FormatSeconds(r.decode.network_s)},
          {"prefill", FormatSeconds(r.prefill_s)},
          {"tokens/s", FormatCount(r.tokens_per_s)},
          {"tokens/s/chip", FormatCount(r.tokens_per_s_per_chip)},
          {"latency floor", FormatSeconds(r.latency_floor_s)},
          {"critical batch", crit},
          {"max batch", batch},
          {"memory/chip", FormatBytes(r.memory.total) + " / " + FormatBytes(r.memory.capacity)},
          {"$/M out", FormatUsd(r.usd_per_mtok_output)},
          {"$/M in", FormatUsd(r.usd_per_mtok_input)}};
}

std::vector<std::pair<std::string, std::string>> TrainingRows(const Scenario& s) {
  try {
    const TrainingReport r = EvaluateTraining(s);
    char pct[64], days[48];
    std::snprintf(pct, sizeof pct, "%.1f %% (bubble %.1f %%)", 100 * r.mfu, 100 * r.bubble_fraction);
    if (r.days >= 365)
      std::snprintf(days, sizeof days, "%.0f days (%.1f years)", r.days, r.days / 365.25);
    else
      std::snprintf(days, sizeof days, "%.1f days", r.days);
    return {{"training step", FormatSeconds(r.step_s) + " (" + r.bound + ")"},
            {"plan", "dp " + std::to_string(r.dp) + " tp " + std::to_string(r.tp) + " pp " + std::to_string(r.pp) +
                         " " + r.schedule},
            {"MFU", pct},
            {"tokens/s", FormatCount(r.tokens_per_s)},
            {"exposed comm", FormatSeconds(r.exposed_comm_s)},
            {"memory/chip", FormatBytes(r.memory.total_bytes) + " / " + FormatBytes(r.memory.capacity_bytes) +
                                (r.fits ? "" : " (does not fit)")},
            {"the run", FormatCount(static_cast<double>(s.training.tokens)) + " tokens"},
            {"  time", days},
            {"  cost", FormatUsd(r.usd)}};
  } catch (const std::exception& e) {
    return {{"training", e.what()}};
  }
}

void NumbersPanel(Gui& gui, float strip_h) {
  const Scenario& s = gui.st.scenario;
  const BoardInfo& shown = AllBoards()[static_cast<size_t>(gui.st.board)];
  NumberRows& cache = gui.number_rows;
  const SceneKey rows_key{gui.st.version, shown.training ? 1 : 0, 0, 1, ""};
  if (!(cache.key == rows_key)) cache = {rows_key, shown.training ? TrainingRows(s) : ServingRows(s)};
  ImGui::TextDisabled(shown.training ? "NUMBERS: training, the scenario as set" : "NUMBERS: serving");
  if (ImGui::BeginTable("numbers", 2, ImGuiTableFlags_SizingStretchProp)) {
    for (const auto& [k, v] : cache.rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(k.c_str());
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", v.c_str());
    }
    ImGui::EndTable();
  }
  ImGui::Separator();
  const BoardInfo& board = AllBoards()[static_cast<size_t>(gui.st.board)];
  const Control* sweep = nullptr;
  for (const Control& c : board.controls)
    if (c.field == board.sweep_field) sweep = &c;
  if (!sweep) sweep = DraggedControl(board);
  if (!sweep) {
    static const Control batch{"serving.batch", "batch", 1, 16384, true, true, {}, {}};
    sweep = &batch;
  }
  ImGui::TextDisabled("LIVE: against %s", sweep->label.c_str());
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  SceneCache& c = gui.strip_cache;
  const SceneKey key{gui.st.version, gui.st.board, 0, 1, gui.st.theme};
  if (!(c.key == key) || c.w != w || c.h != strip_h) {
    c.scene = BuildLiveStrip(s, *sweep, GetTheme(gui.st.theme), w, strip_h, board.training);
    c.key = key, c.w = w, c.h = strip_h;
  }
  DrawScene(ImGui::GetWindowDrawList(), c.scene, {pos.x, pos.y}, 1.0f, gui.fonts);
  ImGui::Dummy({w, strip_h});
}

// ---------------------------------------------------------------- keyboard

void ToggleFullscreen(Gui& gui, bool on) {
  if (on == gui.fullscreen) return;
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  if (on && monitor) {
    glfwGetWindowPos(gui.window, &gui.windowed[0], &gui.windowed[1]);
    glfwGetWindowSize(gui.window, &gui.windowed[2], &gui.windowed[3]);
    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
    glfwSetWindowMonitor(gui.window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
  } else if (!on) {
    glfwSetWindowMonitor(gui.window, nullptr, gui.windowed[0], gui.windowed[1], gui.windowed[2], gui.windowed[3], 0);
  }
  gui.fullscreen = on;
}

void Keyboard(Gui& gui) {
  AppState& st = gui.st;
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  auto step_to = [&](int s, int dir) {
    if (st.lecture.steps.empty()) {
      const int n = static_cast<int>(AllBoards().size());
      gui.queue.push_back({Command::kBoard, AllBoards()[static_cast<size_t>(((st.board + dir) % n + n) % n)].name});
    } else {
      if (s < 0 || s >= static_cast<int>(st.lecture.steps.size()) || s == st.step) return;
      gui.queue.push_back({Command::kStep, "", s});
      // A step that keeps a board that morphs morphs (StartMorph) instead of sliding the board out.
      const BoardInfo& board = AllBoards()[static_cast<size_t>(st.board)];
      if (board.morphs && st.lecture.steps[static_cast<size_t>(s)].board == board.name) return;
    }
    gui.previous = BoardScene(gui);
    gui.transition_t0 = gui.now;
    gui.transition_dir = dir;
  };
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT) || ImGui::IsKeyPressed(GLFW_KEY_PAGE_DOWN)) step_to(st.step + 1, 1);
  if (ImGui::IsKeyPressed(GLFW_KEY_LEFT) || ImGui::IsKeyPressed(GLFW_KEY_PAGE_UP)) step_to(st.step - 1, -1);
  for (int k = 0; k < 9; ++k)
    if (ImGui::IsKeyPressed(GLFW_KEY_1 + k) && !io.KeyCtrl) step_to(k, k >= st.step ? 1 : -1);
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE)) st.playing = !st.playing;
  if (ImGui::IsKeyPressed(GLFW_KEY_F5) || ImGui::IsKeyPressed(GLFW_KEY_F11)) {
    st.presenting = !st.presenting;
    ToggleFullscreen(gui, st.presenting);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE) && st.presenting) {
    st.presenting = false;
    ToggleFullscreen(gui, false);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_TAB) && !io.KeyCtrl) gui.hide_panels = !gui.hide_panels;
  if (ImGui::IsKeyPressed(GLFW_KEY_C) && !io.KeyCtrl) st.show_controls = !st.show_controls;
  if (ImGui::IsKeyPressed(GLFW_KEY_F) && !io.KeyCtrl) st.show_formulas = !st.show_formulas;
  if (ImGui::IsKeyPressed(GLFW_KEY_R) && !io.KeyCtrl) gui.queue.push_back({Command::kStep, "", st.step});
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Z)) gui.queue.push_back({Command::kUndo, "", 0});
  if (ImGui::IsKeyPressed(GLFW_KEY_DELETE) || ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE)) gui.queue.push_back({Command::kClear, "", 0});
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S)) gui.queue.push_back({Command::kSaveLecture, "", 0});
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_E))
    gui.queue.push_back({io.KeyShift ? Command::kExportSvg : Command::kExportPng, "", 0});
}

// Draws one panel; an exception on the way (a figure that cannot be computed, a file gone) goes to
// the status line and the panel's ImGui state is closed back to its window, instead of ending the app.
template <class DrawPanel>
void Guarded(AppState& st, DrawPanel&& draw) {
  try {
    draw();
  } catch (const std::exception& e) {
    ImGui::ErrorCheckEndWindowRecover(nullptr);
    st.status = e.what();
    st.status_is_error = true;
  }
}

// ---------------------------------------------------------------- start-up

Session ToSession(const AppState& st) {
  Session s;
  s.scenario = st.scenario;
  s.board = AllBoards()[static_cast<size_t>(st.board)].name;
  s.theme = st.theme;
  s.lecture_path = st.lecture.path;
  s.step = st.step;
  s.drawn = st.drawn;
  return s;
}

int ParseInt(const std::string& v) { return std::atoi(v.c_str()); }

constexpr int kWarmupFrames = 5;  // font atlas, shaders, first scene: not part of the frame figures
constexpr int kMaxGuiFrames = 1000000;  // --frames: a measured run, not a way to run for ever

// One notch of a simulated slider drag (--drag): the board's main slider moves one step of
// DragSweepValue per frame, as a hand on the slider would.
void QueueDragStep(Gui& gui, int frame) {
  const BoardInfo& board = AllBoards()[static_cast<size_t>(gui.st.board)];
  if (const std::optional<DragStep> step = DragSweepValue(board, frame)) gui.queue.push_back({Command::kSet, step->Set(), 0});
}

// The measured run's frame times (wall clock from one frame's start to its swap, or to the end of
// its drawing when nothing changed; no vsync under Xvfb), as --bench-frames prints them. `dragged`:
// the field --drag moved ("" when none); `partial`: whether frames redrew only what changed.
// `behind`: frames that showed an older build of the board while a background build ran; `builds`:
// background builds shown.
void PrintFrameTimes(std::vector<double> ms, int fb_w, int fb_h, const std::string& dragged, bool partial,
                     int behind, int builds) {
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  double mean = 0;
  for (double v : ms) mean += v;
  mean /= static_cast<double>(ms.size());
  const size_t k = std::min(ms.size() - 1, static_cast<size_t>(std::ceil(0.99 * static_cast<double>(ms.size()))) - 1);
  const std::string what = dragged.empty() ? "" : " while dragging " + dragged;
  std::printf("frames: %zu at %dx%d%s, mean %.2f ms  p99 %.2f ms (%s redraws)\n", ms.size(), fb_w, fb_h, what.c_str(),
              mean, ms[k], partial ? "partial" : "full");
  if (behind > 0)
    std::printf("board: built in the background (%d builds shown); %d of %zu frames showed an older build than the "
                "slider's value\n", builds, behind, ms.size());
}

}  // namespace

Scenario ScenarioForPickedBoard(const Lecture& lecture, int step, const Scenario& current, const std::string& board) {
  if (lecture.steps.empty()) return current;
  const LectureStep& at = lecture.steps[static_cast<size_t>(std::clamp(step, 0, static_cast<int>(lecture.steps.size()) - 1))];
  const nlohmann::json now = ToJson(current);
  const Scenario fresh = DefaultScenario();
  if (now != ToJson(at.scenario) && now != ToJson(fresh)) return current;  // changed by hand
  return board == at.board ? at.scenario : fresh;
}

int RunGui(const std::vector<std::string>& args) {
  Gui gui;
  g_gui = &gui;
  AppState& st = gui.st;
  int max_frames = 0;
  std::string screenshot, file, board_name, theme;
  bool restore = true, drag = false, present = false, restore_in_measured_run = false;
  bool chalk_save_test = false;  // --test-chalk-save: see below
  int present_at = -1;  // --present-at N: F5 at frame N, as a lecturer would press it (smoke tests)
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "--frames" || args[i] == "--screenshot" || args[i] == "--board" || args[i] == "--theme" ||
         args[i] == "--open") &&
        i + 1 >= args.size()) {
      std::cerr << "blackboard: " << args[i] << " needs a value\n";
      return 2;
    }
    if (args[i] == "--frames") {
      const std::string& v = args[++i];
      max_frames = v.find_first_not_of("0123456789") == std::string::npos && v.size() <= 7 ? ParseInt(v) : 0;
      if (max_frames < 1 || max_frames > kMaxGuiFrames) {
        std::cerr << "blackboard: --frames = " << Abbreviate(v) << " must be a whole number from 1 to "
                  << kMaxGuiFrames << "\n";
        return 2;
      }
    } else if (args[i] == "--restore") restore_in_measured_run = true;  // tests: a --frames run with the session
    // Tests: the Ctrl+S path without a keyboard: draw one chalk stroke on the step, then press Ctrl+S.
    else if (args[i] == "--test-chalk-save") chalk_save_test = true;
    else if (args[i] == "--drag") drag = true;
    else if (args[i] == "--screenshot" && i + 1 < args.size()) screenshot = args[++i];
    else if (args[i] == "--board" && i + 1 < args.size()) board_name = args[++i];
    else if (args[i] == "--theme" && i + 1 < args.size()) theme = args[++i];
    else if (args[i] == "--fresh") restore = false;
    else if (args[i] == "--present") present = true;
    else if (args[i] == "--present-at" && i + 1 < args.size()) present_at = ParseInt(args[++i]);
    else if (args[i] == "--open" && i + 1 < args.size()) gui.queue.push_back({Command::kOpen, args[++i], 0});
    else if (args[i].rfind("--", 0) == 0) {
      std::cerr << "blackboard: unknown option " << args[i] << "; see blackboard --help\n";
      return 2;
    } else file = args[i];
  }
  // Smoke runs never touch the user's session (unless a test asks for it).
  if (max_frames > 0 && !restore_in_measured_run) restore = false;
  if (!screenshot.empty()) {
    if (const std::string why = OutputPathProblem(screenshot); !why.empty()) {
      std::cerr << "blackboard: --screenshot = " << screenshot << ": " << why << "\n";
      return 2;
    }
  }
  if (drag && max_frames <= 0) {
    std::cerr << "blackboard: --drag needs --frames N (it measures N frames of a slider drag)\n";
    return 2;
  }
  try {
    std::string lecture_path = file;
    bool is_lecture = file.empty();
    if (!file.empty()) is_lecture = IsLectureJson(ReadJsonFile(file));
    // A session from a crash or kill comes back where it was (same lecture or scenario).
    std::string why;
    std::optional<Session> saved = restore ? LoadSession(SessionPath(), &why, ThemeNames()) : std::nullopt;
    if (file.empty()) {
      lecture_path = AssetDir() + "/lectures/default.json";
      // Without a file, the session's lecture (e.g. one saved to the data folder because its own file
      // was read-only) comes back, when it is still there.
      std::error_code ec;
      if (saved && !saved->lecture_path.empty() && std::filesystem::is_regular_file(saved->lecture_path, ec))
        lecture_path = saved->lecture_path;
    }
    if (is_lecture) {
      const std::string default_lecture = AssetDir() + "/lectures/default.json";
      try {
        st.lecture = LoadLectureFile(lecture_path, BoardNames());
      } catch (const std::exception& e) {
        if (!file.empty() || lecture_path == default_lecture) throw;  // the user's own file: exit 2
        // The session's lecture no longer loads: start on the default one, saying why.
        why = std::string("the last session's lecture did not open: ") + e.what();
        saved.reset();
        st.lecture = LoadLectureFile(default_lecture, BoardNames());
      }
      GoToStep(st, 0);
    } else {
      st.scenario = LoadScenarioFile(file);
      st.scenario_path = file;
    }
    if (saved && saved->lecture_path == st.lecture.path && (is_lecture || file.empty())) {
      st.scenario = saved->scenario;
      if (BoardIndex(saved->board) >= 0) st.board = BoardIndex(saved->board);
      st.theme = saved->theme;
      st.step = std::clamp(saved->step, 0, std::max(0, static_cast<int>(st.lecture.steps.size()) - 1));
      st.drawn = saved->drawn;
      st.status = "restored the last session (--fresh to start over)";
    } else if (!why.empty()) {
      st.status = why;
      st.status_is_error = true;
    }
    if (!theme.empty()) st.theme = theme;
    try {
      GetTheme(st.theme);
    } catch (const std::exception& e) {
      if (!theme.empty()) throw;  // --theme given: the user's mistake, exit 2
      st.theme = "blackboard";    // a theme file gone since the session was saved: start anyway
      st.status = e.what();
      st.status_is_error = true;
    }
    if (!board_name.empty()) {
      if (BoardIndex(board_name) < 0) throw std::invalid_argument("--board " + board_name + " is not a board");
      StartBoard(st, BoardIndex(board_name));
    }
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "blackboard: " << e.what() << "\n";
    return 2;
  }

  if (!glfwInit()) {
    std::cerr << "blackboard: cannot open a window (no display?). Headless use: blackboard render / eval.\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  // The window opens on the monitor's work area (a 1366 x 768 laptop gets a window that fits it).
  int area[4] = {100, 100, 1600, 960};
  if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) glfwGetMonitorWorkarea(monitor, &area[0], &area[1], &area[2], &area[3]);
  area[2] = std::max(area[2], 640), area[3] = std::max(area[3], 400);
  glfwWindowHint(GLFW_MAXIMIZED, GLFW_TRUE);
  gui.window = glfwCreateWindow(area[2], area[3], "Blackboard", nullptr, nullptr);
  std::copy_n(area, 4, gui.windowed);
  if (!gui.window) {
    std::cerr << "blackboard: cannot create an OpenGL 3.3 window\n";
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(gui.window);
  glfwSwapInterval(1);
  if (!LoadGl(reinterpret_cast<GlProcLoader>(glfwGetProcAddress))) {
    std::cerr << "blackboard: OpenGL 3.3 core is not available\n";
    return 1;
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is fixed; settings live in the XDG config folder
  ImGui::StyleColorsDark();
  float xscale = 1, yscale = 1;
  glfwGetWindowContentScale(gui.window, &xscale, &yscale);
  const float ui_scale = std::max(1.0f, xscale);  // HiDPI: one scale for sizes and fonts
  ImGui_ImplGlfw_InitForOpenGL(gui.window, true);
  glfwSetDropCallback(gui.window, &DropCallback);  // drop a scenario or lecture file to open it
  ImGui_ImplOpenGL3_Init("#version 330");
  gui.fonts.Build(io.Fonts, {13, 15, 17, 20, 24, 28, 34, 40, 48, 58});
  io.FontDefault = gui.fonts.Get(FontFace::kUi, 17 * ui_scale);
  ImGui::GetStyle().ScaleAllSizes(ui_scale);
  gui.background.Init();
  gui.chalk.Init();
  gui.damage_tracking = BackBufferSurvivesSwap(gui.window);
  glfwSetWindowRefreshCallback(gui.window, &RefreshCallback);
  if (present) {  // the lecturer's view from the start: full screen, panels hidden
    st.presenting = true;
    ToggleFullscreen(gui, true);
  }

  double last = glfwGetTime(), last_save = last;
  unsigned saved_version = 0;
  int frame = 0;
  std::vector<double> frame_ms;  // measured runs (--frames): each frame's wall time, warm-up excluded
  while (!glfwWindowShouldClose(gui.window)) {
    const double frame_start = glfwGetTime();
    glfwPollEvents();
    {
      int w = 0, h = 0;
      glfwGetFramebufferSize(gui.window, &w, &h);
      if (w != gui.last_fb[0] || h != gui.last_fb[1]) {
        gui.last_fb[0] = w, gui.last_fb[1] = h;
        gui.settle_frames = 4;
        gui.canvas.stored = 0;
      }
      if (gui.settle_frames > 0) {
        --gui.settle_frames;
        gui.damage.Invalidate();
      }
    }
    // --drag: move the board's main slider one notch per frame, back and forth across its range, as a
    // hand on the slider would: the scenario changes every frame. The hand lets go three frames before
    // the end (the board shows the slider's final value, however far behind a background build was,
    // and windows that size themselves to it, such as a hover tooltip, settle).
    const bool hand_on_slider = drag && frame + 3 < max_frames;
    if (frame == present_at && !st.presenting) {
      st.presenting = true;
      ToggleFullscreen(gui, true);
    }
    if (hand_on_slider) QueueDragStep(gui, frame);
    std::optional<Scenario> before;  // what the board showed, when commands may change it
    const int board_before = st.board;
    // Last frame's widget state: a slider held and moved, or a canvas handle in hand.
    const bool dragging =
        hand_on_slider || (ImGui::IsAnyItemActive() && ImGui::IsMouseDragging(0)) || !gui.drag_id.empty();
    if (chalk_save_test && frame == 2 && !st.lecture.steps.empty()) {
      Annotation stroke;
      stroke.kind = "stroke";
      stroke.points = {{400, 300}, {600, 360}, {800, 300}};
      Drawn(st).push_back(stroke);
      ++st.version;
      gui.queue.push_back({Command::kSaveLecture, "", 0});
    }
    if (!gui.queue.empty()) before = st.scenario;
    while (!gui.queue.empty()) {  // commands from the previous frame, applied between frames
      Apply(st, gui.queue.front());
      gui.queue.pop_front();
    }
    gui.now = glfwGetTime();
    if (before) StartMorph(gui, *before, board_before, dragging);
    gui.dragging = dragging;
    const BoardInfo& board = AllBoards()[static_cast<size_t>(st.board)];
    if (board.duration_s > 0 && st.playing)
      st.time_s = std::fmod(st.time_s + (gui.now - last) * st.speed, board.duration_s);
    last = gui.now;
    // Autosave at most once a second, only when something changed, atomically.
    if (restore && st.version != saved_version && gui.now - last_save > 1.0) {
      try {
        SaveSession(ToSession(st), SessionPath());
      } catch (const std::exception& e) {
        st.status = std::string("autosave failed: ") + e.what();
        st.status_is_error = true;
      }
      saved_version = st.version;
      last_save = gui.now;
    }

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    Keyboard(gui);
    const ImVec2 ds = io.DisplaySize;
    const float fs = ImGui::GetFontSize();
    // The docked windows draw no background: the frame is cleared to the panels' colour and the
    // board window's area to black (clears are nearly free; a software rasteriser pays ~6 ns per
    // pixel for every window background it blends, ~8 ms a frame for these four).
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground;
    const bool panels = !st.presenting && !gui.hide_panels;
    const float left_w = panels ? fs * 22 : 0, right_w = panels ? fs * 21 : 0, status_h = panels ? fs * 1.8f : 0;
    if (panels) {
      ImGui::SetNextWindowPos({0, 0});
      ImGui::SetNextWindowSize({left_w, ds.y - status_h});
      ImGui::Begin("Blackboard", nullptr, fixed);
      Guarded(st, [&] { ControlsPanel(gui); });
      ImGui::End();
    }
    ImGui::SetNextWindowPos({left_w, 0});
    ImGui::SetNextWindowSize({ds.x - left_w - right_w, ds.y - status_h});
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::Begin("Board", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::GetWindowDrawList()->AddCallback(&ClearToBlackCallback, nullptr);
    ImGui::GetWindowDrawList()->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
    Guarded(st, [&] { Canvas(gui, ImGui::GetWindowPos(), ImGui::GetWindowSize()); });
    ImGui::End();
    ImGui::PopStyleVar();
    if (!st.presenting) {  // the panels' switch, over the board's top-right corner (Tab does the same)
      ImGui::SetNextWindowPos({ds.x - right_w - fs * 0.4f, fs * 0.4f}, ImGuiCond_Always, {1, 0});
      ImGui::Begin("##panels", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                            ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
      if (ImGui::SmallButton(gui.hide_panels ? "Show panels (Tab)" : "Hide panels (Tab)")) gui.hide_panels = !gui.hide_panels;
      ImGui::End();
    }
    if (st.presenting && st.show_controls) {  // the step's sliders stay live while presenting
      ImGui::SetNextWindowPos({ds.x - fs * 24, fs}, ImGuiCond_Always);
      ImGui::SetNextWindowSize({fs * 23, 0});
      ImGui::SetNextWindowBgAlpha(0.88f);
      ImGui::Begin("Controls (C to hide)", nullptr, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
      Guarded(st, [&] { BoardControls(gui); });
      ImGui::End();
    }
    if (panels) {
      ImGui::SetNextWindowPos({ds.x - right_w, 0});
      ImGui::SetNextWindowSize({right_w, ds.y - status_h});
      ImGui::Begin("Numbers", nullptr, fixed);
      Guarded(st, [&] { NumbersPanel(gui, std::max(fs * 15, ds.y - status_h - fs * 22)); });
      ImGui::End();
      ImGui::SetNextWindowPos({0, ds.y - status_h});
      ImGui::SetNextWindowSize({ds.x, status_h});
      ImGui::Begin("Status", nullptr, fixed | ImGuiWindowFlags_NoTitleBar);
      if (!st.status.empty())
        ImGui::TextColored(st.status_is_error ? ImVec4(1, 0.55f, 0.4f, 1) : ImVec4(0.6f, 0.9f, 0.6f, 1), "%s",
                           st.status.c_str());
      else if (!st.lecture.steps.empty())
        ImGui::TextDisabled("%s  ·  step %d of %zu  ·  F5 present, Right/Left step, drag to draw, F formulas",
                            st.lecture.title.c_str(), st.step + 1, st.lecture.steps.size());
      else
        ImGui::TextDisabled("%s  ·  %s", st.scenario.title.c_str(), st.scenario_path.c_str());
      ImGui::End();
    }

    ImGui::Render();
    if (max_frames > 0 && frame >= kWarmupFrames && !BoardIsCurrent(gui)) ++gui.behind_frames;
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(gui.window, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    const ImVec4 panel = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];  // as if blended over black
    ImDrawData* draw_data = ImGui::GetDrawData();
    bool drew = true;
    if (gui.damage_tracking) {
      // Only the regions that changed since the last frame: clear each to the panel colour and draw
      // what overlaps it (the back buffer keeps the rest). A still frame draws nothing.
      const std::vector<DamageRect> damage = gui.damage.Update(*draw_data, &CallbackVersion);
      drew = !damage.empty();
      const float sx = draw_data->FramebufferScale.x, sy = draw_data->FramebufferScale.y;
      for (const DamageRect& r : damage) {
        const int x0 = static_cast<int>((r.x0 - draw_data->DisplayPos.x) * sx);
        const int y0 = static_cast<int>((r.y0 - draw_data->DisplayPos.y) * sy);
        const int x1 = static_cast<int>(std::ceil((r.x1 - draw_data->DisplayPos.x) * sx));
        const int y1 = static_cast<int>(std::ceil((r.y1 - draw_data->DisplayPos.y) * sy));
        glEnable(GL_SCISSOR_TEST);
        glScissor(x0, fb_h - y1, x1 - x0, y1 - y0);
        glClearColor(panel.x * panel.w, panel.y * panel.w, panel.z * panel.w, 1);  // callbacks change it
        glClear(GL_COLOR_BUFFER_BIT);
        glDisable(GL_SCISSOR_TEST);
        ClipDrawData clipped(*draw_data, r);
        ImGui_ImplOpenGL3_RenderDrawData(draw_data);
      }
    } else {
      glClearColor(panel.x * panel.w, panel.y * panel.w, panel.z * panel.w, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(draw_data);
    }
    ++frame;
    if (max_frames > 0 && frame >= max_frames) {
      if (!screenshot.empty()) {
        Image img;
        img.width = fb_w, img.height = fb_h;
        img.rgba.resize(static_cast<size_t>(fb_w) * static_cast<size_t>(fb_h) * 4);
        std::vector<uint8_t> tmp(img.rgba.size());
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadBuffer(GL_BACK);
        glReadPixels(0, 0, fb_w, fb_h, GL_RGBA, GL_UNSIGNED_BYTE, tmp.data());
        const size_t row = static_cast<size_t>(fb_w) * 4;
        for (int y = 0; y < fb_h; ++y)
          std::copy_n(tmp.data() + static_cast<size_t>(fb_h - 1 - y) * row, row, img.rgba.data() + static_cast<size_t>(y) * row);
        for (size_t i = 3; i < img.rgba.size(); i += 4) img.rgba[i] = 255;
        try {
          WritePng(screenshot, img);
        } catch (const std::exception& e) {  // checked at start; the folder may have gone since
          st.status = std::string("--screenshot: ") + e.what();
        }
      }
      glfwSetWindowShouldClose(gui.window, 1);
      // Smoke runs report what the user would read in the status bar, and how long frames took.
      std::printf("status: %s\nboard: %s\n", st.status.c_str(), AllBoards()[static_cast<size_t>(st.board)].name.c_str());
      if (!st.lecture.steps.empty()) {
        const size_t step = static_cast<size_t>(st.step);
        const size_t drawn = step < st.drawn.size() ? st.drawn[step].size() : 0;
        std::printf("lecture: %s step %zu, chalk: %zu in the file, %zu drawn\n", st.lecture.path.c_str(), step + 1,
                    st.lecture.steps[step].annotations.size(), drawn);
      }
      const Control* dragged = drag ? DraggedControl(AllBoards()[static_cast<size_t>(st.board)]) : nullptr;
      PrintFrameTimes(frame_ms, fb_w, fb_h, dragged ? dragged->field : "", gui.damage_tracking, gui.behind_frames,
                      gui.background_builds);
    }
    if (drew) glfwSwapBuffers(gui.window);
    if (max_frames > 0 && frame > kWarmupFrames) frame_ms.push_back((glfwGetTime() - frame_start) * 1e3);
    // A software renderer has no vsync to pace it: hold to 60 frames a second (the CPU left over goes
    // to a board building in the background). When nothing changed, wait for input instead of
    // spinning. The time waited is not part of the frame's time.
    if (gui.damage_tracking) {
      const double rest = 1.0 / 60 - (glfwGetTime() - frame_start);
      if (!drew) glfwWaitEventsTimeout(std::max(0.0, rest));
      else if (rest > 0) std::this_thread::sleep_for(std::chrono::duration<double>(rest));
    }
  }
  if (restore) {
    try {
      SaveSession(ToSession(st), SessionPath());
    } catch (const std::exception&) {
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(gui.window);
  glfwTerminate();
  g_gui = nullptr;
  return 0;
}

}  // namespace blackboard
