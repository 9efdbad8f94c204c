// The editor schema generated from the scenario field table (ScenarioJsonSchema) and the lecture one:
// every field of a scenario appears with its type and a description; the loaders take "$schema".
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "blackboard/lecture.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {
namespace {

using nlohmann::json;

// The object form of a section (hardware and model are "a preset name or an object").
const json& SectionObject(const json& schema, const std::string& section) {
  const json& s = schema.at("properties").at(section);
  return s.contains("anyOf") ? s.at("anyOf").back() : s;
}

TEST(ScenarioSchema, EveryFieldOfAScenarioIsDescribed) {
  const json schema = ScenarioJsonSchema();
  EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(schema.at("additionalProperties"), false);  // a misspelt section is flagged
  const Scenario s = DefaultScenario();
  int fields = 0;
  const json scenario = ToJson(s);
  for (const auto& [section, value] : scenario.items()) {
    ASSERT_TRUE(schema.at("properties").contains(section)) << section;
    if (!value.is_object()) continue;
    const json& object = SectionObject(schema, section);
    EXPECT_EQ(object.at("type"), "object") << section;
    for (const auto& [key, unused] : value.items()) {
      if (section == "efficiency" && s.efficiency.overheads.count(key)) continue;  // named overheads
      ASSERT_TRUE(object.at("properties").contains(key)) << section << "." << key;
      const json& field = object.at("properties").at(key);
      EXPECT_TRUE(field.contains("type")) << section << "." << key;
      EXPECT_FALSE(field.value("description", "").empty())
          << section << "." << key << " has no description: add one in the field table (core/src/scenario.cpp)";
      ++fields;
    }
  }
  EXPECT_GT(fields, 70);
}

TEST(ScenarioSchema, RangesEnumsAndPresetsComeFromTheTable) {
  const json schema = ScenarioJsonSchema();
  const json& batch = SectionObject(schema, "serving").at("properties").at("batch");
  EXPECT_EQ(batch.at("type"), "integer");
  EXPECT_EQ(batch.at("minimum"), 1);
  EXPECT_EQ(batch.at("default"), 64);
  EXPECT_NE(batch.at("description").get<std::string>().find("count"), std::string::npos);
  const json& rate = SectionObject(schema, "serving").at("properties").at("cache_hit_rate");
  EXPECT_EQ(rate.at("type"), "number");
  EXPECT_EQ(rate.at("maximum"), 1);
  EXPECT_EQ(SectionObject(schema, "model").at("properties").at("attention").at("enum"),
            json::array({"mha", "gqa", "mqa", "mla"}));
  const json& presets = schema.at("properties").at("hardware").at("anyOf").front().at("enum");
  EXPECT_NE(std::find(presets.begin(), presets.end(), "h100-sxm"), presets.end());
  EXPECT_EQ(schema.at("properties").at("efficiency").at("anyOf").front().at("enum"),
            json::array({kCalibrationName, kRooflineName}));
}

TEST(ScenarioSchema, LoadersAcceptTheSchemaKey) {
  const Scenario s = ScenarioFromJson(json::parse(R"({"$schema": "../schema/scenario.schema.json",
                                                      "serving": {"batch": 32}})"),
                                      "x.json");
  EXPECT_EQ(s.serving.batch, 32);
  EXPECT_THROW(ScenarioFromJson(json::parse(R"({"$schema": 1})"), "x.json"), ScenarioError);
  const Lecture lec = LectureFromJson(
      json::parse(R"({"$schema": "../schema/lecture.schema.json", "steps": [{"board": "batch"}]})"), "l.json", {});
  EXPECT_EQ(lec.steps.size(), 1u);
}

TEST(LectureSchema, StepsNameBoardsAndSetTakesDottedPaths) {
  const json schema = LectureJsonSchema({"batch", "roofline"});
  const json& step = schema.at("$defs").at("step");
  EXPECT_EQ(step.at("properties").at("board").at("enum"), json::array({"batch", "roofline"}));
  const json& set = step.at("properties").at("set").at("properties");
  EXPECT_EQ(set.at("serving.batch").at("type"), "integer");
  EXPECT_TRUE(set.contains("model"));  // a preset name, as --set model=...
  EXPECT_FALSE(set.contains("model.preset"));
  EXPECT_FALSE(schema.at("$defs").at("scenario").contains("$schema"));  // a subschema, not a document
}

}  // namespace
}  // namespace blackboard
