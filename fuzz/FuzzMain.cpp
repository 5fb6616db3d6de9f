// One libFuzzer executable per target: fuzz/CMakeLists.txt compiles this file once per target
// with SWARM_FUZZ_TARGET set to the function of FuzzTargets.h it drives.
#include "FuzzTargets.h"

#include <QCoreApplication>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#ifndef SWARM_FUZZ_TARGET
#error "SWARM_FUZZ_TARGET must name a function of FuzzTargets.h"
#endif

// The module reader runs acorn in a QJSEngine, which needs an application object.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // No copy: libFuzzer's buffer is exactly `size` bytes, so AddressSanitizer reports any read
    // past the end of the input.
    const QByteArray input
        = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    const QString failure = swarm::fuzz::SWARM_FUZZ_TARGET(input);
    if (!failure.isEmpty()) {
        // abort() is a crash to libFuzzer: it saves the input (see tools/fuzz.sh).
        std::fprintf(stderr, "\n==== fuzz check failed: %s\n", failure.toLocal8Bit().constData());
        std::fflush(stderr);
        std::abort();
    }
    return 0;
}
