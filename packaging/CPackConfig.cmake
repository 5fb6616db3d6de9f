# Packages (`cmake --build build --target package`, or `cpack -G GENERATOR` in the build folder):
#   Linux    a .deb for Debian 12 (tested on a fresh chroot: ./make.sh deb-test) and a .tar.gz
#   macOS    a .dmg holding swarm.app (DragNDrop; configure with -DSWARM_DEPLOY_QT=ON)
#   Windows  a .zip and an NSIS installer (configure with -DSWARM_DEPLOY_QT=ON)
# What goes in each is packaging/Install.cmake's business.
set(CPACK_PACKAGE_NAME "swarm")
set(CPACK_PACKAGE_VENDOR "swarm")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "swarm developers <dev@swarm.invalid>")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "swarm")
set(CPACK_STRIP_FILES ON)

if(APPLE)
    set(CPACK_GENERATOR "DragNDrop")
    set(CPACK_DMG_VOLUME_NAME "swarm ${PROJECT_VERSION}")
    set(CPACK_DMG_FORMAT "UDZO")
elseif(WIN32)
    set(CPACK_GENERATOR "ZIP;NSIS")
    set(CPACK_PACKAGE_EXECUTABLES "swarm;swarm") # a Start menu entry for bin/swarm.exe
    set(CPACK_NSIS_DISPLAY_NAME "swarm ${PROJECT_VERSION}")
    set(CPACK_NSIS_MODIFY_PATH ON) # offers to put swarm on PATH, for the command line
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
else()
    set(CPACK_GENERATOR "DEB;TGZ")
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SECTION "net")
    set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
    set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
        "${PROJECT_DESCRIPTION}\n"
        "swarm opens thousands of persistent TCP connections, each running a protocol script\n"
        "(JavaScript) through a YAML scenario over and over, reconnecting after errors. Load is\n"
        "raised and lowered live from a telnet console or the desktop window; --headless runs\n"
        "without a window.")
    string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION ${CPACK_DEBIAN_PACKAGE_DESCRIPTION})
    # Depends from the libraries the binary links (dpkg-shlibdeps: Qt 6 Core, Network, Qml,
    # HttpServer, Gui, Widgets, Charts, prometheus-cpp's core (--metrics), yaml-cpp, libstdc++,
    # libc) with the versions it was built against.
    # Qt's platform plugins (xcb, offscreen) ship in libqt6gui6. ./make.sh deb-test proves that
    # apt installs everything swarm needs on a fresh Debian 12 from these alone.
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_SUGGESTS "netcat-openbsd, redis-server")
endif()
include(CPack)
