// Golden tests of the interview parser.
//
// For every input NAME.{txt,md,markdown} in tests/golden/inputs/ (and for
// every NAME.expect.json there whose input lives in tests/data/):
//   (a) parse it (the format follows the extension, as on the command line);
//   (b) doc::check() must find nothing wrong with the tree;
//   (c) the facts in inputs/NAME.expect.json must hold in the JSON tree;
//   (d) to_text(tree) plus the diagnostics must equal expected/NAME.tree.txt.
// With GALLEY_UPDATE_GOLDEN=1 in the environment, (d) writes the expected
// file instead of comparing (tools/update-golden, `make golden`).
//
// NAME.expect.json is written by a person reading the input, independently
// of the parser. Every key is optional:
//   title, subtitle, language            metadata, exact
//   subject                              the article's subject (breadcrumb section)
//   subjects: [s...]                     metadata subjects, exact
//   metadata: {key: value}               other metadata strings (date, source, ...), exact
//   no_metadata_contains: [s...]         no metadata string (title, subjects, names...) contains s
//   questions, answers                   number of top-level question / answer turns
//   alternating: true                    turns go Q, A, Q, A ... starting with a question
//   interviewer, interviewee             first contributor with that role; names compare
//                                        case-insensitively; null = no named contributor
//   interviewer_description,
//   interviewee_description              exact; null = empty
//   figures, related                     number of figure / related blocks anywhere
//   related_lang                         lang of every related block; null = none set
//   paragraph_lang                       lang of every paragraph and lead; null = none set
//   related_langs: [l...]                lang of each related block in order; "" = none set
//   block_counts: {type: n}              number of blocks of that type anywhere
//   figure_captions, figure_credits,
//   figure_images                        one entry per figure, in order, exact
//   no_block_contains: [s...]            no block's text, caption or credit contains s
//   block_contains: [s...]               some block's text contains s
//   first_question_starts                first paragraph of the first question starts so
//   first_answer_starts                  same for the first answer
//   first_question_contains              the first paragraph of the first question contains it
//   first_answer_contains                some paragraph of the first answer starts so
//   last_answer_contains                 some paragraph of the last answer contains it
//   has_lead: true|false                 a lead block exists / none exists
//   lead_starts                          the first lead block starts so
//   min_paragraphs                       at least this many top-level paragraphs
//   min_answer_paragraphs                the longest answer has at least this many paragraphs
//   inline_kinds: [k...]                 these inline kinds occur (insertion, direction...)
//   speaker_count                        number of speakers of the first article
//   no_speaker_named: [s...]             no speaker's name or label equals s (case-insensitive)
//   question_label, answer_label         the label of the first question / answer speaker
//   warnings: [code...]                  these warning codes are reported
//   no_warnings: true                    no warning or error is reported
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "doc/check.hpp"
#include "doc/dump.hpp"
#include "parse/parse.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path tests_dir{GALLEY_TEST_DATA};
const fs::path inputs_dir = tests_dir / "golden" / "inputs";
const fs::path expected_dir = tests_dir / "golden" / "expected";

struct golden_case {
  std::string name;   // the input's stem, e.g. "en-qa-labels-news-page"
  fs::path input;     // the input file
  fs::path expect;    // NAME.expect.json (may not exist: that fails the test)
};

// Printed by GoogleTest in failure messages instead of the struct's bytes.
[[maybe_unused]] void PrintTo(const golden_case& c, std::ostream* os) { *os << c.input.filename().string(); }

bool is_input(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".txt" || ext == ".md" || ext == ".markdown";
}

std::string stem_of_expect(const std::string& filename) {
  const std::string suffix = ".expect.json";
  return filename.substr(0, filename.size() - suffix.size());
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<golden_case> find_cases() {
  std::vector<golden_case> cases;
  std::error_code ec;
  if (!fs::is_directory(inputs_dir, ec)) return cases;
  for (const auto& e : fs::directory_iterator(inputs_dir)) {
    if (!e.is_regular_file() || !is_input(e.path())) continue;
    const auto stem = e.path().stem().string();
    cases.push_back({stem, e.path(), inputs_dir / (stem + ".expect.json")});
  }
  // Expectations for real samples kept in tests/data/.
  for (const auto& e : fs::directory_iterator(inputs_dir)) {
    const auto fname = e.path().filename().string();
    if (!ends_with(fname, ".expect.json")) continue;
    const auto stem = stem_of_expect(fname);
    if (std::any_of(cases.begin(), cases.end(), [&](const golden_case& c) { return c.name == stem; }))
      continue;
    for (const char* ext : {".txt", ".md", ".markdown"}) {
      const auto p = tests_dir / "data" / (stem + ext);
      if (fs::exists(p)) {
        cases.push_back({stem, p, e.path()});
        break;
      }
    }
  }
  std::sort(cases.begin(), cases.end(), [](const golden_case& a, const golden_case& b) { return a.name < b.name; });
  return cases;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string lower(std::string s) {
  // ASCII only: an all-caps label like "MARTA OYELARAN" may come back as the
  // name "Marta Oyelaran", and the corpus keeps caps labels to ASCII names.
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\n");
  return s.substr(b, e - b + 1);
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return trimmed(s).rfind(prefix, 0) == 0;
}

// Calls f(block) for every block of every article, depth first.
template <class F>
void each_block(const json& tree, F&& f) {
  std::vector<const json*> stack;
  for (const auto& a : tree.at("articles")) {
    const auto& blocks = a.at("blocks");
    for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) stack.push_back(&*it);
  }
  while (!stack.empty()) {
    const json* b = stack.back();
    stack.pop_back();
    f(*b);
    if (b->contains("blocks"))
      for (auto it = (*b)["blocks"].rbegin(); it != (*b)["blocks"].rend(); ++it) stack.push_back(&*it);
  }
}

std::vector<const json*> top_level(const json& tree, const std::string& type) {
  std::vector<const json*> out;
  for (const auto& a : tree.at("articles"))
    for (const auto& b : a.at("blocks"))
      if (b.value("type", "") == type) out.push_back(&b);
  return out;
}

std::string str(const json& b, const char* key) {
  return b.contains(key) && b[key].is_string() ? b[key].get<std::string>() : std::string{};
}

std::vector<std::string> paragraphs_of(const json& turn) {
  std::vector<std::string> out;
  if (!turn.contains("blocks")) return out;
  for (const auto& c : turn["blocks"])
    if (c.value("type", "") == "paragraph") out.push_back(str(c, "text"));
  return out;
}

const json* contributor(const json& tree, const std::string& role) {
  for (const auto& c : tree.at("metadata").at("contributors"))
    if (c.value("role", "") == role) return &c;
  return nullptr;
}

void collect_inline_kinds(const json& inl, std::vector<std::string>& kinds) {
  for (const auto& n : inl) {
    kinds.push_back(n.value("type", ""));
    if (n.contains("children")) collect_inline_kinds(n["children"], kinds);
  }
}

void check_person(const json& tree, const json& expect, const std::string& role) {
  const json* c = contributor(tree, role);
  if (expect.contains(role)) {
    const auto& want = expect[role];
    if (want.is_null()) {
      EXPECT_TRUE(c == nullptr || str(*c, "name").empty())
          << "expected no named " << role << ", got \"" << str(*c, "name") << "\"";
    } else {
      ASSERT_NE(c, nullptr) << "expected " << role << " \"" << want.get<std::string>() << "\", found none";
      EXPECT_EQ(lower(str(*c, "name")), lower(want.get<std::string>())) << role << " name";
    }
  }
  const auto dkey = role + "_description";
  if (expect.contains(dkey)) {
    const auto& want = expect[dkey];
    const std::string want_s = want.is_null() ? std::string{} : want.get<std::string>();
    if (c == nullptr) {
      EXPECT_TRUE(want_s.empty()) << dkey << ": no " << role << " found";
    } else {
      EXPECT_EQ(str(*c, "description"), want_s) << dkey;
    }
  }
}

void check_expectations(const json& tree, const json& expect, const galley::diagnostics& diags) {
  ASSERT_TRUE(tree.contains("metadata") && tree.contains("articles"));
  const auto& meta = tree["metadata"];
  ASSERT_FALSE(tree["articles"].empty()) << "no article in the tree";

  for (const char* key : {"title", "subtitle", "language"})
    if (expect.contains(key)) { EXPECT_EQ(str(meta, key), expect[key].get<std::string>()) << key; }
  if (expect.contains("subjects")) {
    EXPECT_EQ(meta.value("subjects", json::array()), expect["subjects"]) << "subjects";
  }
  if (expect.contains("metadata")) {
    for (const auto& [key, value] : expect["metadata"].items()) EXPECT_EQ(str(meta, key.c_str()), value.get<std::string>()) << key;
  }
  if (expect.contains("no_metadata_contains")) {
    const auto dumped = meta.dump();
    for (const auto& s : expect["no_metadata_contains"].get<std::vector<std::string>>())
      EXPECT_EQ(dumped.find(s), std::string::npos) << "the metadata contain \"" << s << "\": " << dumped;
  }
  if (expect.contains("subject")) {
    EXPECT_EQ(str(tree["articles"][0], "subject"), expect["subject"].get<std::string>()) << "subject";
  }

  const auto questions = top_level(tree, "question");
  const auto answers = top_level(tree, "answer");
  if (expect.contains("questions")) { EXPECT_EQ(questions.size(), expect["questions"].get<std::size_t>()) << "questions"; }
  if (expect.contains("answers")) { EXPECT_EQ(answers.size(), expect["answers"].get<std::size_t>()) << "answers"; }
  if (expect.value("alternating", false)) {
    std::string seq;
    for (const auto& a : tree["articles"])
      for (const auto& b : a["blocks"]) {
        const auto t = b.value("type", "");
        if (t == "question") seq += 'Q';
        if (t == "answer") seq += 'A';
      }
    std::string want;
    for (std::size_t i = 0; i < seq.size(); ++i) want += (i % 2 == 0) ? 'Q' : 'A';
    EXPECT_EQ(seq, want) << "turns must alternate, starting with a question";
  }

  check_person(tree, expect, "interviewer");
  check_person(tree, expect, "interviewee");

  std::vector<const json*> figures, related, leads;
  std::vector<std::string> texts;  // every block's text, caption and credit
  std::vector<std::string> inline_kinds;
  each_block(tree, [&](const json& b) {
    const auto t = b.value("type", "");
    if (t == "figure") figures.push_back(&b);
    if (t == "related") related.push_back(&b);
    if (t == "lead") leads.push_back(&b);
    for (const char* key : {"text", "caption", "credit", "alt"})
      if (b.contains(key)) texts.push_back(str(b, key));
    if (b.contains("inlines")) collect_inline_kinds(b["inlines"], inline_kinds);
  });

  if (expect.contains("figures")) { EXPECT_EQ(figures.size(), expect["figures"].get<std::size_t>()) << "figures"; }
  if (expect.contains("related")) { EXPECT_EQ(related.size(), expect["related"].get<std::size_t>()) << "related"; }
  if (expect.contains("related_lang")) {
    const auto want = expect["related_lang"].is_null() ? std::string{} : expect["related_lang"].get<std::string>();
    for (const auto* r : related)
      EXPECT_EQ(str(*r, "lang"), want) << "lang of related block at line " << r->value("line", 0) << ": "
                                       << str(*r, "text");
  }
  if (expect.contains("paragraph_lang")) {
    const auto want = expect["paragraph_lang"].is_null() ? std::string{} : expect["paragraph_lang"].get<std::string>();
    each_block(tree, [&](const json& b) {
      const auto t = b.value("type", "");
      if (t == "paragraph" || t == "lead") {
        EXPECT_EQ(str(b, "lang"), want) << "lang of the " << t << " at line " << b.value("line", 0) << ": "
                                        << str(b, "text");
      }
    });
  }
  if (expect.contains("related_langs")) {
    std::vector<std::string> got;
    for (const auto* r : related) got.push_back(str(*r, "lang"));
    EXPECT_EQ(got, expect["related_langs"].get<std::vector<std::string>>()) << "related_langs";
  }
  if (expect.contains("block_counts")) {
    for (const auto& item : expect["block_counts"].items()) {
      const std::string type = item.key();  // not a structured binding: clang 14 cannot capture those
      std::size_t got = 0;
      each_block(tree, [&](const json& b) { got += b.value("type", "") == type; });
      EXPECT_EQ(got, item.value().get<std::size_t>()) << "blocks of type " << type;
    }
  }
  for (const auto& [key, field] : {std::pair{"figure_captions", "caption"}, std::pair{"figure_credits", "credit"},
                                   std::pair{"figure_images", "image"}}) {
    if (!expect.contains(key)) continue;
    std::vector<std::string> got;
    for (const auto* f : figures) got.push_back(str(*f, field));
    EXPECT_EQ(got, expect[key].get<std::vector<std::string>>()) << key;
  }

  if (expect.contains("no_block_contains")) {
    for (const auto& s : expect["no_block_contains"].get<std::vector<std::string>>())
      for (const auto& t : texts) EXPECT_EQ(t.find(s), std::string::npos) << "a block contains \"" << s << "\": " << t;
  }
  if (expect.contains("block_contains")) {
    for (const auto& s : expect["block_contains"].get<std::vector<std::string>>())
      EXPECT_TRUE(std::any_of(texts.begin(), texts.end(), [&](const std::string& t) { return t.find(s) != std::string::npos; }))
          << "no block contains \"" << s << "\"";
  }

  auto first_para = [](const std::vector<const json*>& turns) {
    if (turns.empty()) return std::string{"(no turn)"};
    const auto ps = paragraphs_of(*turns.front());
    return ps.empty() ? std::string{"(no paragraph)"} : ps.front();
  };
  if (expect.contains("first_question_starts")) {
    const auto got = first_para(questions);
    EXPECT_TRUE(starts_with(got, expect["first_question_starts"].get<std::string>()))
        << "first question: " << got;
  }
  if (expect.contains("first_question_contains")) {
    const auto got = first_para(questions);
    EXPECT_NE(got.find(expect["first_question_contains"].get<std::string>()), std::string::npos)
        << "first question: " << got;
  }
  if (expect.contains("first_answer_starts")) {
    const auto got = first_para(answers);
    EXPECT_TRUE(starts_with(got, expect["first_answer_starts"].get<std::string>())) << "first answer: " << got;
  }
  if (expect.contains("first_answer_contains")) {
    const auto want = expect["first_answer_contains"].get<std::string>();
    ASSERT_FALSE(answers.empty()) << "no answer";
    const auto ps = paragraphs_of(*answers.front());
    EXPECT_TRUE(std::any_of(ps.begin(), ps.end(), [&](const std::string& p) { return starts_with(p, want); }))
        << "the first answer has no paragraph starting \"" << want << "\"";
  }
  if (expect.contains("last_answer_contains")) {
    const auto want = expect["last_answer_contains"].get<std::string>();
    ASSERT_FALSE(answers.empty()) << "no answer";
    const auto ps = paragraphs_of(*answers.back());
    EXPECT_TRUE(std::any_of(ps.begin(), ps.end(), [&](const std::string& p) { return p.find(want) != std::string::npos; }))
        << "the last answer has no paragraph containing \"" << want << "\"";
  }
  if (expect.contains("has_lead")) { EXPECT_EQ(!leads.empty(), expect["has_lead"].get<bool>()) << "lead"; }
  if (expect.contains("lead_starts")) {
    ASSERT_FALSE(leads.empty()) << "no lead";
    EXPECT_TRUE(starts_with(str(*leads.front(), "text"), expect["lead_starts"].get<std::string>()))
        << "lead: " << str(*leads.front(), "text");
  }
  if (expect.contains("min_paragraphs")) {
    EXPECT_GE(top_level(tree, "paragraph").size(), expect["min_paragraphs"].get<std::size_t>()) << "paragraphs kept";
  }
  if (expect.contains("min_answer_paragraphs")) {
    std::size_t most = 0;
    for (const auto* a : answers) most = std::max(most, paragraphs_of(*a).size());
    EXPECT_GE(most, expect["min_answer_paragraphs"].get<std::size_t>()) << "paragraphs in the longest answer";
  }
  if (expect.contains("inline_kinds")) {
    for (const auto& k : expect["inline_kinds"].get<std::vector<std::string>>())
      EXPECT_NE(std::find(inline_kinds.begin(), inline_kinds.end(), k), inline_kinds.end()) << "no " << k << " inline";
  }
  if (expect.contains("speaker_count")) {
    EXPECT_EQ(tree["articles"][0]["speakers"].size(), expect["speaker_count"].get<std::size_t>()) << "speakers";
  }
  if (expect.contains("no_speaker_named"))
    for (const auto& s : expect["no_speaker_named"].get<std::vector<std::string>>())
      for (const auto& a : tree["articles"])
        for (const auto& sp : a["speakers"]) {
          EXPECT_NE(lower(str(sp, "name")), lower(s)) << "speaker named " << s;
          EXPECT_NE(lower(str(sp, "label")), lower(s)) << "speaker labelled " << s;
        }
  for (const auto& [key, turns] : {std::pair{"question_label", &questions}, std::pair{"answer_label", &answers}}) {
    if (!expect.contains(key)) continue;
    ASSERT_FALSE(turns->empty()) << key << ": no turn";
    const auto idx = turns->front()->value("speaker_index", -1);
    ASSERT_GE(idx, 0);
    const auto& sp = tree["articles"][0]["speakers"][static_cast<std::size_t>(idx)];
    EXPECT_EQ(str(sp, "label"), expect[key].get<std::string>()) << key;
  }
  if (expect.contains("warnings"))
    for (const auto& code : expect["warnings"].get<std::vector<std::string>>()) {
      bool found = false;
      for (const auto& d : diags.list()) found |= d.code == code && d.severity == galley::severity::warning;
      EXPECT_TRUE(found) << "expected warning [" << code << "]; diagnostics:\n" << diags.to_text();
    }
  if (expect.value("no_warnings", false)) {
    EXPECT_EQ(diags.to_text(galley::severity::warning), "") << "expected no warnings";
  }
}

class golden : public ::testing::TestWithParam<golden_case> {};

TEST_P(golden, matches_expectations_and_dump) {
  const auto& c = GetParam();
  const auto bytes = read_file(c.input);
  const auto source_name = c.input.filename().string();
  galley::diagnostics diags(source_name);
  galley::parse::options opts;
  opts.format = galley::parse::format_for(source_name);

  galley::doc::document doc;
  try {
    doc = galley::parse::parse_interview(bytes, source_name, opts, diags);
  } catch (const std::exception& e) {
    FAIL() << "parse_interview threw: " << e.what();
  }

  // (b) the tree's invariants
  const auto problems = galley::doc::check(doc);
  for (const auto& p : problems) ADD_FAILURE() << "doc::check: " << p;

  // (c) the human-written expectations
  const auto tree = json::parse(galley::doc::to_json(doc));
  if (!fs::exists(c.expect)) {
    ADD_FAILURE() << "missing " << c.expect.string() << ": write down what a reader finds in " << source_name;
  } else {
    json expect;
    try {
      expect = json::parse(read_file(c.expect));
    } catch (const std::exception& e) {
      FAIL() << c.expect.string() << ": " << e.what();
    }
    SCOPED_TRACE(c.expect.string());
    check_expectations(tree, expect, diags);
  }

  // (d) the reviewed dump
  const auto actual = galley::doc::to_text(doc) + "\n--- diagnostics\n" + diags.to_text();
  const auto expected_path = expected_dir / (c.name + ".tree.txt");
  const char* update = std::getenv("GALLEY_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::create_directories(expected_dir);
    std::ofstream out(expected_path, std::ios::binary);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write " << expected_path.string();
    return;
  }
  if (!fs::exists(expected_path)) {
    FAIL() << "missing " << expected_path.string()
           << "\nrun `make golden` (tools/update-golden BUILD_DIR) to write it, then review it";
  }
  const auto expected = read_file(expected_path);
  // Diff lines: "-" is the reviewed dump, "+" is what the parser makes now.
  EXPECT_EQ(expected, actual) << "the tree dump of " << source_name << " changed; if the change is right, run "
                              << "`make golden` and review the diff of " << expected_path.string();
}

std::string case_name(const ::testing::TestParamInfo<golden_case>& info) {
  std::string n;
  for (char ch : info.param.name) n += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(inputs, golden, ::testing::ValuesIn(find_cases()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(golden);

// Every input has its expectations, and there are enough inputs.
TEST(golden_corpus, every_input_has_expectations) {
  const auto cases = find_cases();
  EXPECT_GE(cases.size(), 21u) << "the corpus shrank";
  for (const auto& c : cases) EXPECT_TRUE(fs::exists(c.expect)) << c.input.string() << " has no expect file";
}

}  // namespace
