# What `cmake --install` and CPack put where, per platform (included by the top CMakeLists.txt
# after app/ is added, so the swarm target exists).
#
#   Linux    /usr/bin/swarm, share/swarm/{protocols,scripts}, the desktop entry, icon, AppStream
#            metainfo, a man page generated from `swarm --help` (help2man), the docs.
#   macOS    swarm.app (Contents/MacOS/swarm, Info.plist, Qt frameworks and plugins copied in by
#            macdeployqt when SWARM_DEPLOY_QT is ON); the docs, protocols and scenarios beside it.
#   Windows  bin/swarm.exe with the Qt DLLs and plugins (windeployqt when SWARM_DEPLOY_QT is ON),
#            yaml-cpp's DLL and the MSVC runtime; protocols, scenarios and docs beside it.
# The binary carries the bundled protocols and scenarios as Qt resources, so every layout runs
# with nothing but the executable; the files on disk are there for users to read and copy.
include(GNUInstallDirs)

option(SWARM_DEPLOY_QT
       "macOS/Windows: copy Qt's libraries and plugins into the install (macdeployqt/windeployqt)" OFF)

set(SWARM_APP_ID "invalid.swarm.swarm") # AppStream / bundle id: swarm.invalid has no real domain yet

if(APPLE)
    set(SWARM_BUNDLE_DIR "swarm.app/Contents")
    configure_file(${CMAKE_CURRENT_LIST_DIR}/Info.plist.in ${PROJECT_BINARY_DIR}/Info.plist @ONLY)
    install(TARGETS swarm RUNTIME DESTINATION ${SWARM_BUNDLE_DIR}/MacOS)
    install(FILES ${PROJECT_BINARY_DIR}/Info.plist DESTINATION ${SWARM_BUNDLE_DIR})
    set(SWARM_DATA_DIR ".")
    set(SWARM_DOC_DIR "docs")
elseif(WIN32)
    install(TARGETS swarm RUNTIME DESTINATION bin)
    set(SWARM_DATA_DIR ".")
    set(SWARM_DOC_DIR "docs")
else()
    install(TARGETS swarm RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    set(SWARM_DATA_DIR "${CMAKE_INSTALL_DATADIR}/swarm")
    set(SWARM_DOC_DIR "${CMAKE_INSTALL_DOCDIR}")
endif()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/protocols ${PROJECT_SOURCE_DIR}/scripts
        DESTINATION ${SWARM_DATA_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${SWARM_DOC_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${SWARM_DOC_DIR})

if(UNIX AND NOT APPLE)
    set(resources ${PROJECT_SOURCE_DIR}/resources)
    install(FILES ${resources}/swarm.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${resources}/swarm.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
    install(FILES ${resources}/${SWARM_APP_ID}.metainfo.xml
            DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    include(${CMAKE_CURRENT_LIST_DIR}/ManPage.cmake)
endif()

if(WIN32)
    # yaml-cpp's DLL (vcpkg) and, with SWARM_DEPLOY_QT, the MSVC runtime beside swarm.exe.
    if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.21)
        install(FILES $<TARGET_RUNTIME_DLLS:swarm> DESTINATION bin OPTIONAL)
    endif()
    if(SWARM_DEPLOY_QT)
        set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION bin)
        include(InstallRequiredSystemLibraries)
    endif()
endif()

if(SWARM_DEPLOY_QT AND (APPLE OR WIN32))
    include(${CMAKE_CURRENT_LIST_DIR}/DeployQt.cmake)
endif()
