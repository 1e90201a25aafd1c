// Parsing time must grow linearly with the input. For each shape we parse an
// input of size N and one of size 4N and compare the best of three runs: a
// linear parser gives a ratio near 4, a quadratic one near 16. The bound (12)
// leaves room for caches and allocators; this is a growth check, not a speed
// test, so the absolute times do not matter.
//
// Times are the thread's CPU time, which waiting for a CPU on a busy
// machine does not inflate, and a ratio over the bound is measured once
// more before it fails: a quadratic parser is over it every time, noise
// (a neighbour on the same core) rarely twice.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>

#include "base/diagnostics.hpp"
#include "doc/check.hpp"
#include "parse/parse.hpp"

using namespace galley;

namespace {

constexpr std::size_t small_size = 600u * 1024;  // N; 4N is 2.4 MB
constexpr double max_ratio = 12.0;
constexpr double too_fast = 0.05;  // seconds: below this for 4N, noise dominates and growth cannot be quadratic

std::string repeat_to(const std::string& unit, std::size_t size, const std::string& head = {},
                      const std::string& tail = {}) {
  std::string s = head;
  s.reserve(size + unit.size() + tail.size());
  while (s.size() + tail.size() < size) s += unit;
  return s + tail;
}

double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double best_of_three(const std::string& input, parse::input_format f) {
  double best = 1e9;
  for (int run = 0; run < 3; ++run) {
    diagnostics diags("big");
    parse::options opts;
    opts.format = f;
    const double t0 = thread_seconds();
    auto d = parse::parse_interview(input, "big", opts, diags);
    best = std::min(best, thread_seconds() - t0);
    if (run == 0) {
      const auto problems = doc::check(d);
      EXPECT_TRUE(problems.empty()) << problems.front();
    }
  }
  return best;
}

void expect_linear(const std::function<std::string(std::size_t)>& make, parse::input_format f) {
  const auto small = make(small_size);
  const auto large = make(4 * small_size);
  ASSERT_GE(large.size(), 2u << 20);
  double t1 = best_of_three(small, f);
  double t4 = best_of_three(large, f);
  double ratio = t4 / std::max(t1, 1e-6);
  if (ratio >= max_ratio && t4 >= too_fast) {
    std::printf("    ratio %.2f: measuring again\n", ratio);
    t1 = std::min(t1, best_of_three(small, f));
    t4 = std::min(t4, best_of_three(large, f));
    ratio = t4 / std::max(t1, 1e-6);
  }
  ::testing::Test::RecordProperty("seconds_n", std::to_string(t1));
  ::testing::Test::RecordProperty("seconds_4n", std::to_string(t4));
  std::printf("    N=%zu: %.4f s, 4N: %.4f s, ratio %.2f\n", small.size(), t1, t4, ratio);
  if (t4 < too_fast) return;
  EXPECT_LT(ratio, max_ratio) << "time grows faster than linearly: " << t1 << " s for " << small.size()
                              << " bytes, " << t4 << " s for " << large.size() << " bytes";
}

constexpr auto plain = parse::input_format::plain;
constexpr auto markdown = parse::input_format::markdown;

TEST(linearity, long_line) {
  expect_linear([](std::size_t n) { return repeat_to("we talked about bread and the price of it, ", n); }, plain);
}

TEST(linearity, long_word) {
  expect_linear([](std::size_t n) { return "A: " + std::string(n, 'w') + "\n"; }, plain);
}

TEST(linearity, many_paragraphs) {
  expect_linear([](std::size_t n) { return repeat_to("A short paragraph about nothing.\n\n", n); }, plain);
}

TEST(linearity, many_question_turns) {
  expect_linear(
      [](std::size_t n) {
        return repeat_to("Q: And then?\n\nA: Then we went home and slept for a day.\n\n", n, "A title\n\n");
      },
      plain);
}

TEST(linearity, many_name_label_turns) {
  expect_linear(
      [](std::size_t n) {
        return repeat_to("Ann Asker: And then?\n\nBo Teller: Then we went home.\n\n", n, "A title\n\n");
      },
      plain);
}

TEST(linearity, many_open_brackets_plain) {
  expect_linear([](std::size_t n) { return repeat_to("[a ", n, "A: "); }, plain);
}

TEST(linearity, many_closed_brackets_plain) {
  expect_linear([](std::size_t n) { return repeat_to("[laughs] [in 2023] [00:12:31] ", n, "A: "); }, plain);
}

TEST(linearity, many_open_brackets_markdown) {
  expect_linear([](std::size_t n) { return repeat_to("[", n, "A: "); }, markdown);
}

TEST(linearity, deep_strong_nesting_markdown) {
  // **a **a **a ... a** a** a**: nesting as deep as the input allows.
  expect_linear(
      [](std::size_t n) {
        const std::size_t depth = n / 8;
        std::string s = "**Q:** ";
        s.reserve(n + 16);
        for (std::size_t i = 0; i < depth; ++i) s += "**a ";
        for (std::size_t i = 0; i < depth; ++i) s += "a** ";
        return s + "\n";
      },
      markdown);
}

TEST(linearity, unclosed_strong_markdown) {
  expect_linear([](std::size_t n) { return repeat_to("**a ", n, "**Q:** "); }, markdown);
}

TEST(linearity, many_bold_label_turns_markdown) {
  expect_linear(
      [](std::size_t n) { return repeat_to("**Q:** And then?\n\n**A:** Then we went home.\n\n", n, "# A title\n\n"); },
      markdown);
}

TEST(linearity, many_caption_like_lines) {
  expect_linear(
      [](std::size_t n) {
        return repeat_to("A harbour at dawn\nA harbour at dawn\nPhoto: Jane Roe\n\nQ: Why?\n\nA: Because.\n\n", n);
      },
      plain);
}

TEST(linearity, many_furniture_divs_markdown) {
  expect_linear(
      [](std::size_t n) {
        return repeat_to("**Q:** And then?\n\n::: {.promo}\nSubscribe now.\n:::\n\n**A:** We went home.\n\n", n);
      },
      markdown);
}

TEST(linearity, many_footnotes_markdown) {
  expect_linear(
      [](std::size_t n) {
        std::string s = "# A title\n\n";
        std::size_t k = 0;
        while (s.size() < n / 2) s += "**A:** We went home.[^n" + std::to_string(++k) + "]\n\n";
        for (std::size_t i = 1; i <= k; ++i) s += "[^n" + std::to_string(i) + "]: A note.\n\n";
        while (s.size() < n) s += "More text.\n\n";
        return s;
      },
      markdown);
}

TEST(linearity, long_pipe_table_markdown) {
  expect_linear([](std::size_t n) { return repeat_to("| Paint | $3,500 |\n", n, "A: Costs:\n\n| a | b |\n|---|---|\n"); },
                markdown);
}

}  // namespace

TEST(linearity, many_caption_cues) {
  expect_linear(
      [](std::size_t n) {
        return repeat_to("00:00:01.000 --> 00:00:02.000\n<v Ann Asker>And <i>then</i>?\n\n"
                         "00:00:02.000 --> 00:00:03.000\n<v Bo Teller>Then we went &amp; slept.\n\n",
                         n, "WEBVTT\n\n");
      },
      parse::input_format::vtt);
}

TEST(linearity, one_caption_line_of_open_tags) {
  expect_linear([](std::size_t n) { return repeat_to("<v a <c & {\\ ", n, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"); },
                parse::input_format::vtt);
}

TEST(linearity, many_transcript_speaker_lines) {
  expect_linear(
      [](std::size_t n) {
        return repeat_to("Ann Asker  0:02\nAnd then?\n\nBo Teller  0:05\nThen we went home.\n\n", n, "A title\n\n");
      },
      plain);
}
