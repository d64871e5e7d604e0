# Writes a header holding files' text as string constants: the hook scripts live in
# hooks/ as files and are compiled into the binary, so `sfmc-scan hook install` works
# from wherever the binary is. Usage: cmake -DOUT=... -DNAMES=a,b -DFILES=x,y -P embed_text.cmake
string(REPLACE "," ";" NAMES "${NAMES}")
string(REPLACE "," ";" FILES "${FILES}")
set(content "// Generated from hooks/ by cmake/embed_text.cmake. Do not edit.\n#pragma once\n")
list(LENGTH NAMES count)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  list(GET NAMES ${i} name)
  list(GET FILES ${i} file)
  file(READ "${file}" text)
  string(APPEND content "inline constexpr const char ${name}[] = R\"sfmc_embed(${text})sfmc_embed\";\n")
endforeach()
file(WRITE "${OUT}.tmp" "${content}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
