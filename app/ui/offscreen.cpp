// Offscreen renderer.
#include "offscreen.hpp"

#include <algorithm>
#include <cmath>

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include "fonts.hpp"
#include "gfx/background.hpp"
#include "gfx/chalk.hpp"
#include "gfx/gl.hpp"
#include "gfx/headless.hpp"
#include "scene_draw.hpp"

namespace blackboard {
namespace {

// What the chalk callback needs, set before each frame's draw data is rendered.
struct ChalkJob {
  ChalkInk* ink = nullptr;
  float scale = 1, strength = 0;
};

void ChalkCallback(const ImDrawList*, const ImDrawCmd* cmd) {
  const auto* job = static_cast<const ChalkJob*>(cmd->UserCallbackData);
  job->ink->Begin(0, 0, job->scale, job->strength);
}

}  // namespace

struct OffscreenRenderer::Impl {
  HeadlessGl gl;
  ImGuiContext* imgui = nullptr;
  bool backend = false;
  BoardBackground background;
  ChalkInk chalk;
  FontSet fonts;
  std::unique_ptr<Fbo> fbo;
  ChalkJob chalk_job;
  int last_triangles = 0;

  ~Impl() {
    if (imgui) {
      ImGui::SetCurrentContext(imgui);
      if (backend) ImGui_ImplOpenGL3_Shutdown();
      ImGui::DestroyContext(imgui);
    }
  }

  bool Target(int w, int h, std::string* error) {
    if (!fbo || fbo->width() != w || fbo->height() != h) {
      fbo = std::make_unique<Fbo>();
      if (!fbo->Create(w, h, error)) return false;
    }
    fbo->Bind();
    return true;
  }

  void EnsureFonts(std::vector<float> sizes) {
    bool have = true;
    for (float s : sizes)
      if (std::find(fonts.sizes().begin(), fonts.sizes().end(), s) == fonts.sizes().end()) have = false;
    if (have && !fonts.sizes().empty()) return;
    for (float s : fonts.sizes()) sizes.push_back(s);
    if (sizes.empty()) sizes.push_back(16);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    fonts.Build(ImGui::GetIO().Fonts, sizes);
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
};

OffscreenRenderer::OffscreenRenderer() : impl_(std::make_unique<Impl>()) {}
OffscreenRenderer::~OffscreenRenderer() = default;

bool OffscreenRenderer::Init(std::string* error) {
  if (!impl_->gl.Create(error)) return false;
  IMGUI_CHECKVERSION();
  impl_->imgui = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.DeltaTime = 1.0f / 60.0f;
  if (!ImGui_ImplOpenGL3_Init("#version 330")) {
    if (error) *error = "ImGui OpenGL3 renderer failed to initialise";
    return false;
  }
  impl_->backend = true;
  if (!impl_->background.Init() || !impl_->chalk.Init()) {
    if (error) *error = "board shaders failed to compile";
    return false;
  }
  return true;
}

std::string OffscreenRenderer::Renderer() const { return impl_->gl.Renderer(); }

int OffscreenRenderer::LastTriangles() const { return impl_->last_triangles; }

bool OffscreenRenderer::Render(const Scene& scene, float scale, bool transparent, Image* out, std::string* error) {
  ImGui::SetCurrentContext(impl_->imgui);
  const int w = static_cast<int>(std::lround(scene.width * scale));
  const int h = static_cast<int>(std::lround(scene.height * scale));
  if (w <= 0 || h <= 0 || w > 16384 || h > 16384) {
    if (error) *error = "image size " + std::to_string(w) + "x" + std::to_string(h) + " must be 1..16384";
    return false;
  }
  impl_->EnsureFonts(SceneFontSizes(scene, scale));
  if (!impl_->Target(w, h, error)) return false;
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const bool chalk = !transparent && scene.chalk > 0;
  if (chalk) {
    impl_->chalk_job = ChalkJob{&impl_->chalk, scale, scene.chalk};
    dl->AddCallback(&ChalkCallback, &impl_->chalk_job);
  }
  DrawScene(dl, scene, {0, 0}, scale, impl_->fonts, /*backdrop_painted=*/!transparent);
  if (chalk) dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  ImGui::Render();

  glDisable(GL_SCISSOR_TEST);
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT);
  if (!transparent) {
    const Color c = scene.background;
    const float rgba[4] = {c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f};
    impl_->background.Draw(0, 0, static_cast<float>(w), static_cast<float>(h), static_cast<float>(h), rgba,
                           scene.board_texture, scale, BackdropPanels(scene));
  }
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  impl_->last_triangles = ImGui::GetDrawData()->TotalIdxCount / 3;
  glFinish();
  if (!out) return true;  // benchmarks: the frame is drawn, nobody reads it back (as on screen)
  out->width = w;
  out->height = h;
  out->rgba.resize(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  impl_->fbo->ReadRgba(out->rgba.data());
  return true;
}

bool OffscreenRenderer::RenderDemo(int width, int height, Image* out) {
  ImGui::SetCurrentContext(impl_->imgui);
  impl_->EnsureFonts({16});
  std::string error;
  if (!impl_->Target(width, height, &error)) return false;
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  ImGui::SetNextWindowPos({20, 20});
  ImGui::SetNextWindowSize({static_cast<float>(width) - 40, static_cast<float>(height) - 40});
  ImGui::ShowDemoWindow();
  ImGui::Render();
  glClearColor(0.1f, 0.1f, 0.1f, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  glFinish();
  if (out) {
    out->width = width;
    out->height = height;
    out->rgba.resize(static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
    impl_->fbo->ReadRgba(out->rgba.data());
  }
  return true;
}

}  // namespace blackboard
