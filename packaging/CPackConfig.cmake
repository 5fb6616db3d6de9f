# Packages: `cmake --build build --target package` makes a .deb (Debian 12) and a .tar.gz.
set(CPACK_PACKAGE_NAME "swarm")
set(CPACK_PACKAGE_VENDOR "swarm")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "swarm developers <dev@swarm.invalid>")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Qt 6.4 and yaml-cpp from Debian 12; Charts and Widgets only for the window.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqt6core6 (>= 6.4), libqt6network6 (>= 6.4), libqt6qml6 (>= 6.4), libqt6widgets6 (>= 6.4), libqt6charts6 (>= 6.4), libqt6gui6 (>= 6.4), libyaml-cpp0.7")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "netcat-openbsd, redis-tools")
include(CPack)
