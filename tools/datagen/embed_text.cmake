# Build-time step: turns a text file into a C++ header holding it as a raw
# string literal, so the binary carries tools/app_schema.sql verbatim.
#   cmake -DINPUT=file -DOUTPUT=header -DNAME=identifier -P embed_text.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")gs_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )gs_embed\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by embed_text.cmake; do not edit.\n"
  "#pragma once\n#include <string_view>\n"
  "namespace gs::datagen {\n"
  "inline constexpr std::string_view ${NAME} = R\"gs_embed(${content})gs_embed\";\n"
  "}  // namespace gs::datagen\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
