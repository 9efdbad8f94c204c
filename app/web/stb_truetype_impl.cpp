// The web module has no Debian libstb to link (it is a native library): the stb_truetype functions that
// app/scene/text_metrics.cpp uses are compiled here, once, from the same Debian header (libstb-dev).
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
