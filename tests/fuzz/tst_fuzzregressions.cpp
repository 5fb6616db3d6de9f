// Replays through the fuzz targets' own checks (fuzz/FuzzTargets.cpp) every input a fuzzer ever
// failed on (tests/data/fuzz/TARGET/), every committed seed (fuzz/corpus/TARGET/), and the
// repository's scenarios and modules that tools/fuzz.sh also seeds with, in the ordinary build: no
// clang or libFuzzer needed. Under ./make.sh asan-test the sanitizers watch the same calls.
#include "FuzzTargets.h"

#include <QDir>
#include <QFile>
#include <QTest>

using swarm::fuzz::Target;

class TstFuzzRegressions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replay_data();
    void replay();
    void everyTargetHasSeeds();
};

namespace {

const QString kSourceDir = QStringLiteral(SWARM_SOURCE_DIR);

QStringList inputsOf(const QString& dir)
{
    QStringList files;
    const QDir d(dir);
    for (const QString& name : d.entryList(QDir::Files, QDir::Name))
        if (name != QLatin1String("README.md")) files << d.filePath(name);
    return files;
}

} // namespace

void TstFuzzRegressions::replay_data()
{
    QTest::addColumn<int>("target");
    QTest::addColumn<QString>("file");
    for (int t = 0; t < int(std::size(swarm::fuzz::kTargets)); ++t) {
        const QString name = QLatin1String(swarm::fuzz::kTargets[t].name);
        QStringList dirs {
            QStringLiteral("tests/data/fuzz/") + name, QStringLiteral("fuzz/corpus/") + name};
        // As tools/fuzz.sh: the bundled scenarios and modules are seeds too, read in place.
        if (name == QLatin1String("scenario_loader"))
            dirs << QStringLiteral("scripts");
        else if (name == QLatin1String("protocol_source_reader"))
            dirs << QStringLiteral("protocols");
        for (const QString& dir : dirs)
            for (const QString& file : inputsOf(kSourceDir + QLatin1Char('/') + dir))
                QTest::newRow(qPrintable(QDir(kSourceDir).relativeFilePath(file))) << t << file;
    }
}

void TstFuzzRegressions::replay()
{
    QFETCH(int, target);
    QFETCH(QString, file);
    QFile f(file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.errorString()));
    const QByteArray input = f.readAll();
    const QString failure = swarm::fuzz::kTargets[target].run(input);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

// A seed directory emptied by mistake would silently shrink this test and the fuzz runs.
void TstFuzzRegressions::everyTargetHasSeeds()
{
    for (const Target& t : swarm::fuzz::kTargets)
        QVERIFY2(!inputsOf(kSourceDir + QStringLiteral("/fuzz/corpus/") + QLatin1String(t.name))
                      .isEmpty(),
            t.name);
}

QTEST_GUILESS_MAIN(TstFuzzRegressions)
#include "tst_fuzzregressions.moc"
