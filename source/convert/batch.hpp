// Batch conversion: many jobs (one per interview, or one per book project),
// run by a pool of std::thread workers, with incremental builds (a state file
// of dependency hashes in the output folder), Make-format depfiles, a JSON
// report, stable sharding for CI matrices and a progress display.
//
// Thread safety: each job has its own document, diagnostics and layout
// font_set; the process-wide caches of source/layout (font registry,
// fontconfig answers, shaping results, hyphenation dictionaries, ICU break
// iterator prototypes) are guarded by mutexes there.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "base/hash.hpp"
#include "convert/convert.hpp"
#include "doc/tree.hpp"

namespace galley::convert {

// What a book project sets on the book after loading (book.toml).
struct book_settings {
  bool present = false;
  std::string title, subtitle, language, publisher, rights, identifier, date, source;
  std::vector<doc::contributor> authors;
};

struct batch_output {
  output_format format = output_format::epub;
  std::string path;
};

struct batch_job {
  std::string name;                 // stable id: the path relative to its folder, without extension
  std::vector<std::string> inputs;  // one interview, or the interviews of a book
  std::vector<batch_output> outputs;
  book_settings book;
  std::vector<std::string> extra_deps;  // other files the outputs depend on (the book.toml)
};

struct batch_settings {
  options conversion;              // shared by every job
  std::string command = "batch";   // "batch" or "build", for the report
  std::string state_dir;           // where .galley-state.json lives ("" = no state)
  unsigned workers = 0;            // 0: the number of cores
  bool force = false;              // rebuild even when up to date
  bool depfile = false;            // write OUTPUT.d beside each output
  bool quiet = false;              // no progress, no summary line
  bool verbose = false;            // info diagnostics too
  std::string report;              // JSON report path, or ""
  std::string shard;               // "K/N" when sharded, for the report
  int progress = -1;               // -1: a bar when stderr is a terminal; 0: plain lines; 1: bar
};

// The schema version of the report and of the state file.
inline constexpr int report_schema_version = 1;
inline constexpr const char* state_file_name = ".galley-state.json";

// Every interview among the arguments: files as they are, folders walked for
// .txt, .md and .markdown files (sorted; hidden entries skipped). Each job's
// outputs are OUT_DIR/RELATIVE/NAME.FORMAT, where RELATIVE is the file's
// folder below the argument folder ("" for file arguments). Throws
// galley::error (usage) when an argument does not exist or two inputs
// would write the same output.
std::vector<batch_job> plan_batch(const std::vector<std::string>& args, const std::string& out_dir,
                                  const std::vector<output_format>& formats);

struct shard_spec {
  unsigned index = 1;  // 1-based
  unsigned count = 1;
};
// "K/N" (1 <= K <= N), or "auto": CI_NODE_INDEX / CI_NODE_TOTAL (GitLab
// `parallel:`, also set them in a GitHub Actions matrix), 1/1 when unset.
// Throws galley::error (usage) otherwise.
shard_spec parse_shard(const std::string& spec, const char* node_index, const char* node_total);
// Stable under adding and removing other inputs: a hash of the job's name.
bool in_shard(const std::string& name, shard_spec s);

// Runs the jobs and returns the exit code: 0, or the worst code of the
// failed jobs (1 when inputs failed). Diagnostics, progress and the summary
// go to `err`.
int run_batch(const std::vector<batch_job>& jobs, const batch_settings& s, std::ostream& err);

// SHA-256 of bytes, as 64 hex digits (base/hash.hpp).
using galley::sha256_hex;

// A path escaped for a Make-format depfile (spaces, #, $, backslashes).
std::string depfile_escape(const std::string& path);

}  // namespace galley::convert
