# Writes the text file IN into the C++ source OUT as the body of a function
# `std::string_view NAME()` in namespace baikal: a file the program needs wherever it is
# installed, built into it; HEADER is the header that declares it. Run as a script:
#   cmake -DIN=... -DOUT=... -DNAME=... -DHEADER=... -P embed_text.cmake
file(READ "${IN}" text)
set(delimiter "baikal_embedded")
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} holds the raw string delimiter )${delimiter}\"")
endif()
file(WRITE "${OUT}"
     "// Generated from ${IN} by cmake/embed_text.cmake; edits here are lost.\n"
     "#include \"${HEADER}\"\n\n"
     "namespace baikal {\n\n"
     "std::string_view ${NAME}() {\n"
     "  static constexpr char text[] = R\"${delimiter}(${text})${delimiter}\";\n"
     "  return {text, sizeof text - 1};\n"
     "}\n\n"
     "} // namespace baikal\n")
