#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/diagnostics.hpp"
#include "base/output.hpp"
#include "base/parallel.hpp"
#include "doc/check.hpp"
#include "doc/typography.hpp"
#include "epub/epub.hpp"
#include "epub/internal.hpp"
#include "samples.hpp"

namespace fs = std::filesystem;
using namespace samples;
using galley::epub::dump_epub;
using galley::epub::epub_options;
using galley::epub::write_epub;

namespace {

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string make_epub(const document& d, const epub_options& o) {
  galley::string_sink s;
  write_epub(d, o, s);
  return s.take();
}

// ------------------------------------------------------------ zip reading

std::uint32_t le(const std::string& s, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

struct zip_entry {
  std::string name;
  unsigned method = 0, time = 0, date = 0, central_extra = 0, local_extra = 0, flags = 0;
  std::size_t local_offset = 0, size = 0;
};

std::vector<zip_entry> central_directory(const std::string& z) {
  std::vector<zip_entry> out;
  const std::size_t eocd = z.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos) return out;
  const std::size_t count = le(z, eocd + 10, 2);
  std::size_t at = le(z, eocd + 16, 4);
  for (std::size_t i = 0; i < count; ++i) {
    if (z.compare(at, 4, std::string("PK\x01\x02", 4)) != 0) break;
    zip_entry e;
    e.flags = le(z, at + 8, 2);
    e.method = le(z, at + 10, 2);
    e.time = le(z, at + 12, 2);
    e.date = le(z, at + 14, 2);
    e.size = le(z, at + 24, 4);
    const std::size_t name_len = le(z, at + 28, 2);
    e.central_extra = le(z, at + 30, 2);
    const std::size_t comment_len = le(z, at + 32, 2);
    e.local_offset = le(z, at + 42, 4);
    e.name = z.substr(at + 46, name_len);
    e.local_extra = le(z, e.local_offset + 28, 2);
    out.push_back(e);
    at += 46 + name_len + e.central_extra + comment_len;
  }
  return out;
}

// ------------------------------------------------------------ epubcheck

struct check_result {
  bool ran = false;
  int fatal = 0, errors = 0, warnings = 0;
  std::string messages;
};

bool have_epubcheck() {
  static const bool ok = std::system("java -version >/dev/null 2>&1") == 0 &&
                         fs::exists("/usr/share/java/epubcheck.jar");
  return ok;
}

check_result epubcheck(const std::string& bytes, const std::string& name) {
  check_result r;
  const fs::path dir = fs::path(testing::TempDir()) / "galley-epubcheck";
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".epub");
  const fs::path json = dir / (name + ".json");
  galley::write_file_atomically(file, bytes);
  fs::remove(json);
  const std::string cmd = "java -jar /usr/share/java/epubcheck.jar '" + file.string() + "' --json '" +
                          json.string() + "' >/dev/null 2>&1";
  (void)std::system(cmd.c_str());
  if (!fs::exists(json)) return r;
  const auto j = nlohmann::json::parse(read(json));
  r.ran = true;
  r.fatal = j["checker"]["nFatal"].get<int>();
  r.errors = j["checker"]["nError"].get<int>();
  r.warnings = j["checker"]["nWarning"].get<int>();
  for (const auto& m : j["messages"]) {
    const std::string sev = m["severity"].get<std::string>();
    if (sev == "USAGE" || sev == "INFO") continue;
    r.messages += sev + " " + m["ID"].get<std::string>() + ": " + m["message"].get<std::string>();
    for (const auto& loc : m["locations"]) r.messages += " (" + loc["path"].get<std::string>() + ":" +
                                                       std::to_string(loc["line"].get<int>()) + ")";
    r.messages += "\n";
  }
  return r;
}

#define EXPECT_EPUBCHECK_CLEAN(bytes, name)                                         \
  do {                                                                              \
    if (!have_epubcheck()) GTEST_SKIP() << "java or epubcheck.jar not installed";   \
    const auto r_ = epubcheck(bytes, name);                                         \
    ASSERT_TRUE(r_.ran) << "epubcheck wrote no report";                             \
    EXPECT_EQ(r_.fatal, 0) << r_.messages;                                          \
    EXPECT_EQ(r_.errors, 0) << r_.messages;                                         \
    EXPECT_EQ(r_.warnings, 0) << r_.messages;                                       \
  } while (0)

std::string css(const std::string& style) { return read(style_css(style)); }

std::string entry_text(const std::string& dump, const std::string& name) {
  const std::string head = "\n==> " + name + " <==\n";
  const auto at = dump.find(head);
  if (at == std::string::npos) return {};
  const auto start = at + head.size();
  const auto end = dump.find("\n==> ", start);
  return dump.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

// ------------------------------------------------------------ structure

TEST(Epub, SampleTreesAreSound) {
  EXPECT_TRUE(galley::doc::check(interview()).empty());
  EXPECT_TRUE(galley::doc::check(russian()).empty());
  EXPECT_TRUE(galley::doc::check(spanish()).empty());
  EXPECT_TRUE(galley::doc::check(book()).empty());
}

TEST(Epub, ZipContainer) {
  auto o = options();
  o.css = css("classic");
  const auto z = make_epub(interview(), o);
  ASSERT_GE(z.size(), 60u);
  // mimetype first, stored, no extra field, its bytes right after the local header.
  EXPECT_EQ(z.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_EQ(le(z, 8, 2), 0u);   // stored
  EXPECT_EQ(le(z, 26, 2), 8u);  // name length
  EXPECT_EQ(le(z, 28, 2), 0u);  // extra length
  EXPECT_EQ(z.substr(30, 8), "mimetype");
  EXPECT_EQ(z.substr(38, 20), "application/epub+zip");

  const auto entries = central_directory(z);
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back(e.name);
  const std::vector<std::string> expected = {
      "mimetype",         "META-INF/container.xml", "EPUB/package.opf",         "EPUB/nav.xhtml",
      "EPUB/toc.ncx",     "EPUB/style.css",         "EPUB/cover.xhtml",         "EPUB/title.xhtml",
      "EPUB/a001.xhtml",  "EPUB/images/img-001.png", "EPUB/images/img-002.jpg"};
  EXPECT_EQ(names, expected);
  for (const auto& e : entries) {
    EXPECT_EQ(e.central_extra, 0u) << e.name;
    EXPECT_EQ(e.local_extra, 0u) << e.name;
    // 2024-05-01 12:00:00 as a DOS date and time.
    EXPECT_EQ(e.date, ((2024u - 1980u) << 9) | (5u << 5) | 1u) << e.name;
    EXPECT_EQ(e.time, 12u << 11) << e.name;
    const bool stored = e.name == "mimetype" || e.name.starts_with("EPUB/images/");
    EXPECT_EQ(e.method, stored ? 0u : 8u) << e.name;
  }
}

TEST(Epub, TwoRunsGiveTheSameBytes) {
  auto o = options("magazine");
  o.css = css("magazine");
  EXPECT_EQ(make_epub(interview(), o), make_epub(interview(), o));
  EXPECT_EQ(make_epub(book(), o), make_epub(book(), o));
  EXPECT_EQ(dump_epub(russian(), o), dump_epub(russian(), o));
}

TEST(Epub, IdentifierComesFromTheContent) {
  const auto o = options();
  const auto a = entry_text(dump_epub(interview(), o), "EPUB/package.opf");
  auto changed = interview();
  changed.articles[0].title += " (updated)";
  const auto b = entry_text(dump_epub(changed, o), "EPUB/package.opf");
  auto id = [](const std::string& opf) {
    const auto at = opf.find("<dc:identifier id=\"uid\">");
    return opf.substr(at, opf.find("</dc:identifier>", at) - at);
  };
  EXPECT_NE(id(a).find("urn:uuid:"), std::string::npos);
  EXPECT_NE(id(a), id(b));
  auto o2 = o;
  o2.identifier = "urn:isbn:9780000000002";
  EXPECT_NE(dump_epub(interview(), o2).find(">urn:isbn:9780000000002<"), std::string::npos);
}

TEST(Epub, PackageMetadata) {
  auto o = options();
  o.cover_image = "cover.jpg";
  const auto opf = entry_text(dump_epub(interview(), o), "EPUB/package.opf");
  for (const char* want : {
           "<dc:title id=\"title\">",
           "<meta refines=\"#title\" property=\"title-type\">main</meta>",
           "<dc:title id=\"subtitle\">A conversation on diplomacy, borders and the Union State</dc:title>",
           "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
           "<dc:creator id=\"creator-1\">Alejandro López</dc:creator>",
           "<meta refines=\"#creator-1\" property=\"role\" scheme=\"marc:relators\">ivr</meta>",
           "<dc:creator id=\"creator-2\">Yuri Ambrazevich</dc:creator>",
           "<meta refines=\"#creator-2\" property=\"role\" scheme=\"marc:relators\">ive</meta>",
           "<dc:language>en</dc:language>",
           "<dc:publisher>Galley Press</dc:publisher>",
           "<dc:source>https://example.org/europe/ambrazevich-interview</dc:source>",
           "<dc:date>2024-03-12</dc:date>",
           "<dc:subject>Europe</dc:subject>",
           "<meta property=\"dcterms:modified\">2024-05-01T12:00:00Z</meta>",
           "<meta property=\"schema:accessMode\">textual</meta>",
           "<meta property=\"schema:accessMode\">visual</meta>",
           "<meta property=\"schema:accessModeSufficient\">textual</meta>",
           "<meta property=\"schema:accessibilityFeature\">alternativeText</meta>",
           "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
           "<meta property=\"schema:accessibilityHazard\">none</meta>",
           "<meta property=\"schema:accessibilitySummary\">",
           "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>",
           "<item id=\"cover-image\" href=\"images/cover.jpg\" media-type=\"image/jpeg\" properties=\"cover-image\"/>",
           "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>",
           "<spine toc=\"ncx\">",
       })
    EXPECT_NE(opf.find(want), std::string::npos) << want << "\n" << opf;
}

TEST(Epub, InterviewMarkup) {
  auto d = interview();
  galley::doc::smarten(d);
  const auto dump = dump_epub(d, options());
  const auto x = entry_text(dump, "EPUB/a001.xhtml");
  for (const char* want : {
           "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"en\" "
           "xml:lang=\"en\">",
           "<section class=\"interview\" epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"title\">",
           "<section class=\"qna\" epub:type=\"qna\" role=\"doc-qna\" aria-label=\"Interview\">",
           "<div class=\"turn question\" id=\"q1\" data-speaker=\"Alejandro López\">",
           "<div class=\"turn answer\" data-speaker=\"Yuri Ambrazevich\">",
           "<p><b class=\"speaker\">Q:</b> First of all",
           "<p><b class=\"speaker\">A:</b> Thank you",
           "<span class=\"direction\">[laughs]</span>",
           "<span class=\"insertion\">[March 2022]</span>",
           "<span class=\"foreign\" lang=\"ru\" xml:lang=\"ru\">«худой мир лучше доброй ссоры»</span>",
           "<aside class=\"related\" role=\"note\" lang=\"es\" xml:lang=\"es\">",
           "<a href=\"https://example.org/es/bielorrusia-guerra\">Bielorrusia ante la guerra de Ucrania</a>",
           "<img src=\"images/img-001.png\" alt=\"Yuri Ambrazevich speaking at a lectern in front of a blue wall\"/>",
           "<span class=\"credit\">Photo: UN Geneva</span>",
           "<figure class=\"figure text-only\">",
           "<a href=\"https://mfa.gov.by/en/\">its website</a>",
           "<h2>The Union State</h2>",
           "<p class=\"standfirst\">",
           "<p class=\"byline\">By Alejandro López</p>",
           "<hr class=\"separator\"/>",
           "<blockquote>",
           "<aside class=\"note\" role=\"note\">",
           "“there is no military</em> solution”",
           "3,99\u00A0€",
       })
    EXPECT_NE(x.find(want), std::string::npos) << want << "\n" << x;
  // Every html element carries lang and xml:lang.
  for (const char* f : {"EPUB/nav.xhtml", "EPUB/cover.xhtml", "EPUB/title.xhtml", "EPUB/a001.xhtml"})
    EXPECT_NE(entry_text(dump, f).find("lang=\"en\" xml:lang=\"en\""), std::string::npos) << f;
}

TEST(Epub, NavigationForOneInterviewListsItsQuestions) {
  const auto dump = dump_epub(interview(), options());
  const auto nav = entry_text(dump, "EPUB/nav.xhtml");
  EXPECT_NE(nav.find("<nav class=\"toc\" epub:type=\"toc\" id=\"toc\" role=\"doc-toc\""), std::string::npos) << nav;
  EXPECT_NE(nav.find("<a href=\"a001.xhtml#q3\">Will Belarus end up integrating"), std::string::npos) << nav;
  EXPECT_NE(nav.find("epub:type=\"landmarks\""), std::string::npos);
  for (const char* t : {"cover", "titlepage", "toc", "bodymatter"})
    EXPECT_NE(nav.find("epub:type=\"" + std::string(t) + "\" href="), std::string::npos) << t;
  const auto ncx = entry_text(dump, "EPUB/toc.ncx");
  EXPECT_NE(ncx.find("<content src=\"a001.xhtml#q3\"/>"), std::string::npos) << ncx;
  EXPECT_NE(ncx.find("<meta name=\"dtb:depth\" content=\"2\"/>"), std::string::npos);
}

TEST(Epub, LabelModes) {
  auto o = options();
  auto d = russian();  // label_style initials
  auto x = entry_text(dump_epub(d, o), "EPUB/a001.xhtml");
  EXPECT_NE(x.find("<b class=\"speaker\">Алексей Петров:</b>"), std::string::npos) << x;
  EXPECT_NE(x.find("<b class=\"speaker\">Юрий Амбразевич:</b>"), std::string::npos) << x;
  EXPECT_NE(x.find("<b class=\"speaker\">АП:</b>"), std::string::npos) << x;
  EXPECT_NE(x.find("<b class=\"speaker\">ЮА:</b>"), std::string::npos) << x;
  o.label_mode = "qa";
  x = entry_text(dump_epub(d, o), "EPUB/a001.xhtml");
  EXPECT_NE(x.find("<b class=\"speaker\">В:</b>"), std::string::npos) << x;
  EXPECT_NE(x.find("<b class=\"speaker\">О:</b>"), std::string::npos) << x;
  o.label_mode = "names";
  x = entry_text(dump_epub(spanish(), o), "EPUB/a001.xhtml");
  EXPECT_NE(x.find("<b class=\"speaker\">Pregunta:</b>"), std::string::npos) << x;  // no name: the source's label
  EXPECT_NE(x.find("<b class=\"speaker\">Yuri Ambrazevich:</b>"), std::string::npos) << x;
  o.label_mode = "qa";
  x = entry_text(dump_epub(spanish(), o), "EPUB/a001.xhtml");
  EXPECT_NE(x.find("<b class=\"speaker\">P:</b>"), std::string::npos) << x;
  EXPECT_NE(x.find("<b class=\"speaker\">R:</b>"), std::string::npos) << x;
  o.label_mode = "speakers";
  try {
    (void)dump_epub(spanish(), o);
    FAIL() << "no error";
  } catch (const galley::error& e) {
    EXPECT_EQ(e.code(), galley::exit_code::usage);
    EXPECT_EQ(e.diag().code, "bad-epub-option");
  }
}

TEST(Epub, TypographicCoverIsAccessibleSvg) {
  for (const char* style : {"classic", "magazine"}) {
    const auto dump = dump_epub(interview(), options(style));
    const auto cover = entry_text(dump, "EPUB/cover.xhtml");
    EXPECT_NE(cover.find("role=\"img\" aria-labelledby=\"cover-title\""), std::string::npos) << cover;
    EXPECT_NE(cover.find("<title id=\"cover-title\">"), std::string::npos) << cover;
    EXPECT_NE(cover.find("Yuri Ambrazevich"), std::string::npos);
    EXPECT_NE(entry_text(dump, "EPUB/package.opf").find("href=\"cover.xhtml\" media-type=\"application/xhtml+xml\" "
                                                         "properties=\"svg\""),
              std::string::npos);
  }
}

TEST(Epub, EscapesEverything) {
  auto d = spanish();
  d.articles[0].title = "A & B <script>alert(\"x\")</script>";
  d.articles[0].blocks[1].blocks[0].content = {text("1 < 2 && 3 > 2 \x01 control")};
  const auto x = entry_text(dump_epub(d, options()), "EPUB/a001.xhtml");
  EXPECT_NE(x.find("A &amp; B &lt;script&gt;"), std::string::npos) << x;
  EXPECT_NE(x.find("1 &lt; 2 &amp;&amp; 3 &gt; 2  control"), std::string::npos) << x;
}

TEST(Epub, DropsWhatXmlForbidsAndKeepsItsNeighbours) {
  auto d = spanish();
  // U+FFFE and U+FFFF go; U+FF01 and U+FFFD, which share their first bytes, stay.
  d.articles[0].blocks[1].blocks[0].content = {text("a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c\xEF\xBC\x81" "d\xEF\xBF\xBD" "e\x0B\x1F" "f")};
  const auto x = entry_text(dump_epub(d, options()), "EPUB/a001.xhtml");
  EXPECT_NE(x.find("abc\xEF\xBC\x81" "d\xEF\xBF\xBD" "ef"), std::string::npos) << x;
}

namespace {

// How the XML writer escapes, one byte at a time, for comparison.
std::string escaped_slowly(const std::string& s, bool attribute) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(s[i + 2]) == 0xBE || static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
      i += 2;  // U+FFFE, U+FFFF
    } else if (b == '&') {
      out += "&amp;";
    } else if (b == '<') {
      out += "&lt;";
    } else if (b == '>') {
      out += "&gt;";
    } else if (attribute && b == '"') {
      out += "&quot;";
    } else if (attribute && b == '\n') {
      out += "&#10;";
    } else if (attribute && b == '\t') {
      out += "&#9;";
    } else if (b >= 0x20 || b == '\n' || b == '\t') {
      out += static_cast<char>(b);
    }  // other C0 controls are dropped
  }
  return out;
}

}  // namespace

// Every special byte at every offset of texts shorter and longer than the
// sixteen bytes the writer may test at a time, as text and as attribute.
TEST(EpubXml, EscapesLikeByteByByte) {
  const std::vector<std::string> specials = {"&", "<", ">", "\"", "\n", "\t", "\x01", "\x1F", "\r",
                                             "\xEF\xBF\xBE", "\xEF\xBF\xBF", "\xEF\xBF\xBD", "\xEF\xBC\x81", "\xEF",
                                             "\xEF\xBF", "\xD0\xAF"};
  for (std::size_t len = 0; len <= 40; ++len)
    for (std::size_t at = 0; at <= len; ++at)
      for (const auto& sp : specials) {
        std::string s(len, 'x');
        s.insert(at, sp);
        if (len > 20) s.insert(len / 3, "&");  // a second one before it
        pugi::xml_document doc;
        auto e = doc.append_child("p");
        e.append_attribute("title") = s.c_str();
        e.append_child(pugi::node_pcdata).set_value(s.c_str());
        const std::string want = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<p title=\"" + escaped_slowly(s, true) +
                                 "\">" + escaped_slowly(s, false) + "</p>\n";
        ASSERT_EQ(galley::epub::detail::to_xml(doc, true), want) << "length " << len << " at " << at;
      }
}

TEST(EpubXml, IdentifierFromPiecesIsTheIdentifierOfTheWhole) {
  const std::string whole(300, 'w');
  for (std::size_t cut : {0, 1, 63, 64, 65, 200, 300}) {
    galley::epub::detail::uuid_source u;
    u.add(std::string_view(whole).substr(0, cut));
    u.add(std::string_view(whole).substr(cut));
    EXPECT_EQ(u.uuid(), galley::epub::detail::uuid_from(whole)) << cut;
  }
  EXPECT_EQ(galley::epub::detail::uuid_from(""), galley::epub::detail::uuid_source().uuid());
}

namespace {

// Three interviews sharing two pictures: figure.png in the first; in the
// second, figure.jpg in a figure inside an answer and figure.png again
// after it; figure.jpg again in the third.
document book_with_shared_images() {
  document d = book(3);
  d.articles[0].blocks.push_back(figure("One", "", "figure.png", "one"));
  d.articles[1].blocks[1].blocks.push_back(figure("Two", "", "figure.jpg", "two"));
  d.articles[1].blocks.push_back(figure("Three", "", "figure.png", "three"));
  d.articles[2].blocks.push_back(figure("Four", "", "./figure.jpg", "four"));
  for (auto& a : d.articles) a.source_name = {};  // images from base_dir
  return d;
}

}  // namespace

TEST(Epub, BookImagesAreNumberedInDocumentOrder) {
  const auto dump = dump_epub(book_with_shared_images(), options());
  EXPECT_NE(dump.find("EPUB/images/img-001.png  stored"), std::string::npos) << dump;
  EXPECT_NE(dump.find("EPUB/images/img-002.jpg  stored"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("img-003"), std::string::npos) << dump;
  auto srcs = [&](const std::string& file) {
    const auto x = entry_text(dump, file);
    std::vector<std::string> out;
    for (auto at = x.find("<img src=\""); at != std::string::npos; at = x.find("<img src=\"", at + 1))
      out.push_back(x.substr(at + 10, x.find('"', at + 10) - at - 10));
    return out;
  };
  EXPECT_EQ(srcs("EPUB/a001.xhtml"), std::vector<std::string>({"images/img-001.png"}));
  EXPECT_EQ(srcs("EPUB/a002.xhtml"), std::vector<std::string>({"images/img-002.jpg", "images/img-001.png"}));
  EXPECT_EQ(srcs("EPUB/a003.xhtml"), std::vector<std::string>({"images/img-002.jpg"}));
  const auto opf = entry_text(dump, "EPUB/package.opf");
  EXPECT_NE(opf.find("<item id=\"img-1\" href=\"images/img-001.png\" media-type=\"image/png\"/>"), std::string::npos);
  EXPECT_NE(opf.find("<item id=\"img-2\" href=\"images/img-002.jpg\" media-type=\"image/jpeg\"/>"), std::string::npos);
  EXPECT_NE(opf.find("<meta property=\"schema:accessibilityFeature\">alternativeText</meta>"), std::string::npos);
}

// A book's chapters are built on several threads; a run on one gives the
// same bytes.
TEST(Epub, ChaptersBuiltTogetherOrInTurnGiveTheSameBytes) {
  auto o = options("magazine");
  o.css = css("magazine");
  for (const auto& d : {book(), book_with_shared_images(), interview()}) {
    const std::string together = make_epub(d, o);
    std::string in_turn;
    {
      const galley::serial_scope one_thread;
      in_turn = make_epub(d, o);
    }
    EXPECT_EQ(together, in_turn);
  }
}

// ------------------------------------------------------------ errors

namespace {

galley::error expect_error(const document& d, const epub_options& o) {
  try {
    (void)make_epub(d, o);
  } catch (const galley::error& e) {
    return e;
  }
  ADD_FAILURE() << "no galley::error";
  return galley::error(galley::exit_code::ok, {});
}

}  // namespace

TEST(EpubErrors, MissingCover) {
  auto o = options();
  o.cover_image = "no-such-cover.jpg";
  const auto e = expect_error(spanish(), o);
  EXPECT_EQ(e.code(), galley::exit_code::input_failed);
  EXPECT_EQ(e.diag().code, "bad-image");
}

TEST(EpubErrors, CorruptCover) {
  for (const char* bad : {"truncated.png", "not-an-image.png"}) {
    auto o = options();
    o.cover_image = bad;
    const auto e = expect_error(spanish(), o);
    EXPECT_EQ(e.code(), galley::exit_code::input_failed) << bad;
    EXPECT_EQ(e.diag().code, "bad-image") << bad;
  }
}

TEST(EpubErrors, ImageOutsideBaseDir) {
  auto d = spanish();
  d.articles[0].blocks.push_back(figure("Secret", "", "../epub_test.cpp", "x"));
  auto e = expect_error(d, options());
  EXPECT_EQ(e.code(), galley::exit_code::input_failed);
  EXPECT_EQ(e.diag().code, "image-outside-base");
  EXPECT_EQ(e.diag().file, "es.txt");
  EXPECT_NE(e.diag().pos.line, 0u);
  d.articles[0].blocks.back().image = "/etc/passwd";
  e = expect_error(d, options());
  EXPECT_EQ(e.diag().code, "image-outside-base");
}

TEST(EpubErrors, EmptyDocumentAndBadOptions) {
  auto e = expect_error(document{}, options());
  EXPECT_EQ(e.code(), galley::exit_code::input_failed);
  EXPECT_EQ(e.diag().code, "empty-document");
  auto o = options();
  o.modified = "yesterday";
  e = expect_error(spanish(), o);
  EXPECT_EQ(e.code(), galley::exit_code::usage);
  EXPECT_EQ(e.diag().code, "bad-epub-option");
}

TEST(EpubErrors, FailedBookLeavesNothingBehind) {
  const fs::path dir = fs::path(testing::TempDir()) / "galley-epub-atomic";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto d = interview();
  d.articles[0].blocks.push_back(figure("Broken", "", "truncated.png", "broken"));
  try {
    galley::atomic_file f(dir / "book.epub");
    write_epub(d, options(), f);
    f.commit();
    FAIL() << "no error";
  } catch (const galley::error& e) {
    EXPECT_EQ(e.diag().code, "bad-image");
  }
  EXPECT_TRUE(fs::is_empty(dir));
}

// The images are checked before any chapter is built, in document order:
// the error is the first bad image's, as if the chapters were built in turn.
TEST(EpubErrors, FirstBadImageInDocumentOrderIsReported) {
  auto d = book_with_shared_images();
  d.articles[1].source_name = "second.txt";
  d.articles[1].blocks[1].blocks.push_back(figure("Cut", "", "truncated.png", "cut"));  // in an answer
  d.articles[1].blocks.push_back(figure("Gone", "", "no-such.png", "gone"));
  d.articles[2].blocks.push_back(figure("Away", "", "../away.png", "away"));
  auto e = expect_error(d, options());
  EXPECT_EQ(e.diag().code, "bad-image");
  EXPECT_NE(e.diag().message.find("truncated.png"), std::string::npos) << e.diag().message;

  d.articles[1].blocks[1].blocks.back().image = "figure.png";  // now the missing one comes first
  e = expect_error(d, options());
  EXPECT_EQ(e.diag().code, "bad-image");
  EXPECT_NE(e.diag().message.find("no-such.png"), std::string::npos) << e.diag().message;
  EXPECT_EQ(e.diag().file, "second.txt");

  d.articles[1].blocks.back().image = "figure.jpg";
  e = expect_error(d, options());
  EXPECT_EQ(e.diag().code, "image-outside-base");

  auto o = options();  // a bad cover comes before every figure
  o.cover_image = "not-an-image.png";
  e = expect_error(d, o);
  EXPECT_EQ(e.diag().code, "bad-image");
  EXPECT_NE(e.diag().message.find("not-an-image.png"), std::string::npos) << e.diag().message;
}

// ------------------------------------------------------------ epubcheck

TEST(EpubCheck, InterviewClassicWithFigures) {
  auto d = interview();
  galley::doc::smarten(d);
  auto o = options("classic");
  o.css = css("classic");
  EXPECT_EPUBCHECK_CLEAN(make_epub(d, o), "interview-classic");
}

TEST(EpubCheck, InterviewMagazineWithCoverImage) {
  auto d = interview();
  galley::doc::smarten(d);
  auto o = options("magazine");
  o.css = css("magazine");
  o.cover_image = (data_dir() / "cover.jpg").string();
  o.label_mode = "initials";
  EXPECT_EPUBCHECK_CLEAN(make_epub(d, o), "interview-magazine");
}

TEST(EpubCheck, InterviewWithoutImagesOrCss) {
  EXPECT_EPUBCHECK_CLEAN(make_epub(interview(false), options()), "interview-plain");
}

TEST(EpubCheck, Cyrillic) {
  auto d = russian();
  galley::doc::smarten(d);
  auto o = options("magazine");
  o.css = css("magazine");
  EXPECT_EPUBCHECK_CLEAN(make_epub(d, o), "russian");
}

TEST(EpubCheck, Spanish) {
  auto d = spanish();
  galley::doc::smarten(d);
  auto o = options("classic");
  o.css = css("classic");
  o.label_mode = "qa";
  EXPECT_EPUBCHECK_CLEAN(make_epub(d, o), "spanish");
}

TEST(EpubCheck, BookOfFifty) {
  auto d = book();
  galley::doc::smarten(d);
  auto o = options("classic");
  o.css = css("classic");
  const auto z = make_epub(d, o);
  EXPECT_EQ(central_directory(z).size(), 8u + 50u);
  EXPECT_EPUBCHECK_CLEAN(z, "book-of-fifty");
}

// ------------------------------------------------------------ golden dump

// The whole package as text (entry list, every XML file) beside the test.
// Regenerate with GALLEY_UPDATE_GOLDEN=1 and review the diff.
TEST(EpubGolden, InterviewDump) {
  auto d = interview();
  galley::doc::smarten(d);
  auto o = options("classic");
  o.css = css("classic");
  const std::string got = dump_epub(d, o);
  const fs::path golden = data_dir() / "interview.dump";
  if (std::getenv("GALLEY_UPDATE_GOLDEN")) galley::write_file_atomically(golden, got);
  ASSERT_TRUE(fs::exists(golden)) << "run with GALLEY_UPDATE_GOLDEN=1 to create " << golden;
  EXPECT_EQ(got, read(golden));
}
