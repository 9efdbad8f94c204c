// Shared label formatting.
#include "text_format.hpp"

#include <cmath>
#include <cstdio>

namespace blackboard {

std::string Fmt(const char* format, double v) {
  char buf[128];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string Grouped(double v) {
  const std::string digits = Fmt("%.0f", std::fabs(v));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  if (v < 0 && digits != "0") out.insert(out.begin(), '-');
  return out;
}

}  // namespace blackboard
