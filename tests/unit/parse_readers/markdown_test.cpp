// Stage 3: read_markdown (cmark's tree to raw blocks).
#include <gtest/gtest.h>

#include <string>

#include "parse/raw.hpp"

using namespace galley;
using namespace galley::parse;
using doc::inline_kind;

namespace {

std::vector<raw_block> md(std::string_view text, std::uint32_t first_line = 1, diagnostics* diags = nullptr) {
  diagnostics local;
  diagnostics& d = diags ? *diags : local;
  auto blocks = read_markdown(text, first_line, d);
  if (!diags) {
    EXPECT_TRUE(d.list().empty()) << d.to_text();
  }
  return blocks;
}

std::vector<inline_kind> kinds(const doc::inlines& content) {
  std::vector<inline_kind> out;
  for (const auto& n : content) out.push_back(n.kind);
  return out;
}

std::size_t max_depth(const doc::inlines& content) {
  std::size_t depth = 0;
  for (const auto& n : content) depth = std::max(depth, 1 + max_depth(n.children));
  return depth;
}

}  // namespace

TEST(Markdown, HeadingAndParagraphWithInlines) {
  const auto b = md("# The title\n\nSome *emphasis*, **strong**, [a link](https://example.org) and `code`.\n");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].kind, raw_kind::heading);
  EXPECT_EQ(b[0].level, 1);
  EXPECT_EQ(b[0].text, "The title");
  EXPECT_EQ(b[0].pos, (source_pos{1, 1}));
  EXPECT_EQ(b[1].kind, raw_kind::paragraph);
  EXPECT_EQ(b[1].pos, (source_pos{3, 1}));
  EXPECT_EQ(b[1].text, "Some emphasis, strong, a link and code.");
  const auto& c = b[1].content;
  EXPECT_EQ(kinds(c), (std::vector<inline_kind>{inline_kind::text, inline_kind::emphasis, inline_kind::text,
                                                inline_kind::strong, inline_kind::text, inline_kind::link,
                                                inline_kind::text, inline_kind::code, inline_kind::text}));
  EXPECT_EQ(c[0].text, "Some ");
  EXPECT_EQ(c[1].children.at(0).text, "emphasis");
  EXPECT_EQ(c[5].target, "https://example.org");
  EXPECT_EQ(c[5].children.at(0).text, "a link");
  EXPECT_EQ(c[7].text, "code");
  EXPECT_FALSE(b[1].all_strong);
}

TEST(Markdown, BoldLabelStaysVisible) {
  const auto b = md("**Q:** text\n");
  ASSERT_EQ(b.size(), 1u);
  ASSERT_EQ(kinds(b[0].content), (std::vector<inline_kind>{inline_kind::strong, inline_kind::text}));
  ASSERT_EQ(b[0].content[0].children.size(), 1u);
  EXPECT_EQ(b[0].content[0].children[0].kind, inline_kind::text);
  EXPECT_EQ(b[0].content[0].children[0].text, "Q:");
  EXPECT_EQ(b[0].content[1].text, " text");
  EXPECT_EQ(b[0].text, "Q: text");
  EXPECT_FALSE(b[0].all_strong);
}

TEST(Markdown, AllStrongParagraph) {
  const auto b = md("**Why did Belarus offer to mediate?**  \n\n__Also this__\n\n**Not** this\n");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_TRUE(b[0].all_strong);
  EXPECT_TRUE(b[1].all_strong);
  EXPECT_FALSE(b[2].all_strong);
  EXPECT_EQ(b[0].text, "Why did Belarus offer to mediate?");
}

TEST(Markdown, BlockQuoteParagraphs) {
  const auto b = md("Before\n\n> quoted one\n>\n> quoted two\n\n> ## A heading in a quote\n", 5);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].kind, raw_kind::paragraph);
  EXPECT_EQ(b[1].kind, raw_kind::quote);
  EXPECT_EQ(b[1].text, "quoted one");
  EXPECT_EQ(b[1].pos, (source_pos{7, 3}));
  EXPECT_EQ(b[2].kind, raw_kind::quote);
  EXPECT_EQ(b[2].pos, (source_pos{9, 3}));
  EXPECT_EQ(b[3].kind, raw_kind::heading);
  EXPECT_EQ(b[3].level, 2);
}

TEST(Markdown, ThematicBreaks) {
  const auto b = md("One\n\n---\n\nTwo\n\n* * *\n\n___\n");
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b[1].kind, raw_kind::separator);
  EXPECT_EQ(b[1].pos, (source_pos{3, 1}));
  EXPECT_EQ(b[3].kind, raw_kind::separator);
  EXPECT_EQ(b[4].kind, raw_kind::separator);
}

TEST(Markdown, SetextHeading) {
  const auto b = md("Title\n=====\n\nSub\n---\n");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].kind, raw_kind::heading);
  EXPECT_EQ(b[0].level, 1);
  EXPECT_EQ(b[1].level, 2);
}

TEST(Markdown, ImageParagraph) {
  const auto b = md("![Yuri Ambrazevich in Minsk](img/yuri.jpg \"Photo: UN Geneva\")\n\nText with ![an icon](i.png) inside.\n");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].kind, raw_kind::image);
  EXPECT_EQ(b[0].image, "img/yuri.jpg");
  EXPECT_EQ(b[0].alt, "Yuri Ambrazevich in Minsk");
  EXPECT_EQ(b[0].text, "Yuri Ambrazevich in Minsk");
  EXPECT_EQ(b[0].title, "Photo: UN Geneva");
  // An image in running text keeps its alt text as words.
  EXPECT_EQ(b[1].kind, raw_kind::paragraph);
  EXPECT_EQ(b[1].text, "Text with an icon inside.");
}

TEST(Markdown, Lists) {
  const auto b = md("1. one\n2. two\n\n- x\n- y\n\n7) seven\n8) eight\n\n   continued\n");
  ASSERT_EQ(b.size(), 7u);
  for (const auto& x : b) EXPECT_EQ(x.kind, raw_kind::item) << x.text;
  EXPECT_EQ(b[0].number, 1);
  EXPECT_EQ(b[1].number, 2);
  EXPECT_TRUE(b[1].same_group);
  EXPECT_EQ(b[2].number, 0);
  EXPECT_EQ(b[3].number, 0);
  EXPECT_EQ(b[4].number, 7);
  EXPECT_EQ(b[5].number, 8);
  EXPECT_EQ(b[6].number, 8);  // the second paragraph of item 8
  EXPECT_EQ(b[6].text, "continued");
  EXPECT_EQ(b[0].pos, (source_pos{1, 4}));
}

TEST(Markdown, NestedListsAndQuotes) {
  const auto b = md("1. outer\n   - inner\n2. back\n\n> - quoted item\n\n- > item quote\n");
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b[0].number, 1);
  EXPECT_EQ(b[1].number, 0);
  EXPECT_EQ(b[2].number, 2);
  EXPECT_EQ(b[3].kind, raw_kind::item);
  EXPECT_EQ(b[4].kind, raw_kind::quote);
}

TEST(Markdown, CodeBlocks) {
  const auto b = md("```\nint x = 1;\n  return x;\n```\n\n    indented code\n");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].kind, raw_kind::code);
  ASSERT_EQ(b[0].content.size(), 1u);
  EXPECT_EQ(b[0].content[0].kind, inline_kind::code);
  EXPECT_EQ(b[0].content[0].text, "int x = 1;\n  return x;");
  EXPECT_EQ(b[0].text, "int x = 1; return x;");
  EXPECT_EQ(b[1].kind, raw_kind::code);
  EXPECT_EQ(b[1].text, "indented code");
}

TEST(Markdown, SoftAndHardBreaks) {
  const auto b = md("A hard-wrapped line\nand its continuation\nend.\n\nhard  \nbreak\\\nagain\n");
  ASSERT_EQ(b.size(), 2u);
  ASSERT_EQ(b[0].content.size(), 1u);
  EXPECT_EQ(b[0].content[0].text, "A hard-wrapped line and its continuation end.");
  EXPECT_EQ(b[0].text, "A hard-wrapped line and its continuation end.");
  EXPECT_EQ(kinds(b[1].content), (std::vector<inline_kind>{inline_kind::text, inline_kind::line_break,
                                                           inline_kind::text, inline_kind::line_break,
                                                           inline_kind::text}));
  EXPECT_EQ(b[1].text, "hard break again");
}

TEST(Markdown, InlineHtml) {
  const auto b = md("Hello <Jane Doe> and <span class=\"x\">kept</span> words<br>after <!-- note --> end\n");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].text, "Hello <Jane Doe> and kept words after end");
  bool has_break = false;
  for (const auto& n : b[0].content) has_break = has_break || n.kind == inline_kind::line_break;
  EXPECT_TRUE(has_break);
}

TEST(Markdown, HtmlBlockKeepsItsTextWithAnInfo) {
  diagnostics d;
  const auto b = md("<div class=\"promo\">\nSubscribe &amp; <b>save</b>\n</div>\n\n<!-- hidden -->\n\nAfter\n", 1, &d);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].kind, raw_kind::paragraph);
  EXPECT_EQ(b[0].text, "Subscribe & save");
  EXPECT_EQ(b[0].pos, (source_pos{1, 1}));
  EXPECT_EQ(b[1].text, "After");
  ASSERT_EQ(d.list().size(), 2u);
  EXPECT_EQ(d.list()[0].severity, severity::info);
  EXPECT_EQ(d.list()[0].code, "html-block");
  EXPECT_EQ(d.list()[0].pos, (source_pos{1, 1}));
  EXPECT_EQ(d.list()[1].code, "html-block");
  EXPECT_EQ(d.list()[1].pos, (source_pos{5, 1}));
}

TEST(Markdown, PositionsCountCodePointsAndFirstLine) {
  const auto b = md("> \xC3\xA9t\xC3\xA9 *x*\n", 3);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].pos, (source_pos{3, 3}));
  ASSERT_EQ(b[0].content.size(), 2u);
  EXPECT_EQ(b[0].content[0].pos, (source_pos{3, 3}));
  EXPECT_EQ(b[0].content[1].pos.line, 3u);
  EXPECT_EQ(b[0].content[1].pos.col, 7u);  // '*' is the 7th code point, the 9th byte
}

TEST(Markdown, SameGroupForAdjacentBlocks) {
  const auto b = md("# Head\nText right after\n\nText after a blank\n");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_FALSE(b[0].same_group);
  EXPECT_TRUE(b[1].same_group);
  EXPECT_FALSE(b[2].same_group);
}

TEST(Markdown, WhiteSpaceInTextIsCollapsed) {
  const auto b = md("a   b\t\tc *d   e*\n");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].content[0].text, "a b c ");
  EXPECT_EQ(b[0].text, "a b c d e");
}

TEST(Markdown, DeepNestingIsBounded) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "*a ";
  text += "x";
  for (int i = 0; i < 5000; ++i) text += " a*";
  text += "\n";
  for (int i = 0; i < 5000; ++i) text += "> ";
  text += "deep quote\n";
  const auto b = md(text);
  ASSERT_EQ(b.size(), 2u);
  const std::size_t depth = max_depth(b[0].content);
  EXPECT_GE(depth, 40u);
  EXPECT_LE(depth, 60u);
  EXPECT_EQ(b[0].text.size(), 5000u * 4 + 1);  // no words lost
  EXPECT_EQ(b[1].kind, raw_kind::quote);
  EXPECT_EQ(b[1].text, "deep quote");
}

TEST(Markdown, EmptyInput) { EXPECT_TRUE(md("").empty()); }

TEST(Markdown, WhiteSpaceRunsAtEveryOffset) {
  for (std::size_t k = 0; k < 20; ++k) {
    const std::string left(k + 1, 'x'), right(20, 'y');
    const auto b = md(left + "  \xC2\xA0" + right + " \xC2\xA0 *" + right + "*\n");
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].text, left + " " + right + " " + right) << k;
    const auto c = md(left + "\xC2\xA0" + right + "\n");
    EXPECT_EQ(c[0].text, left + "\xC2\xA0" + right) << k;
  }
}

TEST(Markdown, SpaceThenTabAcrossWords) {
  for (std::size_t k = 0; k < 20; ++k) {
    const std::string left(k + 1, 'x'), right(20, 'y');
    const auto b = md(left + " \t" + right + " \xE2\x80\x89" + right + "\n");
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].text, left + " " + right + " " + right) << k;
    EXPECT_EQ(b[0].content.at(0).text, b[0].text) << k;
  }
}

// --- constructs of GitHub and pandoc Markdown ---

// The text of the block, with its line breaks as newlines.
std::string lines_of(const raw_block& b) {
  std::string out;
  for (const auto& n : b.content) {
    if (n.kind == inline_kind::line_break) out += '\n';
    else out += doc::plain_text(doc::inlines{n});
  }
  return out;
}

TEST(Markdown, PipeTableIsOneParagraphOfRows) {
  const auto b = md("Roughly:\n\n| Item | Cost |\n|:-----|-----:|\n| Paint | $3,500 |\n| Lift *rental* | $4,200 |\n"
                    "|  | `a|b` |\n\nAfter.\n");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[1].kind, raw_kind::paragraph);
  EXPECT_EQ(lines_of(b[1]), "Item \u2014 Cost\nPaint \u2014 $3,500\nLift rental \u2014 $4,200\na|b");
  EXPECT_EQ(b[1].text, "Item \u2014 Cost Paint \u2014 $3,500 Lift rental \u2014 $4,200 a|b");
  EXPECT_EQ(b[2].text, "After.");
}

TEST(Markdown, PipeTableAfterLinesOfItsParagraph) {
  // Without the outer pipes, under a line of text, in a block quote.
  const auto b = md("> Prices:\n> Year | Price\n> --- | ---\n> 2019 | 4\n\nA | B but no table\n| not | a delimiter |\n");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].kind, raw_kind::quote);
  EXPECT_EQ(lines_of(b[0]), "Prices:\nYear \u2014 Price\n2019 \u2014 4");
  EXPECT_EQ(b[1].text, "A | B but no table | not | a delimiter |");
}

TEST(Markdown, LinkedImageIsAnImage) {
  const auto b = md("[![Ngozi at her desk](img/desk.jpg \"At work\")](img/desk-big.jpg)\n\n"
                    "[![](img/ref.jpg)][big]\n\n[big]: img/ref-big.jpg\n\n"
                    "[![an icon](i.png) and words](page.html)\n");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].kind, raw_kind::image);
  EXPECT_EQ(b[0].image, "img/desk.jpg");
  EXPECT_EQ(b[0].alt, "Ngozi at her desk");
  EXPECT_EQ(b[0].title, "At work");
  EXPECT_EQ(b[1].kind, raw_kind::image);
  EXPECT_EQ(b[1].image, "img/ref.jpg");
  EXPECT_EQ(b[1].text, "");
  // A link holding more than the image stays a link in a paragraph.
  EXPECT_EQ(b[2].kind, raw_kind::paragraph);
  EXPECT_EQ(b[2].text, "an icon and words");
  EXPECT_EQ(kinds(b[2].content), (std::vector<inline_kind>{inline_kind::link}));
}

TEST(Markdown, PandocAttributesAfterImagesAndLinks) {
  const auto b = md("![Luc\xC3\xAD" "a in the ice factory](img/ice.jpg){width=\"100%\" .wide}\n\n"
                    "[![A wall](w.jpg){#wall}](big.jpg){.zoom}\n\n"
                    "See [the mural](m.html){target=_blank} and ![x](y.png){height=2em} here {not attributes}.\n");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].kind, raw_kind::image);
  EXPECT_EQ(b[0].image, "img/ice.jpg");
  EXPECT_EQ(b[0].text, "Luc\xC3\xAD" "a in the ice factory");
  EXPECT_EQ(b[1].kind, raw_kind::image);
  EXPECT_EQ(b[1].image, "w.jpg");
  EXPECT_EQ(b[1].text, "A wall");
  EXPECT_EQ(b[2].kind, raw_kind::paragraph);
  EXPECT_EQ(b[2].text, "See the mural and x here {not attributes}.");
}

TEST(Markdown, HtmlFigureIsAnImageAndItsCaption) {
  diagnostics d;
  const auto b = md("<figure class=\"wp-block-image\"><img src=\"img/mural.jpg\" alt=\"Marisol &amp; her mural\" "
                    "width=\"800\"/><figcaption>Marisol Quintero in <em>front</em> of her mural. Photo: Ana "
                    "Beltr\xC3\xA1n</figcaption></figure>\n\n"
                    "<p><IMG class=lazy SRC='data:image/gif;base64,R0lGOD' data-src=\"img/lazy.png\"></p>\n\n"
                    "<div><img alt=\"no source\"> Some text</div>\n",
                    1, &d);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].kind, raw_kind::image);
  EXPECT_EQ(b[0].image, "img/mural.jpg");
  EXPECT_EQ(b[0].alt, "Marisol & her mural");
  EXPECT_EQ(b[0].pos, (source_pos{1, 1}));
  EXPECT_EQ(b[1].kind, raw_kind::paragraph);
  EXPECT_EQ(kinds(b[1].content), (std::vector<inline_kind>{inline_kind::emphasis}));
  EXPECT_EQ(b[1].text, "Marisol Quintero in front of her mural. Photo: Ana Beltr\xC3\xA1n");
  EXPECT_EQ(b[2].kind, raw_kind::image);
  EXPECT_EQ(b[2].image, "img/lazy.png");
  EXPECT_EQ(b[2].alt, "");
  // An image without a source: the block is text, as before.
  EXPECT_EQ(b[3].kind, raw_kind::paragraph);
  EXPECT_EQ(b[3].text, "Some text");
  ASSERT_EQ(d.list().size(), 3u);
  EXPECT_EQ(d.list()[0].code, "html-block");
}

TEST(Markdown, PandocFencedDivsAndHeadingAttributes) {
  diagnostics d;
  const auto b = md("::: {.breadcrumbs}\n[Home](/) \xE2\x80\xBA [Music](/music)\n:::\n"
                    "# Luc\xC3\xAD" "a Ferr\xC3\xA1ndiz: \"Practice\" {#lucia .entry-title lang=\"es\"}\n\n"
                    "Text.\n\n::: {#box .newsletter-signup}\n**Subscribe** to our newsletter.\n\n"
                    "::: inner\nStill the box.\n:::\n::::\n\n## A set {a, b}\n\n"
                    "```\n::: {.promo}\ncode\n:::\n```\n\n::: warning\nKept.\n:::\n",
                    1, &d);
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b[0].text, "Home \xE2\x80\xBA Music");
  EXPECT_EQ(b[0].pos, (source_pos{2, 1}));
  EXPECT_EQ(b[1].kind, raw_kind::heading);
  EXPECT_EQ(b[1].text, "Luc\xC3\xAD" "a Ferr\xC3\xA1ndiz: \"Practice\"");
  EXPECT_EQ(b[2].text, "Text.");
  EXPECT_EQ(b[3].kind, raw_kind::heading);
  EXPECT_EQ(b[3].text, "A set {a, b}");
  EXPECT_EQ(b[4].kind, raw_kind::code);
  EXPECT_EQ(b[4].content.at(0).text, "::: {.promo}\ncode\n:::");
  EXPECT_EQ(b[5].text, "Kept.");
  EXPECT_EQ(b[5].pos, (source_pos{25, 1}));
  ASSERT_EQ(d.list().size(), 2u);
  EXPECT_EQ(d.list()[0].code, "noise-promo");
  EXPECT_EQ(d.list()[0].pos, (source_pos{9, 1}));
  EXPECT_EQ(d.list()[1].code, "noise-promo");
  EXPECT_EQ(d.list()[1].pos, (source_pos{12, 1}));
}

TEST(Markdown, FootnotesAreNotes) {
  const auto b = md("Up three decibels.[^1] Whales[^whales] and `[^1]` and [^nope] and [^3].\n\n"
                    "[^1]: Figures from the *station*\nat Point Sur.\n\n"
                    "   [^whales]: Humpbacks.\n\n    Second paragraph.\n\n        code in the note\n\n"
                    "After the notes.\n");
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b[0].text, "Up three decibels.\u00B9 Whales\u00B2 and [^1] and [^nope] and \u00B3.");
  EXPECT_EQ(b[1].kind, raw_kind::code);
  EXPECT_EQ(b[1].text, "\u00B9 Figures from the station at Point Sur.");
  EXPECT_EQ(kinds(b[1].content), (std::vector<inline_kind>{inline_kind::text, inline_kind::emphasis,
                                                           inline_kind::text}));
  EXPECT_EQ(b[1].pos, (source_pos{3, 1}));
  EXPECT_EQ(b[2].kind, raw_kind::code);
  EXPECT_EQ(b[2].text, "\u00B2 Humpbacks.");
  EXPECT_EQ(b[2].pos, (source_pos{6, 4}));
  EXPECT_EQ(b[3].kind, raw_kind::code);
  EXPECT_EQ(b[3].text, "Second paragraph.");
  EXPECT_EQ(b[3].pos, (source_pos{8, 5}));
  EXPECT_EQ(b[4].kind, raw_kind::code);
  EXPECT_EQ(b[4].content.at(0).kind, inline_kind::code);
  EXPECT_EQ(b[4].text, "code in the note");
  EXPECT_EQ(b[5].kind, raw_kind::paragraph);
  EXPECT_EQ(b[5].text, "After the notes.");
}

TEST(Markdown, FootnoteDefinitionWithOneWordIsNotALinkDefinition) {
  // `[^1]: Ibid.` is also a CommonMark link reference definition.
  const auto b = md("Quoted.[^1]\n\n[^1]: Ibid.\n");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].text, "Quoted.\u00B9");
  EXPECT_EQ(kinds(b[0].content), (std::vector<inline_kind>{inline_kind::text}));
  EXPECT_EQ(b[1].kind, raw_kind::code);
  EXPECT_EQ(b[1].text, "\u00B9 Ibid.");
}

TEST(Markdown, HtmlFigureWithoutClosingTags) {
  diagnostics d;
  const auto b = md("<figure><img src=\"a.jpg\"><figcaption>Never closed\n\n<figure><img src=\"b.jpg\" alt=\"cut></figure>\n",
                    1, &d);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].image, "a.jpg");
  EXPECT_EQ(b[1].text, "Never closed");
  EXPECT_EQ(b[2].image, "b.jpg");
}

TEST(Markdown, PandocBracketedSpans) {
  const auto b = md("[The cellist presents her third record]{.subtitle}\n\n"
                    "Before [a word]{lang=es} after, [kept] and [not a span]{x} and a]{.y}.\n");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].text, "The cellist presents her third record");
  EXPECT_EQ(b[1].text, "Before a word after, [kept] and [not a span]{x} and a]{.y}.");
}
