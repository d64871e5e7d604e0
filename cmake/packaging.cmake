# Installation (`cmake --install`) and the Debian package (`cpack -G DEB`): the binary,
# the rules and hooks as data files, a man page and shell completions written at build
# time by the built binary itself (from its --help and its option definitions), so none
# of them can drift from it.
include(GNUInstallDirs)

set(SFMC_GENERATED_SHARE ${CMAKE_BINARY_DIR}/share)
set(SFMC_MAN_PAGE ${SFMC_GENERATED_SHARE}/man/sfmc-scan.1)
set(SFMC_COMPLETIONS
  ${SFMC_GENERATED_SHARE}/completions/sfmc-scan.bash
  ${SFMC_GENERATED_SHARE}/completions/_sfmc-scan
  ${SFMC_GENERATED_SHARE}/completions/sfmc-scan.fish)
add_custom_command(
  OUTPUT ${SFMC_MAN_PAGE} ${SFMC_COMPLETIONS}
  COMMAND ${CMAKE_COMMAND} -DSCANNER=$<TARGET_FILE:sfmc-scan> -DOUT=${SFMC_MAN_PAGE} -DVERSION=${PROJECT_VERSION}
          -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
  COMMAND ${CMAKE_COMMAND} -DSCANNER=$<TARGET_FILE:sfmc-scan> -DOUTDIR=${SFMC_GENERATED_SHARE}/completions
          -P ${PROJECT_SOURCE_DIR}/cmake/shell_completions.cmake
  DEPENDS sfmc-scan ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake ${PROJECT_SOURCE_DIR}/cmake/shell_completions.cmake
  COMMENT "Writing the man page and shell completions from the built sfmc-scan"
  VERBATIM)

# Debian ships man pages compressed (gzip -n: no timestamp, so builds are reproducible).
find_program(SFMC_GZIP gzip)
if(SFMC_GZIP)
  add_custom_command(
    OUTPUT ${SFMC_MAN_PAGE}.gz
    COMMAND ${SFMC_GZIP} -9nkf ${SFMC_MAN_PAGE}
    DEPENDS ${SFMC_MAN_PAGE}
    VERBATIM)
  set(SFMC_INSTALLED_MAN_PAGE ${SFMC_MAN_PAGE}.gz)
else()
  set(SFMC_INSTALLED_MAN_PAGE ${SFMC_MAN_PAGE})
endif()
# One target for the whole chain: a generated file named by two independent targets is
# generated twice in parallel under make -j, and the two runs overwrite each other.
add_custom_target(sfmc-scan-docs ALL DEPENDS ${SFMC_INSTALLED_MAN_PAGE} ${SFMC_COMPLETIONS})

install(TARGETS sfmc-scan RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The modules, where the binary looks for them (scanner/core/module_loader.hpp).
if(SFMC_MODULE_TARGETS)
  install(TARGETS ${SFMC_MODULE_TARGETS} LIBRARY DESTINATION ${SFMC_MODULE_INSTALL_DIR})
endif()
# The binary reads <prefix>/share/sfmc-scan/rules (scanner/rules/bundled_rules.cpp): keep the two in step.
install(FILES ${SFMC_RULE_FILES} ${PROJECT_SOURCE_DIR}/rules/README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/sfmc-scan/rules)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/hooks/pre-commit ${PROJECT_SOURCE_DIR}/hooks/pre-push
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/sfmc-scan/hooks)
install(FILES ${SFMC_INSTALLED_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${SFMC_GENERATED_SHARE}/completions/sfmc-scan.bash
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions RENAME sfmc-scan)
# zsh searches site-functions under /usr/local but, as Debian builds it, vendor-completions
# under /usr (where packages put theirs). Chosen at install time, when the prefix is
# known: cpack installs into a staging folder that ends in /usr.
install(CODE "
  if(CMAKE_INSTALL_PREFIX MATCHES \"/usr$\")
    set(sfmc_zsh_dir \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions\")
  else()
    set(sfmc_zsh_dir \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATAROOTDIR}/zsh/site-functions\")
  endif()
  file(INSTALL DESTINATION \"\${sfmc_zsh_dir}\" TYPE FILE FILES \"${SFMC_GENERATED_SHARE}/completions/_sfmc-scan\")
")
install(FILES ${SFMC_GENERATED_SHARE}/completions/sfmc-scan.fish
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Debian's machine-readable copyright, pointing at the system's copy of the licence
# (LICENSE holds the full text, which lintian refuses in a package).
install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# A native package's changelog, compressed as Debian ships it.
configure_file(${PROJECT_SOURCE_DIR}/cmake/debian/changelog.in ${CMAKE_BINARY_DIR}/debian/changelog @ONLY)
if(SFMC_GZIP)
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/debian/changelog.gz
    COMMAND ${SFMC_GZIP} -9nkf ${CMAKE_BINARY_DIR}/debian/changelog
    DEPENDS ${CMAKE_BINARY_DIR}/debian/changelog
    VERBATIM)
  add_custom_target(sfmc-scan-changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/debian/changelog.gz)
  add_dependencies(sfmc-scan-docs sfmc-scan-changelog)
  install(FILES ${CMAKE_BINARY_DIR}/debian/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sfmc-scan)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "find leaked Salesforce Marketing Cloud client secrets")
set(CPACK_PACKAGE_DESCRIPTION "sfmc-scan finds Salesforce Marketing Cloud client secrets (SFMC_ tokens)
in file trees, archives, standard input, git history and S3 buckets, validates
their checksum, and reports SARIF 2.1.0 (GitHub code scanning), GitLab, JSON,
JSON Lines or text. It ships a pre-commit and a pre-push hook.")
set(CPACK_PACKAGE_CONTACT "sfmc-scan maintainers <sfmc-scan@users.noreply.github.com>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# Runtime libraries as dpkg-shlibdeps finds them from the binary's NEEDED entries, so
# the list follows whatever the build links (libhyperscan5, libgit2-1.5, libtbb12, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# git itself is needed only for the hooks; the scanner reads repositories with libgit2.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS git)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS pre-commit)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
include(CPack)
