// Command-line subcommands. Index: argument parsing | eval | render (png/svg/gif/mp4/webm) | list | schema |
// --bench-frames | help.
#include "cli.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "blackboard/json_input.hpp"
#include "blackboard/lecture.hpp"
#include "blackboard/output_file.hpp"
#include "blackboard/report.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/search.hpp"
#include "export/animation.hpp"
#include "export/image.hpp"
#include "export/svg.hpp"
#include "export/web_page.hpp"
#include "offscreen.hpp"
#include "scene/compare.hpp"
#include "scene/lecture_lint.hpp"
#include "scene/board.hpp"
#include "scene/boards/pipeline_common.hpp"

namespace blackboard {

namespace {

// A usage error: exit status 2 with one line.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::vector<std::string> sets;
  bool json = false, transparent = false, with_scenario = false;
  std::string out, theme = "blackboard";
  int width = 1600, height = 900;
  double scale = 1, time_s = 0, duration_s = 0, fps = 25;
  bool time_given = false;  // --time was given; otherwise a still shows the board's still_time_s
  int top = 10;
  int step = 1;  // with a lecture file: which step (1-based)
  std::string compare;  // --compare B.json: A/B side by side
  // --morph T with --morph-from-set K=V...: a moment of the morph from the file's scenario with these
  // sets to the --set one (pipeline-training).
  std::vector<std::string> morph_sets;
  std::optional<double> morph;
};

double ParseNumber(const std::string& flag, const std::string& v, double lo, double hi) {
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(x) || x < lo || x > hi) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s = %s must be a number from %g to %g", flag.c_str(), v.c_str(), lo, hi);
    throw UsageError(buf);
  }
  return x;
}

Args Parse(const std::vector<std::string>& a) {
  Args args;
  if (a.empty()) throw UsageError("no command; see blackboard --help");
  args.command = a[0];
  for (size_t i = 1; i < a.size(); ++i) {
    const std::string& s = a[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= a.size()) throw UsageError(s + " needs a value");
      return a[++i];
    };
    if (s == "--set") args.sets.push_back(value());
    else if (s.rfind("--set=", 0) == 0) args.sets.push_back(s.substr(6));
    else if (s == "--morph-from-set") args.morph_sets.push_back(value());
    else if (s.rfind("--morph-from-set=", 0) == 0) args.morph_sets.push_back(s.substr(17));
    else if (s == "--morph") args.morph = ParseNumber(s, value(), 0, 1);
    else if (s == "--json") args.json = true;
    else if (s == "--transparent") args.transparent = true;
    else if (s == "--with-scenario") args.with_scenario = true;
    else if (s == "--out") args.out = value();
    else if (s == "--theme") args.theme = value();
    else if (s == "--scale") args.scale = ParseNumber(s, value(), 0.25, 8);
    else if (s == "--time") args.time_s = ParseNumber(s, value(), 0, 1e6), args.time_given = true;
    else if (s == "--duration") args.duration_s = ParseNumber(s, value(), 0.04, 600);
    else if (s == "--fps") args.fps = ParseNumber(s, value(), 1, 60);
    else if (s == "--top") args.top = static_cast<int>(ParseNumber(s, value(), 1, 100000));
    else if (s == "--compare") args.compare = value();
    else if (s == "--step") args.step = static_cast<int>(ParseNumber(s, value(), 1, 100000));
    else if (s == "--size") {
      const std::string v = value();
      const auto x = v.find('x');
      if (x == std::string::npos) throw UsageError("--size = " + v + " must be WxH, e.g. 1600x900");
      args.width = static_cast<int>(ParseNumber("--size width", v.substr(0, x), 320, 8192));
      args.height = static_cast<int>(ParseNumber("--size height", v.substr(x + 1), 240, 8192));
    } else if (s.rfind("--", 0) == 0) {
      throw UsageError("unknown option " + s + "; see blackboard --help");
    } else {
      args.positional.push_back(s);
    }
  }
  return args;
}

Scenario LoadScenarioArg(const std::string& file, const std::vector<std::string>& sets,
                         TrainingPlanCheck check = TrainingPlanCheck::kRequired) {
  if (!file.empty()) return LoadScenarioFile(file, sets, check);
  Scenario s = DefaultScenario();
  for (const auto& a : sets) ApplySet(s, a, "--set " + a);
  ValidateScenario(s, "--set", check);
  return s;
}

std::string Extension(const std::string& path) {
  const auto dot = path.rfind('.');
  if (dot == std::string::npos) return "";
  std::string e = path.substr(dot + 1);
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

// Standard output is checked like a file: a full disk or a closed pipe is reported, not ignored.
void FlushStdout() {
  std::cout.flush();
  if (!std::cout) throw OutputError("cannot write the report to standard output");
}

int Eval(const Args& args) {
  if (args.positional.size() > 1) throw UsageError("eval takes at most one scenario file");
  // eval answers serving whatever the training plan: one that does not fit the cluster is reported
  // as not evaluated (with why) in the training section, not an error.
  const Scenario s = LoadScenarioArg(args.positional.empty() ? "" : args.positional[0], args.sets,
                                     TrainingPlanCheck::kReported);
  if (args.json)
    std::cout << EvalReportJson(s).dump(2) << "\n";
  else
    std::cout << EvalReportText(s);
  FlushStdout();
  return 0;
}

std::vector<std::string> BoardNames() {
  std::vector<std::string> names;
  for (const auto& b : AllBoards()) names.push_back(b.name);
  return names;
}

bool IsLectureFile(const std::string& path) {
  try {
    return IsLectureJson(ReadJsonFile(path));
  } catch (const std::exception&) {
    return false;  // unreadable files are reported by the scenario loader
  }
}

int Search(const Args& args) {
  if (args.positional.size() > 1) throw UsageError("search takes at most one scenario file");
  const Scenario s = LoadScenarioArg(args.positional.empty() ? "" : args.positional[0], args.sets);
  const SearchResult r = SearchPlans(s);
  if (args.json)
    std::cout << SearchResultJson(r, args.top).dump(2) << "\n";
  else
    std::cout << SearchResultText(r, args.top);
  FlushStdout();
  return 0;
}

const BoardInfo& BoardArg(const std::string& name) {
  if (const BoardInfo* b = FindBoard(name)) return *b;
  std::string list;
  for (const auto& b : AllBoards()) list += (list.empty() ? "" : ", ") + b.name;
  throw UsageError("render: board = " + name + " is not a board; known: " + list);
}

// Pixels one PNG or GIF frame may have (--size x --scale): 16384 a side (the GL texture limit of
// common drivers) and 64 Mpx (256 MB of RGBA).
constexpr double kMaxSidePixels = 16384, kMaxFramePixels = 64.0 * 1024 * 1024;

// Fails fast, before any work, when the output cannot be written or would be too large.
void CheckRenderOutput(const Args& args, const std::string& ext) {
  std::string probe = args.out;
  if (const auto p = probe.find('%'); p != std::string::npos) probe = probe.substr(0, p) + "0" + probe.substr(p + 1);
  if (const std::string why = OutputPathProblem(probe); !why.empty())
    throw UsageError("--out = " + args.out + ": " + why);
  if (args.with_scenario)
    if (const std::string why = OutputPathProblem(args.out + ".scenario.json"); !why.empty())
      throw UsageError("--with-scenario: " + args.out + ".scenario.json: " + why);
  if (ext == "png" || ext == "gif") {
    const double w = std::ceil(args.width * args.scale), h = std::ceil(args.height * args.scale);
    if (w > kMaxSidePixels || h > kMaxSidePixels || w * h > kMaxFramePixels) {
      char buf[240];
      std::snprintf(buf, sizeof buf,
                    "--size %dx%d with --scale %g is %.0f x %.0f pixels; the limit is 16384 pixels a side and "
                    "67108864 (64 Mpx) in all",
                    args.width, args.height, args.scale, w, h);
      throw UsageError(buf);
    }
  }
}

int Render(const Args& args) {
  if (args.positional.empty()) throw UsageError("render needs a BOARD (see blackboard list boards)");
  if (args.positional.size() > 2) throw UsageError("render takes BOARD [FILE.json]");
  if (args.out.empty()) throw UsageError("render needs --out OUT.png|.svg|.gif|.mp4|.webm|.html|.json");
  // FILE may be a scenario or a lecture; a lecture gives the scenario and annotations of --step N,
  // and BOARD "step" means the step's own board.
  std::string board_name = args.positional[0];
  const std::string file = args.positional.size() > 1 ? args.positional[1] : "";
  std::vector<Annotation> annotations;
  Scenario s;
  Scenario base;  // the file's (or the step's) scenario before --set: a morph's source starts from it
  if (!file.empty() && IsLectureFile(file)) {
    const Lecture lec = LoadLectureFile(file, BoardNames());
    if (args.step > static_cast<int>(lec.steps.size()))
      throw UsageError("--step = " + std::to_string(args.step) + " must be from 1 to " +
                       std::to_string(lec.steps.size()) + " (the steps of " + file + ")");
    const LectureStep& st = lec.steps[static_cast<size_t>(args.step - 1)];
    s = base = st.scenario;
    for (const auto& a : args.sets) ApplySet(s, a, "--set " + a);
    ValidateScenario(s, file + " step " + std::to_string(args.step));
    annotations = st.annotations;
    if (board_name == "step") board_name = st.board;
  } else {
    s = LoadScenarioArg(file, args.sets);
    base = file.empty() ? DefaultScenario() : LoadScenarioFile(file);
  }
  const BoardInfo& board = BoardArg(board_name);
  std::optional<Scenario> morph_from;
  if (args.morph || !args.morph_sets.empty()) {
    if (!args.morph && !IsAnimationExtension(Extension(args.out)) && args.out.find('%') == std::string::npos)
      throw UsageError("--morph-from-set needs --morph T: the moment of the morph from 0 (the --morph-from-set "
                       "scenario) to 1 (the --set one); an animated --out (.gif, .mp4, .webm, %04d.png) runs it "
                       "from 0 to 1 over the clip");
    if (!board.morphs) {
      std::string list;
      for (const auto& b : AllBoards())
        if (b.morphs) list += (list.empty() ? "" : ", ") + b.name;
      throw UsageError("--morph: board = " + board.name + " does not morph; boards that do: " + list);
    }
    if (!args.compare.empty()) throw UsageError("--morph cannot be combined with --compare (one board per side)");
    if (Extension(args.out) == "json")
      throw UsageError("--morph with --out = " + args.out + ": a Chrome trace is one schedule; use .png, .svg or .gif");
    Scenario m = base;
    for (const auto& a : args.morph_sets) ApplySet(m, a, "--morph-from-set " + a);
    ValidateScenario(m, "--morph-from-set");
    morph_from = std::move(m);
  }
  const Theme* theme = nullptr;
  try {
    theme = &GetTheme(args.theme);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const std::string ext = Extension(args.out);
  CheckRenderOutput(args, ext);
  if (args.out.find('%') != std::string::npos) {
    // Only one %d / %0Nd is allowed in a sequence name (it is used as a printf format).
    const auto p = args.out.find('%');
    size_t q = p + 1;
    while (q < args.out.size() && (std::isdigit(static_cast<unsigned char>(args.out[q])) != 0)) ++q;
    if (q >= args.out.size() || args.out[q] != 'd' || args.out.find('%', q) != std::string::npos || q - p > 4)
      throw UsageError("--out = " + args.out + ": a frame sequence needs exactly one %d or %04d in the name");
  }
  std::optional<Scenario> compare;
  if (!args.compare.empty()) compare = LoadScenarioFile(args.compare, args.sets);
  // The morph's moment: --morph T, or (an animated export without --morph) 0 at the clip's start.
  const double morph_at_start = args.morph ? *args.morph : 0.0;
  // A still (PNG, SVG) of an animated board shows a complete moment unless --time picks one.
  const double still_s = args.time_given ? args.time_s : board.still_time_s;
  auto build = [&](double t, double morph) {
    if (compare) return BuildComparison(board, s, *compare, *theme, t);
    BoardContext ctx{s, *theme, t, static_cast<float>(args.width), static_cast<float>(args.height)};
    if (morph_from) {
      ctx.morph_from = &*morph_from;
      ctx.morph = morph;
    }
    return BuildAnnotatedBoard(board, ctx, annotations);  // as the window builds it
  };
  if (ext == "json") {
    // A pipeline board's schedule as a Chrome trace (Perfetto, chrome://tracing), from the same
    // model the board draws.
    if (board.name.rfind("pipeline", 0) != 0)
      throw UsageError("--out = " + args.out + ": a .json Chrome trace needs a pipeline board (pipeline-training, "
                       "pipeline-serving)");
    try {
      WriteFileAtomic(args.out, PipelineBoardTrace(board.name, s).dump(1));
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("render ") + board.name + ": " + e.what());
    }
  } else if (ext == "html") {
    // A live board for a web page: the web module (core + boards in WebAssembly) inlined.
    const std::string module = FindWebModule();
    if (module.empty())
      throw UsageError("--out = " + args.out + ": the web module is not built; build it with `cmake --preset web && "
                       "cmake --build --preset web` (needs Debian's emscripten, which ./blackboard.sh test installs)");
    WriteFileAtomic(args.out, WebPageHtml(board, s, args.theme, ReadTextFile(module)));
  } else if (ext == "svg") {
    WriteFileAtomic(args.out, SceneToSvg(build(still_s, morph_at_start)));
  } else if (ext == "png" || IsAnimationExtension(ext)) {
    const bool sequence = args.out.find('%') != std::string::npos;
    if (sequence && ext != "png")
      throw UsageError("--out = " + args.out + ": a numbered sequence (%04d) is for PNG frames");
    std::string why;
    if (ext != "png" && !AnimationExportAvailable(ext, &why)) throw UsageError("--out = " + args.out + ": " + why);
    OffscreenRenderer renderer;
    std::string error;
    if (!renderer.Init(&error)) {
      std::cerr << "blackboard: " << error << "\n";
      return 1;
    }
    auto render = [&](const Scene& scene, bool transparent, Image* img) {
      if (renderer.Render(scene, static_cast<float>(args.scale), transparent, img, &error)) return true;
      std::cerr << "blackboard: " << error << "\n";
      return false;
    };
    if (ext == "png" && !sequence) {
      Image img;
      if (!render(build(still_s, morph_at_start), args.transparent, &img)) return 1;
      WritePng(args.out, img);
    } else {
      // Frames of the board's own timeline, each encoded (or written) as soon as it is drawn, so memory
      // stays flat in the clip's length. A morph without --morph T runs from 0 to 1 over the clip.
      const double duration = args.duration_s > 0 ? args.duration_s : (board.duration_s > 0 ? board.duration_s : 1);
      const int frames = std::max(1, static_cast<int>(std::lround(duration * args.fps)));
      std::unique_ptr<AnimationWriter> writer;
      Image img;
      for (int i = 0; i < frames; ++i) {
        const double morph = args.morph ? *args.morph : frames > 1 ? static_cast<double>(i) / (frames - 1) : 1.0;
        if (!render(build(args.time_s + i / args.fps, morph), sequence && args.transparent, &img)) return 1;
        if (sequence) {
          char name[4096];
          std::snprintf(name, sizeof name, args.out.c_str(), i);
          WritePng(name, img);
          continue;
        }
        if (!writer) writer = OpenAnimationWriter(args.out, ext, img.width, img.height, args.fps);
        writer->AddFrame(img);
      }
      if (writer) writer->Finish();
    }
  } else {
    throw UsageError("--out = " + args.out +
                     " must end in .png, .svg, .gif, .mp4, .webm, .html or .json (pipeline boards)");
  }
  if (args.with_scenario) SaveScenarioFile(s, args.out + ".scenario.json");
  return 0;
}

int List(const Args& args) {
  if (args.positional.size() != 1)
    throw UsageError("list needs one of: boards, hardware, models, lectures, themes");
  const std::string& what = args.positional[0];
  if (what == "boards") {
    for (const auto& b : AllBoards()) std::printf("%-20s %s\n", b.name.c_str(), b.description.c_str());
  } else if (what == "hardware") {
    for (const auto& n : ListAssets("hardware")) {
      const Hardware h = LoadHardwarePreset(n, "list", "hardware");
      std::printf("%-14s %s bf16, %s HBM at %s/s, scale-up %d\n", n.c_str(), FormatFlops(h.bf16_flops).c_str(),
                  FormatBytes(h.hbm_bytes).c_str(), FormatBytes(h.hbm_bytes_per_s).c_str(), h.scaleup_domain);
    }
  } else if (what == "models" || what == "lectures" || what == "themes") {
    for (const auto& n : ListAssets(what)) std::printf("%s\n", n.c_str());
  } else {
    throw UsageError("list " + what + ": must be one of boards, hardware, models, lectures, themes");
  }
  return 0;
}

// Every step of a lecture shows its idea (scene/lecture_lint.hpp): silent and 0 when it does, one
// line per problem and 1 when not; 2 for a file that is not a readable lecture.
int Lint(const Args& args) {
  if (args.positional.size() != 1) throw UsageError("lint needs one LECTURE.json");
  const std::string& file = args.positional[0];
  if (!IsLectureJson(ReadJsonFile(file)))
    throw UsageError("lint: " + file + " is not a lecture (no \"steps\" array)");
  const std::vector<LintProblem> problems = LintLecture(LoadLectureFile(file, BoardNames()));
  for (const LintProblem& p : problems) std::cout << file << ": " << p.Text() << "\n";
  FlushStdout();
  return problems.empty() ? 0 : 1;
}

// The JSON Schema of scenario or lecture files, for editors (assets/schema/ holds the shipped copies).
int Schema(const Args& args) {
  if (args.positional.size() > 1) throw UsageError("schema takes one of: scenario, lecture");
  const std::string what = args.positional.empty() ? "scenario" : args.positional[0];
  if (what == "scenario")
    std::cout << ScenarioJsonSchema().dump(2) << "\n";
  else if (what == "lecture")
    std::cout << LectureJsonSchema(BoardNames()).dump(2) << "\n";
  else
    throw UsageError("schema " + what + ": must be scenario or lecture");
  return 0;
}

int BenchFrames(const std::vector<std::string>& a) {
  if (a.size() != 3 && !(a.size() == 5 && a[3] == "--theme"))
    throw UsageError("usage: blackboard --bench-frames N BOARD [--theme NAME]");
  const int n = static_cast<int>(ParseNumber("--bench-frames", a[1], 1, 100000));
  const BoardInfo& board = BoardArg(a[2]);
  const Scenario s = DefaultScenario();
  const Theme& theme = GetTheme(a.size() == 5 ? a[4] : "blackboard");
  OffscreenRenderer renderer;
  std::string error;
  if (!renderer.Init(&error)) {
    std::cerr << "blackboard: " << error << "\n";
    return 1;
  }
  auto measure = [&](auto&& frame) {
    frame(-1);  // warm-up: font atlas and shaders, not part of the figure
    std::vector<double> ms;
    for (int i = 0; i < n; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      frame(i);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    double mean = 0;
    for (double v : ms) mean += v;
    mean /= static_cast<double>(ms.size());
    const size_t k = std::min(ms.size() - 1, static_cast<size_t>(std::ceil(0.99 * static_cast<double>(ms.size()))) - 1);
    return std::pair{mean, ms[k]};
  };
  // Each frame rebuilds the Scene at a new time (as a slider drag or an animation does) and draws it
  // at 1920x1080 with the board shader and the chalk ink, as the screen does; nothing is read back.
  double build_ms = 0;
  // Process CPU time (every rasteriser thread) per frame: a steadier figure than wall time on a
  // shared machine, and the cost a software renderer puts on the cores.
  auto cpu_ms = [] {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
  };
  double cpu0 = 0;
  const auto [mean, p99] = measure([&](int i) {
    if (i == 0) cpu0 = cpu_ms();
    const auto t0 = std::chrono::steady_clock::now();
    const Scene scene = BuildBoard(board, BoardContext{s, theme, std::max(0, i) / 60.0, kDesignWidth, kDesignHeight});
    if (i >= 0) build_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    renderer.Render(scene, 1.2f, false, nullptr, &error);  // 1600 x 900 board at 1920 x 1080
  });
  const double cpu_per_frame = (cpu_ms() - cpu0) / n;
  const int triangles = renderer.LastTriangles();
  const auto [demo_mean, demo_p99] = measure([&](int) { renderer.RenderDemo(1920, 1080, nullptr); });
  std::printf("board %s on %s, %d frames at 1920x1080 (scene build %.2f ms of each)\n", board.name.c_str(),
              renderer.Renderer().c_str(), n, build_ms / n);
  std::printf("mean %.2f ms  p99 %.2f ms\n", mean, p99);
  std::printf("cpu %.2f ms per frame (all threads), %d triangles\n", cpu_per_frame, triangles);
  std::printf("reference (ImGui demo window): mean %.2f ms  p99 %.2f ms\n", demo_mean, demo_p99);
  return 0;
}

}  // namespace

std::string UsageText() {
  return R"(blackboard: the math of how LLMs are trained and served, on a blackboard.

usage:
  blackboard [FILE.json]                      open the GUI (a scenario or a lecture; default lecture if none)
             [--board B] [--theme T] [--fresh]  start on a board / theme; --fresh ignores the saved session
             [--present]                      start presenting: full screen, panels hidden (F5 / Esc)
             [--frames N [--drag] [--screenshot OUT.png]]
                                              run N frames and exit, printing the mean and p99 frame time;
                                              --drag moves the board's main slider every frame
  blackboard eval [FILE.json] [--set K=V]... [--json]
                                              every figure of a scenario (seconds, bytes, FLOP/s, $)
  blackboard render BOARD [FILE.json] [--set K=V]... --out OUT.png|.svg|.gif|.mp4|.webm|.html|.json
                    [--size WxH] [--scale N] [--theme blackboard|print|screen] [--time SECONDS]
                    [--duration SECONDS --fps N] [--transparent] [--with-scenario] [--step N]
                    [--compare B.json]         (A/B side by side; OUT with %04d: a numbered PNG sequence)
                    [--morph T [--morph-from-set K=V]...]
                                              a board as PNG (headless, EGL), SVG (text as text), GIF,
                                              MP4 (H.264) or WebM (VP9): --duration S --fps N of the
                                              board's animation, encoded as drawn; HTML: a live page
                                              (WebAssembly, sliders, #field=value in the URL; needs
                                              cmake --preset web built once);
                                              FILE may be a lecture: --step N takes that step's scenario
                                              and chalk annotations (BOARD "step" = the step's board)
                                              JSON: a pipeline board's schedule as a Chrome trace
                                              --morph T (pipeline-training): the moment T, 0 to 1, of the
                                              animated switch from FILE with the --morph-from-set values
                                              (not the --set ones) to FILE with the --set values; with an
                                              animated OUT and no --morph, the morph runs over the clip
  blackboard search [FILE.json] [--set K=V]... [--top N] [--json]
                                              every valid training plan on the cluster, best first
  blackboard list boards|hardware|models|lectures|themes
  blackboard lint LECTURE.json                every step shows its idea: no degenerate board, no point
                                              that does not fit in HBM (unless the title says so), the
                                              title's claims hold ("no bubble", "memory-bound", "fits");
                                              one line per problem (exit 1), silent when clean
  blackboard schema [scenario|lecture]        the JSON Schema (draft 2020-12) of scenario or lecture files,
                                              for editors ("$schema": "../schema/scenario.schema.json")
  blackboard --bench-frames N BOARD [--theme T]
                                              render N frames offscreen at 1920x1080; prints mean and p99
  blackboard --help | --version

examples:
  blackboard eval --set model=llama-3-70b --set hardware=h100-sxm --set serving.batch=64 --json
  blackboard render batch --out batch.png --scale 2
  blackboard render roofline --theme print --out roofline.svg
  blackboard render pipeline-training --set training.schedule=zb-h1 --out step.json
  blackboard render pipeline-training --set training.schedule=zb-h1 --morph-from-set training.schedule=1f1b \
                    --morph 0.5 --out morph.png
  blackboard search --set model=llama-3-70b --set hardware=h100-sxm --set cluster.racks=128 --top 5

exit status: 0 done; 2 bad input (one line naming file, field, value and what is allowed); 1 internal error.
)";
}

bool IsCliCommand(const std::string& a) {
  return a == "eval" || a == "render" || a == "list" || a == "search" || a == "schema" || a == "lint" ||
         a == "--bench-frames" ||
         a == "--help" || a == "-h" ||
         a == "--version" || a == "help";
}

// Every message is one line of bounded length whatever the arguments held (a flag or value with a
// newline or 20 KB of text, found by tests/cli/argv_fuzz_test.cpp): control characters escaped.
namespace {
std::string MessageLine(const std::string& what) { return Abbreviate(OneLine(what), 1000); }
}  // namespace

int RunCli(const std::vector<std::string>& a) {
  try {
    if (a.empty() || a[0] == "--help" || a[0] == "-h" || a[0] == "help") {
      std::cout << UsageText();
      return 0;
    }
    if (a[0] == "--version") {
      std::cout << "blackboard " << BLACKBOARD_VERSION << " (assets: " << AssetDir() << ")\n";
      return 0;
    }
    if (a[0] == "--bench-frames") return BenchFrames(a);
    const Args args = Parse(a);
    if (args.command == "eval") return Eval(args);
    if (args.command == "render") return Render(args);
    if (args.command == "list") return List(args);
    if (args.command == "search") return Search(args);
    if (args.command == "schema") return Schema(args);
    if (args.command == "lint") return Lint(args);
    throw UsageError("unknown command " + args.command + "; see blackboard --help");
  } catch (const ScenarioError& e) {
    std::cerr << MessageLine(e.what()) << "\n";
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "blackboard: " << MessageLine(e.what()) << "\n";
    return 2;
  } catch (const OutputError& e) {  // a folder that vanished, a full disk: said plainly, not "internal"
    std::cerr << "blackboard: " << MessageLine(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "blackboard: internal error: " << MessageLine(e.what()) << "\n";
    return 1;
  }
}

}  // namespace blackboard
