# swarm.1: generated at build time by help2man from `swarm --help` and `swarm --version`, plus
# the sections in swarm.h2m (console commands, exit status, examples, files), so the options
# in the man page are always the binary's own. Installed gzipped, as Debian's policy asks.
find_program(SWARM_HELP2MAN help2man)
find_program(SWARM_GZIP gzip)
if(NOT SWARM_HELP2MAN OR NOT SWARM_GZIP)
    message(WARNING "help2man or gzip not found: no man page (./make.sh deps installs them)")
    return()
endif()
if(CMAKE_CROSSCOMPILING OR SWARM_SANITIZE)
    return() # help2man runs the built swarm: not a foreign one, nor one that reports leaks at exit
endif()

set(swarm_man ${PROJECT_BINARY_DIR}/swarm.1)
add_custom_command(
    OUTPUT ${swarm_man}.gz
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
            ${SWARM_HELP2MAN} --no-info --section=1 --source=swarm
            --include=${CMAKE_CURRENT_LIST_DIR}/swarm.h2m --output=${swarm_man} $<TARGET_FILE:swarm>
    COMMAND ${SWARM_GZIP} -9nf ${swarm_man}
    DEPENDS swarm ${CMAKE_CURRENT_LIST_DIR}/swarm.h2m
    COMMENT "Generating the man page swarm.1 (help2man)"
    VERBATIM)
add_custom_target(swarm_manpage ALL DEPENDS ${swarm_man}.gz)
install(FILES ${swarm_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
