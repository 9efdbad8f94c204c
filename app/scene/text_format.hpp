// Small text helpers shared by the boards (numbers into labels). Units-aware formatting lives in
// core's report.hpp (FormatSeconds, FormatBytes, ...) and plot.hpp (FormatWithUnit).
#pragma once

#include <string>

namespace blackboard {

// printf-style formatting of one number: Fmt("%.1f ms", 17.2) == "17.2 ms".
std::string Fmt(const char* format, double v);
// Whole numbers with thousands separators: Grouped(1666.7) == "1,667".
std::string Grouped(double v);

}  // namespace blackboard
