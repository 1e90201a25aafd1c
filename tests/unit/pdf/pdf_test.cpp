// PDF writer tests: hand-made pages, checked with real tools (qpdf, poppler).
#include "pdf/pdf.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <hb.h>
#include <unistd.h>

#include "../image/make_images.hpp"
#include "base/diagnostics.hpp"
#include "base/output.hpp"
#include "base/utf8.hpp"
#include "pdf/haru.hpp"

namespace fs = std::filesystem;
using namespace galley;

namespace {

const char* const charis = "/usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf";
const char* const dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr double a5_w = 419.53, a5_h = 595.28;

struct result {
  int status = -1;
  std::string out, err;
};

// Runs a shell command; stdout and stderr captured separately.
result run(const std::string& cmd, const fs::path& scratch) {
  fs::path err = scratch / "stderr.txt";
  result r;
  FILE* f = popen((cmd + " 2>'" + err.string() + "'").c_str(), "r");
  if (!f) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) r.out.append(buf.data(), n);
  int st = pclose(f);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream e(err);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  return r;
}

bool have_tool(const char* name) {
  return std::system((std::string("command -v ") + name + " >/dev/null 2>&1").c_str()) == 0;
}

std::string write_pdf_string(const layout::pages& p, const pdf::pdf_options& o = {}) {
  string_sink s;
  pdf::write_pdf(p, o, s);
  return s.take();
}

layout::text_run make_run(int font, double size, double x, double y, std::string text) {
  layout::text_run r;
  r.font = font;
  r.size = size;
  r.x = x;
  r.y = y;
  r.text = std::move(text);
  return r;
}

class pdf_test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(charis) || !fs::exists(dejavu)) GTEST_SKIP() << "fonts missing";
    dir_ = fs::temp_directory_path() /
           ("galley-pdf-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty() && !std::getenv("GALLEY_KEEP_TEST_PDF")) fs::remove_all(dir_);
  }

  fs::path save(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

  // Two A5 pages: Charis (Latin, Cyrillic, Greek) and DejaVu Sans, kerning,
  // a hyphenated word with ActualText, rules, a PNG, links, a two-level
  // outline, page labels and a trim box.
  layout::pages sample() {
    layout::pages p;
    p.fonts.push_back({charis, 0, "Charis SIL", "Regular"});
    p.fonts.push_back({dejavu, 0, "DejaVu Sans", "Book"});
    p.info.title = "Интервью: a conversation";
    p.info.author = "Ana Ambrazevič";
    p.info.subject = "Interviews";
    p.info.keywords = "interview, книга";
    p.info.lang = "en";

    galley::test::png_spec spec;
    spec.width = 40;
    spec.height = 30;
    spec.colour_type = PNG_COLOR_TYPE_RGB_ALPHA;
    std::string png = galley::test::make_png(spec);
    fs::path png_path = save("picture.png", png);

    layout::page one;
    one.width = a5_w;
    one.height = a5_h;
    one.trim_box = {9, 9, a5_w - 9, a5_h - 9};
    one.bleed_box = {0, 0, a5_w, a5_h};
    one.label = "i";
    auto title = make_run(1, 16, 50, 540, "AVATAR WAVE Typography");
    title.adjust = {{0, -80}, {1, -60}, {2, -70}, {6, -50}, {7, -40}};
    one.runs.push_back(title);
    auto latin = make_run(0, 10.5, 50, 510, "The quick brown fox jumps over the lazy dog.");
    latin.adjust = {{3, 120}, {9, 120}, {15, 120}, {19, 120}, {25, 120}, {30, 120}, {34, 120},
                    {39, 120}};
    one.runs.push_back(latin);
    one.runs.push_back(make_run(0, 10.5, 50, 495, "Съешь же ещё этих мягких французских булок."));
    // Greek in DejaVu: Debian's Charis SIL 6.101 has only a few Greek letters.
    one.runs.push_back(make_run(1, 10, 50, 480, "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία."));
    // A break hyphen is drawn and left to the extractor: pdftotext joins a
    // line-end "-" with a lowercase next line itself (see actual_text test).
    one.runs.push_back(make_run(0, 10.5, 50, 465, "A long word gets hyph-"));
    one.runs.push_back(make_run(0, 10.5, 50, 450, "enated at the end of the line."));
    auto grey = make_run(1, 9, 50, 430, "Grey, condensed 97%.");
    grey.colour = {0.4f, 0.4f, 0.4f};
    grey.horizontal_scale = 97;
    one.runs.push_back(grey);
    one.runs.push_back(make_run(1, 8, 200, 30, "i"));
    one.rules.push_back({50, 525, a5_w - 50, 525, 0.5, {}});
    one.rules.push_back({50, 420, a5_w - 50, 420, 1, {0.8f, 0.1f, 0.1f}});
    one.images.push_back({png_path.string(), 50, 300, 120, 90, "a gradient"});
    one.links.push_back({{50, 505, 200, 518}, "https://example.org/été?q=a b", -1, 0});
    one.links.push_back({{50, 445, 200, 458}, "", 1, 500});
    p.list.push_back(one);

    layout::page two;
    two.width = a5_w;
    two.height = a5_h;
    two.trim_box = one.trim_box;
    two.label = "1";
    two.runs.push_back(make_run(0, 12, 50, 540, "Второй раздел: вопрос"));
    two.runs.push_back(make_run(0, 10.5, 50, 520, "Answer text on page two."));
    auto part = make_run(0, 10.5, 50, 500, "Part XII");
    part.actual_text = "Part 12";
    two.runs.push_back(part);
    two.runs.push_back(make_run(1, 8, 200, 30, "1"));
    p.list.push_back(two);

    p.outline.push_back({"Интервью", 0, 0, 545});
    p.outline.push_back({"First question", 1, 0, 515});
    p.outline.push_back({"Второй раздел", 1, 1, 545});
    p.outline.push_back({"Appendix", 0, 1, 520});
    return p;
  }

  fs::path dir_;
};

}  // namespace

TEST_F(pdf_test, qpdf_check_passes) {
  if (!have_tool("qpdf")) GTEST_SKIP() << "qpdf missing";
  for (bool compress : {true, false}) {
    pdf::pdf_options o;
    o.compress = compress;
    fs::path f = save(compress ? "c.pdf" : "u.pdf", write_pdf_string(sample(), o));
    result r = run("qpdf --check '" + f.string() + "'", dir_);
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("No syntax or stream encoding errors found"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("WARNING"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "");
  }
}

TEST_F(pdf_test, sample_has_no_warnings) {
  galley::diagnostics d;
  pdf::pdf_options o;
  o.diagnostics = &d;
  write_pdf_string(sample(), o);
  EXPECT_EQ(d.list().size(), 0u) << d.to_text();
}

TEST_F(pdf_test, fonts_are_embedded_subset_and_unicode) {
  if (!have_tool("pdffonts")) GTEST_SKIP() << "pdffonts missing";
  fs::path f = save("fonts.pdf", write_pdf_string(sample()));
  result r = run("pdffonts '" + f.string() + "'", dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "");
  std::istringstream lines(r.out);
  std::string line;
  int fonts = 0;
  std::regex row(R"(^([A-Z]{6})\+(\S+)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s)");
  std::set<std::string> tags;
  while (std::getline(lines, line)) {
    if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0) continue;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(line, m, row)) << line;
    if (!m.empty()) tags.insert(m[1]);
    ++fonts;
  }
  EXPECT_EQ(fonts, 2) << r.out;
  EXPECT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags.count("HPDFAA"), 0u);  // our own tags, not libharu's counter
}

TEST_F(pdf_test, pdftotext_gives_the_text_back_in_order) {
  if (!have_tool("pdftotext")) GTEST_SKIP() << "pdftotext missing";
  fs::path f = save("text.pdf", write_pdf_string(sample()));
  result r = run("pdftotext -enc UTF-8 '" + f.string() + "' -", dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "") << "poppler complained";
  const char* expected[] = {"AVATAR WAVE Typography",
                            "The quick brown fox jumps over the lazy dog.",
                            "Съешь же ещё этих мягких французских булок.",
                            "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
                            "Grey, condensed 97%.",
                            "Второй раздел: вопрос",
                            "Answer text on page two."};
  std::size_t at = 0;
  for (const char* e : expected) {
    std::size_t pos = r.out.find(e, at);
    EXPECT_NE(pos, std::string::npos) << "missing or out of order: " << e << "\n" << r.out;
    if (pos != std::string::npos) at = pos;
  }
  // The hyphenated word comes back whole: pdftotext joins "hyph-" + "enated"
  // at a line end itself.
  EXPECT_NE(r.out.find("A long word gets hyphenated at the end of the line."), std::string::npos)
      << r.out;
}

// ActualText is honoured by pdftotext: it replaces the drawn text. Measured:
// with ActualText "hyph" for a drawn "hyph-", pdftotext no longer sees the
// line-end hyphen and gives "hyph" / "enated" on two lines; so layout should
// not set actual_text for break hyphens (the hyphen-joining is better left to
// the extractor), only for drawn text that differs in other ways.
TEST_F(pdf_test, actual_text_is_what_pdftotext_extracts) {
  if (!have_tool("pdftotext")) GTEST_SKIP() << "pdftotext missing";
  layout::pages p;
  p.fonts.push_back({charis, 0, "Charis SIL", "Regular"});
  layout::page pg;
  pg.width = a5_w;
  pg.height = a5_h;
  auto roman = make_run(0, 12, 50, 500, "Chapter XII");
  roman.actual_text = "Chapter 12";
  pg.runs.push_back(roman);
  auto first = make_run(0, 12, 50, 480, "A hyph-");
  first.actual_text = "A hyph";
  pg.runs.push_back(first);
  pg.runs.push_back(make_run(0, 12, 50, 465, "enated word"));
  p.list.push_back(pg);
  fs::path f = save("actual.pdf", write_pdf_string(p));
  result r = run("pdftotext -enc UTF-8 '" + f.string() + "' -", dir_);
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("Chapter 12"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("XII"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("A hyph\nenated word"), std::string::npos) << r.out;
}

// A second, independent text extractor: Ghostscript's txtwrite.
TEST_F(pdf_test, ghostscript_extracts_the_text_too) {
  if (!have_tool("gs")) GTEST_SKIP() << "gs missing";
  fs::path f = save("gs.pdf", write_pdf_string(sample()));
  result r = run("gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=txtwrite -sOutputFile=- '" +
                     f.string() + "'",
                 dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "");
  for (const char* e : {"The quick brown fox", "Съешь же ещё этих мягких французских булок.",
                        "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.", "Второй раздел: вопрос"})
    EXPECT_NE(r.out.find(e), std::string::npos) << e << "\n" << r.out;
}

TEST_F(pdf_test, two_writes_are_identical_and_undated) {
  std::string a = write_pdf_string(sample());
  std::string b = write_pdf_string(sample());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.find("/CreationDate"), std::string::npos);
  EXPECT_EQ(a.find("/ModDate"), std::string::npos);
  std::smatch m;
  std::regex id(R"(/ID \[ <([0-9A-F]{32})> <([0-9A-F]{32})> \])");
  ASSERT_TRUE(std::regex_search(a, m, id));
  EXPECT_EQ(m[1], m[2]);
  // Different content, different /ID.
  auto p = sample();
  p.list[1].runs[1].text = "Another answer.";
  std::string c = write_pdf_string(p);
  std::smatch m2;
  ASSERT_TRUE(std::regex_search(c, m2, id));
  EXPECT_NE(m[1].str(), m2[1].str());

  pdf::pdf_options o;
  o.date = "2024-05-01T10:20:30+02:00";
  std::string dated = write_pdf_string(sample(), o);
  EXPECT_NE(dated.find("/CreationDate (D:20240501102030+02'00')"), std::string::npos);
  EXPECT_NE(dated.find("/ModDate (D:20240501102030+02'00')"), std::string::npos);
}

TEST_F(pdf_test, dates) {
  EXPECT_EQ(pdf::pdf_date("2024-05-01"), "D:20240501");
  EXPECT_EQ(pdf::pdf_date("2024-05-01T10:20:30Z"), "D:20240501102030Z");
  EXPECT_EQ(pdf::pdf_date("2024-05-01T10:20Z"), "D:20240501102000Z");
  EXPECT_EQ(pdf::pdf_date("2024-05-01T10:20:30.123-05:30"), "D:20240501102030-05'30'");
  for (const char* bad : {"", "yesterday", "2024-13-01", "2024-05-01T", "2024-05-01T10:20:30Q"}) {
    try {
      pdf::pdf_date(bad);
      ADD_FAILURE() << bad;
    } catch (const galley::error& e) {
      EXPECT_EQ(e.diag().code, "bad-date");
      EXPECT_EQ(e.code(), exit_code::usage);
    }
  }
}

TEST_F(pdf_test, corrupt_images_throw_and_clean_up) {
  // The writer's private temporary folder goes under TMPDIR: point it here
  // and check it is gone afterwards, also after an error.
  fs::path tmp = dir_ / "tmp";
  fs::create_directories(tmp);
  const char* old = std::getenv("TMPDIR");
  std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  auto count_temp = [&] {
    return std::distance(fs::directory_iterator(tmp), fs::directory_iterator());
  };
  int before = static_cast<int>(count_temp());
  EXPECT_EQ(before, 0);
  std::string png = galley::test::make_png({});
  std::string jpeg = galley::test::make_jpeg(32, 32, 3);
  for (auto [name, bytes] : std::map<std::string, std::string>{
           {"cut.png", png.substr(0, png.size() / 2)},
           {"cut.jpg", jpeg.substr(0, jpeg.size() - 100)},
           {"junk.png", "\x89PNG\r\n\x1a\nthis is not a png"},
           {"empty.jpg", ""}}) {
    SCOPED_TRACE(name);
    auto p = sample();
    p.list[0].images[0].path = save(name, bytes).string();
    try {
      write_pdf_string(p);
      ADD_FAILURE() << "no error";
    } catch (const galley::error& e) {
      EXPECT_EQ(e.code(), exit_code::input_failed);
      EXPECT_EQ(e.diag().code, "bad-image");
      EXPECT_NE(e.diag().message.find(name), std::string::npos) << e.diag().message;
    }
  }
  auto p = sample();
  p.list[0].images[0].path = (dir_ / "missing.png").string();
  EXPECT_THROW(write_pdf_string(p), galley::error);
  EXPECT_EQ(count_temp(), 0);
  write_pdf_string(sample());
  EXPECT_EQ(count_temp(), 0);
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
}

TEST_F(pdf_test, page_label_ranges) {
  if (!have_tool("qpdf")) GTEST_SKIP() << "qpdf missing";
  auto p = sample();
  layout::page blank = p.list[1];
  blank.runs.clear();
  p.list.clear();
  for (const char* label : {"Cover", "i", "ii", "iii", "1", "2", "3", "A-1", "A-2", "Приложение"}) {
    blank.label = label;
    p.list.push_back(blank);
  }
  p.outline.clear();
  fs::path f = save("labels.pdf", write_pdf_string(p));
  result r = run("qpdf --json --json-key=pagelabels '" + f.string() + "'", dir_);
  EXPECT_EQ(r.status, 0) << r.err;
  // Five ranges: Cover (prefix only), i.., 1.., A-1.., and a Cyrillic prefix.
  std::size_t n = 0;
  for (std::size_t at = r.out.find("\"index\""); at != std::string::npos;
       at = r.out.find("\"index\"", at + 1))
    ++n;
  EXPECT_EQ(n, 5u) << r.out;
  EXPECT_NE(r.out.find("\"/P\": \"u:Cover\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"/P\": \"u:A-\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Приложение"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"/S\": \"/r\""), std::string::npos) << r.out;
}

TEST_F(pdf_test, ten_characters_are_a_few_kilobytes) {
  layout::pages p;
  p.fonts.push_back({dejavu, 0, "DejaVu Sans", "Book"});
  layout::page pg;
  pg.width = a5_w;
  pg.height = a5_h;
  pg.runs.push_back(make_run(0, 12, 50, 500, "Hello Жёлт"));
  p.list.push_back(pg);
  std::string a = write_pdf_string(p);
  save("ten.pdf", a);
  RecordProperty("ten_chars_bytes", static_cast<int>(a.size()));
  std::printf("10 characters of DejaVu Sans: %zu bytes\n", a.size());
  EXPECT_LT(a.size(), 8u * 1024u);

  std::string s = write_pdf_string(sample());
  std::printf("sample (2 A5 pages, 2 fonts, 1 image): %zu bytes\n", s.size());
  EXPECT_LT(s.size(), 100u * 1024u);
}

// /W must hold floor(advance * 1000 / upem) of the original font: the numbers
// the layout measured with.
TEST_F(pdf_test, widths_match_the_font) {
  layout::pages p;
  p.fonts.push_back({charis, 0, "Charis SIL", "Regular"});
  layout::page pg;
  pg.width = a5_w;
  pg.height = a5_h;
  std::string text = "Wolf AV ffi Ёж ω 1234567890 — “quoted”";
  pg.runs.push_back(make_run(0, 12, 50, 500, text));
  p.list.push_back(pg);
  pdf::pdf_options o;
  o.compress = false;
  std::string a = write_pdf_string(p, o);

  // /W [ c [w1 w2 ...] c2 [...] ]
  std::smatch m;
  ASSERT_TRUE(std::regex_search(a, m, std::regex(R"(/W \[([^\n]*)\]\n)")));
  std::map<unsigned, int> w;
  std::regex group(R"((\d+) \[([^\]]*)\])");
  std::string body = m[1];
  for (std::sregex_iterator it(body.begin(), body.end(), group), end; it != end; ++it) {
    unsigned cid = static_cast<unsigned>(std::stoul((*it)[1]));
    std::istringstream widths((*it)[2]);
    int v;
    while (widths >> v) w[cid++] = v;
  }
  int dw = 0;
  ASSERT_TRUE(std::regex_search(a, m, std::regex(R"(/DW (\d+))")));
  dw = std::stoi(m[1]);

  hb_blob_t* blob = hb_blob_create_from_file(charis);
  hb_face_t* face = hb_face_create(blob, 0);
  hb_font_t* font = hb_font_create(face);
  unsigned upem = hb_face_get_upem(face);
  hb_font_set_scale(font, static_cast<int>(upem), static_cast<int>(upem));
  int checked = 0;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = utf8::next(text, i);
    hb_codepoint_t g = 0;
    ASSERT_TRUE(hb_font_get_nominal_glyph(font, c, &g));
    int advance = hb_font_get_glyph_h_advance(font, g);
    int expected = advance * 1000 / static_cast<int>(upem);
    int got = w.count(c) ? w[c] : dw;
    EXPECT_EQ(got, expected) << "U+" << std::hex << static_cast<unsigned>(c);
    ++checked;
  }
  EXPECT_GT(checked, 30);
  hb_font_destroy(font);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
}

TEST_F(pdf_test, content_is_one_tj_per_run_with_adjustments) {
  pdf::pdf_options o;
  o.compress = false;
  std::string a = write_pdf_string(sample(), o);
  save("content.pdf", a);
  // "AVATAR": A, V, A with adjustments -80 -60 -70 after A, V, A -> 80, 60, 70.
  EXPECT_NE(a.find("[<0041> 80 <0056> 60 <0041> 70 <0054"), std::string::npos);
  EXPECT_NE(a.find("/Span <</ActualText <FEFF"), std::string::npos);
  EXPECT_NE(a.find("97 Tz"), std::string::npos);
  EXPECT_EQ(a.find("begincidrange"), std::string::npos);  // libharu's broken ToUnicode is gone
  EXPECT_NE(a.find("beginbfchar"), std::string::npos);
  EXPECT_NE(a.find("/TrimBox ["), std::string::npos);
  EXPECT_NE(a.find("/BleedBox ["), std::string::npos);
  EXPECT_NE(a.find("/Lang (en)"), std::string::npos);
  // libharu escapes '/' and '%' in literal strings as octal: undo that.
  std::string unescaped;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == '\\' && i + 3 < a.size() && std::isdigit(static_cast<unsigned char>(a[i + 1])) &&
        std::isdigit(static_cast<unsigned char>(a[i + 2])) &&
        std::isdigit(static_cast<unsigned char>(a[i + 3]))) {
      unescaped += static_cast<char>((a[i + 1] - '0') * 64 + (a[i + 2] - '0') * 8 + (a[i + 3] - '0'));
      i += 3;
    } else {
      unescaped += a[i];
    }
  }
  EXPECT_NE(unescaped.find("/URI (https://example.org/%C3%A9t%C3%A9?q=a%20b)"), std::string::npos);
  EXPECT_NE(a.find("/XYZ 0 500 null"), std::string::npos);
  EXPECT_NE(a.find("/SMask"), std::string::npos);
  // One TJ per run.
  std::size_t runs = 0;
  for (const auto& pg : sample().list) runs += pg.runs.size();
  std::size_t tj = 0;
  for (std::size_t at = a.find("] TJ"); at != std::string::npos; at = a.find("] TJ", at + 1)) ++tj;
  EXPECT_EQ(tj, runs);
}

TEST_F(pdf_test, outline_labels_and_info) {
  if (!have_tool("qpdf") || !have_tool("pdfinfo")) GTEST_SKIP() << "qpdf or pdfinfo missing";
  fs::path f = save("nav.pdf", write_pdf_string(sample()));
  result info = run("pdfinfo '" + f.string() + "'", dir_);
  EXPECT_EQ(info.err, "");
  EXPECT_NE(info.out.find("Интервью: a conversation"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("Ana Ambrazevič"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("interview, книга"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("galley"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("419.53 x 595.28 pts"), std::string::npos) << info.out;

  result json = run("qpdf --json --json-key=outlines --json-key=pagelabels '" + f.string() + "'", dir_);
  EXPECT_EQ(json.status, 0) << json.err;
  for (const char* title : {"Интервью", "First question", "Второй раздел", "Appendix"})
    EXPECT_NE(json.out.find(std::string("\"title\": \"") + title + "\""), std::string::npos)
        << title << "\n" << json.out;
  // Two levels: the first entry has two kids.
  EXPECT_NE(json.out.find("\"kids\": ["), std::string::npos);
  EXPECT_NE(json.out.find("\"/S\": \"/r\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"/S\": \"/D\""), std::string::npos) << json.out;
}

TEST_F(pdf_test, renders_without_complaints) {
  if (!have_tool("pdftoppm")) GTEST_SKIP() << "pdftoppm missing";
  fs::path f = save("render.pdf", write_pdf_string(sample()));
  result r = run("pdftoppm -r 60 -png '" + f.string() + "' '" + (dir_ / "page").string() + "'", dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(fs::exists(dir_ / "page-1.png") || fs::exists(dir_ / "page-01.png"));
}

// The glyph outlines are really embedded: a page with only text renders
// ink. (libharu empties the outlines of glyphs it did not see drawn through
// its own text functions; without the adapter's fix this page is blank.)
TEST_F(pdf_test, text_renders_ink) {
  if (!have_tool("pdftoppm")) GTEST_SKIP() << "pdftoppm missing";
  layout::pages p;
  p.fonts.push_back({charis, 0, "Charis SIL", "Regular"});
  p.fonts.push_back({dejavu, 0, "DejaVu Sans", "Book"});
  layout::page pg;
  pg.width = 200;
  pg.height = 60;
  pg.runs.push_back(make_run(0, 20, 10, 35, "Ink Жж"));
  pg.runs.push_back(make_run(1, 20, 10, 10, "Ink ψω"));
  p.list.push_back(pg);
  fs::path f = save("ink.pdf", write_pdf_string(p));
  result r = run("pdftoppm -r 72 -gray '" + f.string() + "'", dir_);  // PGM on stdout
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  // P5 header: "P5\n200 60\n255\n", then one byte per pixel.
  std::istringstream in(r.out);
  std::string magic;
  int w = 0, h = 0, maxval = 0;
  in >> magic >> w >> h >> maxval;
  in.get();
  ASSERT_EQ(magic, "P5");
  std::string pixels((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(pixels.size(), static_cast<std::size_t>(w * h));
  int top = 0, bottom = 0;  // dark pixels in each half (one font each)
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (static_cast<unsigned char>(pixels[static_cast<std::size_t>(y * w + x)]) < 128)
        (y < h / 2 ? top : bottom)++;
  EXPECT_GT(top, 100);
  EXPECT_GT(bottom, 100);
}

TEST_F(pdf_test, jpeg_images_pass_through) {
  auto p = sample();
  p.list[0].images[0].path = save("photo.jpg", galley::test::make_jpeg(64, 48, 3)).string();
  auto gray = p.list[0].images[0];
  gray.path = save("gray.jpg", galley::test::make_jpeg(32, 32, 1)).string();
  gray.y = 150;
  p.list[0].images.push_back(gray);
  auto prog = p.list[0].images[0];
  prog.path = save("prog.jpg", galley::test::make_jpeg(32, 32, 3, true)).string();
  prog.y = 60;
  p.list[0].images.push_back(prog);
  pdf::pdf_options o;
  o.compress = false;
  std::string a = write_pdf_string(p, o);
  EXPECT_NE(a.find("/DCTDecode"), std::string::npos);
  fs::path f = save("jpeg.pdf", a);
  if (have_tool("qpdf")) {
    result r = run("qpdf --check '" + f.string() + "'", dir_);
    EXPECT_EQ(r.status, 0) << r.out;
  }
  if (have_tool("pdftoppm")) {
    result r = run("pdftoppm -r 30 -png '" + f.string() + "' '" + (dir_ / "j").string() + "'", dir_);
    EXPECT_EQ(r.err, "");
  }
}

TEST_F(pdf_test, astral_characters_warn_and_missing_glyphs_warn) {
  layout::pages p;
  p.fonts.push_back({charis, 0, "Charis SIL", "Regular"});
  layout::page pg;
  pg.width = a5_w;
  pg.height = a5_h;
  pg.runs.push_back(make_run(0, 12, 50, 500, "Smile 😀 and 中"));
  p.list.push_back(pg);
  galley::diagnostics d;
  pdf::pdf_options o;
  o.diagnostics = &d;
  std::string a = write_pdf_string(p, o);
  EXPECT_TRUE(d.has_code("pdf-astral-char")) << d.to_text();
  EXPECT_TRUE(d.has_code("missing-glyph")) << d.to_text();
  EXPECT_NE(d.to_text().find("U+4E2D"), std::string::npos) << d.to_text();
  if (have_tool("qpdf")) {
    fs::path f = save("astral.pdf", a);
    EXPECT_EQ(run("qpdf --check '" + f.string() + "'", dir_).status, 0);
  }
}

TEST_F(pdf_test, bad_pages_are_internal_errors) {
  auto p = sample();
  p.list[0].runs[0].font = 7;
  try {
    write_pdf_string(p);
    ADD_FAILURE();
  } catch (const galley::error& e) {
    EXPECT_EQ(e.code(), exit_code::internal);
  }
  p = sample();
  p.list[0].links[1].dest_page = 9;
  EXPECT_THROW(write_pdf_string(p), galley::error);
  layout::pages none;
  EXPECT_THROW(write_pdf_string(none), galley::error);
  p = sample();
  p.fonts[0].path = "/nonexistent/font.ttf";
  try {
    write_pdf_string(p);
    ADD_FAILURE();
  } catch (const galley::error& e) {
    EXPECT_EQ(e.diag().code, "bad-font");
  }
}

TEST_F(pdf_test, uri_encoding) {
  EXPECT_EQ(pdf::haru::percent_encode_uri("https://a.org/x?y=1&z=ü ok"),
            "https://a.org/x?y=1&z=%C3%BC%20ok");
  EXPECT_EQ(pdf::haru::percent_encode_uri("mailto:a@b.c"), "mailto:a@b.c");
}

namespace {

// `pages` pages of the sample's fonts, each with twenty lines of text.
layout::pages many_pages(int pages) {
  layout::pages p;
  p.fonts.push_back({charis, 0, "Charis SIL", "Regular"});
  p.fonts.push_back({dejavu, 0, "DejaVu Sans", "Book"});
  for (int n = 0; n < pages; ++n) {
    layout::page pg;
    pg.width = a5_w;
    pg.height = a5_h;
    for (int line = 0; line < 20; ++line) {
      auto r = make_run(line % 7 == 0 ? 1 : 0, 10, 40, 550 - 13 * line,
                        "Page " + std::to_string(n + 1) + ", line " + std::to_string(line + 1) +
                            ": the quick brown fox jumps over the lazy dog.");
      r.adjust = {{2, -15.5}, {9, 33.25}, {14, 120}};
      pg.runs.push_back(r);
    }
    p.list.push_back(pg);
  }
  return p;
}

// The lines of every content stream, in order, as qpdf gives them
// uncompressed (QDF marks each page's content stream).
std::string content_lines(const std::string& qdf) {
  std::string out;
  std::istringstream in(qdf);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("%% Contents for page", 0) == 0) inside = true;
    else if (inside && line == "endstream") inside = false;
    else if (inside && (line == "BT" || line == "ET" || line.find(" T") != std::string::npos))
      out += line + "\n";
  }
  return out;
}

}  // namespace

TEST_F(pdf_test, threads_do_not_change_the_bytes) {
  for (const auto& p : {sample(), many_pages(60)}) {
    pdf::pdf_options o;
    o.threads = 1;
    std::string one = write_pdf_string(p, o);
    for (unsigned threads : {2u, 0u}) {
      o.threads = threads;
      EXPECT_EQ(write_pdf_string(p, o), one) << threads << " threads";
    }
  }
}

TEST_F(pdf_test, deflated_contents_are_the_plain_ones) {
  if (!have_tool("qpdf")) GTEST_SKIP() << "qpdf missing";
  auto p = many_pages(12);
  pdf::pdf_options plain;
  plain.compress = false;
  fs::path a = save("plain.pdf", write_pdf_string(p, plain));
  fs::path b = save("deflated.pdf", write_pdf_string(p));
  EXPECT_LT(fs::file_size(b), fs::file_size(a));
  std::string qdf = " --qdf --object-streams=disable --stream-data=uncompress ";
  ASSERT_EQ(run("qpdf" + qdf + "'" + a.string() + "' '" + (dir_ / "a.qdf").string() + "'", dir_).status, 0);
  ASSERT_EQ(run("qpdf" + qdf + "'" + b.string() + "' '" + (dir_ / "b.qdf").string() + "'", dir_).status, 0);
  EXPECT_EQ(run("qpdf --check '" + b.string() + "'", dir_).status, 0);
  auto slurp = [](const fs::path& f) {
    std::ifstream in(f, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  std::string lines = content_lines(slurp(dir_ / "a.qdf"));
  EXPECT_NE(lines.find("] TJ"), std::string::npos);
  EXPECT_EQ(content_lines(slurp(dir_ / "b.qdf")), lines);
}

TEST_F(pdf_test, adjustments_are_summed_and_rounded) {
  layout::pages p;
  p.fonts.push_back({charis, 0, "Charis SIL", "Regular"});
  layout::page pg;
  pg.width = a5_w;
  pg.height = a5_h;
  // Out of order and twice for one code point: summed per code point.
  auto r = make_run(0, 10, 50, 500, "ABCDEFG");
  r.adjust = {{2, -10}, {0, 5}, {2, -20.5}};
  pg.runs.push_back(r);
  // Two decimals, correctly rounded from the double (2.675 is 2.67499...),
  // trailing zeros dropped, no "-0".
  auto q = make_run(0, 10, 50, 480, "ABCDEFG");
  q.adjust = {{0, -2.675}, {1, -1.005}, {2, 12.5}, {3, -0.1}, {4, 1e-12}, {5, -0.004}};
  pg.runs.push_back(q);
  p.list.push_back(pg);
  pdf::pdf_options o;
  o.compress = false;
  std::string a = write_pdf_string(p, o);
  EXPECT_NE(a.find("[<0041> -5 <00420043> 30.5 <0044004500460047>] TJ"), std::string::npos);
  EXPECT_NE(a.find("[<0041> 2.67 <0042> 1 <0043> -12.5 <0044> 0.1 <0045> 0 <0046> 0 <0047>] TJ"),
            std::string::npos);
}

TEST_F(pdf_test, drawing_on_a_finished_page_is_an_internal_error) {
  pdf::haru::document doc(true);
  int page = doc.add_page(a5_w, a5_h);
  doc.begin_text(page);
  EXPECT_THROW(doc.page_done(page), galley::error);  // a text object is open
  doc.end_text(page);
  doc.page_done(page);
  try {
    doc.begin_text(page);
    ADD_FAILURE();
  } catch (const galley::error& e) {
    EXPECT_EQ(e.code(), exit_code::internal);
  }
  EXPECT_THROW(doc.draw_line(page, 0, 0, 10, 10, 1, {}), galley::error);
  EXPECT_FALSE(doc.save().empty());
}
