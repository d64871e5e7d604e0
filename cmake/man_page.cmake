# Writes the man page sfmc-scan.1 from the built binary's own --help output, every
# subcommand included, so the page cannot drift from the options the binary has.
#   cmake -DSCANNER=build/sfmc-scan -DOUT=sfmc-scan.1 -DVERSION=0.1.0 -P man_page.cmake

# Text for roff's no-fill mode: backslashes and hyphens escaped (a bare "-" may
# print as a typographic hyphen and break copied options), and no line may begin
# with a control character.
function(roff_verbatim text out_var)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

function(help_of command_words out_var)
  execute_process(COMMAND ${SCANNER} ${command_words} --help
                  OUTPUT_VARIABLE help RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " shown "${command_words}")
    message(FATAL_ERROR "sfmc-scan ${shown} --help failed (${rc}): ${err}")
  endif()
  set(${out_var} "${help}" PARENT_SCOPE)
endfunction()

# The names listed under "Subcommands:" in a help text.
function(subcommands_of help out_var)
  set(names "")
  string(FIND "${help}" "\nSubcommands:\n" at)
  if(at GREATER -1)
    string(SUBSTRING "${help}" ${at} -1 rest)
    string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" found "${rest}")
    foreach(f ${found})
      string(STRIP "${f}" f)
      list(APPEND names "${f}")
    endforeach()
  endif()
  set(${out_var} "${names}" PARENT_SCOPE)
endfunction()

# Each command's help, depth first, appended to a global property (recursion and
# PARENT_SCOPE do not mix well).
function(describe_command command_words)
  help_of("${command_words}" help)
  string(REPLACE ";" " " shown "${command_words}")
  roff_verbatim("${help}" body)
  set_property(GLOBAL APPEND_STRING PROPERTY SFMC_MAN_COMMANDS ".SS \"sfmc\\-scan ${shown}\"\n.nf\n${body}.fi\n")
  subcommands_of("${help}" subs)
  foreach(sub ${subs})
    describe_command("${command_words};${sub}")
  endforeach()
endfunction()

help_of("" top_help)
roff_verbatim("${top_help}" top_body)
subcommands_of("${top_help}" top_subs)
if(NOT top_subs)
  message(FATAL_ERROR "no subcommands found in `sfmc-scan --help`: has its format changed?")
endif()
foreach(sub ${top_subs})
  describe_command("${sub}")
endforeach()
get_property(commands_section GLOBAL PROPERTY SFMC_MAN_COMMANDS)

set(page ".\\\" Generated from `sfmc-scan --help` by cmake/man_page.cmake. Do not edit.
.TH SFMC\\-SCAN 1 \"\" \"sfmc\\-scan ${VERSION}\" \"User Commands\"
.SH NAME
sfmc\\-scan \\- find leaked Salesforce Marketing Cloud client secrets
.SH SYNOPSIS
.B sfmc\\-scan
.I command
.RI [ options ]
.RI [ arguments ]
.SH DESCRIPTION
.B sfmc\\-scan
finds Salesforce Marketing Cloud client secrets (\\fBSFMC_\\fR, a body and a checksum)
in files, folders, archives, standard input and git history, and reports each with
its verdict (checksum\\-valid, checksum\\-invalid, placeholder) as SARIF 2.1.0, JSON,
JSON Lines or text. Secrets are redacted unless \\fB\\-\\-show\\-secrets\\fR is given.
.PP
.nf
${top_body}.fi
.SH COMMANDS
${commands_section}.SH EXIT STATUS
.TP
.B 0
no finding at or above \\fB\\-\\-fail\\-on\\fR
.TP
.B 1
at least one finding at or above \\fB\\-\\-fail\\-on\\fR
.TP
.B 2
an error: bad usage, unreadable or invalid rules, a path that does not exist, a
report that could not be written
.SH ENVIRONMENT
.TP
.B SFMC_RULES
a rule file or folder to use instead of the bundled rules (\\fB\\-\\-rules\\fR wins over it)
.TP
.B SFMC_CACHE_DIR
where compiled rule databases are cached (else \\fI$XDG_CACHE_HOME/sfmc\\-scan\\fR or
\\fI~/.cache/sfmc\\-scan\\fR)
.TP
.B SFMC_NOW
the date expiry is judged against (else the clock)
.TP
.B NO_COLOR
no colours in text output
.TP
.B SFMC_SCAN
for the git hooks: the scanner to run (else the one that installed the hook, else
\\fBsfmc\\-scan\\fR on \\fBPATH\\fR)
.SH FILES
.TP
.I /usr/share/sfmc\\-scan/rules/*.toml
the bundled rules, read instead of the copy compiled into the binary when present
(the location follows the installation prefix)
.TP
.I /usr/share/sfmc\\-scan/hooks/
the pre\\-commit and pre\\-push hook scripts that \\fBsfmc\\-scan hook install\\fR writes
.TP
.I .sfmc\\-scan.toml
project configuration at the root of the folder or working tree scanned
.SH SEE ALSO
.BR git (1),
.BR git\\-commit (1),
.BR githooks (5)
")
file(WRITE "${OUT}.tmp" "${page}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
