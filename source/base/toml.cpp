// toml++'s implementation, compiled once into galley (GALLEY_STATIC_DEPS):
// Debian ships the library's headers with it, and the files that read TOML
// (front matter, print styles, book projects) include only the declarations.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
