// hb-subset: blob -> face -> subset input (the Unicode set) -> subset face -> blob.
#include "font_subset.hpp"

#include <hb-subset.h>
#include <hb.h>

#include <memory>

namespace blackboard {

namespace {
struct BlobFree {
  void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
};
struct FaceFree {
  void operator()(hb_face_t* f) const { hb_face_destroy(f); }
};
struct InputFree {
  void operator()(hb_subset_input_t* i) const { hb_subset_input_destroy(i); }
};
}  // namespace

std::string SubsetFontFile(const std::string& path, const std::set<char32_t>& codepoints) {
  const std::unique_ptr<hb_blob_t, BlobFree> blob(hb_blob_create_from_file_or_fail(path.c_str()));
  if (!blob) return "";
  const std::unique_ptr<hb_face_t, FaceFree> face(hb_face_create(blob.get(), 0));
  const std::unique_ptr<hb_subset_input_t, InputFree> input(hb_subset_input_create_or_fail());
  if (!face || !input) return "";
  hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
  for (const char32_t cp : codepoints) hb_set_add(unicodes, static_cast<hb_codepoint_t>(cp));
  const std::unique_ptr<hb_face_t, FaceFree> subset(hb_subset_or_fail(face.get(), input.get()));
  if (!subset) return "";
  const std::unique_ptr<hb_blob_t, BlobFree> out(hb_face_reference_blob(subset.get()));
  unsigned length = 0;
  const char* data = hb_blob_get_data(out.get(), &length);
  return data && length > 0 ? std::string(data, length) : std::string();
}

}  // namespace blackboard
