# SWARM_DEPLOY_QT (macOS, Windows): after the install step, Qt's own deployment tool copies the
# Qt libraries and plugins the binary needs into the installed tree, so the .app / the zip run on
# a machine without Qt. Runs during `cmake --install` and inside CPack's staging install alike
# (DESTDIR and the install prefix are read when the step runs, not when it is configured).
get_target_property(swarm_qmake Qt6::qmake IMPORTED_LOCATION)
get_filename_component(swarm_qt_bin "${swarm_qmake}" DIRECTORY)
if(APPLE)
    find_program(SWARM_DEPLOYQT macdeployqt HINTS "${swarm_qt_bin}" REQUIRED)
    set(swarm_deploy_target "swarm.app")
    set(swarm_deploy_args "-verbose=1")
else()
    find_program(SWARM_DEPLOYQT windeployqt HINTS "${swarm_qt_bin}" REQUIRED)
    set(swarm_deploy_target "bin/swarm.exe")
    # The MSVC runtime comes from InstallRequiredSystemLibraries; no translations are used.
    set(swarm_deploy_args "--no-translations;--no-compiler-runtime;--verbose;1")
endif()
install(CODE "
    set(target \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${swarm_deploy_target}\")
    message(STATUS \"Deploying Qt into \${target}\")
    execute_process(COMMAND \"${SWARM_DEPLOYQT}\" \"\${target}\" ${swarm_deploy_args}
                    RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR \"${SWARM_DEPLOYQT} failed: \${result}\")
    endif()
")
if(APPLE)
    # macdeployqt rewrote the binaries' library paths, which voids their signatures; arm64 macOS
    # runs only signed code, so sign the whole bundle again, ad hoc (no identity).
    install(CODE "
        execute_process(COMMAND codesign --force --deep --sign -
                                \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/swarm.app\"
                        RESULT_VARIABLE result)
        if(NOT result EQUAL 0)
            message(FATAL_ERROR \"codesign failed: \${result}\")
        endif()
    ")
endif()
