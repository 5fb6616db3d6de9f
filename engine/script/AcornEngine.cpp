#include "script/AcornEngine.h"

#include "script/AcornBytecode.h"

#include <QCoreApplication>
#include <QFile>
#include <QJSEngine>
#include <QLoggingCategory>
#include <QThread>

#include <memory>

namespace swarm {

namespace {

// Named apart from ScriptRuntime.cpp's copy: both files can land in one unity source.
const char kAcornPrelude[] =
#include "ScriptPrelude.inc"
    ;

QString resourceText(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return QString();
    return QString::fromUtf8(f.readAll());
}

// V4's compiler warns that acorn uses two constants before their declaration (legal, and
// harmless there). The warnings are about acorn's code, not the user's: silenced while it loads
// (when its bytecode was not compiled at build time, or does not fit this Qt).
QLoggingCategory::CategoryFilter g_previousFilter = nullptr;

void quietCompiler(QLoggingCategory* category)
{
    if (g_previousFilter) g_previousFilter(category);
    if (qstrcmp(category->categoryName(), "qt.qml.compiler") == 0)
        category->setEnabled(QtWarningMsg, false);
}

class Reader
{
public:
    Reader()
    {
#ifdef SWARM_ACORN_BYTECODE
        registerAcornBytecode();
#endif
        g_previousFilter = QLoggingCategory::installFilter(quietCompiler);
        const QJSValue acorn = m_engine.importModule(QStringLiteral(":/acorn/acorn.mjs"));
        QLoggingCategory::installFilter(g_previousFilter);
        g_previousFilter = nullptr;
        if (acorn.isError()) {
            m_failure = QStringLiteral("acorn.mjs: ") + acorn.toString();
            return;
        }
        const QJSValue prelude = m_engine.evaluate(
            QString::fromUtf8(kAcornPrelude), QStringLiteral("swarm-prelude.js"));
        const QJSValue factory
            = m_engine.evaluate(resourceText(QStringLiteral(":/acorn/ModuleReader.js")),
                QStringLiteral("ModuleReader.js"));
        m_read = factory.call({acorn, prelude});
        if (!m_read.isCallable())
            m_failure = QStringLiteral("ModuleReader.js: ") + m_read.toString();
    }

    QVariantMap read(const QString& source)
    {
        if (!m_failure.isEmpty()) return failure(m_failure);
        const QJSValue result = m_read.call({source});
        if (result.isError()) return failure(result.toString());
        return result.toVariant().toMap();
    }

private:
    static QVariantMap failure(const QString& why)
    {
        QVariantMap problem {{QStringLiteral("pos"), 0},
            {QStringLiteral("message"),
                QStringLiteral("internal error of the module reader: %1").arg(why)}};
        return {{QStringLiteral("problems"), QVariantList {problem}}};
    }

    QJSEngine m_engine;
    QJSValue m_read;
    QString m_failure;
};

thread_local std::unique_ptr<Reader> t_reader;

} // namespace

QVariantMap AcornEngine::read(const QString& source)
{
    if (!t_reader) {
        t_reader = std::make_unique<Reader>();
        // The main thread's reader goes with the application, before Qt's own teardown.
        if (QCoreApplication::instance()
            && QThread::currentThread() == QCoreApplication::instance()->thread())
            qAddPostRoutine([] { t_reader.reset(); });
    }
    return t_reader->read(source);
}

} // namespace swarm
