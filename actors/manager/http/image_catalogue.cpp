#include "actors/manager/http/image_catalogue.hpp"

#include "runtime/json/json_writer.hpp"

namespace baikal {

std::string render_image_catalogue(const std::vector<catalogue_image>& images) {
  json::writer w;
  w.begin_object();
  w.key("items");
  w.begin_array();
  for (auto& img : images) {
    w.begin_object();
    w.field("reference", img.reference);
    w.field("canonical", img.canonical);
    w.field("architecture", img.architecture);
    w.field("is_local", img.is_local);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

} // namespace baikal
