# acorn (https://github.com/acornjs/acorn, MIT licence): the ECMAScript parser that reads protocol
# modules (engine/script/AcornEngine). Taken from a package at build time and embedded into the
# binary's resources; its code is not in this repository. Debian: `apt-get install node-acorn`
# (/usr/share/nodejs/acorn); elsewhere `npm install acorn@8` (node_modules/acorn, in this tree
# or globally); or -DSWARM_ACORN_DIR=/path/to/acorn (the directory holding package.json).
set(SWARM_ACORN_MIN_VERSION 8.8.1) # Debian 12's node-acorn; tested up to 8.x
set(SWARM_ACORN_MAJOR 8) # the syntax tree (ESTree) and Parser.extend of acorn 8

find_path(SWARM_ACORN_DIR NAMES dist/acorn.mjs
    PATHS ${PROJECT_SOURCE_DIR}/node_modules/acorn /usr/share/nodejs/acorn
          /usr/lib/node_modules/acorn /usr/local/lib/node_modules/acorn
    NO_DEFAULT_PATH
    DOC "Directory of the acorn package (with package.json and dist/acorn.mjs)")
if(NOT SWARM_ACORN_DIR OR NOT EXISTS ${SWARM_ACORN_DIR}/package.json)
    message(FATAL_ERROR "acorn ${SWARM_ACORN_MAJOR}.x (>= ${SWARM_ACORN_MIN_VERSION}) not found: it "
        "reads protocol modules. On Debian: apt-get install node-acorn (./make.sh deps does); "
        "elsewhere: npm install acorn@${SWARM_ACORN_MAJOR} in the source tree; or configure with "
        "-DSWARM_ACORN_DIR=<directory with package.json and dist/acorn.mjs>.")
endif()
file(READ ${SWARM_ACORN_DIR}/package.json _acorn_package)
string(REGEX MATCH "\"version\"[ \t\r\n]*:[ \t\r\n]*\"([0-9]+)\\.([0-9.]+)" _acorn_match "${_acorn_package}")
set(SWARM_ACORN_VERSION "${CMAKE_MATCH_1}.${CMAKE_MATCH_2}")
if(NOT _acorn_match OR NOT CMAKE_MATCH_1 EQUAL SWARM_ACORN_MAJOR
   OR SWARM_ACORN_VERSION VERSION_LESS SWARM_ACORN_MIN_VERSION)
    message(FATAL_ERROR "acorn in ${SWARM_ACORN_DIR} is version '${SWARM_ACORN_VERSION}': swarm "
        "needs ${SWARM_ACORN_MAJOR}.x, at least ${SWARM_ACORN_MIN_VERSION} (Debian: node-acorn; "
        "npm: acorn@${SWARM_ACORN_MAJOR}). Point -DSWARM_ACORN_DIR at another copy.")
endif()

# Its licence, shipped with swarm's packages: npm's copy has LICENSE, Debian's the copyright file.
foreach(_candidate ${SWARM_ACORN_DIR}/LICENSE /usr/share/doc/node-acorn/copyright)
    if(EXISTS ${_candidate})
        set(SWARM_ACORN_LICENSE ${_candidate})
        break()
    endif()
endforeach()
if(NOT SWARM_ACORN_LICENSE)
    message(FATAL_ERROR "acorn's licence not found (${SWARM_ACORN_DIR}/LICENSE or "
        "/usr/share/doc/node-acorn/copyright): it must ship with swarm")
endif()
message(STATUS "acorn ${SWARM_ACORN_VERSION}: ${SWARM_ACORN_DIR}")

# swarm_add_acorn(TARGET): acorn (as an ES module) and the module reader into TARGET's resources
# (:/acorn/), and acorn's bytecode compiled ahead of time by Qt's qmlcachegen where the Qt install
# has it: loading acorn then skips compiling its 6,000 lines in every process that checks a module
# (about 40 ms of CPU; script/AcornBytecode.cpp registers it). Without qmlcachegen, or when the
# bytecode does not fit the Qt library found at run time, V4 compiles acorn.mjs from the resource.
function(swarm_add_acorn target)
    set(acorn_mjs ${SWARM_ACORN_DIR}/dist/acorn.mjs)
    set(reader_js ${PROJECT_SOURCE_DIR}/engine/script/ModuleReader.js)
    set_source_files_properties(${acorn_mjs} PROPERTIES QT_RESOURCE_ALIAS acorn.mjs)
    set_source_files_properties(${reader_js} PROPERTIES QT_RESOURCE_ALIAS ModuleReader.js)
    qt_add_resources(${target} "acorn_${target}" PREFIX "/acorn" FILES ${acorn_mjs} ${reader_js})
    if(NOT TARGET Qt6::qmlcachegen)
        message(STATUS "acorn: no qmlcachegen; acorn is compiled when first used")
        return()
    endif()
    # The generated code names its namespace after the resource path (/acorn/acorn.mjs).
    set(bytecode_cpp ${CMAKE_CURRENT_BINARY_DIR}/acorn_mjs_bytecode.cpp)
    # V4's compiler warns that acorn uses two constants before their declaration: legal, and about
    # acorn's code, so not shown in swarm's build.
    add_custom_command(OUTPUT ${bytecode_cpp}
        COMMAND ${CMAKE_COMMAND} -E env "QT_LOGGING_RULES=qt.qml.compiler=false"
                $<TARGET_FILE:Qt6::qmlcachegen> --only-bytecode --resource-path /acorn/acorn.mjs
                -o ${bytecode_cpp} ${acorn_mjs}
        DEPENDS ${acorn_mjs} Qt6::qmlcachegen
        COMMENT "Compiling acorn.mjs to V4 bytecode (qmlcachegen)"
        VERBATIM)
    target_sources(${target} PRIVATE ${bytecode_cpp} ${PROJECT_SOURCE_DIR}/engine/script/AcornBytecode.cpp)
    target_compile_definitions(${target} PRIVATE SWARM_ACORN_BYTECODE)
endfunction()
