#include "script/AcornBytecode.h"

#include <QUrl>
#include <QtQml/qqmlprivate.h>

#include <mutex>

// Emitted by qmlcachegen for the resource path /acorn/acorn.mjs (acorn_mjs_bytecode.cpp).
namespace QmlCacheGeneratedCode::_acorn_acorn_mjs {
extern const unsigned char qmlData[];
extern const QQmlPrivate::AOTCompiledFunction aotBuiltFunctions[];
} // namespace QmlCacheGeneratedCode::_acorn_acorn_mjs

namespace swarm {

namespace {

namespace generated = QmlCacheGeneratedCode::_acorn_acorn_mjs;

const QQmlPrivate::CachedQmlUnit kAcornUnit
    = {reinterpret_cast<const QV4::CompiledData::Unit*>(generated::qmlData),
        generated::aotBuiltFunctions, nullptr};

// V4 asks for every URL it loads; only acorn's is ours. V4 checks the unit's version against the
// running library itself and compiles the source instead when they differ.
const QQmlPrivate::CachedQmlUnit* lookup(const QUrl& url)
{
    if (url.scheme() == QLatin1String("qrc") && url.path() == QLatin1String("/acorn/acorn.mjs"))
        return &kAcornUnit;
    return nullptr;
}

} // namespace

void registerAcornBytecode()
{
    // Registered explicitly, not from a static initializer: the engine is a static library, whose
    // unreferenced objects the linker drops.
    static std::once_flag once;
    std::call_once(once, [] {
        QQmlPrivate::RegisterQmlUnitCacheHook hook = {0, &lookup};
        QQmlPrivate::qmlregister(QQmlPrivate::QmlUnitCacheHookRegistration, &hook);
    });
}

} // namespace swarm
