# Writes every file under the folder DIR into the C++ source OUT as a table of
# `embedded_file{path, text}` returned by `const std::vector<embedded_file>& NAME()` in namespace
# baikal: files the program serves wherever it is installed, built into it; HEADER is the
# header that declares NAME and embedded_file. Paths are relative to DIR, with '/' between
# folders. The files must be text (HTML, CSS, JavaScript, SVG): each is one raw string literal.
# Run as a script:
#   cmake -DDIR=... -DOUT=... -DNAME=... -DHEADER=... -P embed_files.cmake
file(GLOB_RECURSE files RELATIVE "${DIR}" "${DIR}/*")
list(SORT files)
set(delimiter "baikal_embedded")
set(body "")
foreach(path IN LISTS files)
  file(READ "${DIR}/${path}" text)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${DIR}/${path} holds the raw string delimiter )${delimiter}\"")
  endif()
  string(APPEND body "      {\"${path}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()
file(WRITE "${OUT}.tmp"
     "// Generated from ${DIR} by cmake/embed_files.cmake; edits here are lost.\n"
     "#include \"${HEADER}\"\n\n"
     "namespace baikal {\n\n"
     "const std::vector<embedded_file>& ${NAME}() {\n"
     "  static const std::vector<embedded_file> files{\n"
     "${body}"
     "  };\n"
     "  return files;\n"
     "}\n\n"
     "} // namespace baikal\n")
# Unchanged files keep their time stamp, so that a re-run of the script compiles nothing again.
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
