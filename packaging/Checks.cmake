# Checks of what the packages ship, in the ordinary test suite (fast, offline). The package
# installed on a fresh Debian is tested by ./make.sh deb-test (packaging/test-deb.sh).
# A missing validator is a failure (CTest: "Could not find executable"), never a skip.
set(swarm_resources ${PROJECT_SOURCE_DIR}/resources)

# The desktop entry: desktop-file-validate must print nothing (no error, warning or hint).
add_test(NAME packaging_desktop_entry
         COMMAND desktop-file-validate ${swarm_resources}/swarm.desktop)
set_tests_properties(packaging_desktop_entry PROPERTIES FAIL_REGULAR_EXPRESSION ".")

# AppStream metainfo, offline; errors and warnings fail (the id's TLD draws an info only).
add_test(NAME packaging_metainfo
         COMMAND appstreamcli validate --no-net ${swarm_resources}/${SWARM_APP_ID}.metainfo.xml)

# The man page generated at build time: present, renders without groff warnings, and lists
# the binary's options and the sections from swarm.h2m.
if(UNIX AND NOT APPLE AND NOT SWARM_SANITIZE)
    add_test(NAME packaging_manpage
             COMMAND ${CMAKE_CURRENT_LIST_DIR}/check-manpage.sh ${PROJECT_BINARY_DIR}/swarm.1.gz
                     $<TARGET_FILE:swarm>)
endif()

# The GitHub workflows (macOS, Windows): two offline linters, and a broken copy they must reject.
add_test(NAME packaging_workflows COMMAND ${CMAKE_CURRENT_LIST_DIR}/lint-workflows.sh)
set_tests_properties(packaging_workflows PROPERTIES TIMEOUT 120)

# The Kubernetes manifests (packaging/kubernetes/): every object against strict schemas of the
# Kubernetes API (vendored in tests/data/kubernetes-schemas/), the swarm arguments they use
# accepted by this binary (`swarm --check`), ports and names consistent; broken copies rejected.
# Linux: the image is Debian's, and the check runs Debian's python3-jsonschema and python3-yaml.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    add_test(NAME packaging_kubernetes
             COMMAND ${CMAKE_CURRENT_LIST_DIR}/kubernetes/check-manifests.py $<TARGET_FILE:swarm>)
    set_tests_properties(packaging_kubernetes PROPERTIES TIMEOUT 120)
endif()
