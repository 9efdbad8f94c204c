// The GUI application. Index: AppState + commands | canvas (scene, background shader, hover,
// handles) | panels (boards, controls, numbers, strip) | main loop (GLFW + OpenGL3).
#include "app.hpp"

#include "gfx/gl.hpp"  // before GLFW: glad replaces <GL/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iostream>
#include <optional>

#include "blackboard/assets.hpp"
#include "blackboard/report.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"
#include "export/image.hpp"
#include "fonts.hpp"
#include "gfx/background.hpp"
#include "scene/board.hpp"
#include "scene/strip.hpp"
#include "scene_draw.hpp"

namespace blackboard {

namespace {

// ---------------------------------------------------------------- state and commands

struct AppState {
  Scenario scenario;
  std::string scenario_path;  // where it came from ("" = default)
  int board = 0;
  std::string theme = "blackboard";
  double time_s = 0;
  bool playing = true;
  float speed = 1;
  std::string status;  // last error or export message, shown in the status bar
  bool status_is_error = false;
  unsigned version = 1;  // bumps whenever the scenario changes (scene caches key on it)
};

struct Command {
  enum Kind { kSet, kBoard, kTheme, kExport } kind = kSet;
  std::string text;  // kSet: "field=value"; kBoard/kTheme: name; kExport: path
};

void Apply(AppState& st, const Command& c) {
  try {
    switch (c.kind) {
      case Command::kSet: {
        Scenario next = st.scenario;
        ApplySet(next, c.text, "slider " + c.text);
        ValidateScenario(next, "slider " + c.text);
        st.scenario = std::move(next);
        ++st.version;
        st.status.clear();
        break;
      }
      case Command::kBoard:
        for (size_t i = 0; i < AllBoards().size(); ++i)
          if (AllBoards()[i].name == c.text) st.board = static_cast<int>(i), st.time_s = 0;
        break;
      case Command::kTheme:
        GetTheme(c.text);
        st.theme = c.text;
        ++st.version;
        break;
      case Command::kExport: {
        // Export through the headless CLI path so the file is byte-for-byte what `render` makes.
        const std::string scen = c.text + ".scenario.json";
        SaveScenarioFile(st.scenario, scen);
        const std::string cmd = "\"" + std::filesystem::read_symlink("/proc/self/exe").string() + "\" render " +
                                AllBoards()[static_cast<size_t>(st.board)].name + " \"" + scen + "\" --theme " +
                                st.theme + " --scale 2 --out \"" + c.text + "\"";
        const int rc = std::system(cmd.c_str());
        st.status = rc == 0 ? "exported " + c.text + " (scenario beside it)" : "export failed: " + c.text;
        st.status_is_error = rc != 0;
        return;
      }
    }
  } catch (const std::exception& e) {
    st.status = e.what();  // the last good state stays
    st.status_is_error = true;
    return;
  }
  st.status_is_error = false;
}

std::string FieldValueText(const Scenario& s, const std::string& field) {
  const nlohmann::json j = ToJson(s);
  const auto dot = field.find('.');
  if (dot == std::string::npos) return j[field]["name"].is_string() ? j[field]["name"].get<std::string>() : "";
  const nlohmann::json& v = j[field.substr(0, dot)][field.substr(dot + 1)];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

double FieldValue(const Scenario& s, const std::string& field) {
  const nlohmann::json j = ToJson(s);
  const auto dot = field.find('.');
  const nlohmann::json& v = j[field.substr(0, dot)][field.substr(dot + 1)];
  return v.is_number() ? v.get<double>() : 0;
}

// ---------------------------------------------------------------- canvas

struct SceneCache {
  unsigned version = 0;
  int board = -1;
  double time_s = -1;
  float w = 0, h = 0;
  Scene scene;
};

struct Gui {
  AppState st;
  std::deque<Command> queue;
  FontSet fonts;
  BoardBackground background;
  SceneCache board_cache, strip_cache;
  std::string drag_id;
  double drag_start_value = 0;
  float drag_start_x = 0;
  GLFWwindow* window = nullptr;
};

Gui* g_gui = nullptr;

void DrawBackgroundCallback(const ImDrawList*, const ImDrawCmd* cmd) {
  const Gui& gui = *g_gui;
  const ImDrawData* dd = ImGui::GetDrawData();
  const float sx = dd->FramebufferScale.x;
  const ImVec4 r = cmd->ClipRect;  // in screen coordinates
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(gui.window, &fb_w, &fb_h);
  const Scene& sc = gui.board_cache.scene;
  const float rgba[4] = {sc.background.r / 255.0f, sc.background.g / 255.0f, sc.background.b / 255.0f, 1};
  const float scale = (r.z - r.x) / std::max(1.0f, sc.width) * sx;
  gui.background.Draw(r.x * sx, r.y * sx, (r.z - r.x) * sx, (r.w - r.y) * sx, static_cast<float>(fb_h), rgba,
                      sc.board_texture, scale);
}

void Canvas(Gui& gui, ImVec2 pos, ImVec2 size) {
  AppState& st = gui.st;
  const BoardInfo& board = AllBoards()[static_cast<size_t>(st.board)];
  const Theme& theme = GetTheme(st.theme);
  SceneCache& c = gui.board_cache;
  const float logical_w = 1600, logical_h = 900;
  if (c.version != st.version || c.board != st.board || c.time_s != st.time_s) {
    c.scene = board.build(BoardContext{st.scenario, theme, st.time_s, logical_w, logical_h});
    c.version = st.version, c.board = st.board, c.time_s = st.time_s;
  }
  const float scale = std::min(size.x / logical_w, size.y / logical_h);
  const ImVec2 origin{std::floor(pos.x + (size.x - logical_w * scale) / 2), std::floor(pos.y + (size.y - logical_h * scale) / 2)};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(origin, {origin.x + logical_w * scale, origin.y + logical_h * scale}, true);
  dl->AddCallback(&DrawBackgroundCallback, nullptr);
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  DrawScene(dl, c.scene, {origin.x, origin.y}, scale, gui.fonts);
  dl->PopClipRect();

  // Hover formulas and draggable handles.
  const ImVec2 m = ImGui::GetIO().MousePos;
  const Vec2 p{(m.x - origin.x) / scale, (m.y - origin.y) / scale};
  ImGui::SetCursorScreenPos(origin);
  ImGui::InvisibleButton("canvas", {logical_w * scale, logical_h * scale});
  const bool hovered = ImGui::IsItemHovered();
  if (hovered && gui.drag_id.empty()) {
    for (const DragHandle& h : c.scene.handles) {
      if (std::hypot(h.pos.x - p.x, h.pos.y - p.y) < 16 && ImGui::IsMouseClicked(0)) {
        gui.drag_id = h.id;
        gui.drag_start_value = FieldValue(st.scenario, h.id);
        gui.drag_start_x = p.x;
      }
    }
  }
  if (!gui.drag_id.empty()) {
    if (!ImGui::IsMouseDown(0)) {
      gui.drag_id.clear();
    } else {
      for (const DragHandle& h : c.scene.handles) {
        if (h.id != gui.drag_id) continue;
        const double decades = (p.x - gui.drag_start_x) / h.track.Width() * h.decades_across_track;
        const double v = std::clamp(std::round(gui.drag_start_value * std::pow(10.0, decades)), h.value_min, h.value_max);
        char buf[128];
        std::snprintf(buf, sizeof buf, "%s=%.0f", h.id.c_str(), v);
        gui.queue.push_back({Command::kSet, buf});
      }
    }
  } else if (hovered) {
    for (const HoverRegion& h : c.scene.hovers) {
      if (h.box.Contains(p)) {
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
  }
}

// ---------------------------------------------------------------- panels

void ControlWidget(Gui& gui, const Control& c) {
  const Scenario& s = gui.st.scenario;
  ImGui::PushID(c.field.c_str());
  std::vector<std::string> choices = c.choices;
  if (!c.choices_kind.empty()) choices = ListAssets(c.choices_kind);
  if (!choices.empty()) {
    const std::string current = FieldValueText(s, c.field);
    if (ImGui::BeginCombo(c.label.c_str(), current.c_str())) {
      for (const auto& v : choices)
        if (ImGui::Selectable(v.c_str(), v == current)) gui.queue.push_back({Command::kSet, c.field + "=" + v});
      ImGui::EndCombo();
    }
  } else {
    double v = FieldValue(s, c.field);
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
      char buf[128];
      std::snprintf(buf, sizeof buf, "%s=%.17g", c.field.c_str(), v);
      gui.queue.push_back({Command::kSet, buf});
    }
  }
  ImGui::PopID();
}

void ControlsPanel(Gui& gui) {
  AppState& st = gui.st;
  ImGui::TextDisabled("BOARDS  (Left/Right)");
  for (size_t i = 0; i < AllBoards().size(); ++i)
    if (ImGui::Selectable(AllBoards()[i].title.c_str(), st.board == static_cast<int>(i)))
      gui.queue.push_back({Command::kBoard, AllBoards()[i].name});
  ImGui::Separator();
  const BoardInfo& board = AllBoards()[static_cast<size_t>(st.board)];
  ImGui::TextDisabled("CONTROLS");
  ImGui::PushItemWidth(-ImGui::GetFontSize() * 9);
  for (const Control& c : board.controls) ControlWidget(gui, c);
  ImGui::PopItemWidth();
  if (board.duration_s > 0) {
    ImGui::Separator();
    if (ImGui::Button(st.playing ? "Pause" : "Play")) st.playing = !st.playing;
    ImGui::SameLine();
    float t = static_cast<float>(st.time_s);
    if (ImGui::SliderFloat("time", &t, 0, static_cast<float>(board.duration_s), "%.2f s")) st.time_s = t, st.playing = false;
    ImGui::SliderFloat("speed", &st.speed, 0.1f, 4.0f, "%.1fx");
  }
  ImGui::Separator();
  ImGui::TextDisabled("THEME");
  for (const auto& t : ThemeNames()) {
    if (ImGui::RadioButton(t.c_str(), st.theme == t)) gui.queue.push_back({Command::kTheme, t});
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::Separator();
  if (ImGui::Button("Export PNG (2x)")) gui.queue.push_back({Command::kExport, board.name + ".png"});
  ImGui::SameLine();
  if (ImGui::Button("Export SVG")) gui.queue.push_back({Command::kExport, board.name + ".svg"});
}

void NumbersPanel(Gui& gui, float strip_h) {
  const Scenario& s = gui.st.scenario;
  const ServingReport r = EvaluateServing(s);
  ImGui::TextDisabled("NUMBERS");
  if (ImGui::BeginTable("numbers", 2, ImGuiTableFlags_SizingStretchProp)) {
    auto row = [](const char* k, const std::string& v) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(k);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(v.c_str());
    };
    row("decode step", FormatSeconds(r.decode.step_s) + " (" + BoundName(r.decode.bound) + ")");
    row("  compute", FormatSeconds(r.decode.compute_s));
    row("  memory", FormatSeconds(r.decode.memory_s));
    row("  network", FormatSeconds(r.decode.network_s));
    row("prefill", FormatSeconds(r.prefill_s));
    row("tokens/s", FormatCount(r.tokens_per_s));
    row("tokens/s/chip", FormatCount(r.tokens_per_s_per_chip));
    row("latency floor", FormatSeconds(r.latency_floor_s));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", r.critical_batch);
    row("critical batch", buf);
    std::snprintf(buf, sizeof buf, "%.0f", r.max_batch);
    row("max batch", buf);
    row("memory/chip", FormatBytes(r.memory.total) + " / " + FormatBytes(r.memory.capacity));
    row("$/M out", FormatUsd(r.usd_per_mtok_output));
    row("$/M in", FormatUsd(r.usd_per_mtok_input));
    ImGui::EndTable();
  }
  ImGui::Separator();
  const BoardInfo& board = AllBoards()[static_cast<size_t>(gui.st.board)];
  const Control* sweep = nullptr;
  for (const Control& c : board.controls)
    if (c.field == board.sweep_field) sweep = &c;
  if (!sweep) return;
  ImGui::TextDisabled("LIVE: against %s", sweep->label.c_str());
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  SceneCache& c = gui.strip_cache;
  if (c.version != gui.st.version || c.board != gui.st.board || c.w != w || c.h != strip_h) {
    c.scene = BuildLiveStrip(s, *sweep, GetTheme(gui.st.theme), w, strip_h);
    c.version = gui.st.version, c.board = gui.st.board, c.w = w, c.h = strip_h;
  }
  DrawScene(ImGui::GetWindowDrawList(), c.scene, {pos.x, pos.y}, 1.0f, gui.fonts);
  ImGui::Dummy({w, strip_h});
}

// ---------------------------------------------------------------- main loop

int ParseInt(const std::string& v) { return std::atoi(v.c_str()); }

}  // namespace

int RunGui(const std::vector<std::string>& args) {
  Gui gui;
  g_gui = &gui;
  int max_frames = 0;
  std::string screenshot, file, board_name;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--frames" && i + 1 < args.size()) max_frames = ParseInt(args[++i]);
    else if (args[i] == "--screenshot" && i + 1 < args.size()) screenshot = args[++i];
    else if (args[i] == "--board" && i + 1 < args.size()) board_name = args[++i];
    else if (args[i] == "--theme" && i + 1 < args.size()) gui.st.theme = args[++i];
    else if (args[i].rfind("--", 0) == 0) {
      std::cerr << "blackboard: unknown option " << args[i] << "; see blackboard --help\n";
      return 2;
    } else file = args[i];
  }
  try {
    gui.st.scenario = file.empty() ? DefaultScenario() : LoadScenarioFile(file);
    gui.st.scenario_path = file;
    GetTheme(gui.st.theme);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "blackboard: " << e.what() << "\n";
    return 2;
  }
  if (!board_name.empty()) Apply(gui.st, {Command::kBoard, board_name});

  if (!glfwInit()) {
    std::cerr << "blackboard: cannot open a window (no display?). Headless use: blackboard render / eval.\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  gui.window = glfwCreateWindow(1600, 960, "Blackboard", nullptr, nullptr);
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
  io.IniFilename = nullptr;
  ImGui::StyleColorsDark();
  float xscale = 1, yscale = 1;
  glfwGetWindowContentScale(gui.window, &xscale, &yscale);
  const float ui_scale = std::max(1.0f, xscale);
  ImGui_ImplGlfw_InitForOpenGL(gui.window, true);
  ImGui_ImplOpenGL3_Init("#version 330");
  gui.fonts.Build(io.Fonts, {12, 13, 14, 15, 16, 17, 18, 20, 22, 24, 28, 32, 36, 40, 48, 56});
  io.FontDefault = gui.fonts.Get(FontFace::kUi, 17 * ui_scale);
  ImGui::GetStyle().ScaleAllSizes(ui_scale);
  gui.background.Init();

  double last = glfwGetTime();
  int frame = 0;
  while (!glfwWindowShouldClose(gui.window)) {
    glfwPollEvents();
    // Commands from the previous frame, applied between frames.
    while (!gui.queue.empty()) {
      Apply(gui.st, gui.queue.front());
      gui.queue.pop_front();
    }
    const double now = glfwGetTime();
    const BoardInfo& board = AllBoards()[static_cast<size_t>(gui.st.board)];
    if (board.duration_s > 0 && gui.st.playing)
      gui.st.time_s = std::fmod(gui.st.time_s + (now - last) * gui.st.speed, board.duration_s);
    last = now;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    if (!io.WantCaptureKeyboard) {
      const int n = static_cast<int>(AllBoards().size());
      if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT) || ImGui::IsKeyPressed(GLFW_KEY_PAGE_DOWN))
        gui.queue.push_back({Command::kBoard, AllBoards()[static_cast<size_t>((gui.st.board + 1) % n)].name});
      if (ImGui::IsKeyPressed(GLFW_KEY_LEFT) || ImGui::IsKeyPressed(GLFW_KEY_PAGE_UP))
        gui.queue.push_back({Command::kBoard, AllBoards()[static_cast<size_t>((gui.st.board + n - 1) % n)].name});
      if (ImGui::IsKeyPressed(GLFW_KEY_SPACE)) gui.st.playing = !gui.st.playing;
    }
    const ImVec2 ds = io.DisplaySize;
    const float fs = ImGui::GetFontSize();
    const float left_w = fs * 22, right_w = fs * 21, status_h = fs * 1.8f;
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoSavedSettings;
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize({left_w, ds.y - status_h});
    ImGui::Begin("Blackboard", nullptr, fixed);
    ControlsPanel(gui);
    ImGui::End();

    ImGui::SetNextWindowPos({left_w, 0});
    ImGui::SetNextWindowSize({ds.x - left_w - right_w, ds.y - status_h});
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::Begin("Board", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    Canvas(gui, ImGui::GetWindowPos(), ImGui::GetWindowSize());
    ImGui::End();
    ImGui::PopStyleVar();

    ImGui::SetNextWindowPos({ds.x - right_w, 0});
    ImGui::SetNextWindowSize({right_w, ds.y - status_h});
    ImGui::Begin("Numbers", nullptr, fixed);
    NumbersPanel(gui, std::max(fs * 15, ds.y - status_h - fs * 22));
    ImGui::End();

    ImGui::SetNextWindowPos({0, ds.y - status_h});
    ImGui::SetNextWindowSize({ds.x, status_h});
    ImGui::Begin("Status", nullptr, fixed | ImGuiWindowFlags_NoTitleBar);
    if (!gui.st.status.empty())
      ImGui::TextColored(gui.st.status_is_error ? ImVec4(1, 0.55f, 0.4f, 1) : ImVec4(0.6f, 0.9f, 0.6f, 1), "%s",
                         gui.st.status.c_str());
    else
      ImGui::TextDisabled("%s  ·  %s  ·  drag the sliders; hover a plot for its formula", gui.st.scenario.title.c_str(),
                          gui.st.scenario_path.empty() ? "default scenario" : gui.st.scenario_path.c_str());
    ImGui::End();

    ImGui::Render();
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(gui.window, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(0.08f, 0.08f, 0.09f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
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
        WritePng(screenshot, img);
      }
      glfwSetWindowShouldClose(gui.window, 1);
    }
    glfwSwapBuffers(gui.window);
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
