// Unit tests of the batch and book-project helpers: hashing, depfile
// escaping, shards, globs and book.toml errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "convert/batch.hpp"
#include "convert/book.hpp"

namespace fs = std::filesystem;
using namespace galley;
using namespace galley::convert;

namespace {

struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path() / ("galley-batch-unit-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                        "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() { fs::remove_all(path); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel) << text;
  }
};

}  // namespace

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Depfile, Escapes) {
  EXPECT_EQ(depfile_escape("a b/c#d$e"), "a\\ b/c\\#d$$e");
  EXPECT_EQ(depfile_escape("plain/path.txt"), "plain/path.txt");
}

TEST(Shard, Parses) {
  auto s = parse_shard("2/5", nullptr, nullptr);
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 5u);
  s = parse_shard("auto", "3", "4");
  EXPECT_EQ(s.index, 3u);
  EXPECT_EQ(s.count, 4u);
  s = parse_shard("auto", nullptr, nullptr);
  EXPECT_EQ(s.count, 1u);
  for (const char* bad : {"0/2", "3/2", "2", "a/b", "1/0", "/", "1/2/3", "-1/2"}) {
    try {
      parse_shard(bad, nullptr, nullptr);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const error& e) {
      EXPECT_EQ(e.code(), exit_code::usage) << bad;
      EXPECT_EQ(e.diag().code, "bad-shard");
    }
  }
  EXPECT_THROW(parse_shard("auto", "5", "4"), error);
}

TEST(Shard, PartitionsEveryNameOnce) {
  for (unsigned n : {1u, 2u, 3u, 7u}) {
    std::vector<int> per(n, 0);
    for (int i = 0; i < 500; ++i) {
      std::string name = "part-" + std::to_string(i % 9) + "/interview-" + std::to_string(i);
      int hits = 0;
      for (unsigned k = 1; k <= n; ++k)
        if (in_shard(name, {k, n})) ++hits, ++per[k - 1];
      EXPECT_EQ(hits, 1) << name;
    }
    for (unsigned k = 0; k < n; ++k) EXPECT_GT(per[k], 500 / static_cast<int>(n) / 2) << k << "/" << n;
  }
}

TEST(Glob, ExpandsSortedWithDoubleStar) {
  temp_dir t;
  for (const char* f : {"i/b.txt", "i/a.txt", "i/c.md", "i/.hidden.txt", "i/sub/deep/d.txt", "i/sub/e.txt"})
    t.write(f, "x");
  const std::string d = t.path.string();
  auto rel = [&](std::vector<std::string> v) {
    for (auto& s : v) s = fs::path(s).lexically_relative(t.path).string();
    return v;
  };
  EXPECT_EQ(rel(expand_glob(d, "i/*.txt")), (std::vector<std::string>{"i/a.txt", "i/b.txt"}));
  EXPECT_EQ(rel(expand_glob(d, "i/**/*.txt")),
            (std::vector<std::string>{"i/a.txt", "i/b.txt", "i/sub/deep/d.txt", "i/sub/e.txt"}));
  EXPECT_EQ(rel(expand_glob(d, "i/?.md")), (std::vector<std::string>{"i/c.md"}));
  EXPECT_TRUE(expand_glob(d, "nothing/*.txt").empty());
}

TEST(Book, ReadsAProject) {
  temp_dir t;
  t.write("interviews/2.txt", "Q: a?\n\nA: b.\n");
  t.write("interviews/1.txt", "Q: a?\n\nA: b.\n");
  t.write("intro.md", "Q: a?\n\nA: b.\n");
  t.write("book.toml",
          "title = \"T\"\nauthors = [\"A\", {name = \"B\", role = \"interviewee\"}]\nlanguage = \"es\"\n"
          "interviews = [\"intro.md\", \"interviews/*.txt\", \"interviews/1.txt\"]\npaper = \"a5\"\n"
          "[meta]\npublisher = \"P\"\n[output]\ndir = \"dist\"\nname = \"b\"\nformats = [\"pdf\"]\n");
  diagnostics w;
  auto p = load_book_project((t.path / "book.toml").string(), w);
  EXPECT_TRUE(w.list().empty());
  EXPECT_EQ(p.book.title, "T");
  ASSERT_EQ(p.book.authors.size(), 2u);
  EXPECT_EQ(p.book.authors[1].role, doc::role::interviewee);
  EXPECT_EQ(p.book.language, "es");
  ASSERT_EQ(p.interviews.size(), 3u);  // the repeated file once, in first position
  EXPECT_EQ(fs::path(p.interviews[0]).filename(), "intro.md");
  EXPECT_EQ(fs::path(p.interviews[1]).filename(), "1.txt");
  EXPECT_EQ(fs::path(p.interviews[2]).filename(), "2.txt");
  EXPECT_EQ(p.paper, "a5");
  EXPECT_EQ(p.meta.size(), 1u);
  EXPECT_EQ(p.out_dir, (t.path / "dist").string());
  EXPECT_EQ(p.formats, std::vector<output_format>{output_format::pdf});
}

TEST(Book, ErrorsHavePositions) {
  temp_dir t;
  t.write("book.toml", "title = \"T\"\npaper = \"a3\"\ninterviews = [\"x.txt\"]\n");
  diagnostics w;
  try {
    load_book_project((t.path / "book.toml").string(), w);
    FAIL() << "accepted";
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::usage);
    EXPECT_EQ(e.diag().pos.line, 2u);
    EXPECT_EQ(e.diag().pos.col, 9u);
    EXPECT_EQ(e.diag().code, "book-bad-value");
  }
  t.write("book.toml", "colour = \"red\"\ninterviews = [\"x.txt\"]\n");
  t.write("x.txt", "Q: a?\n\nA: b.\n");
  diagnostics w2;
  load_book_project((t.path / "book.toml").string(), w2);
  ASSERT_EQ(w2.list().size(), 1u);
  EXPECT_EQ(w2.list()[0].code, "book-unknown-key");
}

TEST(Book, StarterParses) {
  temp_dir t;
  t.write("book.toml", starter_book_toml());
  t.write("interviews/a.txt", "Q: a?\n\nA: b.\n");
  t.write("interviews/b.md", "Q: a?\n\nA: b.\n");
  diagnostics w;
  auto p = load_book_project((t.path / "book.toml").string(), w);
  EXPECT_TRUE(w.list().empty());
  EXPECT_EQ(p.interviews.size(), 2u);
  EXPECT_EQ(p.formats.size(), 2u);
}
