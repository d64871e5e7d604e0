# Writes the bash, zsh and fish completion scripts by asking the built binary
# (`sfmc-scan completion SHELL`), which reads them off its own option definitions.
#   cmake -DSCANNER=build/sfmc-scan -DOUTDIR=build/share/completions -P shell_completions.cmake
file(MAKE_DIRECTORY "${OUTDIR}")
foreach(pair "bash;sfmc-scan.bash" "zsh;_sfmc-scan" "fish;sfmc-scan.fish")
  list(GET pair 0 shell)
  list(GET pair 1 name)
  execute_process(COMMAND ${SCANNER} completion ${shell} OUTPUT_FILE "${OUTDIR}/${name}.tmp" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sfmc-scan completion ${shell} failed (${rc})")
  endif()
  file(COPY_FILE "${OUTDIR}/${name}.tmp" "${OUTDIR}/${name}" ONLY_IF_DIFFERENT)
  file(REMOVE "${OUTDIR}/${name}.tmp")
endforeach()
