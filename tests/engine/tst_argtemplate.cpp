// ${...} argument templates: what each name gives, the types kept, text around them, and the
// errors --check words (with the offset their column comes from).
#include "scenario/ArgTemplate.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using namespace swarm;

namespace {

DataSetPtr users()
{
    DataSource s;
    s.name = QStringLiteral("users");
    DataSet::Problem problem;
    return DataSet::parse(s, "name,uid\nalice,1000\nbob,x\n", &problem);
}

} // namespace

class TstArgTemplate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void values_data();
    void values();
    void randomStaysInItsBounds();
    void nestedValuesAreFilled();
    void errors_data();
    void errors();
};

void TstArgTemplate::values_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QVariant>("expected");
    QTest::newRow("id keeps its type") << "${id}" << QVariant(qint64(41));
    QTest::newRow("id + N") << "${ id + 1000 }" << QVariant(qint64(1041));
    QTest::newRow("iteration - N") << "${iteration-1}" << QVariant(qint64(2));
    QTest::newRow("agent") << "${agent}" << QVariant(qint64(2));
    QTest::newRow("text around") << "user-${id}/${iteration}" << QVariant(QString("user-41/3"));
    QTest::newRow("literal") << "$${id} costs $5" << QVariant(QString("${id} costs $5"));
    QTest::newRow("column") << "${row.users.name}" << QVariant(QString("alice"));
    QTest::newRow("column + N is a number") << "${row.users.uid + 1}" << QVariant(1001.0);
    QTest::newRow("column in text") << "hi ${row.users.name}!" << QVariant(QString("hi alice!"));
}

void TstArgTemplate::values()
{
    QFETCH(QString, text);
    QFETCH(QVariant, expected);
    StringTemplate t;
    StringTemplate::Error error;
    QVERIFY2(StringTemplate::parse(text, &t, &error), qPrintable(error.message));
    QVERIFY2(t.bind({"users"}, {{"name", "uid"}}, &error), qPrintable(error.message));
    const std::vector<DataSetPtr> data {users()};
    const std::vector<qint64> rows {0};
    QRandomGenerator rng(1);
    ClientIdentity who {41, 3, 2, &data, &rows, &rng};
    QString problem;
    const QVariant v = t.evaluate(who, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(v, expected);
    QCOMPARE(v.metaType(), expected.metaType());
}

void TstArgTemplate::randomStaysInItsBounds()
{
    StringTemplate t;
    StringTemplate::Error error;
    QVERIFY(StringTemplate::parse("${random -2 2}", &t, &error));
    QRandomGenerator rng(7);
    ClientIdentity who;
    who.rng = &rng;
    QSet<qint64> seen;
    QString problem;
    for (int i = 0; i < 500; ++i)
        seen << t.evaluate(who, &problem).toLongLong();
    // 500 draws miss one of 5 values with probability < 5 * 0.8^500.
    QCOMPARE(seen, (QSet<qint64> {-2, -1, 0, 1, 2}));
}

void TstArgTemplate::nestedValuesAreFilled()
{
    const QVariant value
        = QVariantMap {{"who", QVariantList {"u${id}", 5, "${row.users.name}"}}, {"n", "x"}};
    QVERIFY(ArgTemplate::isTemplate(value));
    QVERIFY(!ArgTemplate::isTemplate(QVariantMap {{"n", "x"}}));
    ArgTemplate t;
    StringTemplate::Error error;
    QString bad;
    QVERIFY(t.compile(value, {"users"}, {{"name", "uid"}}, &error, &bad));
    const std::vector<DataSetPtr> data {users()};
    const std::vector<qint64> rows {1};
    ClientIdentity who {7, 1, 0, &data, &rows, nullptr};
    QString problem;
    const QVariant filled = t.evaluate(who, &problem);
    QCOMPARE(filled, QVariant(QVariantMap {{"who", QVariantList {"u7", 5, "bob"}}, {"n", "x"}}));
    // A column that is not a number cannot take + N: an error of that call, not a crash.
    StringTemplate plus;
    QVERIFY(StringTemplate::parse("${row.users.uid + 1}", &plus, &error));
    QVERIFY(plus.bind({"users"}, {{"name", "uid"}}, &error));
    QVERIFY(!plus.evaluate(who, &problem).isValid());
    QVERIFY2(problem.contains("'x' (row 2 of 'users') is not a number"), qPrintable(problem));
}

void TstArgTemplate::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("at");
    QTest::addColumn<QString>("message");
    QTest::newRow("unclosed") << "a${id" << 1 << "'${' is never closed";
    QTest::newRow("empty") << "${}" << 2 << "expected a name";
    QTest::newRow("unknown") << "${iteraton}" << 2 << "did you mean 'iteration'?";
    QTest::newRow("random bounds") << "${random 5}" << 2 << "random needs two whole numbers";
    QTest::newRow("random order") << "${random 5 1}" << 2 << "MIN is greater than MAX";
    QTest::newRow("row form") << "${row.users}" << 2 << "expected row.DATA.COLUMN";
    QTest::newRow("trailing") << "${id 5}" << 5 << "unexpected '5'";
    QTest::newRow("no data") << "${row.user.name}" << 6 << "no data file 'user'; did you mean";
    QTest::newRow("no column") << "xy${row.users.nam}" << 14 << "has no column 'nam'";
}

void TstArgTemplate::errors()
{
    QFETCH(QString, text);
    QFETCH(int, at);
    QFETCH(QString, message);
    StringTemplate t;
    StringTemplate::Error error;
    const bool ok
        = StringTemplate::parse(text, &t, &error) && t.bind({"users"}, {{"name", "uid"}}, &error);
    QVERIFY(!ok);
    QVERIFY2(error.message.contains(message), qPrintable(error.message));
    QCOMPARE(error.at, at);
}

QTEST_GUILESS_MAIN(TstArgTemplate)
#include "tst_argtemplate.moc"
