#include "convert/load.hpp"

#include <iostream>
#include <iterator>

#include "base/output.hpp"

namespace galley::convert {

doc::document load_interview(const std::string& path, const parse::options& opts, diagnostics& diags) {
  std::string bytes;
  std::string name = path;
  if (path == "-") {
    name = "<stdin>";
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    bytes = read_file(path);
  }
  diags.set_file(name);
  return parse::parse_interview(bytes, name, opts, diags);
}

}  // namespace galley::convert
