# Writes the man page sfmc-scan.1 from the built binary's own option definitions, every
# subcommand included, so the page cannot drift from the options the binary has.
#   cmake -DSCANNER=build/sfmc-scan -DOUT=sfmc-scan.1 -DVERSION=0.1.0 -P man_page.cmake

# Every command's description, arguments and options as tagged paragraphs, from the
# binary's own option definitions (the hidden `sfmc-scan man-page`): man fills them to
# the reader's width.
execute_process(COMMAND ${SCANNER} man-page OUTPUT_VARIABLE commands_section RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT commands_section MATCHES "\\.SS \"sfmc\\\\-scan scan\"")
  message(FATAL_ERROR "sfmc-scan man-page failed (${rc}): ${err}")
endif()

set(page ".\\\" Generated from `sfmc-scan man-page` by cmake/man_page.cmake. Do not edit.
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
report that could not be written, or content left unread (a file or object that could
not be read, a store that did not answer in time, a decoder limit or module missing);
the report is complete otherwise
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
