#include "convert/batch.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "base/hash.hpp"
#include "base/output.hpp"
#include "base/parallel.hpp"
#include "doc/typography.hpp"

#ifndef GALLEY_VERSION
#define GALLEY_VERSION "unknown"
#endif

namespace galley::convert {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::string depfile_escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '#' || c == '\\') out += '\\';
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

// ---------------------------------------------------------------- planning

namespace {

bool is_interview(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".txt" || ext == ".md" || ext == ".markdown" || ext == ".vtt" || ext == ".srt";
}

std::string generic(const fs::path& p) { return p.generic_string(); }

}  // namespace

std::vector<batch_job> plan_batch(const std::vector<std::string>& args, const std::string& out_dir,
                                  const std::vector<output_format>& formats) {
  struct found {
    std::string input;
    fs::path rel;  // relative output stem: folder/name (no extension)
  };
  std::vector<found> inputs;
  for (const auto& arg : args) {
    std::error_code ec;
    if (arg == "-") fail(exit_code::usage, "galley", "bad-input", "batch does not read standard input");
    if (fs::is_directory(arg, ec)) {
      std::vector<found> here;
      auto opts = fs::directory_options::skip_permission_denied;
      for (auto it = fs::recursive_directory_iterator(arg, opts, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.filename().string().rfind('.', 0) == 0) {  // hidden: skip, and do not descend
          if (it->is_directory(ec)) it.disable_recursion_pending();
          continue;
        }
        if (!it->is_regular_file(ec) || !is_interview(p)) continue;
        fs::path rel = p.lexically_relative(arg);
        here.push_back({p.string(), rel.parent_path() / rel.stem()});
      }
      if (ec) fail(exit_code::io, arg, "io-error", "cannot read folder: " + ec.message());
      std::sort(here.begin(), here.end(),
                [](const found& a, const found& b) { return generic(a.rel) < generic(b.rel); });
      inputs.insert(inputs.end(), here.begin(), here.end());
    } else if (fs::exists(arg, ec)) {
      inputs.push_back({arg, fs::path(arg).stem()});
    } else {
      fail(exit_code::io, arg, "io-error", "cannot read input: No such file or directory");
    }
  }
  std::vector<batch_job> jobs;
  std::map<std::string, std::string> owner;  // output stem -> input
  for (const auto& f : inputs) {
    std::string name = generic(f.rel);
    auto [it, fresh] = owner.emplace(name, f.input);
    if (!fresh) {
      if (it->second == f.input) continue;  // the same file named twice
      diagnostic d{severity::error, f.input, {}, "'" + f.input + "' and '" + it->second +
                                                     "' would both write '" + name + ".*'",
                   "output-collision", {"rename one of them, or convert them in separate batches"}};
      throw error(exit_code::usage, std::move(d));
    }
    batch_job j;
    j.name = name;
    j.inputs = {f.input};
    for (auto fmt : formats) {
      fs::path out = fs::path(out_dir) / f.rel;
      out += fmt == output_format::epub ? ".epub" : ".pdf";
      j.outputs.push_back({fmt, out.string()});
    }
    jobs.push_back(std::move(j));
  }
  return jobs;
}

shard_spec parse_shard(const std::string& spec, const char* node_index, const char* node_total) {
  auto number = [](const std::string& s, unsigned& out) {
    if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    out = static_cast<unsigned>(std::stoul(s));
    return true;
  };
  shard_spec r;
  std::string k, n, what = spec;
  if (spec == "auto") {
    bool has_i = node_index && *node_index, has_n = node_total && *node_total;
    if (!has_i && !has_n) return r;
    k = has_i ? node_index : "1";
    n = has_n ? node_total : "1";
    what = "CI_NODE_INDEX=" + k + " CI_NODE_TOTAL=" + n;
  } else {
    auto slash = spec.find('/');
    if (slash != std::string::npos) k = spec.substr(0, slash), n = spec.substr(slash + 1);
  }
  if (!number(k, r.index) || !number(n, r.count) || r.count == 0 || r.index == 0 || r.index > r.count)
    fail(exit_code::usage, "galley", "bad-shard",
         "--shard expects K/N with 1 <= K <= N, or auto; got '" + what + "'");
  return r;
}

bool in_shard(const std::string& name, shard_spec s) {
  if (s.count <= 1) return true;
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a: stable across platforms and releases
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h % s.count == s.index - 1;
}

// ---------------------------------------------------------------- running

namespace {

using clock_type = std::chrono::steady_clock;

// Content hashes of dependency files, once per file per run ("" = missing).
class file_hashes {
 public:
  std::string get(const std::string& path) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = memo_.find(path); it != memo_.end()) return it->second;
    }
    std::string h;
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
      std::ifstream in(path, std::ios::binary);
      sha256 s;
      std::vector<char> buf(1 << 16);
      while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        s.update(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
      }
      if (!in.bad()) h = s.hex();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    memo_.emplace(path, h);
    return h;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> memo_;
};

struct state_entry {
  std::string key;     // version, options, format, inputs
  std::string output;  // hash of the output's bytes
  std::vector<std::pair<std::string, std::string>> deps;
};
using state_map = std::map<std::string, state_entry>;

state_map read_state(const fs::path& file) {
  state_map out;
  std::error_code ec;
  if (!fs::exists(file, ec)) return out;
  try {
    json j = json::parse(read_file(file));
    if (j.value("schema_version", 0) != report_schema_version) return out;
    for (const auto& [name, e] : j.at("outputs").items()) {
      state_entry s;
      s.key = e.at("key").get<std::string>();
      s.output = e.at("output").get<std::string>();
      for (const auto& d : e.at("deps")) s.deps.emplace_back(d.at(0).get<std::string>(), d.at(1).get<std::string>());
      out[name] = std::move(s);
    }
  } catch (const std::exception&) {
    return {};  // a damaged state file: rebuild everything
  }
  return out;
}

void write_state(const fs::path& file, const state_map& m) {
  json outs = json::object();
  for (const auto& [name, e] : m) {
    json deps = json::array();
    for (const auto& [p, h] : e.deps) deps.push_back({p, h});
    outs[name] = {{"key", e.key}, {"output", e.output}, {"deps", deps}};
  }
  json j = {{"schema_version", report_schema_version}, {"galley_version", GALLEY_VERSION}, {"outputs", outs}};
  write_file_atomically(file, j.dump(1) + "\n");
}

enum class job_status { converted, up_to_date, failed, not_run };
std::string_view to_string(job_status s) {
  switch (s) {
    case job_status::converted: return "converted";
    case job_status::up_to_date: return "up-to-date";
    case job_status::failed: return "failed";
    case job_status::not_run: return "not-run";
  }
  return "failed";
}

struct output_outcome {
  std::string status = "not-run";  // written, up-to-date, failed, not-run
  std::optional<state_entry> entry;
  std::string depfile;
};

struct job_outcome {
  job_status status = job_status::not_run;
  exit_code code = exit_code::ok;
  std::vector<diagnostic> diags;
  double seconds = 0;
  std::vector<output_outcome> outputs;
};

std::string state_name(const std::string& output, const std::string& state_dir) {
  return generic(fs::path(output).lexically_normal().lexically_relative(fs::path(state_dir).lexically_normal()));
}

void collect_images(const std::vector<doc::block>& blocks, const fs::path& base, std::vector<std::string>& out) {
  for (const auto& b : blocks) {
    if (b.kind == doc::block_kind::figure && !b.image.empty()) {
      fs::path p(b.image);
      out.push_back((p.is_absolute() ? p : base / p).lexically_normal().string());
    }
    collect_images(b.blocks, base, out);
  }
}

void apply_book(doc::document& d, const book_settings& b) {
  if (!b.present) return;
  auto& m = d.metadata;
  auto set = [](std::string& field, const std::string& v) {
    if (!v.empty()) field = v;
  };
  set(m.title, b.title);
  set(m.subtitle, b.subtitle);
  set(m.language, b.language);
  set(m.publisher, b.publisher);
  set(m.rights, b.rights);
  set(m.identifier, b.identifier);
  set(m.date, b.date);
  set(m.source, b.source);
  std::vector<doc::contributor> people = b.authors;
  for (const auto& c : m.contributors)
    if (std::none_of(people.begin(), people.end(), [&](const doc::contributor& x) { return x.name == c.name; }))
      people.push_back(c);
  m.contributors = std::move(people);
}

class runner {
 public:
  runner(const std::vector<batch_job>& jobs, const batch_settings& s, std::ostream& err)
      : jobs_(jobs), s_(s), err_(err) {}
  int run();

 private:
  std::string key_for(const batch_job& j, const batch_output& o) const;
  bool up_to_date(const state_entry& prev, const std::string& key, const std::string& output);
  job_outcome process(const batch_job& j);
  void write_depfile(const std::string& output, const state_entry& e);
  void show(std::size_t index, const job_outcome& r);
  void draw_bar(bool final);
  void clear_bar();
  void write_report(const std::vector<job_outcome>& results, double seconds, bool interrupted);

  const std::vector<batch_job>& jobs_;
  const batch_settings& s_;
  std::ostream& err_;
  std::string style_dir_;
  state_map prev_;
  file_hashes hashes_;
  bool bar_ = false;
  bool bar_drawn_ = false;
  std::size_t done_ = 0, failed_ = 0, skipped_ = 0;
  clock_type::time_point start_;
  unsigned workers_ = 1;
};

std::string runner::key_for(const batch_job& j, const batch_output& o) const {
  const options& c = s_.conversion;
  json k = {{"galley", GALLEY_VERSION},
            {"format", to_string(o.format)},
            {"output", o.path},
            {"inputs", j.inputs},
            {"style", style_dir_},
            {"cover", c.cover},
            {"labels", c.labels},
            {"paper", c.paper},
            {"date", c.date},
            {"from", static_cast<int>(c.parse.format)},
            {"meta", c.parse.meta},
            {"book_meta", c.book_meta}};
  if (j.book.present) {
    const auto& b = j.book;
    json authors = json::array();
    for (const auto& a : b.authors) authors.push_back({a.name, static_cast<int>(a.role), a.description});
    k["book"] = {b.title, b.subtitle, b.language, b.publisher, b.rights, b.identifier, b.date, b.source, authors};
  }
  return sha256_hex(k.dump());
}

bool runner::up_to_date(const state_entry& prev, const std::string& key, const std::string& output) {
  if (prev.key != key) return false;
  std::error_code ec;
  if (!fs::is_regular_file(output, ec)) return false;
  try {
    if (sha256_hex(read_file(output)) != prev.output) return false;
  } catch (const error&) {
    return false;
  }
  for (const auto& [path, h] : prev.deps)
    if (hashes_.get(path) != h) return false;
  return true;
}

void runner::write_depfile(const std::string& output, const state_entry& e) {
  std::string text = depfile_escape(output) + ":";
  for (const auto& [path, h] : e.deps) text += " \\\n  " + depfile_escape(path);
  text += "\n";
  std::string file = output + ".d";
  try {
    if (read_file(file) == text) return;
  } catch (const error&) {
  }
  write_file_atomically(file, text);
}

job_outcome runner::process(const batch_job& j) {
  job_outcome r;
  auto t0 = clock_type::now();
  r.outputs.resize(j.outputs.size());
  std::vector<std::string> keys;
  bool all_fresh = true;
  for (std::size_t i = 0; i < j.outputs.size(); ++i) {
    keys.push_back(key_for(j, j.outputs[i]));
    auto it = prev_.find(state_name(j.outputs[i].path, s_.state_dir));
    if (!s_.force && !s_.state_dir.empty() && it != prev_.end() && up_to_date(it->second, keys[i], j.outputs[i].path)) {
      r.outputs[i].status = "up-to-date";
      r.outputs[i].entry = it->second;
    } else {
      all_fresh = false;
    }
  }
  std::vector<diagnostics> diags;
  try {
    if (all_fresh) {
      r.status = job_status::up_to_date;
    } else {
      const options& o = s_.conversion;
      // Hash the inputs before reading them: a file changed during the run
      // is rebuilt next time.
      std::vector<std::pair<std::string, std::string>> input_deps;
      for (const auto& in : j.inputs) input_deps.emplace_back(in, hashes_.get(in));
      for (const auto& x : j.extra_deps) input_deps.emplace_back(x, hashes_.get(x));
      doc::document d = load_book(j.inputs, o, diags);
      for (const auto& dg : diags)
        if (dg.has_errors())
          fail(exit_code::input_failed, dg.file(), "input-failed", "not converted: the input has errors");
      apply_book(d, j.book);
      doc::smarten(d);
      std::string base_dir = fs::path(j.inputs.front()).parent_path().string();
      if (base_dir.empty()) base_dir = ".";
      for (std::size_t i = 0; i < j.outputs.size(); ++i) {
        if (r.outputs[i].status == "up-to-date") continue;
        const batch_output& out = j.outputs[i];
        r.outputs[i].status = "failed";
        std::vector<std::string> files;
        if (out.format == output_format::epub) {
          files.push_back((fs::path(style_dir_) / "epub.css").string());
          if (!o.cover.empty()) files.push_back(o.cover);
          else if (!d.metadata.cover.empty())
            files.push_back((fs::path(base_dir) / d.metadata.cover).lexically_normal().string());
          for (const auto& a : d.articles) collect_images(a.blocks, base_dir, files);
        } else {
          files.push_back((fs::path(style_dir_) / "print.toml").string());
        }
        diags.emplace_back(out.path);
        std::string bytes;
        try {
          bytes = render(d, out.format, o, base_dir, diags.back(), &files);
          write_file_atomically(out.path, bytes);
        } catch (const error& e) {
          // This output failed; the job's other outputs are still made.
          diags.back().add(e.diag().severity, e.diag().pos, e.diag().code, e.diag().message) = e.diag();
          r.code = std::max(r.code, e.code());
          continue;
        }
        state_entry e;
        e.key = keys[i];
        e.output = sha256_hex(bytes);
        e.deps = input_deps;
        std::set<std::string> seen;
        for (const auto& [path, h] : input_deps) seen.insert(path);
        for (const auto& f : files)
          if (seen.insert(f).second) e.deps.emplace_back(f, hashes_.get(f));
        r.outputs[i].status = "written";
        r.outputs[i].entry = std::move(e);
      }
      bool ok = std::none_of(r.outputs.begin(), r.outputs.end(), [](const output_outcome& x) { return x.status == "failed"; });
      r.status = ok ? job_status::converted : job_status::failed;
    }
    if (s_.depfile)
      for (std::size_t i = 0; i < j.outputs.size(); ++i)
        if (r.outputs[i].entry) write_depfile(j.outputs[i].path, *r.outputs[i].entry);
  } catch (const error& e) {
    r.status = job_status::failed;
    r.code = std::max(r.code, e.code());
    for (auto& o : r.outputs)
      if (o.status != "up-to-date" && o.status != "written") o.status = "failed";
    for (auto& dg : diags)
      for (const auto& x : dg.list()) r.diags.push_back(x);
    r.diags.push_back(e.diag());
    diags.clear();
  } catch (const std::bad_alloc&) {
    r.status = job_status::failed;
    r.code = exit_code::internal;
    r.diags.push_back({severity::error, j.inputs.front(), {}, "out of memory", "internal", {}});
  } catch (const std::exception& e) {
    r.status = job_status::failed;
    r.code = exit_code::internal;
    r.diags.push_back({severity::error, j.inputs.front(), {}, std::string("internal error: ") + e.what(), "internal", {}});
  }
  for (auto& dg : diags)
    for (const auto& x : dg.list()) r.diags.push_back(x);
  r.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  return r;
}

std::string duration_text(double secs) {
  long s = static_cast<long>(secs + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

void runner::clear_bar() {
  if (bar_drawn_) err_ << "\r\033[K";
  bar_drawn_ = false;
}

void runner::draw_bar(bool final) {
  const std::size_t total = jobs_.size();
  const int width = 30;
  int filled = total ? static_cast<int>(width * done_ / total) : width;
  std::string line = "\r\033[K[";
  line += std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '.');
  line += "] " + std::to_string(done_) + "/" + std::to_string(total);
  if (skipped_) line += ", " + std::to_string(skipped_) + " up to date";
  if (failed_) line += ", " + std::to_string(failed_) + " failed";
  double elapsed = std::chrono::duration<double>(clock_type::now() - start_).count();
  if (!final && done_ > 0 && done_ < total) line += ", ETA " + duration_text(elapsed / done_ * (total - done_));
  else line += ", " + duration_text(elapsed);
  err_ << line << std::flush;
  bar_drawn_ = true;
}

void runner::show(std::size_t index, const job_outcome& r) {
  ++done_;
  if (r.status == job_status::failed) ++failed_;
  if (r.status == job_status::up_to_date) ++skipped_;
  const auto at_least = s_.verbose ? severity::info : severity::warning;
  std::string text;
  for (const auto& d : r.diags)
    if (static_cast<int>(d.severity) <= static_cast<int>(at_least)) text += format(d) + "\n";
  if (bar_) {
    if (!text.empty()) {
      clear_bar();
      err_ << text;
    }
    if (!s_.quiet) draw_bar(false);
    return;
  }
  err_ << text;
  if (s_.quiet) return;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.3f", r.seconds);
  err_ << "[" << done_ << "/" << jobs_.size() << "] " << to_string(r.status) << " " << jobs_[index].name << " ("
       << secs << " s)\n"
       << std::flush;
}

json diag_json(const diagnostic& d) {
  return {{"file", d.file},         {"line", d.pos.line}, {"column", d.pos.col},
          {"severity", to_string(d.severity)}, {"message", d.message}, {"code", d.code},
          {"notes", d.notes},       {"text", format(d)}};
}

void runner::write_report(const std::vector<job_outcome>& results, double seconds, bool interrupted) {
  json inputs = json::array();
  std::size_t converted = 0, fresh = 0, failed = 0, not_run = 0, written = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const auto& j = jobs_[i];
    json outs = json::array();
    for (std::size_t k = 0; k < j.outputs.size(); ++k) {
      outs.push_back({{"path", j.outputs[k].path}, {"format", to_string(j.outputs[k].format)}, {"status", r.outputs[k].status}});
      if (r.outputs[k].status == "written") ++written;
    }
    json diags = json::array();
    for (const auto& d : r.diags) diags.push_back(diag_json(d));
    inputs.push_back({{"name", j.name},
                      {"inputs", j.inputs},
                      {"status", to_string(r.status)},
                      {"exit_code", static_cast<int>(r.code)},
                      {"outputs", outs},
                      {"diagnostics", diags},
                      {"seconds", r.seconds}});
    switch (r.status) {
      case job_status::converted: ++converted; break;
      case job_status::up_to_date: ++fresh; break;
      case job_status::failed: ++failed; break;
      case job_status::not_run: ++not_run; break;
    }
  }
  json rep = {{"schema_version", report_schema_version},
              {"galley_version", GALLEY_VERSION},
              {"command", s_.command},
              {"shard", s_.shard.empty() ? json(nullptr) : json(s_.shard)},
              {"workers", workers_},
              {"interrupted", interrupted},
              {"totals",
               {{"inputs", results.size()},
                {"converted", converted},
                {"up_to_date", fresh},
                {"failed", failed},
                {"not_run", not_run},
                {"outputs_written", written},
                {"seconds", seconds}}},
              {"inputs", inputs}};
  fs::path p(s_.report);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  write_file_atomically(p, rep.dump(2) + "\n");
}

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int sig) { g_signal = sig; }

// Temporary files a killed run left beside outputs: .NAME.tmp-XXXXXX.
void remove_stale_temps(const std::vector<batch_job>& jobs, const std::string& state_dir) {
  std::map<fs::path, std::set<std::string>> by_dir;
  for (const auto& j : jobs)
    for (const auto& o : j.outputs) {
      fs::path p(o.path);
      auto& names = by_dir[p.parent_path().empty() ? fs::path(".") : p.parent_path()];
      names.insert("." + p.filename().string() + ".tmp-");
      names.insert("." + p.filename().string() + ".d.tmp-");
    }
  if (!state_dir.empty()) by_dir[fs::path(state_dir)].insert(std::string(".") + state_file_name + ".tmp-");
  for (const auto& [dir, prefixes] : by_dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string n = e.path().filename().string();
      auto pos = n.find(".tmp-");
      if (pos == std::string::npos || n.size() != pos + 11) continue;
      if (prefixes.count(n.substr(0, pos + 5))) fs::remove(e.path(), ec);
    }
  }
}

int runner::run() {
  start_ = clock_type::now();
  style_dir_ = resolve_style(s_.conversion.style);
  // Output folders first, in one thread.
  for (const auto& j : jobs_)
    for (const auto& o : j.outputs) {
      fs::path dir = fs::path(o.path).parent_path();
      std::error_code ec;
      if (!dir.empty() && !fs::is_directory(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec) fail(exit_code::io, dir.string(), "io-error", "cannot create output folder: " + ec.message());
      }
    }
  if (!s_.state_dir.empty()) {
    std::error_code ec;
    fs::create_directories(s_.state_dir, ec);
  }
  remove_stale_temps(jobs_, s_.state_dir);
  const fs::path state_file = s_.state_dir.empty() ? fs::path() : fs::path(s_.state_dir) / state_file_name;
  if (!s_.state_dir.empty()) prev_ = read_state(state_file);

  workers_ = s_.workers ? s_.workers : parallel_workers();  // the cores this process may use
  workers_ = static_cast<unsigned>(std::min<std::size_t>(workers_, std::max<std::size_t>(1, jobs_.size())));
  bar_ = s_.progress == 1 || (s_.progress == -1 && ::isatty(STDERR_FILENO));

  g_signal = 0;
  auto old_int = std::signal(SIGINT, on_signal);
  auto old_term = std::signal(SIGTERM, on_signal);

  std::vector<job_outcome> results(jobs_.size());
  for (std::size_t i = 0; i < jobs_.size(); ++i) results[i].outputs.resize(jobs_[i].outputs.size());
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::size_t> finished;
  std::atomic<std::size_t> next{0};
  std::size_t running = workers_;
  std::vector<std::thread> pool;
  // The first job runs alone: the libraries' lazy process-wide set-up
  // (ICU's normalizer data, fontconfig's configuration, the time zone) then
  // happens in one thread, before the workers share it.
  if (!jobs_.empty() && workers_ > 1) {
    if (bar_ && !s_.quiet) draw_bar(false);
    results[0] = process(jobs_[0]);
    next = 1;
    show(0, results[0]);
  }
  // The workers take no SIGINT or SIGTERM: those reach this thread's handler.
  std::optional<stop_signals_blocked> workers_take_no_stop_signals(std::in_place);
  for (unsigned w = 0; w < workers_; ++w)
    pool.emplace_back([&] {
      // Jobs are the unit of parallel work here: a job's own parallel_for
      // (parsing a book, deflating) stays on its worker, unless it is alone.
      std::optional<serial_scope> serial;
      if (workers_ > 1) serial.emplace();
      for (;;) {
        if (g_signal) break;
        std::size_t i = next.fetch_add(1);
        if (i >= jobs_.size()) break;
        job_outcome r = process(jobs_[i]);
        std::lock_guard<std::mutex> lock(mutex);
        results[i] = std::move(r);
        finished.push_back(i);
        cv.notify_one();
      }
      std::lock_guard<std::mutex> lock(mutex);
      --running;
      cv.notify_one();
    });
  workers_take_no_stop_signals.reset();
  if (bar_ && !s_.quiet) draw_bar(false);
  for (;;) {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return !finished.empty() || running == 0; });
    std::deque<std::size_t> batch;
    batch.swap(finished);
    bool over = running == 0;
    lock.unlock();
    for (auto i : batch) show(i, results[i]);
    if (batch.empty() && bar_ && !s_.quiet) draw_bar(false);
    if (over) break;
  }
  for (auto& t : pool) t.join();
  const int sig = g_signal;
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  if (bar_ && !s_.quiet) {
    draw_bar(true);
    err_ << "\n";
    bar_drawn_ = false;
  }

  // The state only after every output: a kill before this line leaves the
  // old state, and outputs it does not describe are rebuilt next time.
  if (!s_.state_dir.empty()) {
    state_map now = read_state(state_file);  // other runs (shards) may have written it meanwhile
    for (std::size_t i = 0; i < jobs_.size(); ++i)
      for (std::size_t k = 0; k < jobs_[i].outputs.size(); ++k) {
        std::string name = state_name(jobs_[i].outputs[k].path, s_.state_dir);
        const auto& o = results[i].outputs[k];
        if (o.entry) now[name] = *o.entry;
        else if (o.status == "failed") now.erase(name);
      }
    write_state(state_file, now);
  }
  double seconds = std::chrono::duration<double>(clock_type::now() - start_).count();
  if (!s_.report.empty()) write_report(results, seconds, sig != 0);

  int code = 0;
  std::size_t converted = 0, fresh = 0, failed = 0, not_run = 0;
  for (const auto& r : results) {
    if (r.status == job_status::converted) ++converted;
    if (r.status == job_status::up_to_date) ++fresh;
    if (r.status == job_status::not_run) ++not_run;
    if (r.status == job_status::failed) {
      ++failed;
      code = std::max(code, static_cast<int>(r.code == exit_code::ok ? exit_code::input_failed : r.code));
    }
  }
  if (!s_.quiet) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f", seconds);
    const char* what = s_.command == "build" ? " book" : " input";
    err_ << "galley: " << jobs_.size() << what << (jobs_.size() == 1 ? ": " : "s: ") << converted
         << " converted, " << fresh << " up to date, " << failed << " failed";
    if (not_run) err_ << ", " << not_run << " not run";
    err_ << " in " << secs << " s with " << workers_ << (workers_ == 1 ? " worker" : " workers") << "\n";
  }
  if (failed) {
    err_ << "galley: " << failed << (s_.command == "build" ? " book" : " input") << (failed == 1 ? "" : "s")
         << " failed:\n";
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      if (results[i].status != job_status::failed) continue;
      std::string why;
      for (const auto& d : results[i].diags)
        if (d.severity == severity::error) {
          why = d.message + (d.code.empty() ? "" : " [" + d.code + "]");
          break;
        }
      err_ << "  " << (jobs_[i].inputs.size() == 1 ? jobs_[i].inputs.front() : jobs_[i].name) << ": " << why << "\n";
    }
  }
  err_ << std::flush;
  if (sig) {
    err_ << "galley: interrupted; " << not_run << " not run\n";
    return 128 + sig;
  }
  return code;
}

}  // namespace

int run_batch(const std::vector<batch_job>& jobs, const batch_settings& s, std::ostream& err) {
  runner r(jobs, s, err);
  return r.run();
}

}  // namespace galley::convert
